"""The counting pass of a row-level export: one read of the vault that keeps the counts of
released-value combinations and, per row in reading order, its combination and case code as
numbers; then the plan (`kanon.choose`) and the rows it releases."""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from screening.export import fields
from screening.export.casecode import CaseCoder
from screening.export.detail import DETAIL, OUTCOME
from screening.export.errors import ExportError
from screening.export.hierarchy import LADDERS
from screening.export.kanon import EXPORT_BITS, Combo, Counts, Plan, choose
from screening.export.source import Filters, count, read

if TYPE_CHECKING:
    from screening.vault import Vault

# The quasi-identifiers, then the outcome and the detail column (screening/export/detail.py):
# k-anonymity covers all of them, that is every released column but the case code.
ROW_LADDERS = (*LADDERS, OUTCOME, DETAIL)
QI_WIDTH = len(LADDERS)
DETAIL_INDEX = len(LADDERS) + 1

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


@dataclass
class FirstPass:
    counts: Counts
    considered: int
    no_consent: int
    form_versions: set[tuple[str, str]]
    keys: array[int]  # per row with consent, in reading order: its packed combination
    codes: array[int] | None  # per row with consent: its case code as a number (export)
    earlier_interviews: int = 0  # of people counted by a newer interview


def first_pass(
    vault: Vault,
    filters: Filters,
    progress: Progress | None = None,
    total: int = 0,
    cancelled: Cancelled | None = None,
    coder: CaseCoder | None = None,
) -> FirstPass:
    """Counts of released-value combinations over the included rows, and per row its
    combination and (with a `coder`) its case code, as numbers."""
    counts = Counts(len(ROW_LADDERS), EXPORT_BITS)
    keys: array[int] = array("Q")
    codes: array[int] | None = None if coder is None else array("Q")
    considered = no_consent = 0
    versions: set[tuple[str, str]] = set()
    for src in read(vault, filters, fields.PASS2_ANSWERS, full=True, cancelled=cancelled):
        considered += 1
        if not fields.consented(src.answers):
            no_consent += 1
        else:
            try:
                keys.append(counts.add(fields.base_row(src)))
            except ValueError:
                raise ExportError(
                    "These interviews hold more distinct values than one export can count"
                    " (over 64 forms or 512 months); export fewer with --from, --to or --form."
                ) from None
            if codes is not None and coder is not None:
                # Per person, one code per person; per interview, one per row, so that two
                # rows of one person are not linked through their code.
                person = src.person_id if filters.per_person else None
                codes.append(coder.number(person or src.id))
            versions.add((src.form_id, src.form_version))
        if progress is not None and considered % 500 == 0:
            progress(considered, total)
    earlier = count(vault, replace(filters, per_person=False)) if filters.per_person else considered
    return FirstPass(
        counts, considered, no_consent, versions, keys, codes, max(earlier - considered, 0)
    )


def released_rows(counted: FirstPass, plan: Plan) -> Iterator[tuple[int, Combo]]:
    """(row number, the values to write) of every row the plan releases, in reading order."""
    made: dict[int, Combo | None] = {}
    release = plan.release_packed(counted.counts)
    for number, key in enumerate(counted.keys):
        if key in made:
            combo = made[key]
        else:
            combo = made[key] = release(key)
        if combo is not None:
            yield number, combo


def choose_plan(counted: FirstPass, k: int, max_suppressed: float, l_div: int) -> Plan:
    return choose(
        counted.counts,
        k,
        max_suppressed_share=max_suppressed,
        ladders=ROW_LADDERS,
        l_diversity=l_div,
        qi_width=QI_WIDTH,
        staged=(QI_WIDTH, DETAIL_INDEX),
    )
