"""Interview records and answers, as functions over an open connection.

Kept free of key handling so the same code runs against plain `sqlite3` in the benchmark
(the baseline the vault is measured against). Every function that writes runs in its own
transaction, together with its audit row: when it returns, the change is committed
(`synchronous=FULL` makes COMMIT durable).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from screening import jsonio
from screening.vault import audit
from screening.vault.database import Connection, transaction
from screening.vault.delivery import delivery_pending
from screening.vault.errors import ReadOnlyInterview, RecordNotFound, VaultError

SPECIALS = ("declined", "dont_know")
STATUSES = ("draft", "completed", "stopped", "purged")
MAX_NAME = 512


# ------------------------------------------------------------------ value codec


_TAGS = ("$date", "$datetime", "$decimal", "$dict")


def _to_json(value: object) -> object:
    """Tag dates, date-times and decimals so they come back as the same types.

    A dict of the answer's own that happens to look like a tag is wrapped in {"$dict": …},
    so no stored answer can ever be misread.
    """
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_to_json(item) for item in value]
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise TypeError("answer values may only use text as dictionary keys")
        converted = {k: _to_json(v) for k, v in value.items()}
        if len(converted) == 1 and next(iter(converted)) in _TAGS:
            return {"$dict": converted}
        return converted
    raise TypeError(f"answer values must be JSON data, dates or decimals, not {type(value)}")


def encode_value(value: object) -> str:
    try:
        return json.dumps(
            _to_json(value), ensure_ascii=False, allow_nan=False, separators=(",", ":")
        )
    except ValueError as exc:
        raise TypeError(f"answer value cannot be stored: {exc}") from None


def _from_json(obj: object) -> object:
    if isinstance(obj, list):
        return [_from_json(item) for item in obj]
    if not isinstance(obj, dict):
        return obj
    if len(obj) == 1:
        ((key, inner),) = obj.items()
        if key == "$dict" and isinstance(inner, dict):
            return {k: _from_json(v) for k, v in inner.items()}
        try:
            if key == "$date":
                return date.fromisoformat(inner)
            if key == "$datetime":
                return datetime.fromisoformat(inner)
            if key == "$decimal":
                return Decimal(inner)
        except (TypeError, ValueError, ArithmeticError):
            pass  # never let a stored answer become unreadable: return it as it is
    return {k: _from_json(v) for k, v in obj.items()}


def decode_value(text: str | None) -> object:
    return None if text is None else _from_json(jsonio.loads(text))


# ---------------------------------------------------------------------- helpers


def interview_status(conn: Connection, interview_id: str) -> str:
    row = conn.execute("SELECT status FROM interviews WHERE id = ?", (interview_id,)).fetchone()
    if row is None:
        raise RecordNotFound(f"There is no interview {interview_id} in this vault.")
    return str(row[0])


def _require_text(value: str | None, what: str) -> str:
    if value is None or not str(value).strip():
        raise VaultError(f"A {what} is required.")
    return str(value).strip()


def _check_answer(name: str, special: str | None) -> None:
    if not isinstance(name, str) or not name or len(name) > MAX_NAME:
        raise VaultError("An answer needs a question name of 1 to 512 characters.")
    if special is not None and special not in SPECIALS:
        raise VaultError(f"Unknown answer marker {special!r}: use declined or dont_know.")


def _read_only(interview_id: str, status: str) -> ReadOnlyInterview:
    if status == "purged":
        return ReadOnlyInterview(f"Interview {interview_id} was purged; its answers are gone.")
    return ReadOnlyInterview(
        f"Interview {interview_id} is {status} and read-only; "
        "change an answer with a correction and a reason."
    )


def _undeliver(conn: Connection, interview_id: str) -> None:
    # A finished interview changed after the hub may have acknowledged it: the organisation's
    # copy lacks this change until an update envelope is acknowledged, so it is not
    # delivered any more (the case list says so, and retention keeps it).
    conn.execute(
        "UPDATE interviews SET delivered = 0, delivered_at = NULL WHERE id = ? AND delivered = 1",
        (interview_id,),
    )


# ---------------------------------------------------------------------- writes


def create_interview(
    conn: Connection,
    actor: str,
    *,
    form_id: str,
    form_version: str,
    form_hash: str,
    language: str,
    screener_language: str | None = None,
    interpreter_used: bool = False,
    location: str | None = None,
    started_at: datetime | None = None,
    continues: str | None = None,
) -> str:
    """A new draft; `continues` names an earlier interview of the same person (a rapid
    screening continued into the full interview): the new one carries its person id."""
    from screening.vault import persons

    interview_id = str(uuid.uuid4())
    at = audit.now_iso()
    created = at if started_at is None else _utc_text(started_at)
    with transaction(conn):
        conn.execute(
            "INSERT INTO interviews (id, form_id, form_version, form_hash, language,"
            " screener_language, interpreter_used, screener, location, created_at, updated_at,"
            " status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft')",
            (
                interview_id,
                _require_text(form_id, "form id"),
                str(form_version),
                str(form_hash),
                _require_text(language, "language"),
                screener_language,
                int(bool(interpreter_used)),
                actor,
                location,
                created,
                at,
            ),
        )
        audit.append(conn, actor, "create", interview_id, f"form {form_id} {form_version}")
        if continues is not None:
            persons.continue_person(conn, actor, interview_id, continues)
    return interview_id


def _utc_text(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise VaultError("A start time must carry its time zone.")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def save_draft_position(
    conn: Connection, interview_id: str, page: str | None, instance_counts: dict[str, int]
) -> None:
    """Where a draft stopped: the page key and the repeat entry counts (no answer values)."""
    counts = _counts_text(instance_counts)
    with transaction(conn):
        _require_draft(conn, interview_id)
        _write_position(conn, interview_id, page, counts)


def save_repeat_entries(
    conn: Connection,
    actor: str,
    interview_id: str,
    answers: Mapping[str, tuple[object, str | None] | None],
    page: str | None,
    instance_counts: dict[str, int],
) -> None:
    """A repeat entry added or removed: the answers the removal moved to another entry
    ((value, special marker); None: no answer there now), the entry counts and the page, in
    one transaction. Renumbering rewrites several answers; a crash between separate commits
    would leave an answer under the wrong entry, or the same one under two."""
    rows = _answer_rows(answers)
    counts = _counts_text(instance_counts)
    with transaction(conn):
        _require_draft(conn, interview_id)
        _write_rows(conn, actor, interview_id, rows)
        _write_position(conn, interview_id, page, counts)


def save_answers(
    conn: Connection,
    actor: str,
    interview_id: str,
    answers: Mapping[str, tuple[object, str | None] | None],
) -> None:
    """Several answers of a draft in one transaction ((value, special marker); None: none):
    one the screener gave and those the form computed from it, so that a crash cannot leave
    the given answer stored without the answers the screen showed with it."""
    rows = _answer_rows(answers)
    with transaction(conn):
        _require_draft(conn, interview_id)
        _write_rows(conn, actor, interview_id, rows)


Row = tuple[str, str | None, str | None]


def _answer_rows(
    answers: Mapping[str, tuple[object, str | None] | None],
) -> list[tuple[str, Row | None]]:
    # Every name and value is checked before the transaction: a bad one changes nothing.
    rows: list[tuple[str, Row | None]] = []
    for name, answer in answers.items():
        special = None if answer is None else answer[1]
        _check_answer(name, special)
        if answer is None:
            rows.append((name, None))
        else:
            text = None if special is not None else encode_value(answer[0])
            rows.append((name, (name, text, special)))
    return rows


def _write_rows(
    conn: Connection, actor: str, interview_id: str, rows: list[tuple[str, Row | None]]
) -> None:
    for name, row in rows:
        if row is None:
            _clear_row(conn, actor, interview_id, name)
        else:
            _write_answer(conn, interview_id, *row)
            audit.append(conn, actor, "answer_changed", interview_id, f"question {name}")


def _counts_text(instance_counts: Mapping[str, int]) -> str:
    return json.dumps({str(k): int(v) for k, v in instance_counts.items()}, sort_keys=True)


def _require_draft(conn: Connection, interview_id: str) -> None:
    status = interview_status(conn, interview_id)
    if status != "draft":
        raise _read_only(interview_id, status)


def _write_position(conn: Connection, interview_id: str, page: str | None, counts: str) -> None:
    conn.execute(
        "UPDATE interviews SET resume_page = ?, instance_counts = ? WHERE id = ?",
        (page, counts, interview_id),
    )


def save_answer(
    conn: Connection,
    actor: str,
    interview_id: str,
    name: str,
    value: object,
    special: str | None = None,
) -> int:
    """Store one answer in its own transaction; return its revision once committed."""
    _check_answer(name, special)
    text = None if special is not None else encode_value(value)
    with transaction(conn):
        status = interview_status(conn, interview_id)
        if status != "draft":
            raise _read_only(interview_id, status)
        revision = _write_answer(conn, interview_id, name, text, special)
        audit.append(conn, actor, "answer_changed", interview_id, f"question {name}")
    return revision


def _write_answer(
    conn: Connection, interview_id: str, name: str, text: str | None, special: str | None
) -> int:
    at = audit.now_iso()
    row = conn.execute(
        "INSERT INTO answers (interview_id, name, value, special, answered_at, revision)"
        " VALUES (?, ?, ?, ?, ?, 1)"
        " ON CONFLICT (interview_id, name) DO UPDATE SET value = excluded.value,"
        " special = excluded.special, answered_at = excluded.answered_at,"
        " revision = answers.revision + 1"
        " RETURNING revision",
        (interview_id, name, text, special, at),
    ).fetchone()
    conn.execute("UPDATE interviews SET updated_at = ? WHERE id = ?", (at, interview_id))
    return int(row[0])


def clear_answer(conn: Connection, actor: str, interview_id: str, name: str) -> None:
    """Forget an answer of a draft (e.g. its question became irrelevant)."""
    _check_answer(name, None)
    with transaction(conn):
        _require_draft(conn, interview_id)
        _clear_row(conn, actor, interview_id, name)


def _clear_row(conn: Connection, actor: str, interview_id: str, name: str) -> None:
    # The row stays, emptied, so a later answer gets a higher revision number.
    exists = conn.execute(
        "SELECT 1 FROM answers WHERE interview_id = ? AND name = ?", (interview_id, name)
    ).fetchone()
    if exists is None:
        return
    _write_answer(conn, interview_id, name, None, None)
    audit.append(conn, actor, "answer_cleared", interview_id, f"question {name}")


def correct_answer(
    conn: Connection,
    actor: str,
    interview_id: str,
    name: str,
    value: object,
    special: str | None = None,
    *,
    reason: str,
) -> int:
    """Change an answer of a finished interview: a new revision, the old value kept, audited."""
    _check_answer(name, special)
    reason = _require_text(reason, "reason for the correction")
    text = None if special is not None else encode_value(value)
    with transaction(conn):
        status = interview_status(conn, interview_id)
        if status == "purged":
            raise _read_only(interview_id, status)
        old = conn.execute(
            "SELECT value, special FROM answers WHERE interview_id = ? AND name = ?",
            (interview_id, name),
        ).fetchone()
        revision = _write_answer(conn, interview_id, name, text, special)
        _undeliver(conn, interview_id)
        conn.execute(
            "INSERT INTO answer_corrections (interview_id, name, revision, previous_value,"
            " previous_special, reason, corrected_by, corrected_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                interview_id,
                name,
                revision,
                None if old is None else old[0],
                None if old is None else old[1],
                reason,
                actor,
                audit.now_iso(),
            ),
        )
        audit.append(
            conn, actor, "answer_corrected", interview_id, f"question {name}, revision {revision}"
        )
    return revision


def complete_interview(
    conn: Connection, actor: str, interview_id: str, outcome: dict[str, Any] | None = None
) -> None:
    at = audit.now_iso()
    with transaction(conn):
        status = interview_status(conn, interview_id)
        if status != "draft":
            raise _read_only(interview_id, status)
        conn.execute(
            "UPDATE interviews SET status = 'completed', completed_at = ?, updated_at = ?,"
            " outcome = COALESCE(?, outcome) WHERE id = ?",
            (
                at,
                at,
                None if outcome is None else json.dumps(outcome, ensure_ascii=False),
                interview_id,
            ),
        )
        audit.append(conn, actor, "complete", interview_id)


def stop_interview(conn: Connection, actor: str, interview_id: str, reason: str) -> None:
    reason = _require_text(reason, "reason for stopping")
    at = audit.now_iso()
    with transaction(conn):
        status = interview_status(conn, interview_id)
        if status != "draft":
            raise _read_only(interview_id, status)
        conn.execute(
            "UPDATE interviews SET status = 'stopped', stop_reason = ?, completed_at = ?,"
            " updated_at = ? WHERE id = ?",
            (reason, at, at, interview_id),
        )
        audit.append(conn, actor, "stop", interview_id)


def set_outcome(conn: Connection, actor: str, interview_id: str, outcome: dict[str, Any]) -> None:
    text = json.dumps(outcome, ensure_ascii=False)
    with transaction(conn):
        status = interview_status(conn, interview_id)
        if status == "purged":
            raise _read_only(interview_id, status)
        conn.execute(
            "UPDATE interviews SET outcome = ?, updated_at = ? WHERE id = ?",
            (text, audit.now_iso(), interview_id),
        )
        _undeliver(conn, interview_id)
        audit.append(conn, actor, "outcome", interview_id)


def set_override(
    conn: Connection, actor: str, interview_id: str, recommendation: str, reason: str
) -> None:
    recommendation = _require_text(recommendation, "recommendation")
    reason = _require_text(reason, "written reason for the override")
    at = audit.now_iso()
    with transaction(conn):
        status = interview_status(conn, interview_id)
        if status == "purged":
            raise _read_only(interview_id, status)
        conn.execute(
            "UPDATE interviews SET override_recommendation = ?, override_reason = ?,"
            " override_by = ?, override_at = ?, updated_at = ? WHERE id = ?",
            (recommendation, reason, actor, at, at, interview_id),
        )
        _undeliver(conn, interview_id)
        # The label only: the reason is free text and may quote what the person said.
        audit.append(conn, actor, "override", interview_id, f"recommendation {recommendation}")


def mark_delivered(conn: Connection, actor: str, interview_id: str) -> None:
    with transaction(conn):
        mark_delivered_in(conn, actor, interview_id)


def mark_delivered_in(conn: Connection, actor: str, interview_id: str) -> bool:
    """`mark_delivered` inside the caller's transaction (the sync client records the hub's
    acknowledgement and the flag together); True when the flag changed.

    The flag is left alone while the hub may not hold the interview as it stands (an older
    envelope acknowledged while a newer one waits, or a change not sealed yet): retention
    purges delivered interviews, and it must never destroy the only copy of a correction.
    """
    status = interview_status(conn, interview_id)
    if status not in ("completed", "stopped"):
        raise VaultError(
            f"Interview {interview_id} is {status}; only finished interviews can be delivered."
        )
    if delivery_pending(conn, interview_id):
        return False
    changed = conn.execute(
        "UPDATE interviews SET delivered = 1, delivered_at = ? WHERE id = ? AND delivered = 0",
        (audit.now_iso(), interview_id),
    ).rowcount
    if changed:
        audit.append(conn, actor, "sync", interview_id, "delivered")
    return bool(changed)
