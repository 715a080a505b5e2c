"""First run: create this laptop's vault and its first administrator, choose the language."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QWidget,
)

from app.layout import card
from app.page_events import PageEvents
from app.passphrase_fields import PassphraseFields
from app.settings import LANGUAGES


class FirstRunPage(PageEvents, QWidget):
    """Emits `submitted(name, passphrase)` once the two passphrases match."""

    submitted = Signal(str, str)
    language_chosen = Signal(str)

    def __init__(self, vault_dir: Path, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vault_dir = vault_dir
        body, layout = card(self)
        self.title = QLabel(body)
        self.title.setObjectName("title")
        self.title.setWordWrap(True)  # a large font must wrap the heading, not cut it
        self.intro = QLabel(body)
        self.intro.setWordWrap(True)
        self.language = QComboBox(body)
        for code, name in LANGUAGES:
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(language)))
        self.language.currentIndexChanged.connect(
            lambda _i: self.language_chosen.emit(self.language.currentData())
        )
        self.user = QLineEdit(body)
        self.user.setMaxLength(128)
        self.secret = PassphraseFields(body, self.user, confirm=True)
        self.passphrase = self.secret.passphrase
        repeat, meter, match = self.secret.repeat, self.secret.meter, self.secret.match
        assert repeat is not None and meter is not None and match is not None  # confirm=True
        self.repeat, self.meter, self.match = repeat, meter, match
        self.show_secret = self.secret.show_secret
        for field in (self.user, self.passphrase, self.repeat):
            # An old complaint must not stand beside a passphrase that is now fine.
            field.textChanged.connect(self._hide_error)
        self.warning = QLabel(body)
        self.warning.setWordWrap(True)
        self.warning.setObjectName("warning")
        # Optional here: the file is verified at once, and the laptop is enrolled right
        # after the vault exists (enrolling needs an unlocked vault and the hub).
        self.org_file = QPushButton(body)
        self.org_file.clicked.connect(self._choose_org)
        self.org_path: Path | None = None
        self.org_dialog: QFileDialog | None = None
        self.org_label = QLabel(body)
        self.org_label.setObjectName("hint")
        self.org_label.setWordWrap(True)
        self.org_label.hide()
        self.enrol_code = QLineEdit(body)
        self.enrol_code.hide()
        self.folder = QLabel(body)
        self.folder.setObjectName("hint")
        self.folder.setWordWrap(True)
        self.folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.create = QPushButton(body)
        self.create.setDefault(True)
        self.create.setAutoDefault(True)
        self.create.clicked.connect(self._submit)
        for field in (self.user, self.passphrase, self.repeat):
            field.returnPressed.connect(self._submit)
        self.busy = QProgressBar(body)
        self.busy.setRange(0, 0)
        self.busy.hide()
        self.error = QLabel(body)
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.hide()

        self.form = QFormLayout()
        self.form.setVerticalSpacing(10)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.form.addRow(QLabel(body), self.language)
        self.form.addRow(QLabel(body), self.user)
        self.form.addRow(QLabel(body), self.passphrase)
        self.form.addRow(QLabel(body), self.repeat)
        self.form.addRow("", self.match)
        self.form.addRow(QLabel(body), self.meter)
        self.form.addRow("", self.show_secret)
        self.form.addRow(QLabel(body), self.org_file)
        self.form.addRow("", self.org_label)
        self.form.addRow("", self.enrol_code)
        for widget in (self.title, self.intro):
            layout.addWidget(widget)
        layout.addLayout(self.form)
        for widget in (self.warning, self.error, self.busy, self.folder):
            layout.addWidget(widget)
        layout.addWidget(self.create, 0, Qt.AlignmentFlag.AlignRight)
        chain = (
            self.user,
            self.passphrase,
            self.repeat,
            self.show_secret,
            self.create,
            self.org_file,
            self.enrol_code,
            self.language,
        )
        for first, second in pairwise(chain):
            self.setTabOrder(first, second)
        self.retranslate()

    def start(self) -> None:
        self.user.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_busy(self, busy: bool) -> None:
        for widget in (self.language, self.user, self.passphrase, self.repeat, self.create):
            widget.setEnabled(not busy)
        self.busy.setVisible(busy)
        if busy:
            self.error.hide()

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setAccessibleDescription(text)
        self.error.show()

    def clear_secrets(self) -> None:
        self.secret.clear()

    def _hide_error(self, *_: object) -> None:
        self.error.hide()

    def _choose_org(self) -> None:
        from app.enrol_dialog import org_file_dialog

        self.org_dialog = org_file_dialog(self, self.set_org_file)
        self.org_dialog.open()

    def set_org_file(self, path: Path) -> bool:
        from app.enrol_dialog import load_org

        self.org_dialog = None
        org, problem = load_org(path)
        self.org_path = path if org is not None else None
        if org is None:
            self.org_label.setText(problem)
        else:
            self.org_label.setText(
                self.tr("%1 · fingerprint %2. The laptop is enrolled once the vault exists.")
                .replace("%1", org.name)
                .replace("%2", org.fingerprint)
            )
        self.org_label.show()
        self.enrol_code.setVisible(org is not None)
        return org is not None

    def _submit(self) -> None:
        if not self.create.isEnabled():
            return
        name = self.user.text().strip()
        if not name:
            self.show_error(self.tr("Type your name: it is how the vault knows you."))
            self.user.setFocus()
            return
        if not self.secret.matches():
            self.clear_secrets()  # before the message: clearing counts as an edit
            self.show_error(self.tr("The two passphrases are not the same; type them again."))
            self.passphrase.setFocus()
            return
        self.submitted.emit(name, self.passphrase.text())

    def retranslate(self) -> None:
        title = self.tr("Welcome to Screening Desk")
        self.title.setText(f"<h2>{title}</h2>")
        self.intro.setText(
            self.tr(
                "Create the encrypted vault of this laptop. You will be its first "
                "administrator and can add the other screeners afterwards."
            )
        )
        labels = (
            self.tr("Interface language"),
            self.tr("Your name"),
            self.tr("Passphrase"),
            self.tr("Passphrase again"),
            self.tr("Strength"),
            self.tr("Organisation (optional)"),
        )
        fields = (
            self.language,
            self.user,
            self.passphrase,
            self.repeat,
            self.meter.bar,
            self.org_file,
        )
        for text, field in zip(labels, fields, strict=True):
            label = self.form.labelForField(self.meter if field is self.meter.bar else field)
            label.setText(text)
            label.setBuddy(field if field is not self.meter.bar else self.passphrase)
            field.setAccessibleName(text)
        self.passphrase.setPlaceholderText(self.tr("four or five unrelated words"))
        self.warning.setText(
            self.tr(
                "Write the passphrase down and keep it somewhere safe. "
                "A forgotten passphrase cannot be recovered without your organisation's "
                "recovery key, and without it the interviews on this laptop are lost."
            )
        )
        self.warning.setAccessibleName(self.tr("Passphrase warning"))
        self.org_file.setText(self.tr("Organisation file…"))
        self.org_label.setAccessibleName(self.tr("Organisation"))
        self.enrol_code.setPlaceholderText(self.tr("One-time enrolment code"))
        self.enrol_code.setAccessibleName(self.tr("One-time enrolment code"))
        self.folder.setText(self.tr("Vault folder: %1").replace("%1", str(self.vault_dir)))
        self.folder.setAccessibleName(self.tr("Vault folder"))
        self.create.setText(self.tr("Create vault"))
        self.create.setAccessibleName(self.tr("Create vault"))
        self.busy.setAccessibleName(self.tr("Creating the vault"))
        self.error.setAccessibleName(self.tr("Problem"))
        self.title.setAccessibleName(title)
        self.intro.setAccessibleName(self.tr("Introduction"))
        self.secret.retranslate()
