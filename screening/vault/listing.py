"""What the interview lists' queries share (`caselist.py`, `received.py`): the recommendation
that stands, the metadata search, local calendar days as the vault's UTC text, and the
forms in use. The `interviews` table only: nothing here reads answers.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from typing import Any, Self

from screening.vault.database import Connection

# The outcomes a list filters by, in the order the filter offers them (the scoring's three
# recommendations, and "incomplete" for an interview that could not be scored).
OUTCOMES = ("likely_trafficked", "possible_trafficking", "no_indication", "incomplete")
COMPUTED = "json_extract(outcome, '$.result')"
# The recommendation that stands: the screener's override where there is one.
STANDING = f"coalesce(override_recommendation, {COMPUTED})"


@dataclass(frozen=True, slots=True)
class ListQuery:
    """The filters every interview list has, and its order; each list adds its own."""

    search: str = ""
    status: str | None = None
    form_id: str | None = None
    outcome: str | None = None  # the recommendation that stands (the override, if any)
    date_from: date | None = None  # local calendar days, inclusive
    date_to: date | None = None
    order_by: str = ""
    descending: bool = True

    def with_(self, **changes: Any) -> Self:
        return replace(self, **changes)


def utc_text(moment: datetime) -> str:
    """An aware instant in the vault's `created_at` format (so the index on it serves)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def local_day_start(day: date, at: time = time.min) -> datetime:
    """`at` on a local calendar day, as a UTC instant."""
    return datetime.combine(day, at).astimezone().astimezone(UTC)


def search_clause(text: str) -> tuple[str, list[object]]:
    """Metadata only (id, form, place, screener), never answers; LIKE wildcards typed by
    the user are taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    clause = (
        "(id LIKE ? ESCAPE '\\' OR form_id LIKE ? ESCAPE '\\'"
        " OR location LIKE ? ESCAPE '\\' OR screener LIKE ? ESCAPE '\\')"
    )
    return clause, [f"%{escaped}%"] * 4


def form_ids(conn: Connection) -> list[str]:
    """Every form id the vault's interviews use, sorted (the form index answers at once)."""
    return sorted(str(r[0]) for r in conn.execute("SELECT DISTINCT form_id FROM interviews"))
