"""Start an interview: questionnaire, the two languages, interpreter, centre.

The place is a short centre name or code, never an address: a free-text location is a direct
identifier of where a person can be found, and it travels with the record.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
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

from app.interview.forms import available_forms, compiled_form
from screening.forms.compiler import CompiledForm
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
        self.setWindowTitle(self.tr("New interview"))
        layout = QVBoxLayout(self)
        fields = QFormLayout()
        self.form_choice = QComboBox()
        for entry in available_forms(ui_language):
            self.form_choice.addItem(entry.title, entry.id)
        self.interviewee_choice = QComboBox()
        self.screener_choice = QComboBox()
        self.interpreter = QCheckBox(self.tr("An interpreter is taking part"))
        self.centre = QLineEdit(centre)
        self.centre.setMaxLength(MAX_CENTRE)
        self.centre.setPlaceholderText(self.tr("Centre name or code, e.g. BAR-2"))
        for label, widget in (
            (self.tr("&Questionnaire"), self.form_choice),
            (self.tr("&Interview language (the person's)"), self.interviewee_choice),
            (self.tr("&Screener language"), self.screener_choice),
            (self.tr("Interpreter"), self.interpreter),
            (self.tr("&Centre"), self.centre),
        ):
            widget.setAccessibleName(label.replace("&", ""))
            fields.addRow(label, widget)
        layout.addLayout(fields)
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
        self.interviewee_choice.currentIndexChanged.connect(self._languages_changed)
        self.screener_choice.currentIndexChanged.connect(self._languages_changed)
        self._form_changed()

    def _form_changed(self) -> None:
        form_id = self.form_choice.currentData()
        if form_id is None:
            self.start_button.setEnabled(False)
            return
        form = compiled_form(str(form_id))
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
