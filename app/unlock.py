"""The unlock screen: user name, passphrase, a busy indicator and the back-off countdown.

The vault stores user names only as salted hashes, so there is no list to pick from before
unlocking: the screener types their name. After a lock the name of whoever locked is kept
(in memory only) so they only need their passphrase.
"""

from __future__ import annotations

import math
import time
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QWidget,
)

from app.layout import card
from app.page_events import PageEvents
from app.passphrase_fields import PassphraseFields


class UnlockPage(PageEvents, QWidget):
    """Emits `submitted(name, passphrase)`; the window runs the unlock and reports back."""

    submitted = Signal(str, str)

    def __init__(self, vault_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vault_dir = vault_dir
        body, layout = card(self, 440)
        self.title = QLabel(body)
        self.title.setObjectName("title")
        self.title.setWordWrap(True)  # a large font must wrap the heading, not cut it
        self.intro = QLabel(body)
        self.intro.setWordWrap(True)
        self.user = QLineEdit(body)
        self.user.setMaxLength(128)
        self.secret = PassphraseFields(body, self.user)
        self.passphrase = self.secret.passphrase
        self.show_secret = self.secret.show_secret
        self.unlock = QPushButton(body)
        self.switch_user = QPushButton(body)
        self.switch_user.setFlat(True)
        self.switch_user.clicked.connect(self._switch_user)
        self.unlock.setDefault(True)
        self.unlock.clicked.connect(self._submit)
        self.user.returnPressed.connect(self._next)
        self.passphrase.returnPressed.connect(self._submit)
        self.busy = QProgressBar(body)
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.error = QLabel(body)
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.hide()
        self.countdown = QLabel(body)
        self.countdown.setObjectName("error")
        self.countdown.setWordWrap(True)
        self.countdown.hide()
        self.folder = QLabel(body)
        self.folder.setObjectName("hint")
        self.folder.setWordWrap(True)
        self.form = QFormLayout()
        self.form.setVerticalSpacing(10)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.form.addRow(QLabel(body), self.user)
        self.form.addRow(QLabel(body), self.passphrase)
        self.form.addRow("", self.show_secret)
        for widget in (self.title, self.intro):
            layout.addWidget(widget)
        layout.addLayout(self.form)
        for widget in (self.error, self.countdown, self.busy):
            layout.addWidget(widget)
        buttons = QHBoxLayout()
        buttons.addWidget(self.switch_user)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock)
        layout.addLayout(buttons)
        layout.addWidget(self.folder)
        self._remaining = 0
        self._deadline = 0.0
        # Precise: a coarse timer may fire 5 % early and let the next attempt in too soon.
        self._tick = QTimer(self, interval=250, timerType=Qt.TimerType.PreciseTimer)
        self._tick.timeout.connect(self._count_down)
        self._busy = False
        self.retranslate()

    # ------------------------------------------------------------- actions

    def start(self, user: str = "") -> None:
        """Show the page fresh: no passphrase, no stale message, focus where typing starts."""
        self.secret.clear()
        self.error.hide()
        if user:
            self.user.setText(user)
        target = self.passphrase if self.user.text() else self.user
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.user.setEnabled(not busy)
        self.passphrase.setEnabled(not busy)
        self.busy.setVisible(busy)
        self._update_button()
        if busy:
            self.error.hide()
        elif self.isVisible():
            # A failed attempt reports while the fields are still disabled, where focus
            # cannot land: give it back here, so the retyped passphrase goes somewhere.
            target = self.passphrase if self.user.text().strip() else self.user
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _switch_user(self) -> None:
        """Someone else sits down: forget the remembered name and ask for theirs."""
        self.user.clear()
        self.passphrase.clear()
        self.error.hide()
        self.user.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setAccessibleDescription(text)
        self.error.show()
        self.passphrase.clear()
        self.passphrase.setFocus(Qt.FocusReason.OtherFocusReason)

    def start_countdown(self, seconds: int) -> None:
        """The vault asked us to wait: count down visibly, then allow the next attempt."""
        self._remaining = max(1, int(seconds))
        self._deadline = time.monotonic() + self._remaining
        self.error.hide()
        self._show_remaining()
        self.countdown.show()
        self._tick.start()
        self._update_button()

    @property
    def waiting(self) -> int:
        return self._remaining

    def _count_down(self) -> None:
        self._remaining = max(0, math.ceil(self._deadline - time.monotonic()))
        if self._remaining <= 0:
            self._remaining = 0
            self._tick.stop()
            self.countdown.hide()
            self.passphrase.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self._show_remaining()
        self._update_button()

    def _show_remaining(self) -> None:
        text = self.tr("Too many failed attempts. Try again in %n second(s).", "", self._remaining)
        self.countdown.setText(text)
        self.countdown.setAccessibleDescription(text)

    def _update_button(self) -> None:
        self.unlock.setEnabled(not self._busy and self._remaining == 0)

    def _next(self) -> None:
        if self.user.text().strip():
            self.passphrase.setFocus(Qt.FocusReason.TabFocusReason)

    def _submit(self) -> None:
        if not self.unlock.isEnabled():
            return
        name = self.user.text().strip()
        if not name:
            self.show_error(self.tr("Type your user name."))
            self.user.setFocus()
            return
        if not self.passphrase.text():
            self.passphrase.setFocus()
            return
        passphrase = self.passphrase.text()
        # The field is emptied at once: the passphrase lives no longer than the attempt.
        self.passphrase.clear()
        self.submitted.emit(name, passphrase)

    # ------------------------------------------------------------ language

    def retranslate(self) -> None:
        title = self.tr("Screening Desk is locked")
        self.title.setText(f"<h2>{title}</h2>")
        self.title.setAccessibleName(title)
        self.intro.setText(self.tr("Type your user name and passphrase to unlock."))
        self.intro.setAccessibleName(self.tr("Instructions"))
        for row, (text, field) in enumerate(
            ((self.tr("User name"), self.user), (self.tr("Passphrase"), self.passphrase))
        ):
            label = self.form.itemAt(row, QFormLayout.ItemRole.LabelRole).widget()
            label.setText(text)
            label.setBuddy(field)
            field.setAccessibleName(text)
        self.unlock.setText(self.tr("Unlock"))
        self.switch_user.setText(self.tr("Switch user"))
        self.secret.retranslate()
        self.switch_user.setAccessibleName(self.tr("Switch user"))
        self.unlock.setAccessibleName(self.tr("Unlock"))
        self.busy.setAccessibleName(self.tr("Unlocking"))
        self.error.setAccessibleName(self.tr("Problem"))
        self.countdown.setAccessibleName(self.tr("Waiting time"))
        self.folder.setText(self.tr("Vault folder: %1").replace("%1", str(self.vault_dir)))
        self.folder.setAccessibleName(self.tr("Vault folder"))
        if self._remaining:
            self._show_remaining()
