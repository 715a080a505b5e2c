"""Scoring with the indicator catalogue: the lists that apply, the child rule (Palermo art.
3(c)), age at recruitment, child protection and answers that are exploitation in themselves.

A small form built in code; its expected outcomes follow from the rules in docs/scoring.md
and the strengths in the catalogue (adult labour / child labour columns), never from output.
"""

from __future__ import annotations

from typing import Any

import pytest

from screening.forms.compiler import FormError, compile_data
from screening.forms.indicators import Element, Strength
from screening.forms.model import Form
from screening.scoring import decide, score
from tests.screening.scoring.sample import L, q

DR, CR, EX = Element.DECEPTIVE_RECRUITMENT, Element.COERCIVE_RECRUITMENT, Element.EXPLOITATION
CD = Element.COERCION_AT_DESTINATION


def t(element: str, indicator: str) -> dict[str, str]:
    return {"element": element, "indicator": indicator}


def c(name: str, *tags: dict[str, str], acts: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"name": name, "label": L(name), "indicators": list(tags), "acts": list(acts)}


def data(population: str = "adult", **scoring: Any) -> dict[str, Any]:
    yes_no = [c("yes"), c("no")]
    return {
        "id": "catalogue-sample",
        "version": "2.0",
        "title": L("Sample"),
        "languages": [{"code": code, "name": code} for code in ("en", "cnr", "ar", "fr")],
        "default_language": "en",
        "allow_dont_know": True,
        "choice_lists": {
            "yes_no": yes_no,
            "how_left": [
                c("own"),
                c("offer", acts=("recruitment",)),
                c("sold", acts=("transfer",)),
            ],
            "deception": [
                c("job", t("deceptive_recruitment", "deceived_about_nature_of_job")),
                c("pay", t("deceptive_recruitment", "deceived_about_wages")),
                c("school", t("deceptive_recruitment", "deceived_about_access_to_education")),
            ],
            "work": [
                c("hours", t("exploitation", "excessive_working_days_or_hours")),
                c("unpaid", t("exploitation", "low_or_no_salary")),
                c("tasks", t("coercion_at_destination", "forced_tasks_or_clients")),
                c("clients", t("coercion_at_destination", "forced_tasks_or_clients")),
                c("threat", t("coercion_at_destination", "threats_of_violence")),
                c("none"),
            ],
            "travelled": [c("family"), c("alone")],
        },
        "sections": [
            {
                "name": "main",
                "label": L("Main"),
                "items": [
                    q("select_one", "consent", choices="yes_no"),
                    q("integer", "age"),
                    q("integer", "age_then"),
                    q("select_one", "travelled", choices="travelled"),
                    q("select_one", "how_left", choices="how_left"),
                    q("select_multiple", "deceived", choices="deception"),
                    q("select_one", "worked", choices="yes_no"),
                    q("select_one", "sold_sex", choices="yes_no"),
                    q("select_one", "crime", choices="yes_no"),
                    q("select_multiple", "work", choices="work"),
                    q(
                        "select_one",
                        "papers_kept",
                        choices="yes_no",
                        indicators=[t("coercion_at_destination", "confiscation_of_documents")],
                    ),
                ],
            }
        ],
        "scoring": {
            "population": population,
            "catalogue": "ilo-ec-2009",
            "consent_questions": ["consent"],
            "age_question": "age",
            "age_at_recruitment_question": "age_then",
            "labour_exploitation_answers": [{"question": "worked", "choices": ["yes"]}],
            "sexual_exploitation_answers": [{"question": "sold_sex", "choices": ["yes"]}],
            "unaccompanied_answers": [{"question": "travelled", "choices": ["alone"]}],
            "child_exploitation_answers": [{"question": "crime", "choices": ["yes"]}],
            **scoring,
        },
    }


FORM = Form.model_validate(data())


def run(answers: dict[str, object], form: Form = FORM, specials: dict[str, str] | None = None):
    return score(form, {"consent": "yes", **answers}, specials or {}, [], "en")


def present(result) -> set[Element]:
    return set(result.present_elements())


# ------------------------------------------------------------------ the child rule


def test_child_moved_by_others_and_exploited_is_likely_without_any_means() -> None:
    # Excessive hours (strong) + no pay (medium) = exploitation; someone made the offer.
    result = run({"age": 15, "how_left": "offer", "worked": "yes", "work": ["hours", "unpaid"]})
    assert present(result) == {EX}
    assert result.result == "likely_trafficked"
    assert result.applied_rule == "child"
    assert result.indicator_list == "child_labour"
    assert [hit.act.value for hit in result.acts] == ["recruitment"]
    assert result.child_protection is True
    assert result.child_protection_reasons == ["exploitation_indicator"]
    assert any("no means are required" in s for s in result.explanation)


def test_the_same_answers_for_an_adult_are_only_possible() -> None:
    result = run({"age": 30, "how_left": "offer", "worked": "yes", "work": ["hours", "unpaid"]})
    assert result.result == "possible_trafficking"
    assert result.applied_rule == "adult"
    assert result.child_protection is False


def test_child_exploited_with_no_act_disclosed_is_possible() -> None:
    result = run({"age": 15, "how_left": "own", "worked": "yes", "work": ["hours", "unpaid"]})
    assert result.acts == []
    assert result.result == "possible_trafficking"
    assert result.child_protection is True


def test_act_without_exploitation_is_not_trafficking() -> None:
    result = run({"age": 15, "how_left": "sold", "worked": "no", "work": ["none"]})
    assert result.result == "no_indication"
    assert [hit.act.value for hit in result.acts] == ["transfer"]


def test_recruited_as_a_minor_is_scored_under_the_child_rule_without_child_protection() -> None:
    answers = {"age": 24, "age_then": 16, "how_left": "offer", "worked": "yes"}
    result = run({**answers, "work": ["hours", "unpaid"]})
    assert result.result == "likely_trafficked"
    assert result.applied_rule == "child"
    assert result.child_protection is False  # an adult now: protection of adults applies
    assert result.explanation[0].startswith("The person was under 18 when this began")


def test_a_child_strength_differs_from_the_adult_one() -> None:
    # Deception about education: weak for adults, strong for children (ILO/EC 2009).
    child = run({"age": 12, "deceived": ["school", "pay"]})
    adult = run({"age": 40, "deceived": ["school", "pay"]})
    assert child.elements[DR].counts[Strength.STRONG] == 1
    assert DR in present(child)  # strong + medium
    assert adult.elements[DR].counts[Strength.WEAK] == 1
    assert DR not in present(adult)  # medium + weak is not a combination


def test_unaccompanied_child_without_indicators_needs_child_protection() -> None:
    result = run({"age": 16, "travelled": "alone", "worked": "no", "work": ["none"]})
    assert result.result == "no_indication"
    assert result.referral_recommended is False
    assert result.child_protection_reasons == ["unaccompanied_or_separated"]


def test_a_child_used_in_crime_is_exploited_whatever_the_conditions() -> None:
    result = run({"age": 15, "how_left": "offer", "crime": "yes", "work": ["none"]})
    assert EX in present(result)
    assert result.elements[EX].indicators == []
    assert result.result == "likely_trafficked"
    adult = run({"age": 30, "how_left": "offer", "crime": "yes", "work": ["none"]})
    assert EX not in present(adult)


@pytest.mark.parametrize("population", ["adult", "child"])
def test_decide_needs_exploitation_for_likely(population: str) -> None:
    assert decide({DR, CD}, population, True, act_found=True).outcome == "possible_trafficking"


def test_decide_child_act_reason() -> None:
    decision = decide({EX}, "child", strong_found=True, act_found=True)
    assert (decision.outcome, decision.reason) == ("likely_trafficked", "child_act")
    assert decide({EX}, "adult", strong_found=True, act_found=True).outcome != "likely_trafficked"


# ------------------------------------------------------------------ lists and counting


def test_forced_tasks_and_forced_clients_are_one_indicator() -> None:
    # Before the catalogue two ids let one fact give two strong hits.
    result = run({"age": 30, "worked": "yes", "work": ["tasks", "clients"]})
    assert len(result.elements[CD].indicators) == 2
    assert result.elements[CD].counts[Strength.MEDIUM] == 1  # medium for adult labour
    assert CD not in present(result)


def test_sexual_list_applies_when_sexual_exploitation_is_disclosed() -> None:
    # Forced clients: medium in the adult labour list, strong in the adult sexual list.
    labour = run({"age": 30, "worked": "yes", "work": ["clients"], "papers_kept": "yes"})
    assert labour.indicator_list == "adult_labour"
    # Labour list: documents strong, forced clients medium.
    assert labour.elements[CD].counts == {Strength.STRONG: 1, Strength.MEDIUM: 1, Strength.WEAK: 0}
    sexual = run({"age": 30, "sold_sex": "yes", "work": ["clients"], "papers_kept": "yes"})
    assert sexual.lists_scored == ["adult_sexual"]
    assert sexual.elements[CD].counts[Strength.STRONG] == 2
    assert CD in present(sexual)


def test_both_lists_scored_and_the_stronger_finding_reported() -> None:
    answers = {"age": 30, "worked": "yes", "sold_sex": "yes", "work": ["clients", "threat"]}
    result = run(answers)
    assert result.lists_scored == ["adult_labour", "adult_sexual"]
    # Labour: two medium → no element, no strong → no indication.
    # Sexual: forced clients strong + threats medium → coercion present → possible.
    assert result.indicator_list == "adult_sexual"
    assert result.result == "possible_trafficking"
    assert any("applies too" in s for s in result.explanation)


def test_no_answer_of_substance_is_incomplete_not_no_indication() -> None:
    result = run({}, specials={"deceived": "declined", "work": "dont_know"})
    assert result.result == "incomplete"
    assert result.insufficient_information is True
    assert result.incomplete_sections == []


# ------------------------------------------------------------------ the compiler


def problems(form: dict[str, Any]) -> list[str]:
    with pytest.raises(FormError) as caught:
        compile_data(form, "test")
    return [p.message for p in caught.value.problems]


def test_a_tag_outside_the_catalogue_is_refused() -> None:
    form = data()
    form["choice_lists"]["work"][0]["indicators"] = [t("exploitation", "long_days")]
    assert any(
        "exploitation/long_days is not in the indicator catalogue" in p for p in problems(form)
    )


def test_a_tag_with_its_own_strength_is_refused_with_the_catalogue() -> None:
    form = data()
    form["choice_lists"]["work"][0]["indicators"][0]["strength"] = "weak"
    assert any("strengths come from the catalogue" in p for p in problems(form))


def test_a_form_before_the_catalogue_needs_strengths() -> None:
    form = data()
    del form["scoring"]["catalogue"]
    assert any("needs a strength" in p for p in problems(form))


def test_rule_answers_must_name_real_choices() -> None:
    form = data(unaccompanied_answers=[{"question": "travelled", "choices": ["alone", "x"]}])
    assert any("has no choice 'x'" in p for p in problems(form))
    form = data(age_question="travelled")
    assert any("age_question 'travelled' is not an integer question" in p for p in problems(form))
