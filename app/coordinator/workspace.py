"""`CoordinatorWorkspace`: the received-interviews list and, on Enter, one case for review.

Only coordinators and admins get one (the constructor refuses anyone else, behind the
window's own check). Every vault read that can take longer than a frame runs on the
operation runner: the list's queries, the form and centre names, and loading a case with its
audit trail. Opening a case for the first time records a `case_viewed` audit row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QStackedWidget, QWidget

from app.coordinator.casedata import CaseData, load_case
from app.coordinator.casepage import CasePage
from app.coordinator.listpage import ReceivedPage
from app.coordinator.model import ReceivedModel
from app.coordinator.source import Choices, ReceivedSource
from app.roles import REVIEW_ROLES

if TYPE_CHECKING:
    from app.ops import OpContext, OpRunner
    from screening.vault import Vault


class CoordinatorWorkspace(QStackedWidget):
    closed = Signal()  # Esc on the list: back to the window's case list
    case_opened = Signal(str)  # a case page has its data on screen
    case_closed = Signal()

    def __init__(
        self,
        vault: Vault,
        runner: OpRunner,
        ui_language: Callable[[], str],
        parent: QWidget | None = None,
    ) -> None:
        if vault.role not in REVIEW_ROLES:
            from screening.vault import PermissionDenied

            raise PermissionDenied("Only coordinators and admins can review received interviews.")
        super().__init__(parent)
        self.setObjectName("coordinatorWorkspace")
        self.vault = vault
        self.runner = runner
        self._ui_language = ui_language
        self._language: str | None = None  # the answers' language the coordinator chose
        self._case: str | None = None
        self._generation = 0
        self._closed = False
        self._viewed: set[str] = set()  # cases whose opening is already audited this session
        self.source = ReceivedSource(vault)
        self.model = ReceivedModel(runner, self)
        self.list_page = ReceivedPage(self.model, self)
        self.case_page = CasePage(self)
        self.addWidget(self.list_page)
        self.addWidget(self.case_page)
        self.list_page.open_requested.connect(self.open_case)
        self.list_page.closed.connect(self.closed)
        self.case_page.back_requested.connect(self.show_list)
        self.case_page.language_chosen.connect(self._language_chosen)
        self.case_page.referrals_requested.connect(self.show_referrals)
        self.referrals_dialog: QWidget | None = None
        self.model.attach(self.source)
        self.load_choices()

    # ---------------------------------------------------------------- public

    @property
    def current_case(self) -> str | None:
        return self._case

    def refresh(self) -> None:
        """Read the list again (new interviews may have arrived by sync)."""
        if not self._closed:
            self.model.refresh()
            self.load_choices()

    def load_choices(self) -> None:
        source = self.source

        def work(ctx: OpContext) -> Choices:
            return source.choices()

        self.runner.run(
            "received choices",
            work,
            on_success=self._choices_arrived,
            on_failure=lambda exc: self._closed,
        )

    def open_case(self, interview_id: str, *, keep_focus: bool = False) -> None:
        """Show one case; its data is read on the runner while the page says so."""
        if self._closed:
            return
        self._case = interview_id
        self._generation += 1
        generation = self._generation
        self.case_page.show_loading(interview_id)
        self.setCurrentWidget(self.case_page)
        if not keep_focus:
            self.case_page.back.setFocus(Qt.FocusReason.OtherFocusReason)
        vault = self.vault
        language = self._language or self._ui_language()
        first = interview_id not in self._viewed
        self._viewed.add(interview_id)

        def work(ctx: OpContext) -> CaseData:
            return load_case(vault, interview_id, language, record_view=first)

        self.runner.run(
            "open case",
            work,
            on_success=lambda data: self._case_arrived(generation, data, keep_focus),
            on_failure=lambda exc: self._case_failed(generation),
        )

    def show_referrals(self, interview_id: str) -> None:
        """The case's referrals in a dialog (window-modal, no nested event loop)."""
        from app.coordinator.referrals_dialog import ReferralsDialog
        from screening.referrals import Referrals

        record = self.vault.get_interview(interview_id)
        dialog = ReferralsDialog(
            Referrals(self.vault), interview_id, self._ui_language(), record.language, self
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _code: setattr(self, "referrals_dialog", None))
        self.referrals_dialog = dialog
        dialog.open()

    def show_list(self) -> None:
        """Back from a case: its answers leave the screen and memory; the row stays selected."""
        self._generation += 1
        self._case = None
        self.case_page.clear()
        self.setCurrentWidget(self.list_page)
        self.list_page.focus_table()
        self.case_closed.emit()

    def clear(self) -> None:
        """Forget everything (on lock). Operations still running report to nobody."""
        self._closed = True
        self._generation += 1
        self._case = None
        self._viewed.clear()
        self.case_page.clear()
        self.list_page.clear()

    # --------------------------------------------------------------- private

    def _choices_arrived(self, choices: Choices) -> None:
        if not self._closed:
            self.list_page.set_choices(choices)

    def _case_arrived(self, generation: int, data: CaseData, keep_focus: bool) -> None:
        if self._closed or generation != self._generation:
            data.forget()
            return
        self.case_page.show_case(data, focus=not keep_focus)
        self.case_opened.emit(data.record.id)

    def _case_failed(self, generation: int) -> bool:
        if self._closed or generation != self._generation:
            return True  # nobody is waiting for it
        self.case_page.show_failure()
        return False  # the runner shows the sentence

    def _language_chosen(self, code: str) -> None:
        self._language = code
        if self._case is not None:
            self.open_case(self._case, keep_focus=True)
