"""Indicator scoring after the ILO/EC operational indicators of trafficking (docs/scoring.md).

`score()` turns a form's relevant answers into a `ScoringResult`: an outcome, every element
with the answers that carry its indicators, declined and don't-know answers listed apart, an
explanation in the screener's language, and room for a screener's override with its reason.
Never imports Qt.
"""

from screening.scoring.result import (
    ActHit,
    ElementResult,
    IndicatorHit,
    Override,
    Recommendation,
    ScoringResult,
)
from screening.scoring.rules import (
    OUTCOMES,
    Outcome,
    StrengthCounts,
    count_distinct,
    decide,
    element_present,
    ilo_element_present,
)
from screening.scoring.score import ScoringError, score

__all__ = [
    "OUTCOMES",
    "ActHit",
    "ElementResult",
    "IndicatorHit",
    "Outcome",
    "Override",
    "Recommendation",
    "ScoringError",
    "ScoringResult",
    "StrengthCounts",
    "count_distinct",
    "decide",
    "element_present",
    "ilo_element_present",
    "score",
]
