"""The screener's case list: how many interviews match, and one window of them.

Every interview of the vault, drafts included, sorted by columns the vault's general
listing does not order by (outcome, language, sync), every tie broken by the start date,
newest first. The page's rowids are chosen first, from an index where the ordering has one,
so a deep page does not read every row it skips. Beside the `interviews` table, a page reads
who paused or stopped its interviews (the audit log, `pauses.py`) and which of them came by
sync (their `import` audit row). Never answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from screening.vault.database import Connection
from screening.vault.listing import (
    STANDING,
    ListQuery,
    local_day_start,
    search_clause,
    utc_text,
)
from screening.vault.pauses import Pause, pause_states

STATUSES = ("draft", "completed", "stopped")
# What each column of the case list sorts by (SQL over the `interviews` table).
SORTABLE = {
    "id": "id",
    "form": "form_id",
    "started": "created_at",
    "language": "language",
    "status": "status",
    "outcome": STANDING,
    "sync": "delivered",
}


@dataclass(frozen=True, slots=True)
class CaseQuery(ListQuery):
    order_by: str = "created_at"  # SQL: a value of SORTABLE


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
    language: str = ""
    pause: Pause | None = None
    received: bool = False
    form_hash: str = ""
    updated_at: str = ""
    # The form's instance_name over the answers (screening.case_labels, filled in by the app's
    # case source): it may name the person, so it lives only in this in-memory row.
    label: str | None = None


def local_day_bounds(
    day_from: date | None, day_to: date | None
) -> tuple[datetime | None, datetime | None]:
    """Local calendar days → UTC instants, as the vault stores `created_at` in UTC."""
    low = local_day_start(day_from) if day_from else None
    high = (
        local_day_start(day_to + timedelta(days=1)) - timedelta(microseconds=1) if day_to else None
    )
    return low, high


def listing_filters(q: CaseQuery) -> dict[str, Any]:
    """The query as `Vault.count_interviews` filters (all but the outcome)."""
    low, high = local_day_bounds(q.date_from, q.date_to)
    return {
        "status": q.status,
        "form_id": q.form_id,
        "search": q.search.strip() or None,
        "date_from": low,
        "date_to": high,
    }


def count_cases(conn: Connection, q: CaseQuery) -> int:
    return int(_rows(conn, q, count=True)[0][0])


def case_page(conn: Connection, q: CaseQuery, offset: int, limit: int) -> list[CaseRow]:
    rows = [
        CaseRow(
            *row[:6],
            delivered=bool(row[6]),
            outcome=row[7],
            language=str(row[8] or ""),
            form_hash=str(row[9]),
            updated_at=str(row[10]),
        )
        for row in _rows(conn, q, offset=offset, limit=limit)
    ]
    ids = [r.id for r in rows if r.status in ("draft", "stopped")]
    pauses = pause_states(conn, ids) if ids else {}
    received = _received(conn, [r.id for r in rows if r.status != "draft"])
    return [
        replace(r, pause=pauses.get(r.id), received=r.id in received)
        if r.id in pauses or r.id in received
        else r
        for r in rows
    ]


def _received(conn: Connection, ids: list[str]) -> set[str]:
    if not ids:
        return set()
    marks = ",".join("?" * len(ids))
    rows = conn.execute(
        f"SELECT DISTINCT object_id FROM audit WHERE object_id IN ({marks}) AND action = 'import'",
        ids,
    )
    return {str(r[0]) for r in rows}


def _rows(
    conn: Connection, q: CaseQuery, *, count: bool = False, offset: int = 0, limit: int = 0
) -> list[tuple[Any, ...]]:
    f = listing_filters(q)
    clauses: list[str] = []
    params: list[Any] = []
    if q.outcome is not None:
        clauses.append(f"{STANDING} = ?")
        params.append(q.outcome)
    for column in ("status", "form_id"):
        if f[column] is not None:
            clauses.append(f"{column} = ?")
            params.append(f[column])
    if f["date_from"] is not None:
        clauses.append("created_at >= ?")
        params.append(utc_text(f["date_from"]))
    if f["date_to"] is not None:
        clauses.append("created_at <= ?")
        params.append(utc_text(f["date_to"]))
    if f["search"]:
        clause, values = search_clause(f["search"])
        clauses.append(clause)
        params.extend(values)
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    if count:
        return list(conn.execute(f"SELECT count(*) FROM interviews{where}", params))
    if q.order_by not in SORTABLE.values():
        raise ValueError(f"cannot order by {q.order_by}")
    direction = "DESC" if q.descending else "ASC"
    if q.order_by == "created_at":
        order = f"created_at {direction}, id {direction}"
    else:
        # Ties (every draft, every "Not sent") are broken by the start date, newest first.
        order = f"{q.order_by} {direction}, created_at DESC, id DESC"
    sql = (
        "SELECT id, form_id, form_version, status, created_at, location, delivered,"
        f" {STANDING}, language, form_hash, updated_at FROM interviews WHERE rowid IN"
        f" (SELECT rowid FROM interviews{where} ORDER BY {order}"
        f" LIMIT {int(limit)} OFFSET {int(offset)}) ORDER BY {order}"
    )
    return list(conn.execute(sql, params))
