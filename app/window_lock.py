"""Locking and unlocking the main window: the first run's new vault, the unlock page, locking
(by hand, when idle, on closing) and Hide now.

A mixin of `MainWindow`, on top of its actions (`app/window_actions.py`). What survives a lock
is deliberately tiny: the name of who locked, and which interview and page were open (ids,
never answers). Everything else is rebuilt from the vault on unlock.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QDialog

from app.ops import OpContext
from app.settings import vault_exists
from app.window_actions import WindowActions
from screening.errors import ScreeningError

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance
    from PySide6.QtWidgets import QStackedWidget, QWidget

    from app.cases.page import CaseListPage
    from app.firstrun import FirstRunPage
    from app.neutral import HideKey
    from app.unlock import UnlockPage
    from screening.vault import KdfParams, Vault

log = logging.getLogger("screening_desk.window")


class WindowLocking(WindowActions):
    # Strings keep the "MainWindow" context by name: lupdate would file `self.tr` here under
    # this mixin's name, while Qt looks them up under the window's.

    # What the mixin uses of `MainWindow` besides its chrome and actions (named here, not
    # imported: the window imports this module, so importing the window back would make a
    # cycle).
    unlocked: SignalInstance
    locked: SignalInstance
    vault_dir: Path
    kdf: KdfParams | None
    pages: QStackedWidget
    work: QStackedWidget
    first_run: FirstRunPage | None
    unlock_page: UnlockPage
    hide_key: HideKey
    _case_list: CaseListPage | None
    _view: QWidget | None
    _view_id: str | None
    _resume: tuple[str, str | None, str] | None  # (interview, page, user)
    _last_user: str

    if TYPE_CHECKING:

        def _close_view(self) -> None: ...

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
        self.setWindowTitle(QCoreApplication.translate("MainWindow", "Screening Desk — locked"))

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
            self.unlock_page.show_error(
                QCoreApplication.translate("MainWindow", "The user name or passphrase is wrong.")
            )
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
        self.who.setText(
            QCoreApplication.translate("MainWindow", "Signed in as %1").replace("%1", vault.user)
        )
        self.setWindowTitle(QCoreApplication.translate("MainWindow", "Screening Desk"))
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
