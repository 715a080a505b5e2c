"""The quick-hide screen and the warning before the idle lock.

The neutral page shows nothing about the app's purpose or any case: a plain surface and one
small "Continue" button, for when someone walks into the room mid-interview. The vault is
already locked when it shows; continuing leads to the ordinary unlock screen.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.page_events import PageEvents


class HideKey(QObject):
    """F12 anywhere in the app, a modal dialog included (Qt blocks a window's own shortcuts
    while one of its dialogs is open). Installed only while unlocked."""

    pressed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.installed = False

    def install(self) -> None:
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance()
        if app is not None and not self.installed:
            app.installEventFilter(self)
            self.installed = True

    def remove(self) -> None:
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance()
        if app is not None and self.installed:
            app.removeEventFilter(self)
            self.installed = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride)
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_F12
            and not event.modifiers()
        ):
            if event.type() == QEvent.Type.KeyPress:
                self.pressed.emit()
            return True
        return False


class NeutralPage(PageEvents, QWidget):
    KEY_SIGNALS = tuple(
        (key, "done") for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space)
    )

    done = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("neutral")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.proceed = QPushButton(self)
        self.proceed.setFlat(True)
        self.proceed.clicked.connect(self.done)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.proceed, 0, Qt.AlignmentFlag.AlignRight)
        self.retranslate()

    def retranslate(self) -> None:
        self.proceed.setText(self.tr("Continue"))
        self.proceed.setAccessibleName(self.tr("Continue"))
        self.setAccessibleName(self.tr("Blank screen"))


class IdleBanner(QFrame):
    """ "The screen locks in 30 seconds", with a button that keeps it unlocked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("idleBanner")
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.stay = QPushButton(self)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 10, 6)
        row.addWidget(self.text, 1)
        row.addWidget(self.stay)
        self._seconds = 30
        self.retranslate()

    def show_warning(self, seconds: int) -> None:
        self._seconds = seconds
        self.retranslate()
        self.show()

    def retranslate(self) -> None:
        self.text.setText(
            self.tr("No activity: the screen locks in %n second(s).", "", self._seconds)
        )
        self.text.setAccessibleName(self.tr("Idle warning"))
        self.stay.setText(self.tr("Stay signed in"))
        self.stay.setAccessibleName(self.tr("Stay signed in"))
