"""The received-interviews listing: which finished interviews match, in what order, and one
page of them by row id. Metadata of the `interviews` table only: nothing here reads answers.

What the vault's general listing (`queries.list_interviews`) cannot do: leave out drafts and
purged interviews, filter by the recommendation that stands, by whether the screener
overrode it, and by centre. A filter or sort change asks once for the ordered row ids of
every match (a covering-index walk for the usual orders: about 80 ms for 100,000 interviews
on the development VM, more for the orders no index serves); pages are then read by row id,
200 at a time, in about a millisecond, wherever the list scrolls. Row ids are stable: the
vault never deletes interview rows and never vacuums.

The coordinator's list (`app/coordinator/source.py`) calls these on the vault's connection.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass
from datetime import timedelta

from screening.vault.database import Connection
from screening.vault.listing import (
    COMPUTED,
    OUTCOMES,
    STANDING,
    ListQuery,
    form_ids,
    local_day_start,
    search_clause,
    utc_text,
)

# A coordinator reviews finished interviews: drafts are still being asked, purged ones have
# no answers left.
STATUSES = ("completed", "stopped")
RECOMMENDATIONS = OUTCOMES
# Sort keys (the list's column keys) → the SQL expression they order by.
ORDER = {
    "date": "created_at",
    "centre": "location",
    "form": "form_id",
    "status": "status",
    "outcome": COMPUTED,
    "override": "override_recommendation",
    "screener": "screener",
}
_ROW_COLUMNS = (
    "rowid, id, form_id, form_version, status, created_at, location, screener,"
    f" {COMPUTED}, override_recommendation"
)


@dataclass(frozen=True, slots=True)
class ReceivedQuery(ListQuery):
    # status None: completed and stopped
    order_by: str = "date"  # a key of ORDER
    centre: str | None = None
    overridden: bool | None = None

    @property
    def filtered(self) -> bool:
        return self.with_(order_by="date", descending=True) != ReceivedQuery()


@dataclass(frozen=True, slots=True)
class ReceivedRow:
    id: str
    form_id: str
    form_version: str
    status: str
    created_at: str
    location: str | None
    screener: str
    outcome: str | None  # what the scoring gave
    override: str | None  # the screener's recommendation, when it differs


@dataclass(frozen=True, slots=True)
class Choices:
    forms: list[str]
    centres: list[str]


def where(q: ReceivedQuery, status: str) -> tuple[str, list[object]]:
    """The WHERE clause for one status (each status is walked by its own index range)."""
    clauses, params = ["status = ?"], [status]
    if q.form_id is not None:
        clauses.append("form_id = ?")
        params.append(q.form_id)
    if q.centre is not None:
        clauses.append("location = ?")
        params.append(q.centre)
    if q.outcome is not None:
        clauses.append(f"{STANDING} = ?")
        params.append(q.outcome)
    if q.overridden is not None:
        clauses.append(
            "override_recommendation IS NOT NULL"
            if q.overridden
            else "override_recommendation IS NULL"
        )
    if q.date_from is not None:
        clauses.append("created_at >= ?")
        params.append(utc_text(local_day_start(q.date_from)))
    if q.date_to is not None:
        clauses.append("created_at < ?")
        params.append(utc_text(local_day_start(q.date_to + timedelta(days=1))))
    text = q.search.strip()
    if text:
        clause, values = search_clause(text)
        clauses.append(clause)
        params.extend(values)
    return " AND ".join(clauses), params


def ordered_sql(q: ReceivedQuery) -> tuple[str, list[object]]:
    """Row ids of every match, in the list's order.

    One SELECT per status joined by UNION ALL and ordered as a whole: SQLite merges the two
    already-ordered index ranges instead of sorting every match (four times faster for the
    default order than `status IN (…)`).
    """
    if q.order_by not in ORDER:
        raise ValueError(f"cannot order by {q.order_by}")
    key = ORDER[q.order_by]
    statuses = STATUSES if q.status is None else (q.status,)
    if q.status is not None and q.status not in STATUSES:
        raise ValueError(f"unknown status {q.status}")
    arms, params = [], []
    for status in statuses:
        clause, values = where(q, status)
        arms.append(f"SELECT rowid, {key} AS k, created_at FROM interviews WHERE {clause}")
        params.extend(values)
    direction = "DESC" if q.descending else "ASC"
    order = f"k {direction}, created_at {direction}, rowid {direction}"
    if q.order_by == "date":
        order = f"k {direction}, rowid {direction}"
    return " UNION ALL ".join(arms) + f" ORDER BY {order}", params


def matching_rowids(conn: Connection, q: ReceivedQuery) -> array[int]:
    """Ordered row ids of the matches."""
    sql, params = ordered_sql(q)
    return array("q", (int(row[0]) for row in conn.execute(sql, params)))


def choices(conn: Connection) -> Choices:
    """The forms and centres of the vault's interviews (~30 ms at 100,000).

    Over every interview rather than the finished ones only: the form index answers the
    first at once, and a centre that only drafts name simply matches nothing.
    """
    centres = conn.execute(
        "SELECT DISTINCT location FROM interviews WHERE location IS NOT NULL"
    ).fetchall()
    return Choices(form_ids(conn), sorted(str(r[0]) for r in centres))


def rows_by_rowid(conn: Connection, rowids: list[int]) -> dict[int, ReceivedRow]:
    """One page, by row id (a millisecond for 200 rows); a row id not found is left out."""
    if not rowids:
        return {}
    marks = ",".join("?" * len(rowids))
    found = conn.execute(f"SELECT {_ROW_COLUMNS} FROM interviews WHERE rowid IN ({marks})", rowids)
    return {
        int(r[0]): ReceivedRow(
            str(r[1]),
            str(r[2]),
            str(r[3]),
            str(r[4]),
            str(r[5]),
            None if r[6] is None else str(r[6]),
            str(r[7]),
            None if r[8] is None else str(r[8]),
            None if r[9] is None else str(r[9]),
        )
        for r in found
    }
