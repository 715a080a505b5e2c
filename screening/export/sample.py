"""A few rows exactly as an export would write them, for the export dialog to show.

Same pass as `export` (counts and each row's combination, then generalisation and suppression
by the plan), but it stops after `n` released rows, writes nothing, audits nothing, and puts a
placeholder where the case code goes: the case-code key stays out of anything shown on screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from screening.export import fields
from screening.export.exporter import DEFAULT_K, DEFAULT_MAX_SUPPRESSED, planned
from screening.export.first_pass import DETAIL_INDEX, released_rows
from screening.export.source import Filters

if TYPE_CHECKING:
    from screening.vault import Vault

CODE_PLACEHOLDER = "R-…"
# The columns the export dialog shows: the ones every detail level writes.
SAMPLE_COLUMNS = ("form", "interview_month", "place", "age_band", "sex", "nationality", "outcome")


def sample_rows(
    vault: Vault,
    *,
    k: int = DEFAULT_K,
    filters: Filters | None = None,
    n: int = 3,
    max_suppressed: float = DEFAULT_MAX_SUPPRESSED,
    l_diversity: int = 1,
) -> list[dict[str, str]]:
    """Up to `n` rows of a table export (CSV/XLSX columns), keyed by column name."""
    return preview_with_samples(
        vault, k=k, filters=filters, n=n, max_suppressed=max_suppressed, l_diversity=l_diversity
    )["sample_rows"]


def preview_with_samples(
    vault: Vault,
    *,
    k: int = DEFAULT_K,
    filters: Filters | None = None,
    n: int = 3,
    max_suppressed: float = DEFAULT_MAX_SUPPRESSED,
    l_diversity: int = 1,
) -> dict[str, Any]:
    """The export preview (`exporter.preview`) with `sample_rows`, from one counting pass."""
    filters = filters or Filters()
    report, counted, plan = planned(vault, k, filters, max_suppressed, l_diversity)
    level = plan.levels[DETAIL_INDEX]
    columns = fields.table_columns(level)
    found: list[dict[str, str]] = []
    for _, combo in released_rows(counted, plan):
        row = fields.table_row(CODE_PLACEHOLDER, combo, level)
        found.append({str(c): str(v) for c, v in zip(columns, row, strict=True)})
        if len(found) >= n:
            break
    report["sample_rows"] = found
    return report
