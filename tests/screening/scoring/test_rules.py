"""The ILO/EC element-presence rule, indicator deduplication and the outcome rule as tables."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from screening.forms.indicators import (
    MEANS_AT_DESTINATION,
    RECRUITMENT_ELEMENTS,
    Element,
    Strength,
)
from screening.scoring.rules import (
    StrengthCounts,
    count_distinct,
    decide,
    distinct_strengths,
    element_present,
    ilo_element_present,
)

S, M, W = Strength.STRONG, Strength.MEDIUM, Strength.WEAK

# (strong, medium, weak) → present, per "at least two strong indicators, or one strong and one
# medium or weak, or three medium, or two medium and one weak" (ILO/EC 2009).
PRESENCE_TABLE = [
    ((0, 0, 0), False),
    ((1, 0, 0), False),  # one strong alone is not enough
    ((0, 1, 0), False),
    ((0, 0, 1), False),
    ((2, 0, 0), True),  # two strong
    ((1, 1, 0), True),  # one strong + one medium
    ((1, 0, 1), True),  # one strong + one weak
    ((0, 3, 0), True),  # three medium
    ((0, 2, 1), True),  # two medium + one weak
    ((0, 2, 0), False),  # two medium without a weak
    ((0, 1, 1), False),
    ((0, 1, 2), False),  # one medium + two weak: not one of the combinations
    ((0, 1, 9), False),
    ((0, 0, 2), False),
    ((0, 0, 3), False),  # three weak alone is not present
    ((0, 0, 20), False),  # weak alone never is
    ((3, 0, 0), True),
    ((0, 4, 0), True),
    ((0, 2, 5), True),
    ((1, 5, 5), True),
    ((2, 2, 2), True),
]


@pytest.mark.parametrize(("counts", "expected"), PRESENCE_TABLE)
def test_ilo_presence_table(counts: tuple[int, int, int], expected: bool) -> None:
    assert ilo_element_present(StrengthCounts(*counts)) is expected
    assert element_present(StrengthCounts(*counts), "ilo") is expected


# The combinations as the publication lists them, each "at least" that many.
MINIMAL = [(2, 0, 0), (1, 1, 0), (1, 0, 1), (0, 3, 0), (0, 2, 1)]


def _contains_a_combination(s: int, m: int, w: int) -> bool:
    return any(s >= cs and m >= cm and w >= cw for cs, cm, cw in MINIMAL)


@given(st.integers(0, 4), st.integers(0, 5), st.integers(0, 6))
def test_presence_is_exactly_the_four_combinations(s: int, m: int, w: int) -> None:
    assert ilo_element_present(StrengthCounts(s, m, w)) is _contains_a_combination(s, m, w)


@given(
    st.integers(0, 4),
    st.integers(0, 5),
    st.integers(0, 6),
    st.sampled_from([(1, 0, 0), (0, 1, 0), (0, 0, 1)]),
)
def test_more_indicators_never_remove_presence(
    s: int, m: int, w: int, extra: tuple[int, int, int]
) -> None:
    before = ilo_element_present(StrengthCounts(s, m, w))
    after = ilo_element_present(StrengthCounts(s + extra[0], m + extra[1], w + extra[2]))
    assert after or not before


def test_unknown_element_rule_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown element rule"):
        element_present(StrengthCounts(2, 0, 0), "majority")


def test_one_indicator_is_counted_once_however_many_answers_carry_it() -> None:
    tags = [("debt_bondage", S), ("debt_bondage", S), ("debt_bondage", S)]
    assert count_distinct(tags) == StrengthCounts(1, 0, 0)
    assert ilo_element_present(count_distinct(tags)) is False


def test_distinct_indicators_each_count() -> None:
    tags = [("debt_bondage", S), ("confiscation_of_documents", S), ("debt_bondage", S)]
    assert count_distinct(tags) == StrengthCounts(2, 0, 0)


def test_an_indicator_tagged_with_two_strengths_counts_once_at_the_strongest() -> None:
    assert distinct_strengths([("x", W), ("x", M)]) == {"x": M}
    assert distinct_strengths([("x", M), ("x", S), ("x", W)]) == {"x": S}
    assert count_distinct([("x", W), ("x", S), ("y", M)]) == StrengthCounts(1, 1, 0)


def test_counts_total() -> None:
    assert StrengthCounts(1, 2, 3).total == 6


@pytest.mark.parametrize("recruitment", sorted(RECRUITMENT_ELEMENTS))
@pytest.mark.parametrize("means", sorted(MEANS_AT_DESTINATION))
def test_adult_needs_recruitment_exploitation_and_means(recruitment: Element, means: Element):
    decision = decide({recruitment, Element.EXPLOITATION, means}, "adult", True)
    assert (decision.outcome, decision.reason) == ("likely_trafficked", "combination")
    without_means = decide({recruitment, Element.EXPLOITATION}, "adult", True)
    assert (without_means.outcome, without_means.reason) == ("possible_trafficking", "elements")


@pytest.mark.parametrize("recruitment", sorted(RECRUITMENT_ELEMENTS))
def test_child_needs_no_means(recruitment: Element) -> None:
    decision = decide({recruitment, Element.EXPLOITATION}, "child", False)
    assert decision.outcome == "likely_trafficked"


@pytest.mark.parametrize("population", ["adult", "child"])
@pytest.mark.parametrize(
    "present",
    [
        {Element.EXPLOITATION},
        {Element.EXPLOITATION, Element.COERCION_AT_DESTINATION},  # no recruitment
        {Element.DECEPTIVE_RECRUITMENT, Element.COERCION_AT_DESTINATION},  # no exploitation
        {Element.ABUSE_OF_VULNERABILITY_AT_DESTINATION},
        {Element.COERCIVE_RECRUITMENT},
    ],
)
def test_partial_combinations_are_possible(population: str, present: set[Element]) -> None:
    decision = decide(present, population, False)  # type: ignore[arg-type]
    assert (decision.outcome, decision.reason) == ("possible_trafficking", "elements")


def test_a_strong_indicator_alone_calls_for_further_assessment() -> None:
    decision = decide(set(), "adult", True)
    assert (decision.outcome, decision.reason) == ("possible_trafficking", "strong_indicator")


@pytest.mark.parametrize("population", ["adult", "child"])
def test_nothing_present_and_no_strong_indicator_is_no_indication(population: str) -> None:
    decision = decide(set(), population, False)  # type: ignore[arg-type]
    assert (decision.outcome, decision.reason) == ("no_indication", "nothing")
