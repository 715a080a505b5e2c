"""The decision rules: when an element is present, and which elements give which outcome.

Source: ILO & European Commission, "Operational indicators of trafficking in human beings.
Results from a Delphi survey implemented by the ILO and the European Commission" (March 2009,
revised September 2009). See docs/scoring.md for the wording and the choices made here.

Pure functions over counts and sets, so the rules can be tested as tables without a form.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from screening.forms.indicators import (
    MEANS_AT_DESTINATION,
    RECRUITMENT_ELEMENTS,
    Element,
    Strength,
)

Outcome = Literal["likely_trafficked", "possible_trafficking", "no_indication", "incomplete"]
Population = Literal["adult", "child"]

OUTCOMES: tuple[Outcome, ...] = (
    "likely_trafficked",
    "possible_trafficking",
    "no_indication",
    "incomplete",
)
# Outcomes that call for a referral to a fuller assessment.
REFERRAL_OUTCOMES: frozenset[Outcome] = frozenset({"likely_trafficked", "possible_trafficking"})

# Lower rank = stronger; used to keep the strongest tag when one indicator is tagged twice.
_RANK = {Strength.STRONG: 0, Strength.MEDIUM: 1, Strength.WEAK: 2}


@dataclass(frozen=True)
class StrengthCounts:
    """How many *distinct* indicators of each strength one element has."""

    strong: int = 0
    medium: int = 0
    weak: int = 0

    @property
    def total(self) -> int:
        return self.strong + self.medium + self.weak


def ilo_element_present(counts: StrengthCounts) -> bool:
    """The ILO/EC 2009 rule: an element is present with at least
    two strong indicators, or one strong and one medium or weak indicator,
    or three medium indicators, or two medium and one weak indicator.

    "At least" applies to each combination, so more indicators never remove presence.
    Weak indicators alone, however many, never make an element present, nor does one
    strong indicator alone (the outcome rule still treats a lone strong indicator as a
    reason for further assessment; see `decide`).
    """
    strong, medium, weak = counts.strong, counts.medium, counts.weak
    return (
        strong >= 2
        or (strong >= 1 and medium + weak >= 1)
        or medium >= 3
        or (medium >= 2 and weak >= 1)
    )


ELEMENT_RULES: Mapping[str, Callable[[StrengthCounts], bool]] = {"ilo": ilo_element_present}


def element_present(counts: StrengthCounts, rule: str = "ilo") -> bool:
    try:
        check = ELEMENT_RULES[rule]
    except KeyError:
        raise ValueError(f"unknown element rule {rule!r}") from None
    return check(counts)


def distinct_strengths(tags: Iterable[tuple[str, Strength]]) -> dict[str, Strength]:
    """One strength per indicator id: the ILO rule counts indicators, not answers.

    The same indicator is often reached through several answers (two questions, two choices,
    several repeat instances); counting each would let a single fact make an element present.
    If a form tags one indicator with different strengths, the strongest is kept: it is the
    form author's own highest reading of that fact, and under-counting a disclosed indicator
    is the costlier mistake at screening.
    """
    chosen: dict[str, Strength] = {}
    for indicator, strength in tags:
        previous = chosen.get(indicator)
        if previous is None or _RANK[strength] < _RANK[previous]:
            chosen[indicator] = strength
    return chosen


def count_distinct(tags: Iterable[tuple[str, Strength]]) -> StrengthCounts:
    values = list(distinct_strengths(tags).values())
    return StrengthCounts(
        strong=values.count(Strength.STRONG),
        medium=values.count(Strength.MEDIUM),
        weak=values.count(Strength.WEAK),
    )


@dataclass(frozen=True)
class OutcomeDecision:
    """The outcome the indicators point to, and which branch of the rule decided it."""

    outcome: Outcome
    reason: Literal["combination", "child_act", "elements", "strong_indicator", "nothing"]


# Stronger findings first: when two indicator lists apply, the stronger finding is reported.
_OUTCOME_RANK = {"likely_trafficked": 0, "possible_trafficking": 1, "no_indication": 2}


def outcome_rank(outcome: Outcome) -> int:
    return _OUTCOME_RANK.get(outcome, 3)


def decide(
    present: Collection[Element],
    population: Population,
    strong_found: bool,
    act_found: bool = False,
) -> OutcomeDecision:
    """The outcome from the present elements, before completeness is considered.

    Adults (ILO/EC 2009): a recruitment element + exploitation + a means at destination →
    likely. Children (Palermo art. 3(c)): the act (someone else recruited, transported,
    transferred, harboured or received the child) + exploitation → likely; the means are
    reported but never required. A recruitment element implies the act (someone recruited).
    Any element present, or at least one strong indicator → possible (further assessment):
    at triage a single strong indicator (e.g. violence, confiscated documents) must not be
    recorded as "no indication" just because a second indicator was not asked for.
    """
    elements = set(present)
    recruitment = bool(elements & RECRUITMENT_ELEMENTS)
    exploitation = Element.EXPLOITATION in elements
    means = bool(elements & MEANS_AT_DESTINATION)
    if recruitment and exploitation and means:
        return OutcomeDecision("likely_trafficked", "combination")
    if population == "child" and exploitation and (recruitment or act_found):
        reason = "combination" if recruitment else "child_act"
        return OutcomeDecision("likely_trafficked", reason)
    if elements:
        return OutcomeDecision("possible_trafficking", "elements")
    if strong_found:
        return OutcomeDecision("possible_trafficking", "strong_indicator")
    return OutcomeDecision("no_indication", "nothing")
