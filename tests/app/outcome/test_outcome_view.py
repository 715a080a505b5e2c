"""The outcome view: result, the answers behind each ILO element, needs, specials, override,
completion, and read-only once completed."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from app.outcome import OutcomeView
from screening.vault import Vault
from tests.app.interview.support import PASSPHRASE, RAPID_VALUES, USER, new_interview, show


def _answered(vault, rapid, **changes: object) -> str:  # type: ignore[no-untyped-def]
    interview = new_interview(vault, rapid, interviewee="ar", screener="en")
    answers = {**RAPID_VALUES, **changes}
    for key, value in answers.items():
        if value == "declined" or value == "dont_know":
            vault.save_answer(interview, key, None, value)
        else:
            vault.save_answer(interview, key, value)
    return interview


def _texts(view: OutcomeView) -> str:
    return "\n".join(label.text() for label in view.findChildren(QLabel))


def test_elements_explanation_needs_and_specials(qtbot, vault, rapid):
    interview = _answered(vault, rapid, safe_now="declined", depends_on_them="dont_know")
    view = OutcomeView(vault, interview, rapid, "en", read_only=False)
    show(qtbot, view)
    assert view.result is not None and view.result.result == "likely_trafficked"
    assert view.outcome_label.text() == "Likely trafficked"
    assert "Referral for further assessment is recommended." in view.referral_label.text()

    rows = {row.name: row for row in view.element_rows}
    assert len(rows) == 6
    exploitation = rows["Exploitation"]
    assert exploitation.present
    assert any(
        line.startswith("“During your journey or since you arrived") for line in exploitation.lines
    )
    assert any("“Working for no pay" in line for line in exploitation.lines)
    assert not rows["Coercive recruitment"].lines

    texts = _texts(view)
    for sentence in view.result.explanation:
        if not any(sentence in row.sentences for row in rows.values()):
            assert sentence in texts  # the summary keeps what the element list does not say
    assert "✓ Exploitation · strong: 1, medium: 1, weak: 0" in texts
    for line in exploitation.lines:
        assert line in texts
    assert "“Do you need a doctor or medicine today?” → “Yes”" in texts  # a need, found generically
    assert "Declined: Do you feel safe here, right now?" in texts
    assert "Don't know: Do you depend on" in texts


def test_override_needs_a_reason_and_survives_reopening(qtbot, vault, rapid):
    interview = _answered(vault, rapid)
    view = OutcomeView(vault, interview, rapid, "en", read_only=False)
    show(qtbot, view)
    choices = [view.override_choice.itemData(i) for i in range(view.override_choice.count())]
    assert choices == [None, "possible_trafficking", "no_indication"], "a different one, or none"
    assert view.override_choice.currentData() is None, "the box starts empty"
    assert not view.override_button.isEnabled()
    qtbot.keyClicks(view.override_reason, "Interpreter doubts; second interview planned")
    assert not view.override_button.isEnabled(), "a reason alone is not a choice"
    view.override_choice.setCurrentIndex(1)
    assert view.override_button.isEnabled()
    qtbot.mouseClick(view.override_button, Qt.MouseButton.LeftButton)
    record = vault.get_interview(interview)
    assert record.override is not None
    assert (record.override.recommendation, record.override.by) == ("possible_trafficking", USER)
    assert view.outcome_label.text().startswith("Possible trafficking")
    assert "Interpreter doubts" in view.override_note.text()
    assert view.override_reason.toPlainText() == ""
    assert not view.override_button.isEnabled()

    # Still a draft: reopening applies the recorded override to the recomputed result.
    again = OutcomeView(vault, interview, rapid, "en", read_only=False)
    show(qtbot, again)
    assert again.result.final_result == "possible_trafficking"
    assert again.result.result == "likely_trafficked"


def test_complete_makes_it_read_only_even_if_asked_otherwise(qtbot, vault, rapid):
    interview = _answered(vault, rapid)
    view = OutcomeView(vault, interview, rapid, "en", read_only=False)
    show(qtbot, view)
    done: list[str] = []
    view.completed.connect(done.append)
    qtbot.mouseClick(view.complete_button, Qt.MouseButton.LeftButton)
    assert view.confirm_box is not None and done == [], "asks first"
    assert view.confirm_box.defaultButton() is view.cancel_complete_button, "Enter means not yet"
    qtbot.mouseClick(view.cancel_complete_button, Qt.MouseButton.LeftButton)
    assert done == [] and vault.get_interview(interview).status == "draft"
    qtbot.mouseClick(view.complete_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.confirm_complete_button, Qt.MouseButton.LeftButton)
    assert done == [interview]
    assert view.success == f"Interview {interview[:8]} completed and saved."
    record = vault.get_interview(interview)
    assert record.status == "completed"
    assert record.outcome["result"] == "likely_trafficked"
    assert "completed" in view.status_label.text().lower()

    reopened = OutcomeView(vault, interview, rapid, "en", read_only=False)
    show(qtbot, reopened)
    assert reopened.read_only
    assert not reopened.complete_button.isVisible()
    assert not reopened.back_button.isVisible()
    assert not reopened.override_box.isVisible()
    assert reopened.close_button.isVisible()


def test_a_vault_refusal_is_a_message_not_a_crash(qtbot, vault, vault_dir: Path, rapid):
    interview = _answered(vault, rapid)
    view = OutcomeView(vault, interview, rapid, "en", read_only=False)
    show(qtbot, view)
    other = Vault.unlock(vault_dir, USER, PASSPHRASE)
    try:
        other.complete_interview(interview)  # completed elsewhere in the meantime
    finally:
        other.lock()
    qtbot.mouseClick(view.complete_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.confirm_complete_button, Qt.MouseButton.LeftButton)
    assert view.message.isVisible()
    assert "read-only" in view.message.text()


def test_arabic_outcome_is_right_to_left(qtbot, vault, rapid):
    interview = _answered(vault, rapid)
    view = OutcomeView(vault, interview, rapid, "ar", read_only=False)
    show(qtbot, view)
    assert view.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert view.outcome_label.text() == "اتجار بالبشر مرجَّح"
    assert view.outcome_label.alignment() & Qt.AlignmentFlag.AlignRight


def test_element_lines_speak_one_language_and_a_no_is_not_a_need(qtbot, vault, rapid):
    interview = _answered(vault, rapid, needs_medical="no")
    view = OutcomeView(vault, interview, rapid, "fr", read_only=False)
    show(qtbot, view)
    headers = [label.text() for label in view.elements.parentWidget().findChildren(QLabel)]
    none_rows = [row for row in view.element_rows if not row.lines]
    assert none_rows, "the answers leave some element without an indicator"
    for row in none_rows:
        assert row.none_sentence in headers
        assert "no indicator found" not in row.none_sentence, "French explanation, French words"
    texts = _texts(view)
    assert "no indicator found" not in texts and ": present" not in texts
    assert "médecin" not in texts.split("Needs identified")[-1].split("Declined")[0]
    english = OutcomeView(vault, interview, rapid, "en", read_only=False)
    show(qtbot, english)
    assert "Do you need a doctor" not in _texts(english), "“No” to a need is not a need"


def test_a_child_in_exploitation_is_flagged_for_child_protection(qtbot, vault, rapid):
    """Rapid screening of a 16-year-old: the child rule makes it likely, and the need for
    child protection stands above the elements, not only in the summary (docs/scoring.md)."""
    interview = _answered(vault, rapid, age=16)
    view = OutcomeView(vault, interview, rapid, "en", read_only=False)
    show(qtbot, view)
    assert view.result is not None and view.result.child_protection
    assert view.result.applied_rule == "child"
    assert view.protection_label.isVisible()
    text = view.protection_label.text()
    assert text.startswith("Child protection is needed now")
    assert "an exploitation indicator was disclosed" in text

    adult = OutcomeView(vault, _answered(vault, rapid), rapid, "en", read_only=False)
    show(qtbot, adult)
    assert adult.result is not None and not adult.result.child_protection
    assert adult.protection_label.isHidden()
