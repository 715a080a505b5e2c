"""Under 18 in a rapid screening: a warning that cannot be missed, and one action that starts
the child interview with consent, languages, interpreter and the answers already given."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.interview.forms import compiled_form
from app.interview.view import InterviewView
from tests.app.conftest import unlock
from tests.app.interview.support import new_interview, press, show, type_keys


def test_under_18_warns_and_starts_the_child_interview(qtbot, vault, rapid):
    interview = vault.create_interview(
        form_id=rapid.id,
        form_version=rapid.version,
        form_hash=rapid.form_hash,
        language="ar",
        screener_language="en",
        interpreter_used=True,
        location="KID-1",
    )
    view = InterviewView(vault, interview, rapid, "en", "ar")
    show(qtbot, view)
    type_keys(qtbot, "1")  # consent
    press(qtbot, Qt.Key.Key_Return)
    type_keys(qtbot, "2")  # interpreting
    press(qtbot, Qt.Key.Key_Return)
    assert not view.child_banner.isVisible()
    type_keys(qtbot, "15")
    press(qtbot, Qt.Key.Key_Return)
    assert view.child_banner.isVisible(), "the warning is up, not a grey note"
    assert QApplication.focusWidget() is view.child_button, "Enter does not just carry on"
    continued: list[str] = []
    view.continued.connect(continued.append)
    press(qtbot, Qt.Key.Key_Return)
    assert view.child_box is not None and not continued, "it asks first"
    qtbot.mouseClick(view.child_yes, Qt.MouseButton.LeftButton)
    assert len(continued) == 1
    new = vault.get_interview(continued[0])
    assert (new.form_id, new.language, new.screener_language) == ("screening-child", "ar", "en")
    assert new.interpreter_used and new.location == "KID-1" and new.status == "draft"
    assert vault.answers(continued[0]) == {"consent": ("yes", None), "age": (15, None)}
    old = vault.get_interview(interview)
    assert old.status == "stopped" and continued[0][:8] in (old.stop_reason or "")
    links = {(e.action, e.object_id, e.detail) for e in vault.audit_entries()}
    assert ("continued_as", interview, f"interview {continued[0]}") in links
    assert ("continued_from", continued[0], f"interview {interview}") in links


def test_the_window_opens_the_child_interview(qtbot, make_window, made_vault: Path):
    window = make_window(made_vault)
    unlock(qtbot, window)
    rapid = compiled_form("rapid-screening")
    interview = new_interview(window.vault, rapid)
    for key, value in (("consent", "yes"), ("interpreting", "none"), ("age", 12)):
        window.vault.save_answer(interview, key, value)
    workspace = window.open_interview(interview, "age")
    view = workspace.interview_view
    assert view.child_banner.isVisible()
    qtbot.mouseClick(view.child_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.child_yes, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.current_view() is not workspace, timeout=3000)
    child = window.current_view()
    assert child.form.id == "screening-child"
    assert child.interview_view.current_page() != "consent", "consent is already given"
