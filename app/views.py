"""Where the window meets the interview-side views (app/interview, app/outcome).

The main window never constructs those views itself: it calls the factories below, the only
place that knows their constructors, so a change there is a change here and nowhere else
(docs/app.md describes the contract).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from screening.errors import ScreeningError

__all__ = [
    "interview_workspace",
    "new_interview_dialog",
]

if TYPE_CHECKING:
    from app.interview import InterviewWorkspace, NewInterviewDialog
    from screening.vault import Vault


def interview_workspace(
    vault: Vault, interview_id: str, parent: QWidget, start_page: str | None = None
) -> InterviewWorkspace:
    """One interview: `InterviewWorkspace` opens a draft at its questions (at `start_page`
    when given) and a completed or stopped one at its read-only outcome.

    Raises ScreeningError when the interview or its questionnaire is not available.
    """
    from app.interview import InterviewWorkspace  # built on first use: keeps start-up fast

    try:
        return InterviewWorkspace(vault, interview_id, parent, start_page=start_page)
    except LookupError as exc:  # FormNotAvailable: its message is meant for the screener
        raise ScreeningError(str(exc)) from None


def new_interview_dialog(
    vault: Vault, screener_language: str, parent: QWidget
) -> NewInterviewDialog:
    """The new-interview dialog; it creates the draft itself and emits `created(str)`."""
    from app.interview import NewInterviewDialog

    return NewInterviewDialog(vault, screener_language, parent)
