"""Where the window meets the interview-side views (app/interview, app/outcome).

The main window never imports those packages directly: it calls the two factories below.
They are the only place that knows the other views' constructors, so a change there is a
change here and nowhere else (docs/app.md describes the contract). While a package is not
installed, a plain placeholder keeps the window usable and says what is missing.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from screening.errors import ScreeningError

if TYPE_CHECKING:
    from screening.vault import Vault

log = logging.getLogger("screening_desk.views")


class Placeholder(QWidget):
    """Stands in for a view whose package is not installed yet; offers the way back."""

    closed = Signal()
    completed = Signal()

    def __init__(self, what: str, interview_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.interview_id = interview_id
        text = QLabel(what, self)
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.setAccessibleName(what)
        back = QPushButton(QCoreApplication.translate("views", "Back to the case list"), self)
        back.setAccessibleName(QCoreApplication.translate("views", "Back to the case list"))
        back.clicked.connect(self.closed)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(text)
        layout.addWidget(back, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(1)


def interview_workspace(
    vault: Vault, interview_id: str, parent: QWidget, start_page: str | None = None
) -> QWidget:
    """One interview: `InterviewWorkspace` opens a draft at its questions (at `start_page`
    when given) and a completed or stopped one at its read-only outcome.

    Raises ScreeningError when the interview or its questionnaire is not available.
    """
    try:
        from app.interview import InterviewWorkspace
    except ImportError:
        log.warning("the interview view is not installed")
        return Placeholder(
            QCoreApplication.translate("views", "The interview view is not installed."),
            interview_id,
            parent,
        )
    try:
        return InterviewWorkspace(vault, interview_id, parent, start_page=start_page)
    except LookupError as exc:  # FormNotAvailable: its message is meant for the screener
        raise ScreeningError(str(exc)) from None


def new_interview_dialog(vault: Vault, screener_language: str, parent: QWidget) -> Any | None:
    """The new-interview dialog, or None when it is not installed.

    The dialog creates the draft itself and emits `created(str)` with its id.
    """
    try:
        from app.interview import NewInterviewDialog
    except ImportError:
        log.warning("the new-interview dialog is not installed")
        return None
    return NewInterviewDialog(vault, screener_language, parent)


REVIEW_ROLES = ("coordinator", "admin")


def can_review(vault: Vault) -> bool:
    """Received interviews are for coordinators and admins; a screener never sees them."""
    return getattr(vault, "role", None) in REVIEW_ROLES


def coordinator_workspace(vault: Vault, runner: Any, ui_language: Any, parent: QWidget) -> QWidget:
    """The coordinator's received interviews and case pages (`app.coordinator`).

    Raises PermissionDenied for any role but coordinator and admin.
    """
    from app.coordinator.workspace import CoordinatorWorkspace

    return CoordinatorWorkspace(vault, runner, ui_language, parent)
