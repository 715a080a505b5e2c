"""forms/rapid-screening.json: valid, fully translated, consent first, short, and scored right."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from screening.engine import InterviewSession
from screening.engine.results import outcome_of
from screening.forms.compiler import load_form
from screening.forms.indicators import Element, Strength, catalogue
from screening.forms.model import Direction, Form, Group, Question, QuestionType
from screening.scoring import ScoringResult, score

PATH = Path(__file__).resolve().parents[2] / "forms" / "rapid-screening.json"
FORM = Form.model_validate_json(PATH.read_text(encoding="utf-8"))
LANGUAGES = {"en", "cnr", "ar", "fr"}
ARABIC = re.compile(r"[\u0600-\u06FF]")
CYRILLIC = re.compile(r"[\u0400-\u04FF]")
INDICATOR_ID = re.compile(r"^[a-z][a-z0-9_]*$")


def questions(items=None) -> Iterator[Question]:
    for item in items if items is not None else [i for s in FORM.sections for i in s.items]:
        if isinstance(item, Group):
            yield from questions(item.items)
        else:
            yield item


def texts() -> Iterator[tuple[str, dict[str, str]]]:
    yield "title", FORM.title
    if FORM.description:
        yield "description", FORM.description
    if FORM.scoring and FORM.scoring.note:
        yield "scoring note", FORM.scoring.note
    for list_name, choices in FORM.choice_lists.items():
        for choice in choices:
            yield f"{list_name}/{choice.name}", choice.label
    for section in FORM.sections:
        yield section.name, section.label
        if section.hint:
            yield f"{section.name} hint", section.hint
    for question in questions():
        for attr in ("label", "hint", "required_message", "constraint_message"):
            text = getattr(question, attr)
            if text is not None:
                yield f"{question.name} {attr}", text


def answered() -> list[Question]:
    return [q for q in questions() if q.type not in (QuestionType.NOTE, QuestionType.CALCULATE)]


# ------------------------------------------------------------------ the definition


def test_form_validates_and_compiles() -> None:
    assert (FORM.id, FORM.version) == ("rapid-screening", "2.0.0")
    compiled = load_form(PATH)  # names, choice lists, expressions, languages, cycles
    assert compiled.id == "rapid-screening"


def test_languages_and_arabic_is_right_to_left() -> None:
    assert {lang.code for lang in FORM.languages} == LANGUAGES
    assert FORM.default_language == "en"
    directions = {lang.code: lang.direction for lang in FORM.languages}
    assert directions["ar"] == Direction.RTL
    assert {directions[c] for c in ("en", "cnr", "fr")} == {Direction.LTR}


def test_every_text_exists_in_all_four_languages() -> None:
    seen = 0
    for where, text in texts():
        assert set(text) == LANGUAGES, where
        assert all(value.strip() for value in text.values()), where
        seen += 1
    assert seen > 100


def test_translations_are_in_their_script_and_not_english_copies() -> None:
    for where, text in texts():
        assert ARABIC.search(text["ar"]), where
        assert not re.search("[A-Za-z]", text["ar"]), where
        assert not CYRILLIC.search(text["cnr"]), f"{where}: Montenegrin in Latin script"
        if len(text["en"]) > 12:
            assert text["cnr"] != text["en"], where
            assert text["fr"] != text["en"], where


def test_every_question_has_a_label_and_most_a_hint() -> None:
    for question in questions():
        assert question.label, question.name
    with_hint = [q for q in answered() if q.hint]
    assert len(with_hint) >= len(answered()) // 2


def test_every_indicator_tag_is_a_catalogue_indicator() -> None:
    tags = [t for q in questions() for t in q.indicators]
    tags += [t for choices in FORM.choice_lists.values() for c in choices for t in c.indicators]
    assert len(tags) >= 15
    known = catalogue()
    for tag in tags:
        assert tag.strength is None, tag.indicator  # strengths come from the catalogue
        assert known.find(tag.element, tag.indicator) is not None, tag.indicator
        assert INDICATOR_ID.match(tag.indicator), tag.indicator
    assert {t.element for t in tags} >= {
        Element.DECEPTIVE_RECRUITMENT,
        Element.EXPLOITATION,
        Element.COERCION_AT_DESTINATION,
    }
    strengths = {known.strength(t.element, t.indicator, "adult_labour") for t in tags}
    assert strengths >= {Strength.STRONG, Strength.MEDIUM}


def test_at_most_twenty_questions() -> None:
    assert len(answered()) <= 20


def test_consent_comes_first_and_gates_everything_else() -> None:
    first = FORM.sections[0]
    first_question = next(q for q in questions(first.items) if q.type != QuestionType.NOTE)
    assert first_question.name == "consent"
    assert first_question.type == QuestionType.SELECT_ONE
    assert first_question.required is True
    assert first_question.allow_declined is False  # refusing is "no", not a declined answer
    assert {c.name for c in FORM.choice_lists[first_question.choices or ""]} == {"yes", "no"}
    for section in FORM.sections[1:]:
        assert section.relevant == "${consent} = 'yes'", section.name
    for question in questions(first.items):
        if question.name != "consent":
            assert question.relevant and "${consent}" in question.relevant, question.name


def test_scoring_rules() -> None:
    assert FORM.scoring is not None
    assert FORM.scoring.population == "adult"
    assert FORM.scoring.element_rule == "ilo"
    referral = next(q for q in questions() if q.name == FORM.scoring.referral_question)
    assert referral.type == QuestionType.SELECT_ONE
    assert referral is answered()[-1]  # the interview ends with the referral decision
    assert referral.allow_declined is False


def test_age_is_asked_early_with_a_range_and_a_child_note() -> None:
    age = next(q for q in questions() if q.name == "age")
    assert age.type == QuestionType.INTEGER
    assert age.constraint == ". >= 0 and . <= 120"
    assert answered().index(age) <= 3
    note = next(q for q in questions() if q.name == "child_note")
    assert note.type == QuestionType.NOTE
    assert note.relevant == "${age} < 18"


# ------------------------------------------------------------------ through the engine


def session() -> InterviewSession:
    return InterviewSession(load_form(PATH))


def test_refused_consent_ends_the_interview_with_the_minimal_record() -> None:
    s = session()
    assert s.answer("consent", "no")
    assert s.visible_questions() == ["consent"]
    assert s.missing_required() == []
    assert s.complete
    result = outcome_of(s)
    assert result is not None
    # Nothing was assessed: the record must not count as a finding of "no indication".
    assert result.result == "incomplete"
    assert result.referral_recommended is False
    assert result.explanation == [
        "Consent was not given: the interview ended with the minimal record and no"
        " assessment was made."
    ]


def test_child_note_shows_under_eighteen_and_age_is_bounded() -> None:
    s = session()
    assert s.answer("consent", "yes")
    assert not s.answer("age", 121)
    assert not s.answer("age", -1)
    assert s.answer("age", 16)
    assert s.is_relevant("child_note")
    assert s.answer("age", 30)
    assert not s.is_relevant("child_note")


def test_none_of_these_cannot_be_combined() -> None:
    s = session()
    assert s.answer("consent", "yes")
    assert not s.answer("threats", ["none", "hurt_me"])
    assert s.answer("threats", ["none"])


def test_a_full_scripted_interview_is_scored_through_the_engine() -> None:
    s = session()
    script = {
        "consent": "yes",
        "interpreting": "professional",
        "age": 34,
        "safe_now": "yes",
        "needs_medical": "no",
        "someone_controls": "no",
        "documents_holder": "employer",
        "owes_debt": "yes",
        "debt_conditions": ["must_work_to_repay"],
        "job_promised": "yes",
        "promise_broken": ["kind_of_work", "pay"],
        "work_conditions": ["excessive_hours", "no_or_low_pay"],
        "depends_on_them": "no",
        "free_to_leave": "no_locked_in",
        "threats": ["none"],
        "refer_full_screening": "yes",
    }
    for key, value in script.items():
        assert s.answer(key, value), key
    assert s.complete
    result = outcome_of(s)
    assert result is not None and result.result == "likely_trafficked"


# ------------------------------------------------------------------ hand-built answers

BASE = {
    "consent": "yes",
    "interpreting": "professional",
    "age": 27,
    "safe_now": "yes",
    "needs_medical": "no",
    "someone_controls": "no",
    "documents_holder": "self",
    "owes_debt": "no",
    "job_promised": "no",
    "work_conditions": ["none"],
    "depends_on_them": "no",
    "free_to_leave": "yes_freely",
    "threats": ["none"],
    "refer_full_screening": "no",
}


def run(
    changes: dict[str, object],
    specials: dict[str, str] | None = None,
    incomplete: list[str] | None = None,
    language: str = "en",
) -> ScoringResult:
    answers = {**BASE, **changes}
    for key in specials or {}:
        answers.pop(key, None)
    return score(FORM, answers, specials or {}, incomplete or [], language)


def present(result: ScoringResult) -> set[Element]:
    return set(result.present_elements())


def test_clear_adult_labour_trafficking_is_likely() -> None:
    result = run(
        {
            "job_promised": "yes",
            "promise_broken": ["kind_of_work", "pay"],
            "work_conditions": ["excessive_hours", "no_or_low_pay"],
            "documents_holder": "organiser",
            "threats": ["threatened_me"],
            "refer_full_screening": "yes",
        }
    )
    assert result.result == "likely_trafficked"
    assert result.referral_recommended is True
    assert present(result) == {
        Element.DECEPTIVE_RECRUITMENT,
        Element.EXPLOITATION,
        Element.COERCION_AT_DESTINATION,
    }
    cli = result.to_cli_json()
    assert cli["elements"]["deceptive_recruitment"]["indicators"] == [
        {
            "question": "promise_broken",
            "choice": "kind_of_work",
            "indicator": "deceived_about_nature_of_job",
            "strength": "strong",
        },
        {
            "question": "promise_broken",
            "choice": "pay",
            "indicator": "deceived_about_wages",
            "strength": "medium",
        },
    ]


def test_sexual_exploitation_with_violence_and_deception() -> None:
    result = run(
        {
            "job_promised": "yes",
            "promise_broken": ["kind_of_work", "place_or_employer", "housing"],
            "work_conditions": ["forced_sex", "no_or_low_pay", "excessive_hours"],
            "free_to_leave": "only_accompanied",
        }
    )
    assert result.result == "likely_trafficked"
    deceptive = result.elements[Element.DECEPTIVE_RECRUITMENT]
    # kind of work and place/employer are one ILO indicator: listed twice, counted once
    assert deceptive.counts == {Strength.STRONG: 1, Strength.MEDIUM: 1, Strength.WEAK: 0}
    coercion = result.elements[Element.COERCION_AT_DESTINATION]
    # Being made to sell sex is one indicator (forced clients), not also violence.
    assert [(h.choice, h.indicator) for h in coercion.indicators] == [
        ("forced_sex", "forced_tasks_or_clients"),
        ("only_accompanied", "isolation_confinement_or_surveillance"),
    ]
    # Work and sex were both disclosed: both lists are scored, the stronger finding stands.
    assert result.lists_scored == ["adult_labour", "adult_sexual"]
    assert result.indicator_list == "adult_labour"  # equal findings: the first list


def test_debt_bondage_from_two_answers_counts_once() -> None:
    result = run(
        {"owes_debt": "yes", "debt_conditions": ["must_work_to_repay", "debt_keeps_growing"]}
    )
    coercion = result.elements[Element.COERCION_AT_DESTINATION]
    assert len(coercion.indicators) == 2
    assert coercion.counts[Strength.STRONG] == 1
    assert coercion.present is False
    assert result.result == "possible_trafficking"  # a strong indicator: assess further


def test_smuggled_migrant_with_debt_but_no_indicators() -> None:
    result = run({"owes_debt": "yes", "debt_conditions": ["none"]})
    assert result.result == "no_indication"
    assert result.referral_recommended is False
    assert all(not r.indicators for r in result.elements.values())


def test_documents_held_alone_is_possible_trafficking() -> None:
    result = run({"documents_holder": "employer"})
    assert present(result) == set()
    assert result.result == "possible_trafficking"
    assert result.referral_recommended is True


def test_exploitation_without_recruitment_is_possible() -> None:
    result = run({"work_conditions": ["excessive_hours", "hazardous_work"]})
    assert present(result) == {Element.EXPLOITATION}
    assert result.result == "possible_trafficking"


def test_declined_everything_is_incomplete_with_the_declined_listed() -> None:
    keys = [
        "age",
        "safe_now",
        "needs_medical",
        "someone_controls",
        "documents_holder",
        "owes_debt",
        "job_promised",
        "work_conditions",
        "depends_on_them",
        "free_to_leave",
        "threats",
    ]
    result = run({}, {key: "declined" for key in keys})
    # Nothing was assessed: never a "no indication" finding (it would count as one).
    assert result.result == "incomplete"
    assert result.insufficient_information is True
    assert result.indicated_result == "no_indication"
    assert result.referral_recommended is False
    assert result.explanation[0].startswith("No assessment could be made")
    assert result.declined == keys
    assert result.dont_know == []
    assert all(not r.indicators for r in result.elements.values())
    assert any(s.startswith("Declined to answer:") for s in result.explanation)


def test_dont_know_answers_are_listed_and_never_count() -> None:
    result = run({}, {"documents_holder": "dont_know", "threats": "dont_know"})
    assert result.dont_know == ["documents_holder", "threats"]
    assert result.result == "no_indication"


def test_incomplete_interview() -> None:
    answers = {k: v for k, v in BASE.items() if k not in ("free_to_leave", "threats")}
    result = score(FORM, answers, {}, ["freedom_threats"], "en")
    assert result.result == "incomplete"
    assert result.incomplete_sections == ["freedom_threats"]
    assert "Freedom of movement and threats" in result.explanation[0]


def test_screener_referral_yes_is_honoured_without_indicators() -> None:
    result = run({"refer_full_screening": "yes"})
    assert result.result == "no_indication"
    assert result.referral_recommended is True


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_explanation_uses_the_form_labels_in_each_language(language: str) -> None:
    result = run({"documents_holder": "employer", "threats": ["hurt_me"]}, language=language)
    text = "\n".join(result.explanation)
    holder = next(q for q in questions() if q.name == "documents_holder")
    assert holder.label is not None and holder.label[language] in text
    employer = next(c for c in FORM.choice_lists["documents_holder"] if c.name == "employer")
    assert employer.label[language] in text
