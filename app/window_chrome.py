"""The main window's chrome: the toolbar, its actions and the status bar (built at the first
unlock), the window fitted to the screen and the toolbar to the window, and their texts.

A mixin of `MainWindow`, kept apart so that the window itself stays about which page shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence, QResizeEvent
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QToolBar, QToolButton, QWidget

from app.icons import icon

if TYPE_CHECKING:
    from pathlib import Path

    from app.coordinator.shell import CoordinatorShell
    from app.neutral import IdleBanner, NeutralPage
    from app.sync_status import SyncStatus
    from screening.vault import Vault

    _Base = QMainWindow
else:
    _Base = object


class WindowChrome(_Base):
    # Strings keep the "MainWindow" context by name: lupdate would file `self.tr` here under
    # this mixin's name, while Qt looks them up under the window's.

    # What the mixin uses of `MainWindow` (named here, not imported: the window imports this
    # module, so importing the window back would make a cycle).
    _vault: Vault | None
    _chrome: bool
    neutral: NeutralPage
    idle_banner: IdleBanner
    quit_action: QAction
    who: QLabel
    toolbar: QToolBar
    new_action: QAction
    search_action: QAction
    sync_action: QAction
    settings_action: QAction
    lock_action: QAction
    hide_action: QAction
    enrol_action: QAction
    enrol_dialog: QWidget | None
    coordinator: CoordinatorShell
    sync_status: SyncStatus

    if TYPE_CHECKING:

        def new_interview(self) -> None: ...
        def _search(self) -> None: ...
        def show_settings(self) -> None: ...
        def show_enrol(self, org_path: Path | None = None, code: str = "") -> None: ...
        def lock(self) -> None: ...
        def quick_hide(self) -> None: ...

    def _build_chrome(self) -> None:
        # Deferred: nothing here is visible or usable while locked, and building it costs
        # start-up time before the unlock screen appears.
        self._chrome = True
        self.who = QLabel(self)
        self.statusBar().addPermanentWidget(self.who)
        self.toolbar = QToolBar(self)
        self.toolbar.setObjectName("main")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.addToolBar(self.toolbar)
        self.new_action = self._action("new", QKeySequence.StandardKey.New, self.new_interview)
        self.search_action = self._action("search", QKeySequence.StandardKey.Find, self._search)
        from app.coordinator.shell import CoordinatorShell

        # "Received interviews", shown to coordinators and admins only (app/coordinator/).
        self.coordinator = CoordinatorShell(self)
        self.sync_action = self._action("sync", None, lambda: None)
        from app.sync_status import SyncStatus

        self.sync_status = SyncStatus(self, self.sync_action)  # status line, Sync now, timer
        self.toolbar.addSeparator()
        self.settings_action = self._action("settings", "Ctrl+,", self.show_settings)
        self.lock_action = self._action("lock", "Ctrl+L", self.lock)
        # The key itself is caught by `hide_key` (from anywhere, a dialog included); the
        # action carries the toolbar button and shows F12 in its tool tip.
        self.hide_action = self._action("hide", None, self.quick_hide)
        self.enrol_action = QAction(icon("sync"), "", self)
        self.enrol_action.triggered.connect(lambda: self.show_enrol())
        self.toolbar.insertAction(self.settings_action, self.enrol_action)
        self.enrol_dialog = None
        self.retranslate()

    def _action(self, name: str, keys: Any, slot: Any) -> QAction:
        action = QAction(icon(name), "", self)
        if keys is not None:
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        self.toolbar.addAction(action)
        self.addAction(action)  # shortcuts work even while the toolbar is hidden
        return action

    def fit_to_screen(self) -> None:
        """Never larger than the screen's free area: a netbook has 1024x600 or less."""
        screen = self.screen() or QApplication.primaryScreen()
        if screen is None:
            return
        free = screen.availableGeometry()
        frame = self.frameGeometry().size() - self.geometry().size()
        width = min(self.width(), free.width() - frame.width())
        height = min(self.height(), free.height() - max(frame.height(), 0))
        if (width, height) != (self.width(), self.height()):
            self.resize(max(width, 320), max(height, 240))

    def fit_toolbar(self) -> None:
        """Text beside the icons while they fit; on a narrow window the less urgent actions
        drop to icons (text in their tool tips) one by one, so that New interview, Lock and
        Hide now keep their words and never fall off the end of the toolbar."""
        if not self._chrome:
            return
        wide = Qt.ToolButtonStyle.ToolButtonTextBesideIcon
        self.toolbar.setToolButtonStyle(wide)
        for button in self.toolbar.findChildren(QToolButton):
            button.setToolButtonStyle(wide)
        self.toolbar.layout().invalidate()
        # Least used first: the coordinator's occasional actions give up their words before
        # the screener's daily ones.
        collapsible = (
            self.coordinator.conflicts_action,
            self.coordinator.export_action,
            self.enrol_action,
            self.settings_action,
            self.sync_action,
            self.search_action,
            self.coordinator.action,
            self.new_action,
        )
        for action in collapsible:
            if self.toolbar.sizeHint().width() <= self.width():
                return
            button = self.toolbar.widgetForAction(action)
            if isinstance(button, QToolButton):
                button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
                self.toolbar.layout().invalidate()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_toolbar()

    def retranslate(self) -> None:
        self.neutral.retranslate()
        self.idle_banner.retranslate()
        if not self._chrome:
            self.quit_action.setText(QCoreApplication.translate("MainWindow", "Quit"))
            self.setWindowTitle(QCoreApplication.translate("MainWindow", "Screening Desk — locked"))
            return
        texts = (
            (self.new_action, QCoreApplication.translate("MainWindow", "New interview"), "Ctrl+N"),
            (self.search_action, QCoreApplication.translate("MainWindow", "Search"), "Ctrl+F"),
            (self.sync_action, QCoreApplication.translate("MainWindow", "Sync"), None),
            (self.settings_action, QCoreApplication.translate("MainWindow", "Settings"), "Ctrl+,"),
            (self.lock_action, QCoreApplication.translate("MainWindow", "Lock"), "Ctrl+L"),
            (self.hide_action, QCoreApplication.translate("MainWindow", "Hide now"), "F12"),
            (
                self.enrol_action,
                QCoreApplication.translate("MainWindow", "Enrol this laptop…"),
                None,
            ),
        )
        for action, text, keys in texts:
            action.setText(text)
            action.setToolTip(f"{text} ({keys})" if keys else text)
        self.sync_status.retranslate()
        self.coordinator.retranslate()
        self.quit_action.setText(QCoreApplication.translate("MainWindow", "Quit"))
        self.toolbar.setAccessibleName(QCoreApplication.translate("MainWindow", "Main actions"))
        self.toolbar.setWindowTitle(QCoreApplication.translate("MainWindow", "Main actions"))
        self.who.setAccessibleName(QCoreApplication.translate("MainWindow", "Signed-in user"))
        if self._vault is None:
            self.setWindowTitle(QCoreApplication.translate("MainWindow", "Screening Desk — locked"))
        else:
            self.setWindowTitle(QCoreApplication.translate("MainWindow", "Screening Desk"))
            self.who.setText(
                QCoreApplication.translate("MainWindow", "Signed in as %1").replace(
                    "%1", self._vault.user
                )
            )
