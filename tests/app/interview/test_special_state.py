"""Declined and Don't know show whether they are chosen: pressed in, and in words."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.interview.view import InterviewView
from tests.app.interview.support import new_interview, show


def test_declined_and_dont_know_show_their_state(qtbot, vault, rapid):
    interview = new_interview(vault, rapid)
    vault.save_answer(interview, "consent", "yes")
    view = InterviewView(vault, interview, rapid, "en", "en", start_page="age")
    show(qtbot, view)
    block = view.blocks["age"]
    declined, dont_know = block.decline_button, block.dont_know_button
    assert declined is not None and dont_know is not None
    assert not declined.isChecked() and declined.text() == "Declined"
    qtbot.mouseClick(declined, Qt.MouseButton.LeftButton)
    assert declined.isChecked() and declined.text() == "✓ Declined"
    assert declined.accessibleDescription() == "chosen"
    assert not dont_know.isChecked() and dont_know.text() == "Don't know"
    qtbot.mouseClick(dont_know, Qt.MouseButton.LeftButton)
    assert dont_know.isChecked() and dont_know.text() == "✓ Don't know"
    assert not declined.isChecked() and declined.text() == "Declined"
    qtbot.mouseClick(dont_know, Qt.MouseButton.LeftButton)  # pressed again: taken back
    assert not dont_know.isChecked() and vault.answers(interview).get("age") is None
