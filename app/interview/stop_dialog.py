"""Pause (keep the draft) or stop (end it, read-only) an interview, always with a reason.

Reasons are a fixed list so the audit row can name the category; free text only travels with
a stopped interview's record (encrypted in the vault), never into the audit log.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from screening.vault import Vault, VaultError

REASONS = ("distress", "consent_withdrawn", "interpreter_unavailable", "other")
MAX_DETAIL = 200


def reason_labels() -> dict[str, str]:
    t = QCoreApplication.translate
    return {
        "distress": t("StopDialog", "The person is distressed"),
        "consent_withdrawn": t("StopDialog", "Consent withdrawn"),
        "interpreter_unavailable": t("StopDialog", "Interpreter unavailable"),
        "other": t("StopDialog", "Other reason"),
    }


class StopDialog(QDialog):
    PAUSE = "pause"
    STOP = "stop"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Pause or stop the interview"))
        self.action = ""
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Pausing keeps every answer; the interview can be resumed later.\n"
                "Stopping ends it: the answers given so far are kept and become read-only."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        for i, (code, label) in enumerate(reason_labels().items(), start=1):
            button = QRadioButton(f"&{i}  {label}")
            button.setAccessibleName(label)
            self.group.addButton(button)
            self.buttons[code] = button
            layout.addWidget(button)
        self.detail = QLineEdit()
        self.detail.setMaxLength(MAX_DETAIL)
        self.detail.setPlaceholderText(
            self.tr("Say briefly why (needed to stop for another reason)")
        )
        self.detail.setAccessibleName(self.tr("Other reason"))
        layout.addWidget(self.detail)
        box = QDialogButtonBox()
        self.pause_button = QPushButton(self.tr("&Pause, keep as draft"))
        self.stop_button = QPushButton(self.tr("&Stop interview"))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        for button in (self.pause_button, self.stop_button, self.cancel_button):
            button.setAccessibleName(button.text().replace("&", ""))
        box.addButton(self.pause_button, QDialogButtonBox.ButtonRole.AcceptRole)
        box.addButton(self.stop_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        box.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        layout.addWidget(box)
        # Stopping cannot be undone: never the button Enter presses.
        self.pause_button.setDefault(True)
        self.stop_button.setAutoDefault(False)
        self.pause_button.clicked.connect(lambda: self._finish(self.PAUSE))
        self.stop_button.clicked.connect(lambda: self._finish(self.STOP))
        self.cancel_button.clicked.connect(self.reject)
        self.group.buttonToggled.connect(self._update)
        self.detail.textChanged.connect(self._update)
        self._update()

    def reason_code(self) -> str | None:
        return next((code for code, b in self.buttons.items() if b.isChecked()), None)

    def reason_text(self) -> str:
        """What is stored as the stop reason: the category, with the words for "other"."""
        code = self.reason_code() or ""
        detail = self.detail.text().strip()
        return f"other: {detail}" if code == "other" else code

    def _update(self, *_: object) -> None:
        code = self.reason_code()
        other = code == "other"
        self.detail.setEnabled(other)
        self.pause_button.setEnabled(code is not None)
        explained = not other or bool(self.detail.text().strip())
        self.stop_button.setEnabled(code is not None and explained)

    def apply(self, vault: Vault, interview_id: str) -> str | None:
        """Record the decision in the vault; returns the vault's sentence if it refused."""
        try:
            if self.action == self.STOP:
                vault.stop_interview(interview_id, self.reason_text())
            else:
                # The category only: the audit log never holds free text.
                reason = self.reason_code() or "other"
                vault.audit("interview_paused", interview_id, f"reason {reason}")
        except VaultError as exc:
            return exc.message
        return None

    def _finish(self, action: str) -> None:
        self.action = action
        self.accept()
