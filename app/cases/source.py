"""Windowed reads of interview metadata for the case list; never reads answers.

Pages come from `Vault.list_interviews(limit, offset, …)` and counts from
`Vault.count_interviews`. The vault's listing does not carry the outcome and cannot filter
by it yet, so two narrow reads go through `Vault.connection()` (the documented way for other
modules to read the vault): the outcomes of the rows on one page, by id, and the whole page
when an outcome filter is set. Both read the `interviews` table only.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from screening.vault import Vault

STATUSES = ("draft", "completed", "stopped")
OUTCOMES = ("likely_trafficked", "possible_trafficking", "no_indication", "incomplete")
# Orderings the vault's listing supports, keyed by the case list's column keys.
SORTABLE = {"form": "form_id", "started": "created_at", "status": "status"}
_OUTCOME_SQL = "COALESCE(override_recommendation, json_extract(outcome, '$.result'))"


@dataclass(frozen=True, slots=True)
class CaseQuery:
    search: str = ""
    status: str | None = None
    form_id: str | None = None
    outcome: str | None = None
    date_from: date | None = None  # local calendar days, inclusive
    date_to: date | None = None
    order_by: str = "created_at"
    descending: bool = True

    def with_(self, **changes: Any) -> CaseQuery:
        return replace(self, **changes)


@dataclass(frozen=True, slots=True)
class CaseRow:
    id: str
    form_id: str
    form_version: str
    status: str
    created_at: str
    location: str | None
    delivered: bool
    outcome: str | None = field(default=None)


def local_day_bounds(day_from: date | None, day_to: date | None) -> tuple[Any, Any]:
    """Local calendar days → UTC instants, as the vault stores `created_at` in UTC."""

    def utc(day: date, at: time) -> datetime:
        return datetime.combine(day, at).astimezone().astimezone(UTC)

    low = utc(day_from, time.min) if day_from else None
    high = utc(day_to + timedelta(days=1), time.min) - timedelta(microseconds=1) if day_to else None
    return low, high


def _stamp(value: datetime | None) -> str | None:
    return None if value is None else value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class CaseSource:
    """Reads one window of the case list at a time from an unlocked vault."""

    def __init__(self, vault: Vault) -> None:
        self.vault = vault

    def _filters(self, q: CaseQuery) -> dict[str, Any]:
        low, high = local_day_bounds(q.date_from, q.date_to)
        return {
            "status": q.status,
            "form_id": q.form_id,
            "search": q.search.strip() or None,
            "date_from": low,
            "date_to": high,
        }

    def count(self, q: CaseQuery) -> int:
        if q.outcome is not None:
            return int(self._outcome_rows(q, count=True)[0][0])
        return self.vault.count_interviews(**self._filters(q))

    def page(self, q: CaseQuery, offset: int, limit: int) -> list[CaseRow]:
        if q.outcome is not None:
            rows = self._outcome_rows(q, offset=offset, limit=limit)
            return [CaseRow(*row[:6], delivered=bool(row[6]), outcome=row[7]) for row in rows]
        summaries = self.vault.list_interviews(
            **self._filters(q),
            order_by=q.order_by,
            descending=q.descending,
            limit=limit,
            offset=offset,
        )
        outcomes = self._outcomes([s.id for s in summaries if s.status != "draft"])
        return [
            CaseRow(
                s.id,
                s.form_id,
                s.form_version,
                s.status,
                s.created_at,
                s.location,
                s.delivered,
                outcomes.get(s.id),
            )
            for s in summaries
        ]

    def form_ids(self) -> list[str]:
        rows = self.vault.connection().execute("SELECT DISTINCT form_id FROM interviews")
        return sorted(str(r[0]) for r in rows)

    def _outcomes(self, ids: list[str]) -> dict[str, str | None]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self.vault.connection().execute(
            f"SELECT id, {_OUTCOME_SQL} FROM interviews WHERE id IN ({marks})", ids
        )
        return {str(i): (None if o is None else str(o)) for i, o in rows}

    def _outcome_rows(
        self, q: CaseQuery, *, count: bool = False, offset: int = 0, limit: int = 0
    ) -> list[tuple[Any, ...]]:
        f = self._filters(q)
        clauses, params = [f"{_OUTCOME_SQL} = ?"], [q.outcome]
        for column in ("status", "form_id"):
            if f[column] is not None:
                clauses.append(f"{column} = ?")
                params.append(f[column])
        if f["date_from"] is not None:
            clauses.append("created_at >= ?")
            params.append(_stamp(f["date_from"]))
        if f["date_to"] is not None:
            clauses.append("created_at <= ?")
            params.append(_stamp(f["date_to"]))
        if f["search"]:
            text = f["search"].replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            clauses.append(
                "(id LIKE ? ESCAPE '\\' OR form_id LIKE ? ESCAPE '\\'"
                " OR location LIKE ? ESCAPE '\\' OR screener LIKE ? ESCAPE '\\')"
            )
            params.extend([f"%{text}%"] * 4)
        where = " WHERE " + " AND ".join(clauses)
        if count:
            sql = f"SELECT count(*) FROM interviews{where}"
        else:
            if q.order_by not in SORTABLE.values():
                raise ValueError(f"cannot order by {q.order_by}")
            direction = "DESC" if q.descending else "ASC"
            sql = (
                "SELECT id, form_id, form_version, status, created_at, location, delivered,"
                f" {_OUTCOME_SQL} FROM interviews{where}"
                f" ORDER BY {q.order_by} {direction}, id {direction}"
                f" LIMIT {int(limit)} OFFSET {int(offset)}"
            )
        return list(self.vault.connection().execute(sql, params))
