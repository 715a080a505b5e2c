"""The two events every page handles alike: a language change and the keys that leave it.

Mixed in before the Qt class (`class CasePage(PageEvents, QWidget)`), so that the page's own
`keyPressEvent` / `changeEvent` are these and Qt's run after them.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent


class PageEvents:
    """Retranslates on a language change; each `(key, signal name)` in `KEY_SIGNALS` makes the
    key emit the page's signal of that name (Esc goes back, Enter continues) instead of
    reaching the Qt class."""

    KEY_SIGNALS: tuple[tuple[Qt.Key, str], ...] = ()

    def retranslate(self) -> None:
        raise NotImplementedError

    def keyPressEvent(self, event: QKeyEvent) -> None:
        for key, signal in self.KEY_SIGNALS:
            if event.key() == key:
                getattr(self, signal).emit()
                return
        parent: Any = super()
        parent.keyPressEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        parent: Any = super()
        parent.changeEvent(event)
