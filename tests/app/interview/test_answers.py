"""Declined, don't know, validation messages, and choices saved the moment they change."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.interview.view import InterviewView
from tests.app.interview.support import RAPID_VALUES, new_interview, press, show, type_keys


def _at(vault, rapid, page: str, qtbot) -> tuple[InterviewView, str]:  # type: ignore[no-untyped-def]
    interview = new_interview(vault, rapid)
    order = ["consent", "interpreting", "age", "safe_now", "needs_medical", "someone_controls"]
    for key in order[: order.index(page)]:
        vault.save_answer(interview, key, RAPID_VALUES[key])
    view = InterviewView(vault, interview, rapid, "en", "en", start_page=page)
    show(qtbot, view)
    assert view.current_page() == page
    return view, interview


def test_ctrl_d_declines_and_is_saved(qtbot, vault, rapid):
    view, interview = _at(vault, rapid, "safe_now", qtbot)
    press(qtbot, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert vault.answers(interview)["safe_now"] == (None, "declined")
    block = view.blocks["safe_now"]
    assert block.decline_button.isChecked()
    assert "Declined" in block.state.text()
    press(qtbot, Qt.Key.Key_Return)  # a declined answer lets the screener move on
    assert view.current_page() == "needs_medical"


def test_dont_know_button_and_then_a_real_answer_replaces_it(qtbot, vault, rapid):
    view, interview = _at(vault, rapid, "age", qtbot)
    block = view.blocks["age"]
    assert block.dont_know_button is not None  # the form allows "don't know" everywhere
    qtbot.mouseClick(block.dont_know_button, Qt.MouseButton.LeftButton)
    assert vault.answers(interview)["age"] == (None, "dont_know")
    assert block.dont_know_button.isChecked()
    block.input.edit.setFocus()
    type_keys(qtbot, "52")
    press(qtbot, Qt.Key.Key_Return)
    assert vault.answers(interview)["age"] == (52, None)
    assert view.current_page() == "safe_now"


def test_pressing_declined_again_takes_it_back(qtbot, vault, rapid):
    view, interview = _at(vault, rapid, "needs_medical", qtbot)
    button = view.blocks["needs_medical"].decline_button
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert vault.answers(interview)["needs_medical"] == (None, "declined")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert "needs_medical" not in vault.answers(interview)


def test_consent_offers_neither_declined_nor_dont_know(qtbot, vault, rapid):
    view, interview = _at(vault, rapid, "consent", qtbot)
    block = view.blocks["consent"]
    assert block.decline_button is None and block.dont_know_button is None
    press(qtbot, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert "consent" not in vault.answers(interview)
    assert block.error.isVisible() and block.error.text()


def test_age_130_shows_the_forms_message_and_saves_nothing(qtbot, vault, rapid):
    view, interview = _at(vault, rapid, "age", qtbot)
    type_keys(qtbot, "130")
    press(qtbot, Qt.Key.Key_Return)
    block = view.blocks["age"]
    assert block.error.isVisible()
    assert block.error.text() == "Enter an age between 0 and 120."
    assert view.current_page() == "age", "an invalid answer keeps the screener on the question"
    assert "age" not in vault.answers(interview)
    assert block.input.edit.text() == "130", "what was typed stays, to be corrected"
    block.input.edit.selectAll()
    type_keys(qtbot, "30")
    press(qtbot, Qt.Key.Key_Return)
    assert vault.answers(interview)["age"] == (30, None)
    assert view.current_page() == "safe_now"


def test_not_a_number_is_a_message_not_a_crash(qtbot, vault, rapid):
    view, interview = _at(vault, rapid, "age", qtbot)
    type_keys(qtbot, "thirty")
    press(qtbot, Qt.Key.Key_Return)
    assert "not a whole number" in view.blocks["age"].error.text()
    assert "age" not in vault.answers(interview)


def test_required_question_keeps_the_screener_until_answered(qtbot, vault, rapid):
    view, _ = _at(vault, rapid, "safe_now", qtbot)
    press(qtbot, Qt.Key.Key_Return)
    assert view.current_page() == "safe_now"
    assert "declined" in view.blocks["safe_now"].error.text()  # the form's required message


def test_choice_constraint_reverts_the_boxes_and_explains(qtbot, vault, rapid):
    interview = new_interview(vault, rapid)
    for key in ("consent", "interpreting", "age", "safe_now", "needs_medical"):
        vault.save_answer(interview, key, RAPID_VALUES[key])
    vault.save_answer(interview, "owes_debt", "yes")
    view = InterviewView(vault, interview, rapid, "en", "en", start_page="debt_conditions")
    show(qtbot, view)
    type_keys(qtbot, "1")
    type_keys(qtbot, "5")  # "None of these" together with another choice
    block = view.blocks["debt_conditions"]
    assert block.error.isVisible()
    assert vault.answers(interview)["debt_conditions"] == (["must_work_to_repay"], None)
    assert [b.isChecked() for b in block.input.buttons] == [True, False, False, False, False]


def test_previous_and_next_with_alt_arrows(qtbot, vault, rapid):
    view, _ = _at(vault, rapid, "safe_now", qtbot)
    press(qtbot, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert view.current_page() == "age"
    press(qtbot, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert view.current_page() == "safe_now"


def test_a_locked_vault_is_a_message_and_the_answer_is_not_shown_as_saved(qtbot, vault, rapid):
    view, _ = _at(vault, rapid, "safe_now", qtbot)
    vault.lock()  # e.g. locked by another part of the app while the view is still up
    type_keys(qtbot, "1")
    block = view.blocks["safe_now"]
    assert "Not saved" in block.error.text() and "locked" in block.error.text()
    assert view.session.get("safe_now") is None, "the engine is put back to what is stored"
    assert not any(button.isChecked() for button in block.input.buttons)
    assert "NOT saved" in view.save_status.text()
