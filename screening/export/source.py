"""Reading interviews for an export: in chunks, only the answers the export may use.

Reads go through `Vault.connection()` one chunk at a time (a few hundred interviews), so
memory does not grow with the vault and other callers of the vault get their turn between
chunks. Interviews are visited in rowid order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from screening import jsonio
from screening.export.fields import SourceInterview

if TYPE_CHECKING:
    from screening.vault import Vault

CHUNK = 256
OUTCOME_BATCH = 32


@dataclass(frozen=True)
class Filters:
    """Which completed interviews an export covers: started between two days, one form."""

    date_from: date | None = None  # UTC calendar days, inclusive
    date_to: date | None = None
    form_id: str | None = None
    # One interview per person: the newest completed one within these filters. Interviews
    # without a person id are a person each.
    per_person: bool = True

    def describe(self) -> dict[str, str | None]:
        described = {
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
            "form": self.form_id,
        }
        if not self.per_person:
            described["rows"] = "every interview"
        return described

    def _clauses(self, table: str) -> tuple[list[str], list[Any]]:
        clauses = [f"{table}.status = 'completed'"]
        params: list[Any] = []
        if self.form_id is not None:
            clauses.append(f"{table}.form_id = ?")
            params.append(self.form_id)
        if self.date_from is not None:
            clauses.append(f"{table}.created_at >= ?")
            params.append(self.date_from.isoformat())
        if self.date_to is not None:
            clauses.append(f"{table}.created_at < ?")
            params.append((self.date_to + timedelta(days=1)).isoformat())
        return clauses, params

    def sql(self) -> tuple[str, list[Any]]:
        """A WHERE condition on the `interviews` table (not aliased) and its parameters."""
        clauses, params = self._clauses("interviews")
        if self.per_person:
            newer, newer_params = self._clauses("newer")
            clauses.append(
                "NOT EXISTS (SELECT 1 FROM interviews AS newer WHERE"
                " newer.person_id = interviews.person_id AND " + " AND ".join(newer) + " AND"
                " (newer.created_at > interviews.created_at OR (newer.created_at ="
                " interviews.created_at AND newer.rowid > interviews.rowid)))"
            )
            params.extend(newer_params)
        return " AND ".join(clauses), params


def count(vault: Vault, filters: Filters) -> int:
    where, params = filters.sql()
    sql = f"SELECT count(*) FROM interviews WHERE {where}"
    return int(vault.connection().execute(sql, params).fetchone()[0])


def _decode(text: str | None) -> object:
    if text is None:
        return None
    try:
        return jsonio.loads(text)
    except ValueError:
        return None


def _outcomes(conn: Any, ids: list[str]) -> dict[str, tuple[str | None, str | None]]:
    marks = ",".join("?" * len(ids))
    rows = conn.execute(
        f"SELECT id, outcome, override_recommendation FROM interviews WHERE id IN ({marks})",
        ids,
    )
    return {row[0]: (row[1], row[2]) for row in rows}


def read(
    vault: Vault,
    filters: Filters,
    names: tuple[str, ...],
    *,
    full: bool,
    chunk: int = CHUNK,
    cancelled: Callable[[], bool] | None = None,
) -> Iterator[SourceInterview]:
    """Completed interviews matching `filters`, with the answers in `names`.

    `full` also reads the outcome, the override and the kinds of service each interview
    was referred to (the second pass needs them, the first does not).
    """
    where, params = filters.sql()
    sql = (
        "SELECT rowid, id, form_id, form_version, created_at, location, person_id"
        # NOT INDEXED: walk the table by rowid. With an index on status, SQLite would sort
        # every matching row (outcomes included) again for each chunk.
        f" FROM interviews NOT INDEXED WHERE rowid > ? AND {where}"
        f" ORDER BY rowid LIMIT {int(chunk)}"
    )
    name_marks = ",".join("?" * len(names))
    last = 0
    while True:
        if cancelled is not None and cancelled():
            from screening.export.errors import ExportCancelled

            raise ExportCancelled("The export was cancelled; nothing was written.")
        conn = vault.connection()
        rows = conn.execute(sql, [last, *params]).fetchall()
        if not rows:
            return
        ids = [row[1] for row in rows]
        ids_last = rows[-1][0]
        id_marks = ",".join("?" * len(ids))
        answers: dict[str, dict[str, tuple[object, str | None]]] = {i: {} for i in ids}
        for interview_id, name, value, special in conn.execute(
            "SELECT interview_id, name, value, special FROM answers"
            f" WHERE interview_id IN ({id_marks}) AND name IN ({name_marks})",
            [*ids, *names],
        ):
            if value is None and special is None:
                continue  # a cleared answer
            answers[interview_id][name] = (_decode(value), special)
        referred: dict[str, list[str]] = {}
        if full:
            for interview_id, kind in conn.execute(
                "SELECT DISTINCT r.interview_id, p.kind FROM referrals r"
                " JOIN providers p ON p.id = r.provider_id"
                f" WHERE r.interview_id IN ({id_marks})",
                ids,
            ):
                referred.setdefault(interview_id, []).append(kind)
        outcomes: dict[str, tuple[str | None, str | None]] = {}
        for position, row in enumerate(rows):
            outcome = None
            override = None
            if full:
                if row[1] not in outcomes:
                    # Outcome texts (explanations included) are the biggest thing read:
                    # fetched a few at a time, parsed one at a time and let go.
                    outcomes = _outcomes(conn, ids[position : position + OUTCOME_BATCH])
                text, override = outcomes.pop(row[1], (None, None))
                parsed = _decode(text)
                outcome = parsed if isinstance(parsed, dict) else None
            person_id = row[6]
            rows[position] = None
            yield SourceInterview(
                rowid=row[0],
                id=row[1],
                form_id=row[2],
                form_version=row[3],
                created_at=row[4],
                location=row[5],
                person_id=person_id,
                outcome=outcome,
                override=override,
                answers=answers[row[1]],
                referred=referred.get(row[1], []),
            )
        last = ids_last
