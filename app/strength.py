"""The passphrase strength meter: zxcvbn's score, judged by the vault's own rule.

The vault decides what it accepts (`screening.vault.passphrase.check_strength`); the meter
only shows how close the typed passphrase is. Both use zxcvbn over the same first 72
characters, so the meter never calls "strong" what the vault then refuses.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QLabel, QLineEdit, QProgressBar, QVBoxLayout, QWidget

ESTIMATE_CHARS = 72


@dataclass(frozen=True)
class Assessment:
    score: int  # 0-4, zxcvbn's scale
    acceptable: bool  # what the vault will say when the vault is created


def assess(passphrase: str, user: str = "") -> Assessment:
    if not passphrase:
        return Assessment(0, False)
    # Imported here: the vault package and zxcvbn's word lists cost ~0.2 s, paid only when
    # somebody types a new passphrase, not at every start.
    from zxcvbn import zxcvbn

    from screening.vault import WeakPassphrase
    from screening.vault.passphrase import check_strength

    try:
        check_strength(passphrase, user=user or None)
        acceptable = True
    except WeakPassphrase:
        acceptable = False
    score = int(zxcvbn(passphrase[:ESTIMATE_CHARS], user_inputs=[user] if user else [])["score"])
    return Assessment(score if acceptable else min(score, 2), acceptable)


def describe(result: Assessment, length: int) -> str:
    from screening.vault.passphrase import MIN_LENGTH

    if length == 0:
        return QCoreApplication.translate("strength", "Use four or five unrelated words.")
    if length < MIN_LENGTH:
        text = QCoreApplication.translate("strength", "Too short: use at least %1 characters.")
        return text.replace("%1", str(MIN_LENGTH))
    if not result.acceptable:
        return QCoreApplication.translate(
            "strength", "Too easy to guess: add another unrelated word."
        )
    return (
        QCoreApplication.translate("strength", "Strong")
        if result.score >= 4
        else QCoreApplication.translate("strength", "Good")
    )


class StrengthMeter(QWidget):
    """A bar and a sentence under a passphrase field, updated shortly after typing stops."""

    def __init__(self, field: QLineEdit, user: QLineEdit, parent: QWidget | None = None):
        super().__init__(parent)
        self._field = field
        self._user = user
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 4)
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(8)
        self.label = QLabel(self)
        self.label.setObjectName("hint")
        self.label.setWordWrap(True)  # the advice is a sentence; beside the bar it was cut off
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.bar)
        layout.addWidget(self.label)
        self._timer = QTimer(self, singleShot=True, interval=150)
        self._timer.timeout.connect(self.update_now)
        field.textChanged.connect(lambda _t: self._timer.start())
        user.textChanged.connect(lambda _t: self._timer.start())
        self.result = Assessment(0, False)
        self.retranslate()

    def update_now(self) -> None:
        text = self._field.text()
        self.result = assess(text, self._user.text().strip())
        self.bar.setValue(self.result.score if text else 0)
        self.bar.setProperty("acceptable", self.result.acceptable)
        self.bar.style().unpolish(self.bar)
        self.bar.style().polish(self.bar)
        self.label.setText(describe(self.result, len(text)))
        self.bar.setAccessibleDescription(self.label.text())

    def retranslate(self) -> None:
        name = QCoreApplication.translate("strength", "Passphrase strength")
        self.bar.setAccessibleName(name)
        self.label.setAccessibleName(name)
        if self._field.text():
            self.update_now()
        else:
            self.label.setText(describe(Assessment(0, False), 0))
