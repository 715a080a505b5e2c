"""Locking after idle time: an application-wide event filter restarts a timer on input."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

# Input a person makes; paint, timer and focus events must not keep a laptop unlocked.
INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TabletPress,
        QEvent.Type.InputMethod,
    }
)


WARN_MS = 30_000


class IdleLock(QObject):
    """Emits `idle` once `timeout_ms` pass without input while armed, and `warning` 30 s
    before (half way for short timeouts); `active` when input comes after a warning."""

    idle = Signal()
    warning = Signal(int)  # seconds left
    active = Signal()

    def __init__(self, timeout_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self._expired)
        self._warn = QTimer(self, singleShot=True)
        self._warn.timeout.connect(self._warned)
        self.warned = False
        self.set_timeout(timeout_ms)
        self._filtering = False

    def _warn_before(self) -> int:
        return min(WARN_MS, self._timer.interval() // 2)

    def _warned(self) -> None:
        self.warned = True
        self.warning.emit(round(self._warn_before() / 1000))

    def _expired(self) -> None:
        self.warned = False
        self.idle.emit()

    def restart(self) -> None:
        """Input, or "stay signed in": the full idle time again."""
        self._timer.start()
        self._warn.start(self._timer.interval() - self._warn_before())
        if self.warned:
            self.warned = False
            self.active.emit()

    @property
    def timeout_ms(self) -> int:
        return self._timer.interval()

    @property
    def armed(self) -> bool:
        return self._timer.isActive()

    def set_timeout(self, timeout_ms: int) -> None:
        self._timer.setInterval(max(10, int(timeout_ms)))
        if self._timer.isActive():
            self.restart()

    def arm(self) -> None:
        # The filter is only installed while armed: while locked, no event pays for it.
        app = QApplication.instance()
        if app is not None and not self._filtering:
            app.installEventFilter(self)
            self._filtering = True
        self.restart()

    def disarm(self) -> None:
        self._timer.stop()
        self._warn.stop()
        self.warned = False
        app = QApplication.instance()
        if app is not None and self._filtering:
            app.removeEventFilter(self)
            self._filtering = False

    def remove(self) -> None:
        self.disarm()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Called for every event of every object: keep it to a set lookup and a restart.
        if event.type() in INPUT_EVENTS and self._timer.isActive():
            self.restart()
        return False
