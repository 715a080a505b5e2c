"""Interview records as they travel between vaults (docs/protocol.md, "Record format").

`export_record` reads one finished interview with everything that belongs to it (metadata,
every answer row with its revision and special marker, corrections, outcome, override and
the interview's own audit rows) into a plain JSON object. `import_record` writes such an
object into another vault with the same interview id, start time and answers, inside the
caller's transaction. `check_record` validates one without touching a database.

The record is what the sync client seals into an envelope; the envelope's signature and
HPKE seal protect it in transit, and these checks keep a damaged or hostile record (from an
enrolled but misbehaving laptop) out of the coordinator's vault.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from screening import jsonio
from screening.vault import audit
from screening.vault.database import Connection
from screening.vault.errors import RecordNotFound, VaultError
from screening.vault.records import SPECIALS, interview_status

RECORD_FORMAT = "screening-desk/interview-record"
RECORD_VERSION = 1
EXPORTABLE = ("completed", "stopped")

_TOP = {"format", "version", "interview", "answers", "corrections", "audit", "source"}
_INTERVIEW = {
    "id",
    "form_id",
    "form_version",
    "form_hash",
    "language",
    "screener_language",
    "interpreter_used",
    "screener",
    "location",
    "created_at",
    "updated_at",
    "completed_at",
    "status",
    "stop_reason",
    "outcome",
    "override",
}
# Optional: only in records of interviews linked to a person (screening/vault/persons.py),
# so the records of unlinked interviews stay byte for byte what they were.
_INTERVIEW_OPTIONAL = {"person_id"}
_OVERRIDE = {"recommendation", "reason", "by", "at"}
_ANSWER = {"name", "value", "special", "answered_at", "revision"}
_CORRECTION = {
    "name",
    "revision",
    "previous_value",
    "previous_special",
    "reason",
    "by",
    "at",
}
_AUDIT = {"seq", "prev_hash", "at", "actor", "action", "object_id", "detail", "hash"}
_SOURCE = {"vault_id", "sealed_by", "sealed_at"}
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
MAX_TEXT = 100_000
MAX_ROWS = 100_000


class RecordError(VaultError):
    """An interview record is malformed or does not fit this vault."""

    code = "bad_record"


@dataclass(frozen=True, slots=True)
class RecordSummary:
    interview_id: str
    form_id: str
    form_version: str
    form_hash: str


# ---------------------------------------------------------------------------------- export


def export_record(conn: Connection, interview_id: str, *, source: dict[str, str]) -> dict:
    """The record of a completed or stopped interview, ready for canonical JSON.

    Answer values are the vault's own JSON text (tagged dates and decimals), carried as
    strings so the receiving vault stores exactly the same text.
    """
    status = interview_status(conn, interview_id)
    if status not in EXPORTABLE:
        raise VaultError(f"Interview {interview_id} is {status}; only finished ones are sent.")
    row = conn.execute(
        "SELECT id, form_id, form_version, form_hash, language, screener_language,"
        " interpreter_used, screener, location, created_at, updated_at, completed_at, status,"
        " stop_reason, outcome, override_recommendation, override_reason, override_by,"
        " override_at FROM interviews WHERE id = ?",
        (interview_id,),
    ).fetchone()
    override = None
    if row[15] is not None:
        override = {"recommendation": row[15], "reason": row[16], "by": row[17], "at": row[18]}
    interview = {
        "id": row[0],
        "form_id": row[1],
        "form_version": row[2],
        "form_hash": row[3],
        "language": row[4],
        "screener_language": row[5],
        "interpreter_used": bool(row[6]),
        "screener": row[7],
        "location": row[8],
        "created_at": row[9],
        "updated_at": row[10],
        "completed_at": row[11],
        "status": row[12],
        "stop_reason": row[13],
        "outcome": None if row[14] is None else jsonio.loads(row[14]),
        "override": override,
    }
    person = conn.execute("SELECT person_id FROM interviews WHERE id = ?", (interview_id,))
    person_id = person.fetchone()[0]
    if person_id is not None:
        interview["person_id"] = person_id
    answers = [
        {"name": n, "value": v, "special": s, "answered_at": at, "revision": int(r)}
        for n, v, s, at, r in conn.execute(
            "SELECT name, value, special, answered_at, revision FROM answers"
            " WHERE interview_id = ? ORDER BY name",
            (interview_id,),
        )
    ]
    corrections = [
        {
            "name": n,
            "revision": int(r),
            "previous_value": pv,
            "previous_special": ps,
            "reason": why,
            "by": by,
            "at": at,
        }
        for n, r, pv, ps, why, by, at in conn.execute(
            "SELECT name, revision, previous_value, previous_special, reason, corrected_by,"
            " corrected_at FROM answer_corrections WHERE interview_id = ? ORDER BY id",
            (interview_id,),
        )
    ]
    trail = [
        {
            "seq": int(seq),
            "prev_hash": prev,
            "at": at,
            "actor": actor,
            "action": action,
            "object_id": obj,
            "detail": detail,
            "hash": digest,
        }
        for seq, prev, at, actor, action, obj, detail, digest in conn.execute(
            "SELECT seq, prev_hash, at, actor, action, object_id, detail, hash FROM audit"
            " WHERE object_id = ? ORDER BY seq",
            (interview_id,),
        )
    ]
    return {
        "format": RECORD_FORMAT,
        "version": RECORD_VERSION,
        "interview": interview,
        "answers": answers,
        "corrections": corrections,
        "audit": trail,
        "source": dict(source),
    }


# ------------------------------------------------------------------------------ validation


def _bad(message: str) -> RecordError:
    return RecordError(f"The interview record is invalid: {message}.")


def _fields(obj: Any, expected: set[str], what: str) -> dict:
    if not isinstance(obj, dict) or set(obj) != expected:
        raise _bad(f"{what} does not have the expected fields")
    return obj


def _text(value: Any, what: str, *, optional: bool = False, limit: int = MAX_TEXT) -> None:
    if value is None and optional:
        return
    if not isinstance(value, str) or not 0 < len(value) <= limit:
        raise _bad(f"{what} must be text of 1 to {limit} characters")


def _time(value: Any, what: str, *, optional: bool = False) -> None:
    if value is None and optional:
        return
    if not isinstance(value, str) or not _TIME.match(value):
        raise _bad(f"{what} must be a UTC time")


def _count(value: Any, what: str, *, low: int = 1) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < low:
        raise _bad(f"{what} must be a whole number from {low}")


def _json_text(value: Any, what: str) -> None:
    if value is None:
        return
    if not isinstance(value, str) or len(value) > 10 * MAX_TEXT:
        raise _bad(f"{what} must be JSON text")
    try:
        jsonio.loads(value)
    except ValueError:
        raise _bad(f"{what} must be JSON text") from None


def _list(value: Any, what: str) -> list:
    if not isinstance(value, list) or len(value) > MAX_ROWS:
        raise _bad(f"{what} must be a list")
    return value


def check_record(record: Any) -> RecordSummary:
    """Validate a record completely; RecordError (one sentence) when anything is off."""
    _fields(record, _TOP, "the record")
    if record["format"] != RECORD_FORMAT or record["version"] != RECORD_VERSION:
        raise _bad("it is in an unknown format or version")
    iv = record["interview"]
    if isinstance(iv, dict) and "person_id" in iv:
        if not isinstance(iv["person_id"], str) or not _UUID.match(iv["person_id"]):
            raise _bad("the person id must be a lower-case UUID")
        _fields({k: v for k, v in iv.items() if k not in _INTERVIEW_OPTIONAL}, _INTERVIEW,
                "the interview")  # fmt: skip
    else:
        _fields(iv, _INTERVIEW, "the interview")
    if not isinstance(iv["id"], str) or not _UUID.match(iv["id"]):
        raise _bad("the interview id must be a lower-case UUID")
    for name in ("form_id", "form_version", "form_hash", "language", "screener"):
        _text(iv[name], name, limit=500)
    for name in ("screener_language", "location", "stop_reason"):
        _text(iv[name], name, optional=True)
    if not isinstance(iv["interpreter_used"], bool):
        raise _bad("interpreter_used must be true or false")
    _time(iv["created_at"], "created_at")
    _time(iv["updated_at"], "updated_at")
    _time(iv["completed_at"], "completed_at")
    if iv["status"] not in EXPORTABLE:
        raise _bad("the status must be completed or stopped")
    if iv["outcome"] is not None and not isinstance(iv["outcome"], dict):
        raise _bad("the outcome must be an object")
    if iv["override"] is not None:
        ov = _fields(iv["override"], _OVERRIDE, "the override")
        for name in ("recommendation", "reason", "by"):
            _text(ov[name], f"override {name}")
        _time(ov["at"], "override at")
    names: set[str] = set()
    for answer in _list(record["answers"], "answers"):
        a = _fields(answer, _ANSWER, "an answer")
        _text(a["name"], "an answer's question name", limit=512)
        if a["name"] in names:
            raise _bad("a question is answered twice")
        names.add(a["name"])
        _json_text(a["value"], "an answer's value")
        if a["special"] is not None and (a["special"] not in SPECIALS or a["value"] is not None):
            raise _bad("an answer's special marker is wrong")
        _time(a["answered_at"], "answered_at")
        _count(a["revision"], "an answer's revision")
    for correction in _list(record["corrections"], "corrections"):
        c = _fields(correction, _CORRECTION, "a correction")
        _text(c["name"], "a correction's question name", limit=512)
        _count(c["revision"], "a correction's revision")
        _json_text(c["previous_value"], "a correction's previous value")
        if c["previous_special"] is not None and c["previous_special"] not in SPECIALS:
            raise _bad("a correction's special marker is wrong")
        _text(c["reason"], "a correction's reason")
        _text(c["by"], "a correction's author", limit=500)
        _time(c["at"], "a correction's time")
    seqs: set[int] = set()
    for entry in _list(record["audit"], "audit"):
        e = _fields(entry, _AUDIT, "an audit entry")
        _count(e["seq"], "an audit entry's number")
        if e["seq"] in seqs:
            raise _bad("two audit entries have the same number")
        seqs.add(e["seq"])
        for name in ("prev_hash", "hash"):
            if not isinstance(e[name], str) or not _HEX64.match(e[name]):
                raise _bad("an audit entry's hash is malformed")
        _time(e["at"], "an audit entry's time")
        _text(e["actor"], "an audit entry's actor", limit=500)
        _text(e["action"], "an audit entry's action", limit=40)
        if e["object_id"] != iv["id"]:
            raise _bad("an audit entry belongs to another interview")
        _text(e["detail"], "an audit entry's detail", optional=True, limit=audit.MAX_DETAIL)
        recomputed = audit.entry_hash(
            e["seq"], e["prev_hash"], e["at"], e["actor"], e["action"], e["object_id"], e["detail"]
        )
        if recomputed != e["hash"]:
            raise _bad("an audit entry does not match its hash")
    src = _fields(record["source"], _SOURCE, "the source")
    _text(src["vault_id"], "the source vault id", limit=100)
    _text(src["sealed_by"], "the source user", limit=500)
    _time(src["sealed_at"], "the sealing time")
    return RecordSummary(iv["id"], iv["form_id"], iv["form_version"], iv["form_hash"])


# ---------------------------------------------------------------------------------- import


def recorded_fields(iv: dict[str, Any]) -> dict[str, Any]:
    """The interview row's columns a record sets, beyond its identity (id, form, start).

    One list for a first import and for an update (screening/vault/recordupdate.py), so a
    field added to the record cannot be imported and then left behind by its updates.
    """
    override = iv["override"] or {}
    return {
        "language": iv["language"],
        "screener_language": iv["screener_language"],
        "interpreter_used": int(iv["interpreter_used"]),
        "screener": iv["screener"],
        "location": iv["location"],
        "updated_at": iv["updated_at"],
        "completed_at": iv["completed_at"],
        "status": iv["status"],
        "stop_reason": iv["stop_reason"],
        "outcome": None if iv["outcome"] is None else json.dumps(iv["outcome"], ensure_ascii=False),
        "override_recommendation": override.get("recommendation"),
        "override_reason": override.get("reason"),
        "override_by": override.get("by"),
        "override_at": override.get("at"),
    }


def has_interview(conn: Connection, interview_id: str) -> bool:
    try:
        interview_status(conn, interview_id)
    except RecordNotFound:
        return False
    return True


def import_record(
    conn: Connection,
    actor: str,
    record: dict,
    *,
    device_id: str,
    detail: str,
    checked: bool = False,
) -> bool:
    """Write a checked record inside the caller's transaction; False when already here.

    The interview keeps its id, times, screener, status, outcome and override; answers keep
    their exact stored text, revision and time; the laptop's audit rows of the interview go
    to `imported_audit`. One `import` row is appended to this vault's own audit log.
    `checked=True` skips `check_record` for a record the caller has just checked.
    """
    if not checked:
        check_record(record)
    iv = record["interview"]
    if has_interview(conn, iv["id"]):
        return False
    fields = {
        "id": iv["id"],
        "form_id": iv["form_id"],
        "form_version": iv["form_version"],
        "form_hash": iv["form_hash"],
        "created_at": iv["created_at"],
        # The device's link travels with the first import only; a coordinator's own links
        # are not undone by a later update of the interview.
        "person_id": iv.get("person_id"),
        **recorded_fields(iv),
    }
    names = ", ".join(fields)
    marks = ", ".join("?" * len(fields))
    conn.execute(f"INSERT INTO interviews ({names}) VALUES ({marks})", tuple(fields.values()))
    write_answers(conn, iv["id"], record["answers"])
    write_corrections(conn, iv["id"], record["corrections"])
    write_imported_audit(conn, iv["id"], device_id, record["audit"])
    audit.append(conn, actor, "import", iv["id"], detail)
    return True


# The rows of a checked record, written as they are (also used by an update, recordupdate.py).


def write_answers(conn: Connection, interview_id: str, answers: list[dict]) -> None:
    conn.executemany(
        "INSERT INTO answers (interview_id, name, value, special, answered_at, revision)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [
            (interview_id, a["name"], a["value"], a["special"], a["answered_at"], a["revision"])
            for a in answers
        ],
    )


def write_corrections(conn: Connection, interview_id: str, corrections: list[dict]) -> None:
    conn.executemany(
        "INSERT INTO answer_corrections (interview_id, name, revision, previous_value,"
        " previous_special, reason, corrected_by, corrected_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                interview_id,
                c["name"],
                c["revision"],
                c["previous_value"],
                c["previous_special"],
                c["reason"],
                c["by"],
                c["at"],
            )
            for c in corrections
        ],
    )


def write_imported_audit(
    conn: Connection, interview_id: str, device_id: str, entries: list[dict]
) -> None:
    conn.executemany(
        "INSERT INTO imported_audit (interview_id, device_id, seq, prev_hash, at, actor, action,"
        " object_id, detail, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                interview_id,
                device_id,
                e["seq"],
                e["prev_hash"],
                e["at"],
                e["actor"],
                e["action"],
                e["object_id"],
                e["detail"],
                e["hash"],
            )
            for e in entries
        ],
    )


@dataclass(frozen=True, slots=True)
class ImportedAuditEntry:
    device_id: str
    seq: int
    prev_hash: str
    at: str
    actor: str
    action: str
    object_id: str | None
    detail: str | None
    hash: str


def imported_audit(conn: Connection, interview_id: str) -> list[ImportedAuditEntry]:
    """The originating laptop's audit rows of an imported interview, oldest first."""
    rows = conn.execute(
        "SELECT device_id, seq, prev_hash, at, actor, action, object_id, detail, hash"
        " FROM imported_audit WHERE interview_id = ? ORDER BY seq",
        (interview_id,),
    )
    return [ImportedAuditEntry(*row) for row in rows]
