"""Drafts resume exactly where they stopped, with every answer, after closing or locking."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from app.interview import InterviewWorkspace
from app.interview.view import InterviewView
from screening.vault import Vault
from tests.app.interview.support import (
    PASSPHRASE,
    RAPID_KEYS,
    RAPID_VALUES,
    USER,
    new_interview,
    press,
    show,
    type_keys,
)


def _answer(qtbot, view: InterviewView, count: int) -> None:  # type: ignore[no-untyped-def]
    for key, keys in RAPID_KEYS[:count]:
        assert view.current_page() == key
        type_keys(qtbot, keys)
        press(qtbot, Qt.Key.Key_Return)


def test_closing_the_view_resumes_at_the_same_question(qtbot, vault, rapid):
    interview = new_interview(vault, rapid, interviewee="ar", screener="en")
    view = InterviewView(vault, interview, rapid, "en", "ar")
    show(qtbot, view)
    _answer(qtbot, view, 7)
    stopped_at = view.current_page()
    assert stopped_at == "owes_debt"
    view.close()

    again = InterviewView(vault, interview, rapid, "en", "ar")
    show(qtbot, again)
    assert again.current_page() == stopped_at
    for key, _ in RAPID_KEYS[:7]:
        assert again.session.get(key).value == RAPID_VALUES[key]
    # And it carries on from there.
    type_keys(qtbot, dict(RAPID_KEYS)["owes_debt"])
    press(qtbot, Qt.Key.Key_Return)
    assert again.current_page() == "debt_conditions"


def test_typed_number_is_saved_on_close_without_enter(qtbot, vault, vault_dir: Path, rapid):
    interview = new_interview(vault, rapid)
    view = InterviewView(vault, interview, rapid, "en", "en")
    show(qtbot, view)
    _answer(qtbot, view, 2)
    assert view.current_page() == "age"
    type_keys(qtbot, "41")
    view.close()  # no Enter, no focus change: closing flushes
    assert vault.answers(interview)["age"] == (41, None)


def test_hiding_for_a_lock_flushes_and_start_page_returns_there(qtbot, vault, vault_dir, rapid):
    interview = new_interview(vault, rapid)
    workspace = InterviewWorkspace(vault, interview)
    show(qtbot, workspace)
    view = workspace.interview_view
    assert view is not None
    _answer(qtbot, view, 2)
    type_keys(qtbot, "29")
    view.go_previous()  # the screener went back to check a question before the lock
    page = workspace.current_page()
    assert page == "interpreting"
    # What the shell does on lock: hide the view, then lock the vault.
    workspace.hide()
    vault.lock()

    unlocked = Vault.unlock(vault_dir, USER, PASSPHRASE)
    try:
        assert unlocked.answers(interview)["age"] == (29, None)
        resumed = InterviewWorkspace(unlocked, interview, start_page=page)
        show(qtbot, resumed)
        assert resumed.current_page() == "interpreting"
        assert resumed.interview_view.session.get("age").value == 29
    finally:
        unlocked.lock()


def test_unknown_start_page_falls_back_to_the_furthest_answer(qtbot, vault, rapid):
    interview = new_interview(vault, rapid)
    for key in ("consent", "interpreting", "age"):
        vault.save_answer(interview, key, RAPID_VALUES[key])
    view = InterviewView(vault, interview, rapid, "en", "en", start_page="no_such_question")
    show(qtbot, view)
    assert view.current_page() == "safe_now"
