"""`WindowHost`: what the window's helpers (the sync status, the coordinator shell) use of it.

They are built by `MainWindow` (in its chrome, `app/window_chrome.py`) and take it as their
parent; typing them against this protocol instead of `MainWindow` keeps the window's modules
the only ones that import them, so the window and its helpers do not import each other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QStackedWidget, QStatusBar, QToolBar, QWidget

    from app.cases.page import CaseListPage
    from app.i18n import Translations
    from app.ops import OpRunner
    from screening.vault import Vault


class WindowHost(Protocol):
    """The main window as its helpers see it (`app.window.MainWindow` is the one host)."""

    unlocked: SignalInstance
    locked: SignalInstance
    runner: OpRunner
    translations: Translations
    toolbar: QToolBar
    work: QStackedWidget

    @property
    def vault(self) -> Vault | None: ...

    @property
    def case_list(self) -> CaseListPage: ...

    def current_view(self) -> QWidget | None: ...

    def show_cases(self, *_args: object) -> None: ...

    def statusBar(self) -> QStatusBar: ...

    def addAction(self, action: QAction) -> None: ...
