"""The passphrase block shared by the first-run and unlock pages.

One passphrase field and the "Show the passphrase" toggle; with `confirm` (a new
passphrase), also the repeat field, the strength meter and the hint that says whether the
two match. The pages place the widgets in their own form layouts and label them; the block
owns how they behave, so both pages hide, show and clear a passphrase the same way.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QWidget

from app.strength import StrengthMeter


class PassphraseFields(QObject):
    """The widgets are children of `body`; `user` feeds the strength meter (with `confirm`)."""

    def __init__(self, body: QWidget, user: QLineEdit, *, confirm: bool = False) -> None:
        super().__init__(body)
        self.passphrase = QLineEdit(body)
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat: QLineEdit | None = None
        self.meter: StrengthMeter | None = None
        self.match: QLabel | None = None
        if confirm:
            self.repeat = QLineEdit(body)
            self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
            self.meter = StrengthMeter(self.passphrase, user, body)
        self.show_secret = QCheckBox(body)
        self.show_secret.toggled.connect(self._show_secret)
        if self.repeat is not None:
            self.match = QLabel(body)
            self.match.setObjectName("hint")
            self.match.setWordWrap(True)
            self.match.hide()
            for field in (self.passphrase, self.repeat):
                field.textChanged.connect(self._show_match)

    def fields(self) -> tuple[QLineEdit, ...]:
        return (self.passphrase,) if self.repeat is None else (self.passphrase, self.repeat)

    def matches(self) -> bool:
        return self.repeat is None or self.passphrase.text() == self.repeat.text()

    def clear(self) -> None:
        """Empty every field and hide the passphrase again."""
        for field in self.fields():
            field.clear()
        self.show_secret.setChecked(False)

    def _show_secret(self, on: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password
        for field in self.fields():
            field.setEchoMode(mode)

    def _show_match(self, *_: object) -> None:
        if self.repeat is None or self.match is None:
            return
        first, second = self.passphrase.text(), self.repeat.text()
        if not second:
            self.match.hide()
            return
        if first == second:
            self.match.setText(self.tr("✓ The two passphrases match."))
        elif first.startswith(second):
            self.match.hide()  # still typing the repeat
            return
        else:
            self.match.setText(self.tr("✗ The two passphrases differ."))
        self.match.show()

    def retranslate(self) -> None:
        self.show_secret.setText(self.tr("Show the passphrase"))
        self.show_secret.setAccessibleName(self.tr("Show the passphrase"))
        if self.match is not None:
            self.match.setAccessibleName(self.tr("Passphrases match"))
        if self.meter is not None:
            self.meter.retranslate()
