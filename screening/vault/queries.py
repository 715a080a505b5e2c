"""Reading interview records: one interview, its answers, and fast metadata listings.

Listings read the `interviews` table only (never answers) and are served by the indexes
created in migration 3, so they stay fast over 100,000 interviews.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from screening import jsonio
from screening.vault.database import Connection
from screening.vault.errors import RecordNotFound, VaultError
from screening.vault.records import STATUSES, decode_value, interview_status

ORDERINGS = ("created_at", "updated_at", "completed_at", "status", "form_id", "location")
_SUMMARY_COLUMNS = (
    "id, form_id, form_version, status, language, screener, location, created_at, updated_at,"
    " completed_at, delivered,"
    # The outcome that stands: the screener's override, else the scored result. Read from
    # the row itself so that listing never touches answers.
    " coalesce(override_recommendation, json_extract(outcome, '$.result'))"
)


@dataclass(frozen=True, slots=True)
class Override:
    recommendation: str
    reason: str
    by: str
    at: str


@dataclass(frozen=True, slots=True)
class InterviewSummary:
    id: str
    form_id: str
    form_version: str
    status: str
    language: str
    screener: str
    location: str | None
    created_at: str
    updated_at: str
    completed_at: str | None
    delivered: bool
    outcome: str | None = None


@dataclass(frozen=True, slots=True)
class InterviewRecord:
    id: str
    form_id: str
    form_version: str
    form_hash: str
    language: str
    screener_language: str | None
    interpreter_used: bool
    screener: str
    location: str | None
    created_at: str
    updated_at: str
    completed_at: str | None
    status: str
    stop_reason: str | None
    outcome: dict[str, Any] | None
    override: Override | None
    delivered: bool
    delivered_at: str | None
    purged_at: str | None
    resume_page: str | None = None
    instance_counts: dict[str, int] | None = None


@dataclass(frozen=True, slots=True)
class Correction:
    name: str
    revision: int
    previous_value: object
    previous_special: str | None
    reason: str
    by: str
    at: str


def answers(conn: Connection, interview_id: str) -> dict[str, tuple[object, str | None]]:
    interview_status(conn, interview_id)
    rows = conn.execute(
        "SELECT name, value, special FROM answers WHERE interview_id = ?"
        " AND (value IS NOT NULL OR special IS NOT NULL)",
        (interview_id,),
    )
    return {str(n): (decode_value(v), s) for n, v, s in rows}


def revisions(conn: Connection, interview_id: str) -> dict[str, int]:
    rows = conn.execute(
        "SELECT name, revision FROM answers WHERE interview_id = ?", (interview_id,)
    )
    return {str(n): int(r) for n, r in rows}


def corrections(conn: Connection, interview_id: str) -> list[Correction]:
    interview_status(conn, interview_id)
    rows = conn.execute(
        "SELECT name, revision, previous_value, previous_special, reason, corrected_by,"
        " corrected_at FROM answer_corrections WHERE interview_id = ? ORDER BY id",
        (interview_id,),
    )
    return [
        Correction(n, int(r), decode_value(v), s, why, by, at) for n, r, v, s, why, by, at in rows
    ]


def get_interview(conn: Connection, interview_id: str) -> InterviewRecord:
    row = conn.execute(
        "SELECT id, form_id, form_version, form_hash, language, screener_language,"
        " interpreter_used, screener, location, created_at, updated_at, completed_at, status,"
        " stop_reason, outcome, override_recommendation, override_reason, override_by,"
        " override_at, delivered, delivered_at, purged_at, resume_page, instance_counts"
        " FROM interviews WHERE id = ?",
        (interview_id,),
    ).fetchone()
    if row is None:
        raise RecordNotFound(f"There is no interview {interview_id} in this vault.")
    override = None if row[15] is None else Override(row[15], row[16], row[17], row[18])
    return InterviewRecord(
        id=row[0],
        form_id=row[1],
        form_version=row[2],
        form_hash=row[3],
        language=row[4],
        screener_language=row[5],
        interpreter_used=bool(row[6]),
        screener=row[7],
        location=row[8],
        created_at=row[9],
        updated_at=row[10],
        completed_at=row[11],
        status=row[12],
        stop_reason=row[13],
        outcome=None if row[14] is None else jsonio.loads(row[14]),
        override=override,
        delivered=bool(row[19]),
        delivered_at=row[20],
        purged_at=row[21],
        resume_page=row[22],
        instance_counts=None if row[23] is None else jsonio.loads(row[23]),
    )


def _bound(value: date | datetime | str | None, *, upper: bool) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, date):
        # A date as upper bound means "through the end of that day".
        return (value + timedelta(days=1)).isoformat() if upper else value.isoformat()
    return str(value)


def _where(
    *,
    status: str | None = None,
    form_id: str | None = None,
    search: str | None = None,
    date_from: date | datetime | str | None = None,
    date_to: date | datetime | str | None = None,
) -> tuple[str, list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    if status is not None:
        if status not in STATUSES:
            raise VaultError(f"Unknown interview status {status!r}.")
        clauses.append("status = ?")
        params.append(status)
    if form_id is not None:
        clauses.append("form_id = ?")
        params.append(form_id)
    low, high = _bound(date_from, upper=False), _bound(date_to, upper=True)
    if low is not None:
        clauses.append("created_at >= ?")
        params.append(low)
    if high is not None:
        clauses.append(
            "created_at < ?"
            if isinstance(date_to, date) and not isinstance(date_to, datetime)
            else "created_at <= ?"
        )
        params.append(high)
    if search:
        # Metadata only (id, form, place, screener) - never answers.
        pattern = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        clauses.append(
            "(id LIKE ? ESCAPE '\\' OR form_id LIKE ? ESCAPE '\\'"
            " OR location LIKE ? ESCAPE '\\' OR screener LIKE ? ESCAPE '\\')"
        )
        params.extend([pattern] * 4)
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    return where, params


def list_interviews(
    conn: Connection,
    *,
    order_by: str = "created_at",
    descending: bool = True,
    limit: int | None = None,
    offset: int = 0,
    **filters: Any,
) -> list[InterviewSummary]:
    if order_by not in ORDERINGS:
        raise VaultError(f"Interviews cannot be ordered by {order_by!r}.")
    where, params = _where(**filters)
    direction = "DESC" if descending else "ASC"
    # A text search has to look at every row anyway: "+" makes SQLite scan the table once and
    # sort the matches, instead of walking an index in order and fetching rows one by one
    # (ten times slower when few rows match).
    key = f"+{order_by}" if filters.get("search") else order_by
    page = ""
    if limit is not None:
        page = f" LIMIT {int(limit)} OFFSET {int(offset)}"
    elif offset:
        page = f" LIMIT -1 OFFSET {int(offset)}"
    # The page's rowids are chosen first - from an index alone when the filters allow - and
    # only those rows are read, so a deep page does not read every row it skips. Ties are
    # broken by rowid (insertion order), which every index carries.
    sql = (
        f"SELECT {_SUMMARY_COLUMNS} FROM interviews WHERE rowid IN"
        f" (SELECT rowid FROM interviews{where} ORDER BY {key} {direction}, rowid {direction}"
        f"{page}) ORDER BY {order_by} {direction}, rowid {direction}"
    )
    rows = conn.execute(sql, params)
    return [InterviewSummary(*row[:10], delivered=bool(row[10]), outcome=row[11]) for row in rows]


def count_interviews(conn: Connection, **filters: Any) -> int:
    where, params = _where(**filters)
    sql = f"SELECT count(*) FROM interviews{where}"
    return int(conn.execute(sql, params).fetchone()[0])
