"""The released columns beyond the quasi-identifiers: outcome and detail, as two more ladders.

Someone who knows what happened to a person (a trafficker does) knows more than their age,
sex and nationality: the list of what they went through can single them out as surely as a
name. So the export's k-anonymity covers every released column except the per-export case
code, not only the quasi-identifiers. The outcome is one column with its own ladder (as
screened, or suppressed); everything else an interview tells (elements, indicators, HTCDS
codes, needs) is one "detail" column whose ladder releases less at each level: indicators
and codes, codes without indicators, elements and types of exploitation, elements only,
nothing. The search in `kanon` picks one level for every row, together with the
quasi-identifiers' levels.

A detail value is the JSON list of the detail columns' text in `DETAIL_COLUMNS` order, with
`null` for a column its level does not release; climbing the ladder nulls more columns, so
every step maps one value to exactly one coarser value, as the other ladders do.
"""

from __future__ import annotations

import json
from collections import Counter

from screening.export.hierarchy import SUPPRESSED, Ladder
from screening.forms.indicators import Element

ELEMENTS = tuple(element.value for element in Element)
ELEMENT_COLUMNS = tuple(f"element_{e}" for e in ELEMENTS)

DETAIL_COLUMNS = (
    "scored_outcome",
    "overridden",
    "referral_recommended",
    *ELEMENT_COLUMNS,
    "indicators",
    "exploitation_types",
    "methods_of_control",
    "labour_industries",
    "sex_exploitation_types",
    "recruiter_relationship",
    "recruitment_method",
    "needs",
    "needs_urgent",
    "referred_services",
)

# (name, the columns released at that level), most detailed first.
_CODES = frozenset(DETAIL_COLUMNS) - {"indicators"}
DETAIL_LEVELS: tuple[tuple[str, frozenset[str]], ...] = (
    ("indicators and HTCDS codes", frozenset(DETAIL_COLUMNS)),
    ("HTCDS codes and needs, no indicators", _CODES),
    (
        "elements and types of exploitation",
        frozenset({*ELEMENT_COLUMNS, "exploitation_types", "referral_recommended"}),
    ),
    ("elements only", frozenset(ELEMENT_COLUMNS)),
    ("no detail", frozenset()),
)


def encode(values: dict[str, str]) -> str:
    """The most detailed value of the detail column for one interview."""
    return json.dumps(
        [values[c] for c in DETAIL_COLUMNS], ensure_ascii=False, separators=(",", ":")
    )


def decode(value: str) -> dict[str, str]:
    """The released detail columns of a value (all of them '*' for a suppressed row)."""
    if value == SUPPRESSED:
        return dict.fromkeys(DETAIL_COLUMNS, SUPPRESSED)
    items = json.loads(value)
    return {c: v for c, v in zip(DETAIL_COLUMNS, items, strict=True) if v is not None}


def _keep_only(columns: frozenset[str]) -> object:
    def step(value: str, counts: Counter[str], k: int) -> str:
        if value == SUPPRESSED:
            return value
        items = json.loads(value)
        kept = [v if c in columns else None for c, v in zip(DETAIL_COLUMNS, items, strict=True)]
        return json.dumps(kept, ensure_ascii=False, separators=(",", ":"))

    return step


DETAIL = Ladder(
    "detail",
    tuple(name for name, _ in DETAIL_LEVELS),
    tuple(_keep_only(columns) for _, columns in DETAIL_LEVELS[1:]),  # type: ignore[misc]
    (1.0, 2.0, 1.5, 3.0),
)


def _suppress(value: str, counts: Counter[str], k: int) -> str:
    return SUPPRESSED


# The outcome is what the statistics are about: suppressed for every row only when nothing
# else gets the file to k.
OUTCOME = Ladder("outcome", ("as screened", "suppressed"), (_suppress,), (30.0,))


def released_columns(level: int) -> tuple[str, ...]:
    """The detail columns a level releases, in column order."""
    kept = DETAIL_LEVELS[level][1]
    return tuple(c for c in DETAIL_COLUMNS if c in kept)


def withheld_columns(level: int) -> tuple[str, ...]:
    kept = DETAIL_LEVELS[level][1]
    return tuple(c for c in DETAIL_COLUMNS if c not in kept)
