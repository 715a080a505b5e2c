"""The engine picks the wording for the person from the `sex` answer (Arabic, Montenegrin)."""

from __future__ import annotations

from pathlib import Path

import pytest

from screening.engine import InterviewSession
from screening.forms.compiler import load_form

FORMS = Path(__file__).resolve().parents[3] / "forms"


@pytest.fixture(scope="module")
def adult():
    return load_form(FORMS / "screening-adult.json")


@pytest.fixture(scope="module")
def child():
    return load_form(FORMS / "screening-child.json")


def _label(session: InterviewSession, name: str, language: str) -> str:
    return session.text(session.form.nodes[name].question.label, language)


def _choice(session: InterviewSession, question: str, choice: str, language: str) -> str:
    node = session.form.nodes[question]
    return session.text(next(c.label for c in node.choices if c.name == choice), language)


def test_arabic_addresses_a_woman_as_a_woman_once_she_has_said_so(adult) -> None:
    session = InterviewSession(adult)
    session.answer("consent", "yes")
    assert session.text_variant is None
    # Before the answer both forms stand side by side, never the masculine alone.
    assert "تشعر/تشعرين" in _label(session, "feel_safe", "ar")
    session.answer("sex", "female")
    assert session.text_variant == "female"
    assert _label(session, "feel_safe", "ar") == "هل تشعرين بالأمان هنا، الآن؟"
    assert "لستِ مضطرةً" in _label(session, "sexual_intro", "ar")
    assert "محبوسةً أو ممنوعةً" in _choice(session, "free_movement", "locked", "ar")
    session.answer("sex", "male")
    assert _label(session, "feel_safe", "ar") == "هل تشعر بالأمان هنا، الآن؟"
    assert "لستَ مضطرًا" in _label(session, "sexual_intro", "ar")


def test_montenegrin_child_answers_agree_with_the_child(child) -> None:
    session = InterviewSession(child)
    session.answer("consent", "yes")
    session.answer("sex", "female")
    assert _choice(session, "free_movement", "locked", "cnr") == (
        "Ne, bila sam zaključana ili nijesam smjela da izlazim"
    )
    assert _label(session, "left_home_date", "cnr") == "Kada si otišla od kuće?"
    session.answer("sex", "male")
    assert _label(session, "left_home_date", "cnr") == "Kada si otišao od kuće?"
    assert _choice(session, "return_wish", "unsure", "cnr") == "Još nijesam siguran"


@pytest.mark.parametrize("answer", ["other", None])
def test_other_declined_or_unanswered_shows_both_forms(child, answer: str | None) -> None:
    session = InterviewSession(child)
    session.answer("consent", "yes")
    if answer is None:
        session.decline("sex")
    else:
        session.answer("sex", answer)
    assert session.text_variant is None if answer is None else session.text_variant == "other"
    assert _label(session, "left_home_date", "cnr") == "Kada si otišao/otišla od kuće?"
    assert "لستُ متأكدًا/لستُ متأكدةً" in _choice(session, "return_wish", "unsure", "ar")


def test_english_and_french_are_unaffected(adult) -> None:
    session = InterviewSession(adult)
    session.answer("consent", "yes")
    session.answer("sex", "female")
    assert _label(session, "feel_safe", "en") == "Do you feel safe here, now?"
    assert "{{" not in _label(session, "feel_safe", "fr")


def test_the_scoring_explanation_never_shows_the_markup(adult) -> None:
    from screening.scoring import score

    answers = {"consent": "yes", "sex": "female", "debt": "yes", "free_movement": "locked"}
    for language in ("ar", "cnr"):
        result = score(adult.form, answers, {}, [], language)
        text = " ".join(result.explanation)
        assert "{{" not in text and "}}" not in text
    arabic = " ".join(score(adult.form, answers, {}, [], "ar").explanation)
    # The answer is quoted for staff with both forms side by side.
    assert "محبوسًا أو ممنوعًا/محبوسةً أو ممنوعةً" in arabic
