"""The workspace takes one interview from questions to outcome and back, keeping its place."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.interview import InterviewWorkspace
from tests.app.interview.support import RAPID_VALUES, focused, new_interview, press, show


def test_outcome_and_back_to_the_questions(qtbot, vault, rapid):
    interview = new_interview(vault, rapid)
    for key, value in RAPID_VALUES.items():
        vault.save_answer(interview, key, value)
    workspace = InterviewWorkspace(vault, interview)
    show(qtbot, workspace)
    pages: list[str] = []
    workspace.page_changed.connect(pages.append)
    assert workspace.current_page() == "refer_full_screening"  # resumes after the last answer
    press(qtbot, Qt.Key.Key_Return)
    assert workspace.outcome_view is not None and workspace.interview_view is None
    assert workspace.page_key() == "refer_full_screening", "kept for a lock while on the outcome"
    qtbot.mouseClick(workspace.outcome_view.back_button, Qt.MouseButton.LeftButton)
    assert workspace.interview_view is not None
    assert workspace.current_page() == "refer_full_screening"
    assert pages[-1] == "refer_full_screening"
    assert workspace.show_page("age")
    assert workspace.current_page() == "age"
    assert workspace.save_pending()


def test_focusing_the_workspace_lands_on_the_question(qtbot, vault, rapid):
    interview = new_interview(vault, rapid)
    workspace = InterviewWorkspace(vault, interview)
    show(qtbot, workspace)
    workspace.clearFocus()
    workspace.setFocus()  # what the shell's window does after opening it
    assert workspace.interview_view.blocks["consent"].isAncestorOf(focused())
    press(qtbot, Qt.Key.Key_1)
    assert vault.answers(interview)["consent"] == ("yes", None)
