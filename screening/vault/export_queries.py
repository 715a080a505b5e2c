"""Reading completed interviews for an export: the filter, the count, chunks of rows, the
answers an export may use, outcomes a few at a time.

The shape of screening/vault/queries.py: each function takes a connection; the caller
(screening/export/source.py) decides the chunking, the memory budget and what becomes a row.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from screening import jsonio
from screening.vault.database import Connection

# (rowid, id, form_id, form_version, created_at, location, person_id)
CompletedRow = tuple[int, str, str, str, str, str | None, str | None]


def _clauses(
    table: str, date_from: date | None, date_to: date | None, form_id: str | None
) -> tuple[list[str], list[Any]]:
    clauses = [f"{table}.status = 'completed'"]
    params: list[Any] = []
    if form_id is not None:
        clauses.append(f"{table}.form_id = ?")
        params.append(form_id)
    if date_from is not None:
        clauses.append(f"{table}.created_at >= ?")
        params.append(date_from.isoformat())
    if date_to is not None:
        clauses.append(f"{table}.created_at < ?")
        params.append((date_to + timedelta(days=1)).isoformat())
    return clauses, params


def completed_where(
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    form_id: str | None = None,
    per_person: bool = True,
) -> tuple[str, list[Any]]:
    """A WHERE condition on the `interviews` table (not aliased) and its parameters: completed
    interviews started between two UTC days (inclusive), of one form; with `per_person`, only
    the newest such interview of each person (one without a person id is a person)."""
    clauses, params = _clauses("interviews", date_from, date_to, form_id)
    if per_person:
        newer, newer_params = _clauses("newer", date_from, date_to, form_id)
        clauses.append(
            "NOT EXISTS (SELECT 1 FROM interviews AS newer WHERE"
            " newer.person_id = interviews.person_id AND " + " AND ".join(newer) + " AND"
            " (newer.created_at > interviews.created_at OR (newer.created_at ="
            " interviews.created_at AND newer.rowid > interviews.rowid)))"
        )
        params.extend(newer_params)
    return " AND ".join(clauses), params


def count_where(conn: Connection, where: str, params: Sequence[Any]) -> int:
    sql = f"SELECT count(*) FROM interviews WHERE {where}"
    return int(conn.execute(sql, list(params)).fetchone()[0])


def completed_chunk(
    conn: Connection,
    where: str,
    params: Sequence[Any],
    *,
    after_rowid: int,
    limit: int,
) -> list[CompletedRow]:
    """The next `limit` interviews matching `where` after `after_rowid`, in rowid order."""
    sql = (
        "SELECT rowid, id, form_id, form_version, created_at, location, person_id"
        # NOT INDEXED: walk the table by rowid. With an index on status, SQLite would sort
        # every matching row (outcomes included) again for each chunk.
        f" FROM interviews NOT INDEXED WHERE rowid > ? AND {where}"
        f" ORDER BY rowid LIMIT {int(limit)}"
    )
    return conn.execute(sql, [after_rowid, *params]).fetchall()


def _decode(text: str | None) -> object:
    if text is None:
        return None
    try:
        return jsonio.loads(text)
    except ValueError:
        return None


def chosen_answers(
    conn: Connection, interview_ids: Sequence[str], names: Sequence[str]
) -> dict[str, dict[str, tuple[object, str | None]]]:
    """The answers named `names` of each interview (cleared answers left out); a value that
    does not decode reads as None."""
    id_marks = ",".join("?" * len(interview_ids))
    name_marks = ",".join("?" * len(names))
    answers: dict[str, dict[str, tuple[object, str | None]]] = {i: {} for i in interview_ids}
    for interview_id, name, value, special in conn.execute(
        "SELECT interview_id, name, value, special FROM answers"
        f" WHERE interview_id IN ({id_marks}) AND name IN ({name_marks})",
        [*interview_ids, *names],
    ):
        if value is None and special is None:
            continue  # a cleared answer
        answers[interview_id][name] = (_decode(value), special)
    return answers


def outcome_texts(
    conn: Connection, interview_ids: Sequence[str]
) -> dict[str, tuple[str | None, str | None]]:
    """Each interview's outcome JSON text (unparsed) and override recommendation."""
    marks = ",".join("?" * len(interview_ids))
    rows = conn.execute(
        f"SELECT id, outcome, override_recommendation FROM interviews WHERE id IN ({marks})",
        list(interview_ids),
    )
    return {row[0]: (row[1], row[2]) for row in rows}


def parse_outcome(text: str | None) -> dict[str, Any] | None:
    parsed = _decode(text)
    return parsed if isinstance(parsed, dict) else None
