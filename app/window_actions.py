"""What the main window's toolbar actions open: a new interview, the search, the settings and
the enrolment dialog (and when Enrol this laptop is offered).

A mixin of `MainWindow`, on top of its chrome (`app/window_chrome.py`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app import views
from app.style import apply_style
from app.window_chrome import WindowChrome

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from app.cases.page import CaseListPage
    from app.i18n import Translations
    from app.idle import IdleLock
    from app.ops import OpRunner
    from app.prefs_dialog import SettingsDialog
    from app.settings import Preferences


class WindowActions(WindowChrome):
    # What the mixin uses of `MainWindow` besides its chrome (named here, not imported: the
    # window imports this module, so importing the window back would make a cycle).
    prefs: Preferences
    translations: Translations
    runner: OpRunner
    idle: IdleLock
    case_list: CaseListPage

    if TYPE_CHECKING:

        def open_interview(
            self, interview_id: str, page_key: str | None = None
        ) -> QWidget | None: ...
        def show_cases(self, *_args: object) -> None: ...

    def new_interview(self) -> None:
        vault = self._vault
        if vault is None:
            return
        dialog = views.new_interview_dialog(vault, self.translations.language, self)
        dialog.created.connect(self.open_interview)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _search(self) -> None:
        if self._vault is not None:
            self.show_cases()
            self.case_list.focus_search()

    def show_settings(self) -> None:
        from app.prefs_dialog import SettingsDialog

        dialog = SettingsDialog(self.prefs, QApplication.font().pointSize(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._apply_settings(dialog))
        dialog.open()

    def _apply_settings(self, dialog: SettingsDialog) -> None:
        dialog.store(self.prefs)
        self.translations.install(self.prefs.language)
        apply_style(self.prefs.font_size)
        self.fit_toolbar()
        self.idle.set_timeout(round(self.prefs.idle_minutes * 60_000))

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
