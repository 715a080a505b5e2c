"""`MainWindow`: first run, unlock, the case list and the open interview, and locking.

State kept while locked is deliberately tiny: the name of who locked, and which interview and
page were open (ids, never answers). Everything else is rebuilt from the vault on unlock.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QMainWindow,
    QStackedWidget,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app import views
from app.i18n import Translations
from app.icons import icon
from app.idle import IdleLock
from app.neutral import HideKey, IdleBanner, NeutralPage
from app.ops import OpContext, OpRunner
from app.page_events import PageEvents
from app.settings import Preferences, cache_dir, vault_exists
from app.style import apply_style
from app.unlock import UnlockPage
from screening.errors import ScreeningError

if TYPE_CHECKING:
    from app.cases.page import CaseListPage
    from app.firstrun import FirstRunPage
    from app.prefs_dialog import SettingsDialog
    from screening.vault import KdfParams, Vault

log = logging.getLogger("screening_desk.window")


class MainWindow(PageEvents, QMainWindow):
    """The whole app in one window. `kdf` is for tests only (cheap Argon2id parameters)."""

    unlocked = Signal()
    locked = Signal()
    interview_opened = Signal(str)

    def __init__(
        self,
        vault_dir: Path,
        settings: QSettings | Preferences | None = None,
        kdf: KdfParams | None = None,
        *,
        cache: Path | None = None,
    ) -> None:
        super().__init__()
        self.vault_dir = Path(vault_dir)
        self.prefs = settings if isinstance(settings, Preferences) else Preferences(settings)
        self.kdf = kdf
        self.translations = Translations(cache or cache_dir())
        self.translations.install(self.prefs.language)
        apply_style(self.prefs.font_size)
        self.runner = OpRunner(self)
        self._vault: Vault | None = None
        self._view: QWidget | None = None
        self._view_id: str | None = None
        self._resume: tuple[str, str | None, str] | None = None  # (interview, page, user)
        self._last_user = ""
        self.setWindowIcon(icon("app"))

        self.pages = QStackedWidget(self)
        self.first_run: FirstRunPage | None = None
        if not vault_exists(self.vault_dir):
            # Imported only when needed: every start after the first goes straight to unlock.
            from app.firstrun import FirstRunPage

            self.first_run = FirstRunPage(self.vault_dir, self.prefs.language, self)
            self.first_run.submitted.connect(self._create)
            self.first_run.language_chosen.connect(self.set_language)
            self.pages.addWidget(self.first_run)
        self.unlock_page = UnlockPage(self.vault_dir, self)
        self.unlock_page.submitted.connect(self._unlock)
        self.work = QStackedWidget(self)
        self._case_list: CaseListPage | None = None  # built at the first unlock
        for page in (self.unlock_page, self.work):
            self.pages.addWidget(page)
        central = QWidget(self)
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self.idle_banner = IdleBanner(central)
        self.idle_banner.hide()
        column.addWidget(self.idle_banner)
        column.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        self._chrome = False  # toolbar, actions, status bar: built at the first unlock

        self.hide_key = HideKey(self)
        # Queued: the key event must finish before the dialogs it came through are closed.
        self.hide_key.pressed.connect(self.quick_hide, Qt.ConnectionType.QueuedConnection)
        self.neutral = NeutralPage(self)
        self.neutral.done.connect(self._leave_neutral)
        self.pages.addWidget(self.neutral)
        self.idle = IdleLock(round(self.prefs.idle_minutes * 60_000), self)
        self.idle.idle.connect(self.lock)
        self.idle.warning.connect(self._idle_warning)
        self.idle.active.connect(self._idle_cleared)
        self.idle_banner.stay.clicked.connect(self.idle.restart)
        # Quit works everywhere, locked or not; closing locks first (closeEvent).
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.quit_action.triggered.connect(self.close)
        self.addAction(self.quit_action)
        geometry = self.prefs.geometry
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1100, 720)
        self.fit_to_screen()
        self._show_locked()
        self.retranslate()

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
        self.enrol_dialog: QWidget | None = None
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

    # ------------------------------------------------------------- public

    @property
    def case_list(self) -> CaseListPage:
        if self._case_list is None:
            from app.cases.page import CaseListPage

            page = CaseListPage(self)
            page.open_requested.connect(self.open_interview)
            self.work.insertWidget(0, page)
            self._case_list = page
        return self._case_list

    @property
    def vault(self) -> Vault | None:
        return self._vault

    @property
    def is_locked(self) -> bool:
        return self._vault is None

    def current_view(self) -> QWidget | None:
        return self._view

    def set_language(self, code: str) -> None:
        self.translations.install(code)
        self.prefs.language = code
        self.prefs.sync()

    def open_interview(self, interview_id: str, page_key: str | None = None) -> QWidget | None:
        """Show one interview: a draft at its questions, a finished one read-only."""
        vault = self._vault
        if vault is None:
            return None
        self._close_view()
        try:
            view = views.interview_workspace(vault, interview_id, self.work, page_key)
        except ScreeningError as exc:
            self.runner.show_failure(exc)
            return None
        view.closed.connect(self.show_cases)  # type: ignore[attr-defined]
        # Completing makes the interview read-only: back to the list, which now shows it so.
        if hasattr(view, "completed"):
            view.completed.connect(self._completed)
        if hasattr(view, "open_other"):
            # Deferred: the signal comes from inside the view that open_interview removes.
            view.open_other.connect(
                lambda other: QTimer.singleShot(0, lambda: self.open_interview(other))
            )
        self._view, self._view_id = view, interview_id
        self.work.addWidget(view)
        self.work.setCurrentWidget(view)
        view.setFocus(Qt.FocusReason.OtherFocusReason)
        self.interview_opened.emit(interview_id)
        return view

    def _completed(self, interview_id: str) -> None:
        self.show_cases()
        # Said where the screener now looks, and kept long enough to read.
        self.statusBar().showMessage(
            self.tr("Interview %1 completed and saved.").replace("%1", interview_id[:8]), 15_000
        )

    def show_cases(self, *_args: object) -> None:
        self._close_view()
        self.work.setCurrentWidget(self.case_list)
        if self._vault is not None:
            self.case_list.refresh()
            self.case_list.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def new_interview(self) -> None:
        vault = self._vault
        if vault is None:
            return
        dialog = views.new_interview_dialog(vault, self.translations.language, self)
        dialog.created.connect(self.open_interview)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def show_settings(self) -> None:
        from app.prefs_dialog import SettingsDialog

        dialog = SettingsDialog(self.prefs, QApplication.font().pointSize(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._apply_settings(dialog))
        dialog.open()

    def show_enrol(self, org_path: Path | None = None, code: str = "") -> None:
        """The enrolment dialog: organisation file and one-time code (admins only)."""
        vault = self._vault
        if vault is None:
            return
        from app.enrol_dialog import EnrolDialog

        dialog = EnrolDialog(vault, self.runner, self, org_path=org_path, code=code)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.enrolled.connect(lambda _device: self._enrolment_changed())
        dialog.finished.connect(lambda _code: setattr(self, "enrol_dialog", None))
        self.enrol_dialog = dialog
        dialog.open()

    def _enrolment_changed(self) -> None:
        self.sync_status.refresh()
        self._show_enrol_action()

    def _show_enrol_action(self) -> None:
        vault = self._vault
        wanted = vault is not None and vault.role == "admin" and not self.sync_status.is_enrolled
        self.enrol_action.setVisible(wanted)
        self.enrol_action.setEnabled(wanted)
        self.fit_toolbar()

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

    def quick_hide(self) -> None:
        """Someone walked in: lock at once and show a screen with nothing on it."""
        self.lock()
        self.pages.setCurrentWidget(self.neutral)
        self.setWindowTitle(" ")
        self.neutral.setFocus(Qt.FocusReason.OtherFocusReason)

    def _leave_neutral(self) -> None:
        self._show_locked()

    def _idle_warning(self, seconds: int) -> None:
        if self._vault is not None:
            self.idle_banner.show_warning(seconds)

    def _idle_cleared(self) -> None:
        self.idle_banner.hide()

    def lock(self) -> None:
        """Close the vault, forget every view, and show the unlock screen."""
        vault = self._vault
        if vault is None:
            return
        self.runner.cancel_all()
        for dialog in self.findChildren(QDialog):
            dialog.reject()
        if self._view is not None and self._view_id is not None:
            page = self._view.page_key() if hasattr(self._view, "page_key") else None
            page = page if isinstance(page, str) else None
            self._resume = (self._view_id, page, vault.user)
        else:
            self._resume = None
        self._close_view()
        if self._case_list is not None:
            self._case_list.clear()
        if self._chrome:
            self.coordinator.clear()
        self._vault = None
        self._last_user = vault.user
        vault.lock()
        log.info("locked")
        self._show_locked()
        self.locked.emit()

    # ------------------------------------------------------------ private

    def _show_locked(self) -> None:
        self.idle.disarm()
        self.hide_key.remove()
        self.idle_banner.hide()
        if self._chrome:
            self.toolbar.hide()
            self.statusBar().hide()
            self.who.clear()
            for action in (self.new_action, self.search_action, self.lock_action, self.hide_action):
                action.setEnabled(False)
            self.enrol_action.setVisible(False)
        if self.first_run is not None and not vault_exists(self.vault_dir):
            self.pages.setCurrentWidget(self.first_run)
            self.first_run.start()
        else:
            self.pages.setCurrentWidget(self.unlock_page)
            self.unlock_page.start(self._last_user)
        self.setWindowTitle(self.tr("Screening Desk — locked"))

    def _close_view(self) -> None:
        view, self._view, self._view_id = self._view, None, None
        if view is not None:
            if hasattr(view, "save_pending"):
                view.save_pending()
            self.work.removeWidget(view)
            view.hide()
            view.deleteLater()

    def _create(self, name: str, passphrase: str) -> None:
        from screening.vault import Vault

        assert self.first_run is not None
        self.first_run.set_busy(True)
        kdf, directory = self.kdf, self.vault_dir
        self.runner.run(
            "create vault",
            lambda ctx: Vault.create(directory, name, passphrase, kdf=kdf),
            on_success=self._opened,
            on_failure=self._create_failed,
            on_finished=lambda: self.first_run and self.first_run.set_busy(False),
        )

    def _create_failed(self, exc: BaseException) -> bool:
        assert self.first_run is not None
        if isinstance(exc, ScreeningError):
            self.first_run.show_error(exc.message)
            return True
        return False

    def _unlock(self, name: str, passphrase: str) -> None:
        self.unlock_page.set_busy(True)
        directory = self.vault_dir

        def work(ctx: OpContext) -> Vault:
            from screening.vault import Vault

            return Vault.unlock(directory, name, passphrase)

        self.runner.run(
            "unlock",
            work,
            on_success=self._opened,
            on_failure=self._unlock_failed,
            on_finished=lambda: self.unlock_page.set_busy(False),
        )

    def _unlock_failed(self, exc: BaseException) -> bool:
        from screening.vault import VaultLockedOut, WrongCredentials

        if isinstance(exc, VaultLockedOut):
            self.unlock_page.start_countdown(exc.retry_after)
        elif isinstance(exc, WrongCredentials):
            self.unlock_page.show_error(self.tr("The user name or passphrase is wrong."))
        elif isinstance(exc, ScreeningError):
            self.unlock_page.show_error(exc.message)
        else:
            return False
        return True

    def _opened(self, vault: Vault) -> None:
        if self.first_run is not None:
            self.first_run.clear_secrets()
        self._vault = vault
        self.prefs.last_vault_dir = self.vault_dir
        self.prefs.sync()
        from app.cases.source import CaseSource

        self.case_list.attach(CaseSource(vault), self.translations.language)
        self.pages.setCurrentWidget(self.work)
        self.work.setCurrentWidget(self.case_list)
        if not self._chrome:
            self._build_chrome()
        self.toolbar.show()
        self.statusBar().show()
        self.fit_toolbar()
        for action in (self.new_action, self.search_action, self.lock_action, self.hide_action):
            action.setEnabled(True)
        self.who.setText(self.tr("Signed in as %1").replace("%1", vault.user))
        self.setWindowTitle(self.tr("Screening Desk"))
        for warning in vault.warnings:
            self.statusBar().showMessage(warning, 15_000)
        # Every page's seal, checked in the background: a damaged vault is reported now (the
        # runner shows the sentence), not whenever a screen happens to read the bad page.
        self.runner.run("integrity check", lambda ctx: vault.verify_pages())
        log.info("unlocked")
        self.idle.arm()
        self.hide_key.install()
        resume, self._resume = self._resume, None
        if resume is not None and resume[2] == vault.user:
            self.open_interview(resume[0], resume[1])
        else:
            self.case_list.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self.coordinator.attach(vault)  # may return a coordinator to the case they had open
        self.sync_status.refresh()
        self._show_enrol_action()  # also fits the toolbar, after the coordinator's actions
        if self.first_run is not None and self.first_run.org_path is not None:
            # Chosen at first run: enrol now that the vault exists (the code travels along).
            org, code = self.first_run.org_path, self.first_run.enrol_code.text().strip()
            self.first_run.org_path = None
            self.first_run.enrol_code.clear()
            self.show_enrol(org, code)
        self.unlocked.emit()

    def _search(self) -> None:
        if self._vault is not None:
            self.show_cases()
            self.case_list.focus_search()

    def _apply_settings(self, dialog: SettingsDialog) -> None:
        dialog.store(self.prefs)
        self.translations.install(self.prefs.language)
        apply_style(self.prefs.font_size)
        self.fit_toolbar()
        self.idle.set_timeout(round(self.prefs.idle_minutes * 60_000))

    # -------------------------------------------------------------- Qt

    def closeEvent(self, event: QCloseEvent) -> None:
        self.prefs.geometry = self.saveGeometry()
        self.prefs.sync()
        self.lock()
        self.runner.cancel_all()
        self.runner.wait(10_000)
        self.idle.remove()
        self.hide_key.remove()
        self.translations.uninstall()
        super().closeEvent(event)

    def retranslate(self) -> None:
        self.neutral.retranslate()
        self.idle_banner.retranslate()
        if not self._chrome:
            self.quit_action.setText(self.tr("Quit"))
            self.setWindowTitle(self.tr("Screening Desk — locked"))
            return
        texts = (
            (self.new_action, self.tr("New interview"), "Ctrl+N"),
            (self.search_action, self.tr("Search"), "Ctrl+F"),
            (self.sync_action, self.tr("Sync"), None),
            (self.settings_action, self.tr("Settings"), "Ctrl+,"),
            (self.lock_action, self.tr("Lock"), "Ctrl+L"),
            (self.hide_action, self.tr("Hide now"), "F12"),
            (self.enrol_action, self.tr("Enrol this laptop…"), None),
        )
        for action, text, keys in texts:
            action.setText(text)
            action.setToolTip(f"{text} ({keys})" if keys else text)
        self.sync_status.retranslate()
        self.coordinator.retranslate()
        self.quit_action.setText(self.tr("Quit"))
        self.toolbar.setAccessibleName(self.tr("Main actions"))
        self.toolbar.setWindowTitle(self.tr("Main actions"))
        self.who.setAccessibleName(self.tr("Signed-in user"))
        if self._vault is None:
            self.setWindowTitle(self.tr("Screening Desk — locked"))
        else:
            self.setWindowTitle(self.tr("Screening Desk"))
            self.who.setText(self.tr("Signed in as %1").replace("%1", self._vault.user))
