"""Reading interviews for an export: in chunks, only the answers the export may use.

The SQL is in screening/vault/export_queries.py; this module decides the chunks. Reads go
through `Vault.connection()` one chunk at a time (a few hundred interviews), so
memory does not grow with the vault and other callers of the vault get their turn between
chunks. Interviews are visited in rowid order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from screening.export.fields import SourceInterview
from screening.vault.export_queries import (
    chosen_answers,
    completed_chunk,
    completed_where,
    count_where,
    outcome_texts,
    parse_outcome,
)
from screening.vault.referral_queries import referred_kinds

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

    def sql(self) -> tuple[str, list[Any]]:
        """A WHERE condition on the `interviews` table (not aliased) and its parameters."""
        return completed_where(
            date_from=self.date_from,
            date_to=self.date_to,
            form_id=self.form_id,
            per_person=self.per_person,
        )


def count(vault: Vault, filters: Filters) -> int:
    where, params = filters.sql()
    return count_where(vault.connection(), where, params)


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
    last = 0
    while True:
        if cancelled is not None and cancelled():
            from screening.export.errors import ExportCancelled

            raise ExportCancelled("The export was cancelled; nothing was written.")
        conn = vault.connection()
        # Each row is let go (set to None) once yielded, so a chunk's rows are not all held.
        rows: list[Any] = completed_chunk(conn, where, params, after_rowid=last, limit=chunk)
        if not rows:
            return
        ids = [row[1] for row in rows]
        ids_last = rows[-1][0]
        answers = chosen_answers(conn, ids, names)
        referred = referred_kinds(conn, ids) if full else {}
        outcomes: dict[str, tuple[str | None, str | None]] = {}
        for position, row in enumerate(rows):
            outcome = None
            override = None
            if full:
                if row[1] not in outcomes:
                    # Outcome texts (explanations included) are the biggest thing read:
                    # fetched a few at a time, parsed one at a time and let go.
                    outcomes = outcome_texts(conn, ids[position : position + OUTCOME_BATCH])
                text, override = outcomes.pop(row[1], (None, None))
                outcome = parse_outcome(text)
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
