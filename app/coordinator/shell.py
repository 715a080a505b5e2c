"""Where the coordinator workspace meets `MainWindow`: the toolbar action and role gating.

The window makes one `CoordinatorShell` when it builds its toolbar and tells it when the
vault opens (`attach`), when it locks (`clear`) and when the language changes
(`retranslate`). The "Received interviews" action exists for every user but is hidden and
disabled unless the unlocked user is a coordinator or an admin; for a screener no
workspace is ever built. Locking deletes the workspace with every row and case it showed;
only the open case's id is remembered (memory only), to return to it after unlocking.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence

from app.coordinator.icon import received_icon
from app.icons import icon
from app.roles import can_review

if TYPE_CHECKING:
    from app.coordinator.conflicts_dialog import HeldConflictsDialog
    from app.coordinator.export_dialog import ExportDialog
    from app.coordinator.workspace import CoordinatorWorkspace
    from app.window_host import WindowHost
    from screening.vault import Vault

log = logging.getLogger("screening_desk.coordinator")
SHORTCUT = "Ctrl+R"


class CoordinatorShell(QObject):
    def __init__(self, window: WindowHost) -> None:
        super().__init__(window)
        self.window = window
        self.workspace: CoordinatorWorkspace | None = None
        self._resume: tuple[str, str | None] | None = None  # (user, open case id)
        self.action = QAction(received_icon(), "", window)
        self.action.setCheckable(True)
        self.action.setShortcut(QKeySequence(SHORTCUT))
        self.action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.action.triggered.connect(self._triggered)
        window.toolbar.addAction(self.action)
        window.addAction(self.action)  # the shortcut works while the toolbar is hidden
        # "Export…", beside it: the anonymised export dialog (app/coordinator/export_dialog.py).
        self.export_action = QAction(icon("export"), "", window)
        self.export_action.triggered.connect(self.open_export)
        window.toolbar.addAction(self.export_action)
        self.export_dialog: ExportDialog | None = None
        # "Held conflicts…": updates held back because both copies changed (conflicts_dialog.py).
        self.conflicts_action = QAction(icon("conflicts"), "", window)
        self.conflicts_action.triggered.connect(self.open_conflicts)
        window.toolbar.addAction(self.conflicts_action)
        self.conflicts_dialog: HeldConflictsDialog | None = None
        window.work.currentChanged.connect(self._sync_checked)
        self._allow(False)
        self.retranslate()

    # ------------------------------------------------------------- window

    def attach(self, vault: Vault) -> None:
        """The vault is open: offer the action to coordinators and admins only."""
        allowed = can_review(vault)
        self._allow(allowed)
        resume, self._resume = self._resume, None
        if allowed and resume is not None and resume[0] == vault.user:
            self.show()
            if resume[1] is not None and self.workspace is not None:
                self.workspace.open_case(resume[1])

    def clear(self) -> None:
        """Locking: remember where we were (ids only), then drop the workspace entirely."""
        dialog, self.export_dialog = self.export_dialog, None
        if dialog is not None:
            dialog.shutdown()
            dialog.hide()
            dialog.deleteLater()
        conflicts, self.conflicts_dialog = self.conflicts_dialog, None
        if conflicts is not None:  # both copies' answers leave the screen with the lock
            conflicts.hide()
            conflicts.deleteLater()
        workspace, self.workspace = self.workspace, None
        vault = self.window.vault
        if workspace is not None:
            shown = self.window.work.currentWidget() is workspace
            if shown and vault is not None:
                self._resume = (vault.user, workspace.current_case)
            workspace.clear()
            self.window.work.removeWidget(workspace)
            workspace.hide()
            workspace.deleteLater()
        self._allow(False)

    def show(self) -> None:
        """Show the received interviews (refreshed) — for coordinators and admins only."""
        vault = self.window.vault
        if vault is None or not can_review(vault):
            self._sync_checked()
            return
        if self.window.current_view() is not None:
            self.window.show_cases()  # the open interview saves and closes, as on any exit
        if self.workspace is None:
            window = self.window
            from app.coordinator.workspace import CoordinatorWorkspace  # first use: fast start-up

            workspace = CoordinatorWorkspace(
                vault, window.runner, lambda: window.translations.language, window.work
            )
            workspace.closed.connect(self.window.show_cases)
            self.window.work.addWidget(workspace)
            self.workspace = workspace
        elif self.window.work.currentWidget() is not self.workspace:
            self.workspace.refresh()
        self.window.work.setCurrentWidget(self.workspace)
        if self.workspace.current_case is None:
            self.workspace.show_list()
        log.info("received interviews shown")

    def open_export(self) -> ExportDialog | None:
        """The export dialog (one at a time) — for coordinators and admins only."""
        vault = self.window.vault
        if vault is None or not can_review(vault):
            return None
        if self.export_dialog is None:
            from app.coordinator.export_dialog import ExportDialog

            self.export_dialog = ExportDialog(vault, self.window.runner, self.window)
        self.export_dialog.open()  # window-modal, no nested event loop
        self.export_dialog.raise_()
        self.export_dialog.activateWindow()
        log.info("export dialog shown")
        return self.export_dialog

    def open_conflicts(self) -> HeldConflictsDialog | None:
        """The held conflicts (one dialog at a time) — for coordinators and admins only."""
        vault = self.window.vault
        if vault is None or not can_review(vault):
            return None
        if self.conflicts_dialog is None:
            from app.coordinator.conflicts_dialog import HeldConflictsDialog

            dialog = HeldConflictsDialog(
                vault, self.window.runner, self.window.translations.language, self.window
            )
            dialog.finished.connect(lambda _code: self._conflicts_closed(dialog))
            self.conflicts_dialog = dialog
        self.conflicts_dialog.open()
        self.conflicts_dialog.raise_()
        log.info("held conflicts shown")
        return self.conflicts_dialog

    def _conflicts_closed(self, dialog: HeldConflictsDialog) -> None:
        if self.conflicts_dialog is dialog:
            self.conflicts_dialog = None
            dialog.deleteLater()
        if self.workspace is not None:
            self.workspace.refresh()  # a copy taken from a laptop changes the list

    def retranslate(self) -> None:
        conflicts = self.tr("Held conflicts…")
        self.conflicts_action.setText(conflicts)
        self.conflicts_action.setToolTip(self.tr("Interviews changed both here and on a laptop"))
        self.conflicts_action.setStatusTip(
            self.tr("Compare two copies of an interview and choose the one to keep")
        )
        export = self.tr("Export…")
        self.export_action.setText(export)
        self.export_action.setToolTip(self.tr("Export anonymised data"))
        self.export_action.setStatusTip(
            self.tr("Anonymised statistics as CSV, XLSX, HTCDS JSON or a PDF report")
        )
        if self.export_dialog is not None:
            self.export_dialog.retranslate()
        text = self.tr("Received interviews")
        self.action.setText(text)
        self.action.setToolTip(f"{text} ({SHORTCUT})")
        self.action.setStatusTip(self.tr("Interviews sent by the screeners' laptops, for review"))

    # ------------------------------------------------------------ private

    def _allow(self, allowed: bool) -> None:
        for action in (self.action, self.export_action, self.conflicts_action):
            action.setVisible(allowed)
            action.setEnabled(allowed)
        if not allowed:
            self.action.setChecked(False)

    def _triggered(self) -> None:
        if self.workspace is not None and self.window.work.currentWidget() is self.workspace:
            self.window.show_cases()  # pressed again: back to the case list
        else:
            self.show()

    def _sync_checked(self, *_args: object) -> None:
        shown = self.workspace is not None and self.window.work.currentWidget() is self.workspace
        self.action.setChecked(shown)
