"""Starting an interview, the section navigator, and pausing or stopping with a reason."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.interview import InterviewWorkspace, NewInterviewDialog
from app.interview.navigator import section_state
from app.interview.view import InterviewView
from screening.forms.catalog import shipped_forms
from tests.app.interview.support import (
    RAPID_KEYS,
    USER,
    click,
    new_interview,
    press,
    show,
    type_keys,
)


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


def test_f8_pauses_at_once_and_the_reason_can_be_added_when_it_reopens(qtbot, vault, rapid):
    interview = new_interview(vault, rapid)
    view = InterviewView(vault, interview, rapid, "en", "en")
    show(qtbot, view)
    type_keys(qtbot, "1")  # consent given: saved at once
    closed: list[bool] = []
    view.closed.connect(lambda: closed.append(True))
    press(qtbot, Qt.Key.Key_F8)
    assert closed == [True], "one key leaves the screen, no dialog in between"
    assert view.stop_dialog is None and view.reason_dialog is None
    assert vault.get_interview(interview).status == "draft"
    paused = [e for e in vault.audit_entries() if e.action == "interview_paused"]
    assert [(e.object_id, e.detail, e.actor) for e in paused] == [(interview, None, USER)]
    view.close()

    again = InterviewView(vault, interview, rapid, "en", "en")
    show(qtbot, again)
    assert again.paused_banner.isVisible()
    text = again.paused_label.text()
    assert USER in text and "no reason given yet" in text
    qtbot.mouseClick(again.reason_button, Qt.MouseButton.LeftButton)
    dialog = again.reason_dialog
    assert dialog is not None and not dialog.save_button.isEnabled(), "a reason must be picked"
    click(qtbot, dialog.buttons["distress"])
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "The person is distressed" in again.paused_label.text()
    assert not again.reason_button.isVisible(), "the reason is given: nothing left to add"
    reasons = [e.detail for e in vault.audit_entries() if e.action == "interview_pause_reason"]
    assert reasons == ["reason distress"]
    # The next answer means work went on: the draft is no longer shown as paused.
    again.go_next()
    type_keys(qtbot, "2")
    third = InterviewView(vault, interview, rapid, "en", "en")
    show(qtbot, third)
    assert not third.paused_banner.isVisible()


def test_stop_is_a_separate_button_and_needs_confirmation(qtbot, vault, rapid):
    interview = new_interview(vault, rapid)
    workspace = InterviewWorkspace(vault, interview)
    show(qtbot, workspace)
    view = workspace.interview_view
    stopped: list[str] = []
    workspace.stopped.connect(stopped.append)
    qtbot.mouseClick(view.stop_button, Qt.MouseButton.LeftButton)
    dialog = view.stop_dialog
    assert dialog is not None and dialog.isVisible()
    click(qtbot, dialog.buttons["other"])
    assert not dialog.stop_button.isEnabled()
    qtbot.keyClicks(dialog.detail, "fire alarm")
    assert dialog.stop_button.isEnabled()
    qtbot.mouseClick(dialog.stop_button, Qt.MouseButton.LeftButton)
    assert dialog.confirming and stopped == [], "pressing Stop only asks"
    assert "fire alarm" in dialog.question.text()
    qtbot.mouseClick(dialog.back_button, Qt.MouseButton.LeftButton)
    assert not dialog.confirming and vault.get_interview(interview).status == "draft"
    qtbot.mouseClick(dialog.stop_button, Qt.MouseButton.LeftButton)
    qtbot.keyClick(dialog.back_button, Qt.Key.Key_Return)
    assert vault.get_interview(interview).status == "draft", "Enter means no"
    qtbot.mouseClick(dialog.stop_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert stopped == [interview]
    record = vault.get_interview(interview)
    assert record.status == "stopped" and record.stop_reason == "other: fire alarm"
    stops = [e for e in vault.audit_entries() if e.action == "stop"]
    assert len(stops) == 1 and "fire" not in (stops[0].detail or "")
    outcome = workspace.outcome_view
    assert outcome is not None and outcome.read_only
    assert "Other reason: fire alarm" in outcome.status_label.text()
    assert f"by {USER}, " in outcome.status_label.text(), "who stopped it, and when"
    assert "other:" not in outcome.status_label.text(), "words, not the stored code"


def test_interviewee_language_changes_mid_interview_and_is_audited(qtbot, vault, rapid):
    interview = new_interview(vault, rapid, interviewee="en", screener="en")
    view = InterviewView(vault, interview, rapid, "en", "en")
    show(qtbot, view)
    assert "English" in view.language_label.text()
    assert view.blocks["consent"].interviewee_label is None, "one language: one column"
    qtbot.mouseClick(view.language_button, Qt.MouseButton.LeftButton)
    dialog = view.language_dialog
    dialog.choice.setCurrentIndex(dialog.choice.findData("ar"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert vault.get_interview(interview).language == "ar"
    assert "العربية" in view.language_label.text()
    assert view.blocks["consent"].interviewee_label is not None, "the question now in both"
    changed = [e.detail for e in vault.audit_entries() if e.action == "language_changed"]
    assert changed == ["language en to ar"]


def test_consent_page_progress_makes_sense_before_consent(qtbot, vault, rapid):
    interview = new_interview(vault, rapid)
    view = InterviewView(vault, interview, rapid, "en", "en")
    show(qtbot, view)
    sections = len(list(rapid.sections()))
    assert sections > 3
    assert view.progress_label.text() == f"Section 1 of {sections}", "the whole form, not 1 of 1"
    assert view.next_button.text() == "Next →", "nothing is finished before consent"
    type_keys(qtbot, "1")  # yes: every section opens, the count does not jump
    assert view.progress_label.text() == f"Section 1 of {sections}"
    view.go_to("safe_now")
    assert view.progress_label.text().endswith(f"of {sections}")
    assert view.progress.maximum() == sections


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
