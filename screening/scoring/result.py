"""The scoring result: the outcome, the elements with the answers behind them, the override."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, field_validator, model_validator

from screening.forms.indicators import Act, Element, IndicatorList, Strength
from screening.scoring import messages
from screening.scoring.rules import Outcome, Population

# "incomplete" describes the record, not the person: a screener cannot recommend it.
Recommendation = Literal["likely_trafficked", "possible_trafficking", "no_indication"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class IndicatorHit(_Frozen):
    """One answer that carries one indicator."""

    question: str  # the answer key: `name`, or `name[i]` in a repeat
    choice: str | None  # the choice that carries it; None for text, number and date answers
    indicator: str
    strength: Strength


class ActHit(_Frozen):
    """One answer that shows a Palermo act done to the person by someone else."""

    question: str
    choice: str | None
    act: Act


class ElementResult(_Frozen):
    present: bool
    # Every answer that carries an indicator of this element, in form order. One indicator
    # may appear several times here; `counts` counts it once (see rules.distinct_strengths).
    indicators: list[IndicatorHit]
    counts: dict[Strength, int]


class Override(_Frozen):
    """A screener's different recommendation; it is only valid with a written reason."""

    recommendation: Recommendation
    reason: str
    by: str
    # Aware, so that an audited decision is unambiguous across laptops and time zones.
    at: AwareDatetime

    @field_validator("reason")
    @classmethod
    def _reason_written(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("an override needs a written reason")
        return value

    @field_validator("by")
    @classmethod
    def _by_named(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("an override must name who made it")
        return value


class ScoringResult(_Frozen):
    form_id: str
    form_version: str
    population: Population
    result: Outcome
    # What the answers given so far point to; equals `result` unless the record is incomplete.
    indicated_result: Outcome
    referral_recommended: bool
    # The screener's own answer to the form's referral question, when it has one and it was
    # answered: True for "yes", False for any other choice.
    screener_referral: bool | None = None
    elements: dict[Element, ElementResult]
    declined: list[str]
    dont_know: list[str]
    incomplete_sections: list[str]
    explanation: list[str]
    language: str  # the language the explanation is written in
    override: Override | None = None
    # Results recorded before the indicator catalogue lack the fields below; their defaults
    # say "not known" rather than inventing what the old rules did not compute.
    # The rule applied: "child" for a child now or someone recruited as a child.
    applied_rule: Population | None = None
    # The ILO/EC list whose strengths decided the outcome, and every list that applied.
    indicator_list: IndicatorList | None = None
    lists_scored: list[IndicatorList] = []
    acts: list[ActHit] = []
    child_protection: bool = False
    child_protection_reasons: list[str] = []
    # Consent given, but no question able to carry an indicator got a real answer.
    insufficient_information: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> ScoringResult:
        missing = [element.value for element in Element if element not in self.elements]
        if missing:
            raise ValueError(f"elements missing from the result: {', '.join(missing)}")
        if self.indicated_result == "incomplete":
            raise ValueError("indicated_result cannot be 'incomplete'")
        if (self.result == "incomplete") != bool(
            self.incomplete_sections or self.insufficient_information
        ):
            raise ValueError(
                "result is 'incomplete' exactly when incomplete_sections are named or"
                " information is insufficient"
            )
        if self.result != "incomplete" and self.result != self.indicated_result:
            raise ValueError("a complete result must equal indicated_result")
        return self

    @property
    def final_result(self) -> Outcome:
        """The recommendation that stands: the screener's override if there is one."""
        return self.override.recommendation if self.override else self.result

    def present_elements(self) -> list[Element]:
        return [element for element in Element if self.elements[element].present]

    def with_override(
        self,
        recommendation: Recommendation,
        reason: str,
        by: str,
        at: datetime | None = None,
    ) -> ScoringResult:
        """A copy carrying the screener's override; the computed result is kept beside it.

        Raises ValueError (pydantic's ValidationError is one) when the reason is blank, the
        screener is not named, the time is naive, or the recommendation does not change.
        """
        override = Override(
            recommendation=recommendation,
            reason=reason,
            by=by,
            at=at if at is not None else datetime.now(UTC),
        )
        if override.recommendation == self.result:
            raise ValueError(
                f"an override must change the recommendation; it is already {self.result}"
            )
        note = messages.override_sentence(self.language, override.recommendation, override.reason)
        # A second override replaces the first; the audit log keeps the history.
        explanation = [line for line in self.explanation if not self._is_override_line(line)]
        return self.model_copy(update={"override": override, "explanation": [*explanation, note]})

    def with_recorded_override(
        self, recommendation: str, reason: str, by: str, at: str
    ) -> ScoringResult:
        """The override a vault recorded (its time as ISO text), applied to this result as
        scored again from the answers; this result unchanged when it carries an override
        already, or when the recorded one no longer changes anything (the answers changed
        since, so the override now equals the result) or cannot be read."""
        if self.override is not None:
            return self
        try:
            when = datetime.fromisoformat(at.replace("Z", "+00:00"))
            return self.with_override(recommendation, reason, by, when)  # type: ignore[arg-type]
        except ValueError:
            return self

    def _is_override_line(self, line: str) -> bool:
        return self.override is not None and line == messages.override_sentence(
            self.language, self.override.recommendation, self.override.reason
        )

    def to_cli_json(self) -> dict[str, Any]:
        """The `"outcome"` object of `screening interview run` (see the issue's format)."""
        return {
            "result": self.result,
            "referral_recommended": self.referral_recommended,
            "elements": {
                element.value: {
                    "present": self.elements[element].present,
                    "indicators": [
                        {
                            "question": hit.question,
                            "choice": hit.choice,
                            "indicator": hit.indicator,
                            "strength": hit.strength.value,
                        }
                        for hit in self.elements[element].indicators
                    ],
                }
                for element in Element
            },
            "declined": list(self.declined),
            "dont_know": list(self.dont_know),
            "applied_rule": self.applied_rule,
            "indicator_list": self.indicator_list,
            "lists_scored": list(self.lists_scored),
            "acts": [
                {"question": hit.question, "choice": hit.choice, "act": hit.act.value}
                for hit in self.acts
            ],
            "child_protection": self.child_protection,
            "child_protection_reasons": list(self.child_protection_reasons),
            "insufficient_information": self.insufficient_information,
            "explanation": list(self.explanation),
        }
