"""The sync status line and "Sync now": one label in the status bar, one toolbar action.

The label says in plain words where sync stands (not enrolled, never synced, last synced at
HH:MM, syncing…, or why the last run stopped). The toolbar's Sync action runs
`screening.sync.client.sync` through the window's `OpRunner`, then refreshes the label and
the case list (its sync column reads the delivered flag). A timer repeats the same action
every few minutes while the vault is unlocked and enrolled; a background run that fails only
updates the label, a run the user asked for also shows the sentence in a message box.
Nothing here holds interview data: the label shows counts and times only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel

from app.ops import OpContext, generic_failure_text
from screening.errors import ScreeningError

if TYPE_CHECKING:
    from app.window_host import WindowHost
    from screening.sync.report import SyncReport
    from screening.sync.state import SyncStatus as Status
    from screening.vault import Vault

log = logging.getLogger("screening_desk.sync")

DEFAULT_INTERVAL_MINUTES = 10
Progress = Callable[[int, int], None]
SyncFn = Callable[["Vault", Progress], "SyncReport"]


def _default_sync(vault: Vault, progress: Progress) -> SyncReport:
    from screening.sync.client import sync

    return sync(vault, progress=progress)


def enrolled(status: Status) -> bool:
    """Whether this vault can sync: a laptop with a hub device id, or the coordinator."""
    return status.mode == "coordinator" or (
        status.mode == "device" and status.device_id is not None
    )


def local_time(iso: str) -> str:
    """The vault's UTC timestamp as local HH:MM today, or local date and time otherwise."""
    try:
        when = datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone()
    except ValueError:
        return iso
    if when.date() == datetime.now().astimezone().date():
        return when.strftime("%H:%M")
    return when.strftime("%Y-%m-%d %H:%M")


class SyncStatus(QLabel):
    """The status-bar label, and the controller behind the window's Sync action."""

    def __init__(
        self,
        window: WindowHost,
        action: QAction,
        *,
        sync_fn: SyncFn | None = None,
        interval_minutes: float = DEFAULT_INTERVAL_MINUTES,
    ) -> None:
        super().__init__(window)
        self.setObjectName("syncStatus")
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self._window = window
        self.action = action
        self.sync_fn: SyncFn = sync_fn or _default_sync
        self.running = False
        self._status: Status | None = None
        self._error: BaseException | None = None
        # (done, total) of the run in progress; total 0 when the hub cannot say (receiving).
        self._moved: tuple[int, int] | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(round(interval_minutes * 60_000))
        self.timer.timeout.connect(lambda: self.sync_now(background=True))
        action.triggered.connect(lambda: self.sync_now())
        window.statusBar().addPermanentWidget(self)
        window.unlocked.connect(self.refresh)
        window.locked.connect(self.clear)
        self.refresh()

    # ------------------------------------------------------------- public

    @property
    def is_enrolled(self) -> bool:
        return self._status is not None and enrolled(self._status)

    def refresh(self) -> None:
        """Read the vault's sync state again and show it; starts or stops the timer."""
        vault = self._window.vault
        self._status = None
        if vault is not None:
            from screening.sync.state import sync_status

            try:
                self._status = sync_status(vault)
            except ScreeningError as exc:
                log.info("sync status unreadable: %s", type(exc).__name__)
        if vault is not None and self.is_enrolled:
            if not self.timer.isActive():
                self.timer.start()
        else:
            self.timer.stop()
        self._render()

    def clear(self) -> None:
        """Locked: forget the state, stop the timer, disable the action."""
        self.timer.stop()
        self._status = None
        self._error = None
        self._render()

    def sync_now(self, *, background: bool = False) -> bool:
        """Start one sync run; False when none was started (locked, running, not enrolled
        in the background)."""
        vault = self._window.vault
        if vault is None or self.running:
            return False
        if background and not self.is_enrolled:
            return False
        self.running = True
        self._error = None
        self._moved = None
        self._render()
        run = self.sync_fn

        def work(ctx: OpContext) -> SyncReport:
            return run(vault, ctx.progress)

        self._window.runner.run(
            "sync",
            work,
            on_progress=self._progressed,
            on_success=lambda report: self._done(vault, report, None),
            on_failure=lambda exc: self._failed(vault, exc, background),
            on_cancel=lambda: self._done(vault, None, None),
        )
        return True

    def retranslate(self) -> None:
        self._render()

    # ------------------------------------------------------------ private

    def _progressed(self, done: int, total: int, _label: str) -> None:
        if self.running:
            self._moved = (done, total)
            self._render()

    def _done(self, vault: Vault, report: SyncReport | None, error: BaseException | None) -> None:
        self.running = False
        self._moved = None
        self._error = error
        if self._window.vault is not vault:  # locked (or another user) meanwhile
            self._render()
            return
        if report is not None:
            log.info("sync finished: %s", report.summary())
        self.refresh()
        self._window.case_list.refresh()  # the sync column follows the delivered flag

    def _failed(self, vault: Vault, exc: BaseException, background: bool) -> bool:
        self._done(vault, getattr(exc, "report", None), exc)
        # A run the user asked for shows the sentence; a background one only the label.
        return background or self._window.vault is not vault

    def _render(self) -> None:
        text, tip = self._describe()
        self.setText(text)
        self.setToolTip(tip)
        self.setAccessibleName(self.tr("Sync status"))
        self.setVisible(bool(text))
        self.action.setEnabled(self._window.vault is not None and not self.running)
        self.action.setToolTip(self.tr("Sync now: send finished interviews to the hub"))

    def _describe(self) -> tuple[str, str]:
        if self._window.vault is None:
            return "", ""
        if self.running:
            if self._moved is not None and self._moved[1] > 0:
                sent, total = self._moved
                text = self.tr("Syncing… sent %1 of %2")
                return text.replace("%1", str(sent)).replace("%2", str(total)), ""
            if self._moved is not None and self._moved[0] > 0:
                return self.tr("Syncing… received %1").replace("%1", str(self._moved[0])), ""
            return self.tr("Syncing…"), ""
        status = self._status
        last = ""
        if status is not None and status.last_sync_at:
            last = self.tr("Last synced %1").replace("%1", local_time(status.last_sync_at))
        error = self._error
        if error is not None:
            from screening.sync.errors import HubUnreachable, NotSetUp

            if isinstance(error, NotSetUp):
                return self.tr("Sync: not enrolled"), error.message
            if isinstance(error, HubUnreachable):
                text = self.tr("Offline: could not reach the hub")
                return (f"{text}. {last}" if last else text), error.message
            message = error.message if isinstance(error, ScreeningError) else generic_failure_text()
            return self.tr("Sync stopped: %1").replace("%1", message), message
        if status is None or not enrolled(status):
            return self.tr("Sync: not enrolled"), self.tr(
                "This computer is not enrolled with a hub, so nothing is sent."
            )
        if not status.last_sync_at:
            return self.tr("Never synced"), ""
        if status.mode == "coordinator" and status.rejected:
            held = self.tr("%1 held back for review").replace("%1", str(status.rejected))
            return f"{last}, {held}", self.tr(
                "Envelopes that could not be imported are kept and tried again at every sync. "
                "'screening sync --held' lists them with the reason."
            )
        waiting = status.waiting_to_seal + status.waiting_for_ack
        if waiting:
            more = self.tr("waiting to send: %1").replace("%1", str(waiting))
            return f"{last}, {more}", ""
        return self.tr("Up to date. %1").replace("%1", last), ""

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._render()
        super().changeEvent(event)
