"""A rapid screening answered by keyboard alone, from consent to a completed, read-only outcome.

Each answer is read back through a second, independently unlocked Vault object right after it
is given: nothing waits for a "save" button.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from app.interview import InterviewWorkspace
from app.interview.view import InterviewView
from app.outcome.view import OutcomeView
from screening.vault import Vault
from tests.app.interview.support import (
    PASSPHRASE,
    RAPID_KEYS,
    RAPID_VALUES,
    USER,
    focused,
    new_interview,
    press,
    show,
    type_keys,
)


def test_rapid_screening_by_keyboard_to_read_only_outcome(qtbot, vault, vault_dir: Path, rapid):
    interview = new_interview(vault, rapid, interviewee="fr", screener="en")
    reader = Vault.unlock(vault_dir, USER, PASSPHRASE)  # a second connection to the same file
    try:
        workspace = InterviewWorkspace(vault, interview)
        show(qtbot, workspace)
        view = workspace.interview_view
        assert isinstance(view, InterviewView)
        assert view.current_page() == "consent"  # the forms put consent first

        for key, keys in RAPID_KEYS:
            assert view.current_page() == key
            type_keys(qtbot, keys)
            if rapid.nodes[key].kind in ("select_one", "select_multiple"):
                # A choice is committed the moment it is made, before Enter.
                assert reader.answers(interview)[key] == (RAPID_VALUES[key], None)
            press(qtbot, Qt.Key.Key_Return)
            if rapid.nodes[key].kind == "note":
                assert key not in reader.answers(interview)  # a note records nothing
                continue
            assert reader.answers(interview)[key] == (RAPID_VALUES[key], None)

        outcome = workspace.outcome_view
        assert isinstance(outcome, OutcomeView), "Enter on the last question opens the outcome"
        assert outcome.result is not None
        assert outcome.result.result == "likely_trafficked"
        assert "likely trafficked" in outcome.outcome_label.text().lower()

        # The override needs a written reason: the button stays disabled without one.
        assert not outcome.override_button.isEnabled()
        outcome.override_choice.setFocus()
        press(qtbot, Qt.Key.Key_Down)  # keyboard choice of the other recommendation
        chosen = outcome.override_choice.currentData()
        assert chosen in ("possible_trafficking", "no_indication")
        outcome.override_reason.setFocus()
        type_keys(qtbot, "   ")
        assert not outcome.override_button.isEnabled(), "blank is not a reason"
        type_keys(qtbot, "Seen by the doctor; story consistent with labour migration only")
        assert outcome.override_button.isEnabled()
        press(qtbot, Qt.Key.Key_Tab)
        assert focused() is outcome.override_button
        press(qtbot, Qt.Key.Key_Return)
        record = reader.get_interview(interview)
        assert record.override is not None and record.override.recommendation == chosen
        assert outcome.result.final_result == chosen
        assert any(e.action == "override" for e in reader.audit_entries())

        completed: list[str] = []
        workspace.completed.connect(completed.append)
        outcome.complete_button.setFocus()
        press(qtbot, Qt.Key.Key_Return)
        assert completed == [] and outcome.confirm_box is not None, "Enter asks first"
        qtbot.keyClick(outcome.confirm_complete_button, Qt.Key.Key_Space)
        assert completed == [interview]
        record = reader.get_interview(interview)
        assert record.status == "completed"
        assert record.outcome is not None and record.outcome["override"]["recommendation"] == chosen
        assert outcome.read_only
        assert not outcome.complete_button.isVisible()
        assert not outcome.override_box.isVisible()
    finally:
        reader.lock()

    # Reopened later, the interview is read-only and shows the stored outcome.
    again = InterviewWorkspace(vault, interview)
    show(qtbot, again)
    assert again.interview_view is None
    assert again.outcome_view is not None and again.outcome_view.read_only
    assert again.outcome_view.result is not None
    assert again.outcome_view.result.final_result == chosen
