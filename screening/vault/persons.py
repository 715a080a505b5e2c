"""Which interviews are of one person: a random person id shared by linked interviews.

A rapid screening that continues into the full interview gives the new interview the
person id of the first (`continue_person`, inside `records.create_interview`); a
coordinator can link two interviews by hand (`link`). Both are audited. Person ids are
random UUIDs: they say nothing about the person, and exports never write them (they count
people by them and key case codes on them, docs/export.md). An interview without a person
id is a person of its own.
"""

from __future__ import annotations

import uuid

from screening.vault import audit
from screening.vault.database import Connection, transaction
from screening.vault.errors import RecordNotFound, VaultError


def person_of(conn: Connection, interview_id: str) -> str | None:
    row = conn.execute("SELECT person_id FROM interviews WHERE id = ?", (interview_id,)).fetchone()
    if row is None:
        raise RecordNotFound(f"There is no interview {interview_id} in this vault.")
    return None if row[0] is None else str(row[0])


def ensure_person(conn: Connection, actor: str, interview_id: str) -> str:
    """The interview's person id, given a new one first if it has none (caller's transaction)."""
    person = person_of(conn, interview_id)
    if person is None:
        person = str(uuid.uuid4())
        conn.execute("UPDATE interviews SET person_id = ? WHERE id = ?", (person, interview_id))
        audit.append(conn, actor, "person_id_set", interview_id, "new person id")
    return person


def continue_person(conn: Connection, actor: str, interview_id: str, continues: str) -> str:
    """Give a new interview the person of the one it continues (caller's transaction).

    Like `create`, this happens where the interview is started, never to an imported copy,
    so an update from the device does not count it as a change made here
    (screening/vault/recordupdate.py)."""
    person = ensure_person(conn, actor, continues)
    conn.execute("UPDATE interviews SET person_id = ? WHERE id = ?", (person, interview_id))
    audit.append(conn, actor, "continue", interview_id, f"continues {continues}")
    return person


def interviews_of(conn: Connection, person_id: str) -> list[str]:
    rows = conn.execute(
        "SELECT id FROM interviews WHERE person_id = ? ORDER BY created_at, rowid", (person_id,)
    )
    return [str(r[0]) for r in rows]


def link(conn: Connection, actor: str, first: str, second: str, reason: str) -> str:
    """Record that two interviews are of one person; returns the shared person id.

    When both already belong to (different) people, every interview of the second person
    joins the first. One audit row per interview that changed, with the reason.
    """
    reason = (reason or "").strip()
    if not reason:
        raise VaultError("Say why the two interviews are of one person (a reason is required).")
    if first == second:
        raise VaultError("An interview cannot be linked to itself.")
    with transaction(conn):
        person = ensure_person(conn, actor, first)
        other = person_of(conn, second)
        moved = [second] if other is None else interviews_of(conn, other)
        for interview_id in moved:
            if interview_id == first:
                continue
            conn.execute("UPDATE interviews SET person_id = ? WHERE id = ?", (person, interview_id))
            audit.append(
                conn, actor, "person_link", interview_id, f"same person as {first}: {reason[:300]}"
            )
    return person
