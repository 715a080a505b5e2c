"""One interview on screen, from the first question to the read-only outcome.

Opens whatever the record needs: a draft at its questions (or at `start_page`), a completed or
stopped interview at its outcome, read-only. The shell needs only this widget, its signals,
`current_page()` (to keep across a lock) and `flush()` (to call before locking).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QStackedWidget, QWidget

from app.interview.forms import compiled_form
from app.interview.view import InterviewView
from app.outcome.view import OutcomeView
from screening.vault import Vault


class InterviewWorkspace(QStackedWidget):
    closed = Signal()  # paused or closed: back to the case list
    completed = Signal(str)
    stopped = Signal(str)
    page_changed = Signal(str)
    open_other = Signal(str)  # another interview takes over (the child interview)

    def __init__(
        self,
        vault: Vault,
        interview_id: str,
        parent: QWidget | None = None,
        *,
        start_page: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.vault = vault
        self.interview_id = interview_id
        record = vault.get_interview(interview_id)
        # FormNotAvailable propagates: the shell says the questionnaire is not installed.
        self.form = compiled_form(
            record.form_id, record.form_version, vault=vault, form_hash=record.form_hash
        )
        self.interviewee = record.language
        self.screener = record.screener_language or record.language
        self.interview_view: InterviewView | None = None
        self.outcome_view: OutcomeView | None = None
        self._last_page = start_page
        if record.status == "draft":
            self._show_questions(start_page)
        else:
            self._show_outcome(read_only=True)

    def current_page(self) -> str | None:
        if self.interview_view is not None:
            return self.interview_view.current_page()
        return self._last_page

    def flush(self) -> bool:
        return self.interview_view.flush() if self.interview_view is not None else True

    def page_key(self) -> str | None:
        return self.current_page()

    def show_page(self, key: str) -> bool:
        return self.interview_view.go_to(key) if self.interview_view is not None else False

    def save_pending(self) -> bool:
        return self.flush()

    def _replace(self, widget: QWidget) -> None:
        old = self.currentWidget()
        self.addWidget(widget)
        self.setCurrentWidget(widget)
        # The shell focuses the workspace; the proxy hands that on to the question's input.
        self.setFocusProxy(widget)
        if old is not None:
            self.removeWidget(old)
            old.deleteLater()
        widget.setFocus()  # each view passes focus on to its own first control

    def _show_questions(self, start_page: str | None) -> None:
        view = InterviewView(
            self.vault,
            self.interview_id,
            self.form,
            self.screener,
            self.interviewee,
            # A draft reopened from the case list: the page it was left at, as stored (the
            # view falls back to the furthest answer when that page is no longer shown).
            start_page=start_page or self._stored_page(),
        )
        view.closed.connect(self.closed)
        view.completed.connect(lambda _: self._show_outcome(read_only=False))
        view.stopped.connect(self._stopped)
        view.page_changed.connect(self._page_changed)
        view.continued.connect(self.open_other)
        self.outcome_view = None
        self.interview_view = view
        self._replace(view)
        current = view.current_page()
        if current:
            self._page_changed(current)

    def _show_outcome(self, *, read_only: bool) -> None:
        if self.interview_view is not None:
            self.interview_view.flush()
        view = OutcomeView(self.vault, self.interview_id, self.form, self.screener, read_only)
        view.back_requested.connect(lambda: self._show_questions(self._last_page))
        view.completed.connect(self.completed)
        view.closed.connect(self.closed)
        self.interview_view = None
        self.outcome_view = view
        self._replace(view)

    def _stored_page(self) -> str | None:
        return self.vault.get_interview(self.interview_id).resume_page

    def _page_changed(self, key: str) -> None:
        self._last_page = key
        if self.interview_view is not None:
            # Stored with the repeat entry counts, so closing (or a crash) and reopening
            # shows this page, with empty entries kept.
            self.interview_view.recorder.remember_page(key)
        self.page_changed.emit(key)

    def _stopped(self, interview_id: str) -> None:
        self._show_outcome(read_only=True)
        self.stopped.emit(interview_id)
