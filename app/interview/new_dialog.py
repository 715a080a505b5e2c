"""Start an interview: questionnaire, the two languages, interpreter, centre.

The place is a short centre name or code, never an address: a free-text location is a direct
identifier of where a person can be found, and it travels with the record.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from screening.forms.compiler import CompiledForm
from screening.forms.library import (
    ORGANISATION,
    FormCatalogue,
    FormEntry,
    FormNotAvailable,
)
from screening.forms.review import needs_review_notice
from screening.sync.offered import form_catalogue
from screening.vault import Vault, VaultError

MAX_CENTRE = 40


class NewInterviewDialog(QDialog):
    """Creates the interview in the vault on accept; read the choices off the attributes."""

    created = Signal(str)  # the new interview's id, once it is in the vault

    def __init__(
        self,
        vault: Vault,
        ui_language: str = "en",
        parent: QWidget | None = None,
        *,
        centre: str = "",
    ) -> None:
        super().__init__(parent)
        self.vault = vault
        self.ui_language = ui_language
        self.interview_id: str | None = None
        self.compiled_form: CompiledForm | None = None
        self.entry: FormEntry | None = None
        # Shipped forms and those installed from the organisation (signatures checked again).
        self.catalogue: FormCatalogue = form_catalogue(vault, ui_language)
        self._entries: list[FormEntry] = []
        self.setWindowTitle(self.tr("New interview"))
        layout = QVBoxLayout(self)
        fields = QFormLayout()
        self.form_choice = QComboBox()
        # Sized by a few words, not the longest title: "title · version · origin" at 16 pt is
        # wider than a netbook. The open list still shows whole titles.
        self.form_choice.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.form_choice.setMinimumContentsLength(24)
        self.form_choice.view().setTextElideMode(Qt.TextElideMode.ElideNone)
        self.older_versions = QCheckBox(self.tr("Show older versions"))
        self.older_versions.setVisible(len(self.catalogue.entries) > len(self.catalogue.newest()))
        self._fill_forms()
        self.interviewee_choice = QComboBox()
        self.screener_choice = QComboBox()
        self.interpreter = QCheckBox(self.tr("An interpreter is taking part"))
        self.centre = QLineEdit(centre)
        self.centre.setMaxLength(MAX_CENTRE)
        self.centre.setPlaceholderText(self.tr("Centre name or code, e.g. BAR-2"))
        for label, widget in (
            (self.tr("&Questionnaire"), self.form_choice),
            ("", self.older_versions),
            (self.tr("&Interview language (the person's)"), self.interviewee_choice),
            (self.tr("&Screener language"), self.screener_choice),
            (self.tr("Interpreter"), self.interpreter),
            (self.tr("&Centre"), self.centre),
        ):
            if label:
                widget.setAccessibleName(label.replace("&", ""))
            fields.addRow(label, widget)
        layout.addLayout(fields)
        # Forms from the organisation that are not offered, and why (one sentence each).
        self.withheld = QLabel(" ".join(self.catalogue.problems))
        self.withheld.setWordWrap(True)
        self.withheld.setProperty("role", "hint")
        self.withheld.setVisible(bool(self.catalogue.problems))
        layout.addWidget(self.withheld)
        # A translation not yet checked in the field may mislead: say so before it is used.
        self.review_note = QLabel()
        self.review_note.setWordWrap(True)
        self.review_note.setProperty("role", "hint")
        self.review_note.hide()
        layout.addWidget(self.review_note)
        caution = QLabel(
            self.tr("Write the centre only, never an address or the person's details.")
        )
        caution.setWordWrap(True)
        caution.setProperty("role", "hint")
        layout.addWidget(caution)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setAccessibleName(self.tr("Problem"))
        self.error.hide()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.start_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.start_button.setText(self.tr("Start with consent"))
        self.start_button.setAccessibleName(self.tr("Start with consent"))
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.form_choice.currentIndexChanged.connect(self._form_changed)
        self.older_versions.toggled.connect(self._older_toggled)
        self.interviewee_choice.currentIndexChanged.connect(self._languages_changed)
        self.screener_choice.currentIndexChanged.connect(self._languages_changed)
        self._form_changed()

    def _origin(self, entry: FormEntry) -> str:
        if entry.origin == ORGANISATION:
            return self.tr("from your organisation")
        return self.tr("shipped")

    def _fill_forms(self) -> None:
        """The newest version of each form, or every version when asked; labelled by origin."""
        chosen = self.entry
        shown = self.catalogue.entries if self.older_versions.isChecked() else None
        self._entries = shown if shown is not None else self.catalogue.newest()
        self.form_choice.blockSignals(True)
        self.form_choice.clear()
        for entry in self._entries:
            label = (
                self.tr("%1 · version %2 · %3")
                .replace("%1", entry.title)
                .replace("%2", entry.version)
                .replace("%3", self._origin(entry))
            )
            self.form_choice.addItem(label, entry.id)
        self.form_choice.setCurrentIndex(self._keep(chosen))
        self.form_choice.blockSignals(False)

    def _keep(self, chosen: FormEntry | None) -> int:
        """Where the form chosen before the list changed is now (else its newest version)."""
        if chosen in self._entries:
            return self._entries.index(chosen)
        same = [i for i, e in enumerate(self._entries) if chosen is not None and e.id == chosen.id]
        return same[0] if same else (0 if self._entries else -1)

    def _older_toggled(self) -> None:
        self._fill_forms()
        self._form_changed()

    def _form_changed(self) -> None:
        index = self.form_choice.currentIndex()
        self.entry = self._entries[index] if 0 <= index < len(self._entries) else None
        self.compiled_form = None
        if self.entry is None:
            self.start_button.setEnabled(False)
            return
        try:
            form = self.entry.compile_or_explain()
        except FormNotAvailable as exc:  # one sentence, never the compiler's problem list
            for combo in (self.interviewee_choice, self.screener_choice):
                combo.clear()
            self.error.setText(exc.message)
            self.error.show()
            self.start_button.setEnabled(False)
            self._show_review_state()
            return
        self.error.hide()
        self.start_button.setEnabled(True)
        self.compiled_form = form
        for combo, preferred in (
            (self.interviewee_choice, self.interviewee_choice.currentData()),
            (self.screener_choice, self.screener_choice.currentData() or self.ui_language),
        ):
            combo.blockSignals(True)
            combo.clear()
            for lang in form.form.languages:
                combo.addItem(lang.name, lang.code)
            index = combo.findData(preferred)
            combo.setCurrentIndex(index if index >= 0 else 0)
            combo.blockSignals(False)
        self._languages_changed()

    def _languages_changed(self) -> None:
        # Different languages almost always mean an interpreter; the screener can untick it.
        self.interpreter.setChecked(self.interviewee_language != self.screener_language)
        self._show_review_state()

    def _show_review_state(self) -> None:
        form = self.compiled_form
        unreviewed = [
            lang.name
            for lang in (form.form.languages if form is not None else [])
            if lang.code in (self.interviewee_language, self.screener_language)
            and needs_review_notice(form.form, lang.code)
        ]
        self.review_note.setText(
            self.tr(
                "Not yet reviewed by a native speaker in the field: %1. Listen for"
                " misunderstandings and report confusing wording to your coordinator."
            ).replace("%1", ", ".join(unreviewed))
        )
        self.review_note.setVisible(bool(unreviewed))

    @property
    def interviewee_language(self) -> str:
        return str(self.interviewee_choice.currentData())

    @property
    def screener_language(self) -> str:
        return str(self.screener_choice.currentData())

    def accept(self) -> None:
        form = self.compiled_form
        if form is None:
            return
        try:
            self.interview_id = self.vault.create_interview(
                form_id=form.id,
                form_version=form.version,
                form_hash=form.form_hash,
                language=self.interviewee_language,
                screener_language=self.screener_language,
                interpreter_used=self.interpreter.isChecked(),
                location=self.centre.text().strip() or None,
            )
        except VaultError as exc:
            self.error.setText(exc.message)
            self.error.show()
            return
        self.created.emit(self.interview_id)
        super().accept()
