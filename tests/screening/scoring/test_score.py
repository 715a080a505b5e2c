"""score(): indicators from answers, deduplication, specials, outcomes, completeness, referral."""

from __future__ import annotations

from datetime import date

import pytest

from screening.forms.indicators import Element, Strength
from screening.forms.model import Form
from screening.scoring import ScoringError, ScoringResult, score
from tests.screening.scoring.sample import CLEAR, form_data, sample_form

FORM = sample_form()


def run(
    answers: dict[str, object],
    specials: dict[str, str] | None = None,
    incomplete: list[str] | None = None,
    language: str = "en",
    form: Form = FORM,
) -> ScoringResult:
    return score(form, answers, specials or {}, incomplete or [], language)


def hits(result: ScoringResult, element: Element) -> list[tuple[str, str | None, str, str]]:
    return [
        (h.question, h.choice, h.indicator, h.strength.value)
        for h in result.elements[element].indicators
    ]


def present(result: ScoringResult) -> set[Element]:
    return set(result.present_elements())


def test_clear_adult_case_is_likely_with_the_answers_behind_each_element() -> None:
    result = run(CLEAR)
    assert result.result == "likely_trafficked"
    assert result.referral_recommended is True
    assert present(result) == {
        Element.DECEPTIVE_RECRUITMENT,
        Element.EXPLOITATION,
        Element.COERCION_AT_DESTINATION,
    }
    assert hits(result, Element.DECEPTIVE_RECRUITMENT) == [
        ("job_lie", "yes", "deceived_about_nature_of_job", "strong"),
        ("pay_lie", "yes", "deceived_about_wages_earnings", "medium"),
    ]
    assert hits(result, Element.EXPLOITATION) == [
        ("conditions", "hours", "excessive_working_days_or_hours", "strong"),
        ("conditions", "unpaid", "low_or_no_salary", "medium"),
    ]
    assert hits(result, Element.COERCION_AT_DESTINATION) == [
        ("documents", "employer", "confiscation_of_documents", "strong"),
        ("threats", "threat", "threats_of_violence_against_victim", "strong"),
    ]
    assert set(result.elements) == set(Element)
    assert result.declined == [] and result.dont_know == []


def test_child_case_needs_no_means() -> None:
    answers = {k: v for k, v in CLEAR.items() if k not in ("documents", "threats")}
    adult = run(answers)
    child = run(answers, form=sample_form("child"))
    assert present(adult) == present(child) == {Element.DECEPTIVE_RECRUITMENT, Element.EXPLOITATION}
    assert adult.result == "possible_trafficking"
    assert child.result == "likely_trafficked"
    assert child.population == "child"


def test_select_one_question_indicators_follow_indicator_choice() -> None:
    assert hits(run({"forced_to_go": "yes"}), Element.COERCIVE_RECRUITMENT) == []
    assert hits(run({"forced_to_go": "no"}), Element.COERCIVE_RECRUITMENT) == [
        ("forced_to_go", "no", "threats_of_violence_against_victim", "strong")
    ]
    assert hits(run({"job_lie": "no"}), Element.DECEPTIVE_RECRUITMENT) == []


def test_number_answers_carry_question_indicators_whatever_the_value() -> None:
    for value in (0, 1500, 12.5):
        result = run({"debt_amount": value})
        assert hits(result, Element.ABUSE_OF_VULNERABILITY_AT_DESTINATION) == [
            ("debt_amount", None, "dependency", "medium")
        ]


def test_select_multiple_may_come_as_a_space_separated_string() -> None:
    assert run({"conditions": "hours unpaid"}).elements[Element.EXPLOITATION].present


def test_empty_answers_carry_nothing() -> None:
    result = run({"conditions": [], "debt_amount": None, "remarks": ""})
    assert all(not r.indicators for r in result.elements.values())
    # Empty is not an answer: nothing was assessed, so no finding is made.
    assert result.result == "incomplete"
    assert result.insufficient_information is True
    assert result.indicated_result == "no_indication"


def test_an_indicator_reached_twice_counts_once_but_both_answers_are_listed() -> None:
    # The same documents confiscation through two questions and two repeat instances.
    answers = {"documents": "employer", "kept_documents[1]": "yes", "kept_documents[2]": "yes"}
    result = run(answers)
    coercion = result.elements[Element.COERCION_AT_DESTINATION]
    assert [h.question for h in coercion.indicators] == [
        "kept_documents[1]",
        "kept_documents[2]",
        "documents",
    ]
    assert coercion.counts == {Strength.STRONG: 1, Strength.MEDIUM: 0, Strength.WEAK: 0}
    assert coercion.present is False  # one strong indicator, not two
    assert result.result == "possible_trafficking"  # but a strong indicator was disclosed


def test_two_distinct_strong_indicators_make_the_element_present() -> None:
    result = run({"documents": "employer", "threats": ["violence"]})
    assert result.elements[Element.COERCION_AT_DESTINATION].present is True
    assert result.result == "possible_trafficking"


def test_weak_indicators_need_company() -> None:
    result = run({"threats": ["gossip"], "language_barrier": "yes"})
    assert present(result) == set()
    assert result.result == "no_indication"
    result = run({"threats": ["report", "gossip"], "documents": "self"})
    assert present(result) == set()
    result = run({"threats": ["threat", "gossip"]})
    assert present(result) == {Element.COERCION_AT_DESTINATION}


def test_declined_and_dont_know_never_count_and_are_listed_apart_in_form_order() -> None:
    specials = {
        "threats": "declined",
        "documents": "dont_know",
        "job_lie": "declined",
        "kept_documents[2]": "dont_know",
    }
    # A value passed by mistake beside a special is ignored: the special wins.
    result = run({"documents": "employer", "conditions": ["hours"]}, specials)
    assert result.declined == ["job_lie", "threats"]
    assert result.dont_know == ["kept_documents[2]", "documents"]
    assert hits(result, Element.COERCION_AT_DESTINATION) == []
    assert hits(result, Element.EXPLOITATION) == [
        ("conditions", "hours", "excessive_working_days_or_hours", "strong")
    ]


def test_declined_everything_is_incomplete_with_the_declined_listed() -> None:
    names = ["job_lie", "pay_lie", "forced_to_go", "conditions", "documents", "threats"]
    result = run({}, {name: "declined" for name in names})
    # A person who declines every question was not assessed: "no indication" would count
    # in statistics as a negative finding that was never made.
    assert result.result == "incomplete"
    assert result.insufficient_information is True
    assert result.incomplete_sections == []
    assert result.referral_recommended is False
    assert result.declined == names
    assert all(not r.indicators for r in result.elements.values())
    assert result.explanation[0].startswith("No assessment could be made")


def test_one_real_answer_among_declined_ones_is_an_assessment() -> None:
    names = ["job_lie", "pay_lie", "forced_to_go", "documents", "threats"]
    result = run({"conditions": ["none"]}, {name: "declined" for name in names})
    assert result.result == "no_indication"
    assert result.insufficient_information is False


def test_dont_know_everywhere_is_incomplete_too() -> None:
    result = run({"remarks": "x"}, {"job_lie": "dont_know", "documents": "dont_know"})
    assert result.result == "incomplete"
    assert result.insufficient_information is True


def test_nothing_asked_is_said_so() -> None:
    result = run({"remarks": "fine"})
    assert result.result == "incomplete"
    assert "no question able to carry an indicator was answered" in result.explanation[0]


def test_incomplete_only_for_sections_required_for_scoring() -> None:
    result = run(CLEAR, incomplete=["extra", "control"])
    assert result.result == "incomplete"
    assert result.indicated_result == "likely_trafficked"
    assert result.incomplete_sections == ["control"]
    assert result.referral_recommended is True  # what was disclosed still calls for referral
    assert result.explanation[0].startswith("Incomplete: required questions are unanswered in")
    assert "Control (en)" in result.explanation[0]
    assert "likely trafficked" in result.explanation[0]

    not_blocking = run({"conditions": ["none"]}, incomplete=["extra"])
    assert not_blocking.result == "no_indication"
    assert not_blocking.incomplete_sections == []


def test_incomplete_without_indicators_does_not_recommend_referral() -> None:
    result = run({}, incomplete=["recruitment"])
    assert result.result == "incomplete"
    assert result.indicated_result == "no_indication"
    assert result.referral_recommended is False


def test_screener_yes_refers_even_without_indication() -> None:
    result = run({"refer": "yes", "conditions": ["none"]})
    assert result.result == "no_indication"
    assert result.screener_referral is True
    assert result.referral_recommended is True
    assert "The screener recorded a decision to refer" in result.explanation[-1]


def test_screener_no_does_not_remove_a_recommended_referral() -> None:
    result = run({**CLEAR, "refer": "no"})
    assert result.screener_referral is False
    assert result.referral_recommended is True
    assert "record an override" in result.explanation[-1]
    quiet = run({"refer": "no"})
    assert quiet.referral_recommended is False
    assert not any("override" in s for s in quiet.explanation)


def test_unanswered_or_declined_referral_question_is_none() -> None:
    assert run({}).screener_referral is None
    assert run({}, {"refer": "declined"}).screener_referral is None


def test_form_without_referral_question() -> None:
    data = form_data()
    data["scoring"].pop("referral_question")
    result = run({"refer": "yes"}, form=Form.model_validate(data))
    assert result.screener_referral is None
    assert result.referral_recommended is False


@pytest.mark.parametrize(
    ("answers", "specials", "incomplete", "message"),
    [
        ({"nope": "yes"}, {}, [], "has no question 'nope'"),
        ({"job_lie": "maybe"}, {}, [], "'maybe' is not one of the choices of job_lie"),
        ({"job_lie": ["yes"]}, {}, [], "must be the name of one choice"),
        ({"conditions": [1]}, {}, [], "must be a list of choice names"),
        ({"conditions": ["hours", "sleep"]}, {}, [], "'sleep' is not one of the choices"),
        ({"bad key": 1}, {}, [], "is not a question name"),
        ({"job_lie[0]": "yes"}, {}, [], "is not a question name"),
        ({}, {"job_lie": "refused"}, [], "neither 'declined' nor 'dont_know'"),
        ({}, {"ghost": "declined"}, [], "has no question 'ghost'"),
        ({}, {}, ["nowhere"], "has no section 'nowhere'"),
    ],
)
def test_answers_that_do_not_fit_the_form_are_refused_with_one_sentence(
    answers: dict[str, object], specials: dict[str, str], incomplete: list[str], message: str
) -> None:
    with pytest.raises(ScoringError, match=message):
        run(answers, specials, incomplete)


def test_notes_are_not_questions_to_score() -> None:
    with pytest.raises(ScoringError, match="has no question 'thanks'"):
        run({"thanks": "x"})


def test_a_form_without_scoring_rules_cannot_be_scored() -> None:
    data = form_data()
    del data["scoring"]
    with pytest.raises(ScoringError, match="has no scoring rules"):
        run({}, form=Form.model_validate(data))


def test_text_and_date_values_are_accepted() -> None:
    result = run({"remarks": "x", "employer_town[1]": "y", "conditions": ["none"]})
    assert result.result == "no_indication"
    data = form_data()
    data["sections"][3]["items"].append({"type": "date", "name": "arrived", "label": {"en": "x"}})
    assert run({"arrived": date(2024, 5, 1)}, form=Form.model_validate(data)).result


def test_result_records_form_and_language() -> None:
    result = run(CLEAR, language="fr")
    assert (result.form_id, result.form_version, result.language) == ("sample", "1.0", "fr")


@pytest.mark.parametrize(("asked", "used"), [("fr-CA", "fr"), ("de", "en"), ("AR", "ar")])
def test_unsupported_languages_fall_back_and_say_which_was_used(asked: str, used: str) -> None:
    assert run(CLEAR, language=asked).language == used


def test_scoring_is_deterministic_whatever_the_order_of_the_answers() -> None:
    forward = run(dict(CLEAR))
    backward = run(dict(reversed(list(CLEAR.items()))))
    assert forward == backward


def test_guardian_refusal_means_no_assessment_even_with_own_consent() -> None:
    from pathlib import Path

    from screening.forms.compiler import load_form
    from screening.scoring import score

    root = Path(__file__).resolve().parents[3]
    form = load_form(root / "forms" / "screening-child.json").form
    assert form.scoring is not None
    assert form.scoring.consent_questions == ["consent", "guardian_consent"]
    refused = score(form, {"consent": "yes", "guardian_consent": "no"}, {}, [], "en")
    assert refused.result == "incomplete" and not refused.referral_recommended
    assert refused.explanation[0].startswith("Consent was not given")
    agreed = score(form, {"consent": "yes", "guardian_consent": "yes"}, {}, [], "en")
    assert not agreed.explanation[0].startswith("Consent was not given")
    no_guardian = score(form, {"consent": "yes"}, {}, [], "en")
    assert not no_guardian.explanation[0].startswith("Consent was not given")
