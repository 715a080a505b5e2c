"""`MainWindow`: first run, unlock, the case list and the open interview, and locking.

The window is built from mixins, lowest first: its chrome (`app/window_chrome.py`: toolbar,
status bar, fitting to the screen), what the toolbar's actions open (`app/window_actions.py`),
and locking and unlocking (`app/window_lock.py`). This module holds what they share: the
pages, which view shows, and closing.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from app import views
from app.i18n import Translations
from app.icons import icon
from app.idle import IdleLock
from app.neutral import HideKey, IdleBanner, NeutralPage
from app.ops import OpRunner
from app.page_events import PageEvents
from app.settings import Preferences, cache_dir, vault_exists
from app.style import apply_style
from app.unlock import UnlockPage
from app.window_lock import WindowLocking
from screening.errors import ScreeningError

if TYPE_CHECKING:
    from app.cases.page import CaseListPage
    from app.firstrun import FirstRunPage
    from screening.vault import KdfParams, Vault


class MainWindow(WindowLocking, PageEvents, QMainWindow):
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

    # ------------------------------------------------------------ private

    def _close_view(self) -> None:
        view, self._view, self._view_id = self._view, None, None
        if view is not None:
            if hasattr(view, "save_pending"):
                view.save_pending()
            self.work.removeWidget(view)
            view.hide()
            view.deleteLater()

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
