"""Starting an interview, the section navigator, and pausing or stopping with a reason."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.interview import InterviewWorkspace, NewInterviewDialog
from app.interview.navigator import section_state
from app.interview.view import InterviewView
from screening.forms.catalog import shipped_forms
from tests.app.interview.support import RAPID_KEYS, click, new_interview, press, show, type_keys


def test_new_interview_dialog_creates_the_draft(qtbot, vault):
    dialog = NewInterviewDialog(vault, "fr")
    show(qtbot, dialog)
    titles = [dialog.form_choice.itemText(i) for i in range(dialog.form_choice.count())]
    # Each shipped form, titled in the UI language, with its version and where it came from.
    assert sorted(titles) == sorted(
        f"{entry.title} · version {entry.version} · shipped" for entry in shipped_forms("fr")
    )
    assert dialog.older_versions.isHidden(), "one version of each form: nothing older to show"
    dialog.form_choice.setCurrentIndex(dialog.form_choice.findData("rapid-screening"))
    dialog.interviewee_choice.setCurrentIndex(dialog.interviewee_choice.findData("ar"))
    assert dialog.screener_choice.currentData() == "fr", "the UI language is the default"
    assert dialog.interpreter.isChecked(), "different languages suggest an interpreter"
    assert dialog.centre.maxLength() <= 40, "a centre code, not an address"
    dialog.centre.setFocus()
    type_keys(qtbot, "BAR-2")
    created: list[str] = []
    dialog.created.connect(created.append)
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert len(created) == 1 and created[0] == dialog.interview_id
    record = vault.get_interview(created[0])
    assert (record.form_id, record.language, record.screener_language) == (
        "rapid-screening",
        "ar",
        "fr",
    )
    assert record.interpreter_used and record.location == "BAR-2" and record.status == "draft"

    workspace = InterviewWorkspace(vault, created[0])
    show(qtbot, workspace)
    assert workspace.current_page() == "consent"


def test_navigator_marks_sections_and_jumps(qtbot, vault, rapid):
    interview = new_interview(vault, rapid)
    view = InterviewView(vault, interview, rapid, "en", "en")
    show(qtbot, view)
    for _, keys in RAPID_KEYS[:3]:
        type_keys(qtbot, keys)
        press(qtbot, Qt.Key.Key_Return)
    assert view.navigator.state_of("introduction") == "complete"
    assert view.navigator.state_of("about_person") == "complete"
    assert view.navigator.state_of("safety") == "not_started"
    progress = {p.name: p for p in view.session.progress()}
    assert section_state(progress["documents_debt"]) == "not_started"
    view.navigator.setFocus()
    row = [
        view.navigator.item(i).data(Qt.ItemDataRole.UserRole) for i in range(view.navigator.count())
    ]
    view.navigator.setCurrentRow(row.index("journey_work"))
    press(qtbot, Qt.Key.Key_Return)
    assert view.current_page() == "job_promised"


def test_refused_consent_hides_the_rest(qtbot, vault, rapid):
    interview = new_interview(vault, rapid)
    view = InterviewView(vault, interview, rapid, "en", "en")
    show(qtbot, view)
    type_keys(qtbot, "2")  # no
    assert view.navigator.state_of("safety") == "not_asked"
    completed: list[str] = []
    view.completed.connect(completed.append)
    press(qtbot, Qt.Key.Key_Return)
    assert view.current_page() == "consent_refused"
    press(qtbot, Qt.Key.Key_Return)
    assert completed == [interview]


def test_pause_keeps_the_draft_and_audits_the_reason_category(qtbot, vault, rapid):
    interview = new_interview(vault, rapid)
    view = InterviewView(vault, interview, rapid, "en", "en")
    show(qtbot, view)
    closed: list[bool] = []
    view.closed.connect(lambda: closed.append(True))
    qtbot.mouseClick(view.stop_button, Qt.MouseButton.LeftButton)
    dialog = view.stop_dialog
    assert dialog is not None and dialog.isVisible()
    assert not dialog.pause_button.isEnabled(), "a reason is needed"
    click(qtbot, dialog.buttons["interpreter_unavailable"])
    qtbot.mouseClick(dialog.pause_button, Qt.MouseButton.LeftButton)
    assert closed == [True]
    assert vault.get_interview(interview).status == "draft"
    paused = [e for e in vault.audit_entries() if e.action == "interview_paused"]
    assert [(e.object_id, e.detail) for e in paused] == [
        (interview, "reason interpreter_unavailable")
    ]


def test_stop_for_another_reason_needs_words_and_ends_read_only(qtbot, vault, rapid):
    interview = new_interview(vault, rapid)
    workspace = InterviewWorkspace(vault, interview)
    show(qtbot, workspace)
    view = workspace.interview_view
    stopped: list[str] = []
    workspace.stopped.connect(stopped.append)
    qtbot.mouseClick(view.stop_button, Qt.MouseButton.LeftButton)
    dialog = view.stop_dialog
    click(qtbot, dialog.buttons["other"])
    assert not dialog.stop_button.isEnabled()
    qtbot.keyClicks(dialog.detail, "fire alarm")
    assert dialog.stop_button.isEnabled()
    qtbot.mouseClick(dialog.stop_button, Qt.MouseButton.LeftButton)
    assert stopped == [interview]
    record = vault.get_interview(interview)
    assert record.status == "stopped" and record.stop_reason == "other: fire alarm"
    stops = [e for e in vault.audit_entries() if e.action == "stop"]
    assert len(stops) == 1 and "fire" not in (stops[0].detail or "")
    assert workspace.outcome_view is not None and workspace.outcome_view.read_only


def test_a_language_not_reviewed_in_the_field_is_flagged(qtbot, vault):
    dialog = NewInterviewDialog(vault, "en")
    show(qtbot, dialog)
    dialog.form_choice.setCurrentIndex(dialog.form_choice.findData("screening-adult"))
    dialog.interviewee_choice.setCurrentIndex(dialog.interviewee_choice.findData("en"))
    dialog.screener_choice.setCurrentIndex(dialog.screener_choice.findData("en"))
    assert dialog.review_note.isHidden(), "English is the source language"
    dialog.interviewee_choice.setCurrentIndex(dialog.interviewee_choice.findData("ar"))
    assert dialog.review_note.isVisible()
    assert "العربية" in dialog.review_note.text() and "native speaker" in dialog.review_note.text()
    dialog.interviewee_choice.setCurrentIndex(dialog.interviewee_choice.findData("en"))
    assert dialog.review_note.isHidden()
