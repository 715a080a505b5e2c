"""ScoringResult: the override with its mandatory reason, the CLI JSON, the invariants."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from screening.forms.indicators import Element
from screening.scoring import Override, ScoringResult, score
from tests.screening.scoring.sample import CLEAR, sample_form

FORM = sample_form()
AT = datetime(2025, 3, 1, 10, 30, tzinfo=UTC)


@pytest.fixture
def likely() -> ScoringResult:
    return score(FORM, CLEAR, {}, [], "en")


def test_override_keeps_the_computed_result_beside_it(likely: ScoringResult) -> None:
    changed = likely.with_override(
        "possible_trafficking", "  Works legally; will re-check.  ", "s1", AT
    )
    assert changed is not likely
    assert likely.override is None  # the original is untouched
    assert changed.result == "likely_trafficked"
    assert changed.final_result == "possible_trafficking"
    assert changed.override == Override(
        recommendation="possible_trafficking",
        reason="Works legally; will re-check.",
        by="s1",
        at=AT,
    )
    assert changed.explanation[:-1] == likely.explanation
    assert changed.explanation[-1] == (
        "The screener changed the recommendation to: possible trafficking (further assessment"
        " needed). Reason: Works legally; will re-check."
    )


def test_override_sentence_is_in_the_result_language() -> None:
    result = score(FORM, CLEAR, {}, [], "cnr").with_override("no_indication", "Razlog.", "s1", AT)
    assert result.explanation[-1] == (
        "Osoba koja vodi skrining izmijenila je preporuku u: nema indikatora trgovine ljudima."
        " Obrazloženje: Razlog."
    )


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_override_needs_a_written_reason(likely: ScoringResult, reason: str) -> None:
    with pytest.raises(ValidationError, match="needs a written reason"):
        likely.with_override("no_indication", reason, "s1", AT)
    with pytest.raises(ValidationError):
        Override(recommendation="no_indication", reason=reason, by="s1", at=AT)


def test_override_names_who_made_it(likely: ScoringResult) -> None:
    with pytest.raises(ValidationError, match="must name who made it"):
        likely.with_override("no_indication", "reason", " ", AT)


def test_override_time_must_be_aware(likely: ScoringResult) -> None:
    with pytest.raises(ValidationError):
        likely.with_override("no_indication", "reason", "s1", datetime(2025, 3, 1, 10, 30))
    local = datetime(2025, 3, 1, 12, 30, tzinfo=timezone(timedelta(hours=2)))
    assert likely.with_override("no_indication", "reason", "s1", local).override.at == AT


def test_override_defaults_to_now(likely: ScoringResult) -> None:
    before = datetime.now(UTC)
    at = likely.with_override("no_indication", "reason", "s1").override.at
    assert before <= at <= datetime.now(UTC)


def test_override_must_change_the_recommendation(likely: ScoringResult) -> None:
    with pytest.raises(ValueError, match="must change the recommendation"):
        likely.with_override("likely_trafficked", "agree", "s1", AT)


def test_incomplete_is_not_a_recommendation(likely: ScoringResult) -> None:
    with pytest.raises(ValidationError):
        likely.with_override("incomplete", "reason", "s1", AT)  # type: ignore[arg-type]
    incomplete = score(FORM, CLEAR, {}, ["control"], "en")
    assert incomplete.with_override("likely_trafficked", "heard enough", "s1", AT).final_result == (
        "likely_trafficked"
    )


def test_a_second_override_replaces_the_first(likely: ScoringResult) -> None:
    once = likely.with_override("no_indication", "first", "s1", AT)
    twice = once.with_override("possible_trafficking", "second", "s2", AT)
    assert twice.override is not None and twice.override.reason == "second"
    assert [s for s in twice.explanation if "Reason:" in s] == [
        "The screener changed the recommendation to: possible trafficking (further assessment"
        " needed). Reason: second"
    ]


def test_result_is_frozen(likely: ScoringResult) -> None:
    with pytest.raises(ValidationError):
        likely.result = "no_indication"  # type: ignore[misc]


def test_cli_json_shape(likely: ScoringResult) -> None:
    data = likely.to_cli_json()
    assert list(data) == [
        "result",
        "referral_recommended",
        "elements",
        "declined",
        "dont_know",
        "applied_rule",
        "indicator_list",
        "lists_scored",
        "acts",
        "child_protection",
        "child_protection_reasons",
        "insufficient_information",
        "explanation",
    ]
    assert data["result"] == "likely_trafficked"
    assert data["referral_recommended"] is True
    assert list(data["elements"]) == [element.value for element in Element]
    assert data["elements"]["exploitation"] == {
        "present": True,
        "indicators": [
            {
                "question": "conditions",
                "choice": "hours",
                "indicator": "excessive_working_days_or_hours",
                "strength": "strong",
            },
            {
                "question": "conditions",
                "choice": "unpaid",
                "indicator": "low_or_no_salary",
                "strength": "medium",
            },
        ],
    }
    assert data["elements"]["coercive_recruitment"] == {"present": False, "indicators": []}
    assert data["explanation"] == likely.explanation
    assert json.loads(json.dumps(data)) == data  # plain JSON types only


def test_cli_json_lists_declined_and_dont_know() -> None:
    result = score(FORM, {}, {"job_lie": "declined", "documents": "dont_know"}, [], "en")
    data = result.to_cli_json()
    assert (data["declined"], data["dont_know"]) == (["job_lie"], ["documents"])


def test_full_result_round_trips_through_json(likely: ScoringResult) -> None:
    changed = likely.with_override("no_indication", "reason", "s1", AT)
    assert ScoringResult.model_validate_json(changed.model_dump_json()) == changed


def test_result_must_describe_all_six_elements(likely: ScoringResult) -> None:
    data = likely.model_dump()
    del data["elements"][Element.EXPLOITATION]
    with pytest.raises(ValidationError, match="elements missing from the result: exploitation"):
        ScoringResult.model_validate(data)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"result": "incomplete"}, "exactly when incomplete_sections"),
        ({"incomplete_sections": ["control"]}, "exactly when incomplete_sections"),
        ({"result": "no_indication"}, "must equal indicated_result"),
        ({"indicated_result": "incomplete"}, "cannot be 'incomplete'"),
    ],
)
def test_result_invariants(likely: ScoringResult, changes: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        ScoringResult.model_validate({**likely.model_dump(), **changes})


def test_a_recorded_override_is_applied_to_a_result_scored_again(likely: ScoringResult) -> None:
    applied = likely.with_recorded_override(
        "possible_trafficking", "Works legally.", "s1", "2025-03-01T10:30:00Z"
    )
    assert applied.final_result == "possible_trafficking"
    assert applied.override is not None and applied.override.at == AT
    # Already overridden: the result's own override stands.
    assert applied.with_recorded_override("no_indication", "x", "s2", "2025-03-02T00:00:00Z") is (
        applied
    )
    # The answers changed so the override now equals the result, or the time is unreadable:
    # nothing to add.
    same = likely.with_recorded_override("likely_trafficked", "r", "s1", "2025-03-01T10:30:00Z")
    assert same is likely
    assert likely.with_recorded_override("possible_trafficking", "r", "s1", "not a time") is likely
