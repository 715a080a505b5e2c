"""Stopping an interview (with a reason, then a confirmation) and giving a pause its reason.

Pausing itself takes no dialog: one key or one click keeps the draft and leaves the screen at
once, because a distressed person must not wait while the screener picks a reason. The reason
can be added later, when the draft reopens.

Reasons are a fixed list so the audit row can name the category; free text only travels with
a stopped interview's record (encrypted in the vault), never into the audit log.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.stop_reasons import reason_labels, stop_reason_words
from screening.vault import Vault, VaultError
from screening.vault.pauses import PAUSE_REASON, PAUSE_REASONS, pause_detail

REASONS = PAUSE_REASONS
MAX_DETAIL = 200


def _reason_buttons(dialog: QDialog, layout: QVBoxLayout) -> dict[str, QRadioButton]:
    group = QButtonGroup(dialog)
    buttons: dict[str, QRadioButton] = {}
    for i, (code, label) in enumerate(reason_labels().items(), start=1):
        button = QRadioButton(f"&{i}  {label}")
        button.setAccessibleName(label)
        group.addButton(button)
        buttons[code] = button
        layout.addWidget(button)
    dialog.group = group  # type: ignore[attr-defined]
    return buttons


class StopDialog(QDialog):
    """Choose why, press Stop, then confirm: stopping cannot be undone."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Stop the interview"))
        self.pages = QStackedWidget(self)
        outer = QVBoxLayout(self)
        outer.addWidget(self.pages)

        choose = QWidget()
        layout = QVBoxLayout(choose)
        intro = QLabel(
            self.tr(
                "Stopping ends the interview: the answers given so far are kept and become "
                "read-only, and it cannot be resumed. To come back later, pause instead (F8)."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.buttons = _reason_buttons(self, layout)
        self.detail = QLineEdit()
        self.detail.setMaxLength(MAX_DETAIL)
        self.detail.setPlaceholderText(self.tr("Say briefly why (needed for another reason)"))
        self.detail.setAccessibleName(self.tr("Other reason"))
        layout.addWidget(self.detail)
        box = QDialogButtonBox()
        self.stop_button = QPushButton(self.tr("&Stop interview…"))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        box.addButton(self.stop_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        box.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        layout.addWidget(box)
        self.pages.addWidget(choose)

        confirm = QWidget()
        layout = QVBoxLayout(confirm)
        self.question = QLabel()
        self.question.setWordWrap(True)
        self.question.setProperty("role", "warning")
        layout.addWidget(self.question)
        box = QDialogButtonBox()
        self.confirm_button = QPushButton(self.tr("Yes, stop for good"))
        self.back_button = QPushButton(self.tr("No, go back"))
        box.addButton(self.confirm_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        box.addButton(self.back_button, QDialogButtonBox.ButtonRole.RejectRole)
        layout.addWidget(box)
        self.pages.addWidget(confirm)

        for button in (self.stop_button, self.cancel_button, self.confirm_button, self.back_button):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
            button.setAutoDefault(False)
        # Stopping cannot be undone: Enter never presses a button that stops.
        self.cancel_button.setDefault(True)
        self.stop_button.clicked.connect(self._ask_confirmation)
        self.cancel_button.clicked.connect(self.reject)
        self.confirm_button.clicked.connect(self.accept)
        self.back_button.clicked.connect(self._back)
        self.group.buttonToggled.connect(self._update)  # type: ignore[attr-defined]
        self.detail.textChanged.connect(self._update)
        self._update()

    @property
    def confirming(self) -> bool:
        return self.pages.currentIndex() == 1

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
        explained = not other or bool(self.detail.text().strip())
        self.stop_button.setEnabled(code is not None and explained)

    def _ask_confirmation(self) -> None:
        self.question.setText(
            self.tr(
                "Stop this interview for good? Reason: {0}. It cannot be resumed; "
                "the answers given so far stay in the vault, read-only."
            ).format(stop_reason_words(self.reason_text()))
        )
        self.pages.setCurrentIndex(1)
        self.cancel_button.setDefault(False)
        self.back_button.setDefault(True)
        self.back_button.setFocus()

    def _back(self) -> None:
        self.pages.setCurrentIndex(0)
        self.back_button.setDefault(False)
        self.cancel_button.setDefault(True)
        self.stop_button.setFocus()

    def apply(self, vault: Vault, interview_id: str) -> str | None:
        """Record the stop in the vault; returns the vault's sentence if it refused."""
        try:
            vault.stop_interview(interview_id, self.reason_text())
        except VaultError as exc:
            return exc.message
        return None


class PauseReasonDialog(QDialog):
    """Add the reason for a pause afterwards (a category only: the audit log holds it)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Why was the interview paused?"))
        layout = QVBoxLayout(self)
        self.buttons = _reason_buttons(self, layout)
        box = QDialogButtonBox()
        self.save_button = QPushButton(self.tr("Save reason"))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        box.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        box.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        for button in (self.save_button, self.cancel_button):
            button.setAccessibleName(button.text())
        layout.addWidget(box)
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.accept)
        self.cancel_button.clicked.connect(self.reject)
        self.group.buttonToggled.connect(self._update)  # type: ignore[attr-defined]
        self._update()

    def reason_code(self) -> str | None:
        return next((code for code, b in self.buttons.items() if b.isChecked()), None)

    def _update(self, *_: object) -> None:
        self.save_button.setEnabled(self.reason_code() is not None)

    def apply(self, vault: Vault, interview_id: str) -> str | None:
        try:
            vault.audit(PAUSE_REASON, interview_id, pause_detail(self.reason_code()))
        except VaultError as exc:
            return exc.message
        return None
