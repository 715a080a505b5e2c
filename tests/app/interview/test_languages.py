"""Both languages side by side; Arabic laid out and aligned right to left."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from app.interview.view import InterviewView
from tests.app.interview.support import RAPID_VALUES, new_interview, show

RTL = Qt.LayoutDirection.RightToLeft
LTR = Qt.LayoutDirection.LeftToRight


def _view(qtbot, vault, rapid, interviewee: str, screener: str, page: str) -> InterviewView:  # type: ignore[no-untyped-def]
    interview = new_interview(vault, rapid, interviewee=interviewee, screener=screener)
    for key in ("consent", "interpreting", "age"):
        vault.save_answer(interview, key, RAPID_VALUES[key])
    view = InterviewView(vault, interview, rapid, screener, interviewee, start_page=page)
    show(qtbot, view)
    return view


def test_arabic_interviewee_text_is_right_to_left(qtbot, vault, rapid):
    view = _view(qtbot, vault, rapid, "ar", "en", "safe_now")
    block = view.blocks["safe_now"]
    arabic = block.interviewee_label
    assert arabic is not None
    assert arabic.text() == rapid.text(rapid.nodes["safe_now"].question.label, "ar")
    assert arabic.layoutDirection() == RTL
    assert arabic.alignment() & Qt.AlignmentFlag.AlignRight
    assert arabic.alignment() & Qt.AlignmentFlag.AlignAbsolute  # not mirrored back to the left
    english = block.screener_label
    assert english.text() == "Do you feel safe here, right now?"
    assert english.layoutDirection() == LTR
    assert english.alignment() & Qt.AlignmentFlag.AlignLeft
    # The Arabic column really is drawn to the right of the English one.
    assert (
        arabic.mapTo(view, arabic.rect().topLeft()).x()
        > english.mapTo(view, english.rect().topLeft()).x()
    )
    # Choices carry their Arabic labels, right to left, beside the screener's.
    arabic_choices = [
        label for label in block.input.findChildren(QLabel) if label.text() in ("نعم", "لا")
    ]
    assert len(arabic_choices) == 2
    assert all(label.layoutDirection() == RTL for label in arabic_choices)
    assert all(label.alignment() & Qt.AlignmentFlag.AlignRight for label in arabic_choices)


def test_arabic_text_answer_is_typed_right_to_left(qtbot, vault):
    from app.interview.forms import compiled_form

    adult = compiled_form("screening-adult")
    interview = new_interview(vault, adult, interviewee="ar", screener="fr")
    vault.save_answer(interview, "consent", "yes")
    view = InterviewView(vault, interview, adult, "fr", "ar", start_page="preferred_name")
    show(qtbot, view)
    assert view.current_page() == "preferred_name"
    block = view.blocks["preferred_name"]
    assert block.input.edit.layoutDirection() == RTL
    assert block.screener_label.text() == rapid_text(adult, "preferred_name", "fr")


def rapid_text(form, name: str, language: str) -> str:  # type: ignore[no-untyped-def]
    return form.text(form.nodes[name].question.label, language)


def test_same_language_shows_one_column(qtbot, vault, rapid):
    view = _view(qtbot, vault, rapid, "fr", "fr", "safe_now")
    block = view.blocks["safe_now"]
    assert block.interviewee_label is None
    assert block.screener_label.text() == rapid_text(rapid, "safe_now", "fr")


def test_arabic_only_interview_is_right_to_left_throughout(qtbot, vault, rapid):
    view = _view(qtbot, vault, rapid, "ar", "ar", "safe_now")
    block = view.blocks["safe_now"]
    assert block.screener_label.layoutDirection() == RTL
    assert all(button.layoutDirection() == RTL for button in block.input.buttons)


def test_arabic_and_montenegrin_questions_are_worded_for_a_woman(qtbot, vault):
    from app.interview.forms import compiled_form

    adult = compiled_form("screening-adult")
    interview = new_interview(vault, adult, interviewee="ar", screener="cnr")
    vault.save_answer(interview, "consent", "yes")
    vault.save_answer(interview, "sex", "female")
    view = InterviewView(vault, interview, adult, "cnr", "ar", start_page="free_movement")
    show(qtbot, view)
    block = view.blocks["free_movement"]
    arabic = [label.text() for label in block.input.findChildren(QLabel)]
    assert "لا، كنت محبوسةً أو ممنوعةً من الخروج" in arabic
    montenegrin = [label.text().strip() for label in block.input.labels]
    locked = "Ne, bila sam zaključana ili nijesam smjela da izlazim"
    assert any(text.endswith(locked) for text in montenegrin)
    assert not any("{{" in text or "/" in text for text in arabic + montenegrin)


def test_before_the_person_says_both_forms_are_shown(qtbot, vault):
    from app.interview.forms import compiled_form

    adult = compiled_form("screening-adult")
    interview = new_interview(vault, adult, interviewee="ar", screener="en")
    vault.save_answer(interview, "consent", "yes")
    view = InterviewView(vault, interview, adult, "en", "ar", start_page="preferred_name")
    show(qtbot, view)
    arabic = view.blocks["preferred_name"].interviewee_label
    assert arabic is not None and "تودّ/تودّين" in arabic.text()
