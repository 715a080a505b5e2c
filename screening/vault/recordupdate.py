"""A newer record of an interview already imported: apply it, or refuse it (docs/protocol.md,
"Coordinator").

A laptop seals an update envelope when a finished interview changes after it was sent (a
correction with a reason, an outcome, an override). The update carries the whole current
record. It may replace the copy here only when nothing can be lost by doing so:

- the copy here was imported (not made in this vault), from the same device;
- this vault has not changed it since (a coordinator's own correction or override would be
  overwritten; opening the case for review or referring the person changes nothing an update
  replaces);
- its audit trail *extends* the trail imported so far: the same entries with the same
  hashes, then more. The laptop's audit log is append-only and hash-chained, so a record whose
  trail extends ours is the same history, later; anything else (an entry changed, removed or
  reordered, a fork) is refused and the copy here stays as it is.

A record whose trail is a *prefix* of ours is older than the copy here (an update that was
held back and retried after a newer one was applied): it changes nothing, so the copy is
never rolled back. A record with exactly our trail and our contents is a plain duplicate.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass
from typing import Any, Literal

from screening.vault import audit
from screening.vault.database import Connection
from screening.vault.errors import VaultError
from screening.vault.interchange import (
    EXPORTABLE,
    export_record,
    imported_audit,
    recorded_fields,
    write_answers,
    write_corrections,
    write_imported_audit,
)
from screening.vault.records import interview_status

# This vault's own audit actions after which the copy here is the device's record as sent.
IMPORTED_ACTIONS = ("import", "import_update")
# This vault's own audit actions that write what an update replaces (the interview row, its
# answers, its corrections): every audited write in records.py except `create` (an imported
# interview is never created here) and `sync` (the delivered flag, which an update keeps).
# tests/screening/vault/test_records.py checks that records.py writes no other action.
LOCAL_CHANGE_ACTIONS = (
    "answer_changed",
    "answer_cleared",
    "answer_corrected",
    "complete",
    "stop",
    "outcome",
    "override",
)
_TRAIL_FIELDS = ("seq", "prev_hash", "at", "actor", "action", "object_id", "detail", "hash")
Trail = list[tuple[Any, ...]]


class UpdateRefused(VaultError):
    """A record of an interview already here cannot be applied without losing something."""

    code = "update_conflict"

    def __init__(self, reason: str) -> None:
        super().__init__(f"The update was refused: {reason}.")
        self.reason = reason


@dataclass(frozen=True, slots=True)
class UpdatePlan:
    """What a record of an interview already here does to it.

    `kind`: "update" (apply: `new_audit` are the entries after ours), "same" (exactly the
    copy here) or "older" (a prefix of the history here; nothing to do).
    """

    kind: Literal["update", "same", "older"]
    new_audit: tuple[dict[str, Any], ...] = ()


def _trail(entries: list[dict[str, Any]]) -> Trail:
    return [tuple(e[f] for f in _TRAIL_FIELDS) for e in sorted(entries, key=lambda e: e["seq"])]


def _imported_trail(conn: Connection, interview_id: str) -> tuple[Trail, set[str]]:
    rows = imported_audit(conn, interview_id)
    return [astuple(r)[1:] for r in rows], {r.device_id for r in rows}


def _same_contents(conn: Connection, record: dict[str, Any]) -> bool:
    here = export_record(conn, record["interview"]["id"], source=record["source"])
    return all(here[part] == record[part] for part in ("interview", "answers", "corrections"))


def _first_difference(ours: Trail, theirs: Trail) -> str:
    for mine, other in zip(ours, theirs, strict=False):
        if mine != other:
            what = "differs" if mine[0] == other[0] else "is missing"
            return f"laptop audit entry {mine[0]} {what}"
    return "it holds no laptop audit entries beyond the copy here"


def plan_update(
    conn: Connection,
    record: dict[str, Any],
    *,
    device_id: str,
    replace_local_changes: bool = False,
) -> UpdatePlan:
    """Decide what a checked record of an interview already in this vault does to it;
    UpdateRefused (with a reason naming no contents) when it must not be applied.

    `replace_local_changes`: a coordinator chose this record over the copy here, changes made
    in this vault included (screening/sync/conflicts.py, which keeps the copy it replaces).
    Every other condition still holds: same device, same form, a trail that extends ours.
    """
    iv = record["interview"]
    interview_id = iv["id"]
    ours, devices = _imported_trail(conn, interview_id)
    theirs = _trail(record["audit"])
    status = interview_status(conn, interview_id)
    if theirs == ours and status in EXPORTABLE and _same_contents(conn, record):
        return UpdatePlan("same")  # nothing would change, whoever sent it

    if status not in EXPORTABLE:
        raise UpdateRefused(f"the interview here is {status}")
    imported = conn.execute(
        "SELECT max(seq) FROM audit WHERE object_id = ? AND action IN (?, ?)",
        (interview_id, *IMPORTED_ACTIONS),
    ).fetchone()[0]
    if imported is None:
        raise UpdateRefused("the interview here was not imported from a device")
    origin = conn.execute(
        "SELECT device_id FROM sync_imports WHERE interview_id = ? ORDER BY rowid LIMIT 1",
        (interview_id,),
    ).fetchone()
    if devices - {device_id} or (origin is not None and origin[0] != device_id):
        raise UpdateRefused("the interview here came from another device")
    here = conn.execute(
        "SELECT form_id, form_version, form_hash, created_at FROM interviews WHERE id = ?",
        (interview_id,),
    ).fetchone()
    if (iv["form_id"], iv["form_version"], iv["form_hash"], iv["created_at"]) != tuple(here):
        raise UpdateRefused("it names another form or start time than the interview here")

    if len(theirs) < len(ours) and ours[: len(theirs)] == theirs:
        return UpdatePlan("older")  # a newer record was applied already: never roll back
    local = conn.execute(
        "SELECT count(*) FROM audit WHERE object_id = ? AND seq > ?"
        f" AND action IN ({', '.join('?' * len(LOCAL_CHANGE_ACTIONS))})",
        (interview_id, imported, *LOCAL_CHANGE_ACTIONS),
    ).fetchone()[0]
    if theirs == ours:
        if local and replace_local_changes:
            return UpdatePlan("update")  # back to the laptop's copy; no new laptop entries
        if local:
            # The laptop's history adds nothing; the difference is this vault's own change.
            return UpdatePlan("same")
        raise UpdateRefused(
            "it holds other contents than the interview here under the same audit trail"
        )
    if len(theirs) <= len(ours) or theirs[: len(ours)] != ours:
        raise UpdateRefused(
            "its audit trail does not extend the one imported here "
            f"({_first_difference(ours, theirs)}); it may be a fork or altered history"
        )
    if local and not replace_local_changes:
        # Replacing the copy would throw away what a person did here; both are kept.
        raise UpdateRefused(
            f"the interview was changed in this vault since it was imported ({local} audit "
            "entries); a person must compare the two"
        )
    entries = sorted(record["audit"], key=lambda e: e["seq"])
    return UpdatePlan("update", tuple(entries[len(ours) :]))


def apply_update(
    conn: Connection,
    actor: str,
    record: dict[str, Any],
    plan: UpdatePlan,
    *,
    device_id: str,
    detail: str,
) -> None:
    """Replace the interview's contents with the record's, inside the caller's transaction.

    The interview row takes the record's fields (its id, form and start stay), answers and
    corrections are replaced by the record's (the record holds all of them: it is the whole
    interview as the laptop has it), the laptop's new audit entries are appended to
    `imported_audit`, and one `import_update` entry is added to this vault's audit log.
    """
    if plan.kind != "update":
        raise VaultError("Only an update plan can be applied.")
    iv = record["interview"]
    interview_id = iv["id"]
    fields = recorded_fields(iv)
    assignments = ", ".join(f"{name} = ?" for name in fields)
    conn.execute(
        f"UPDATE interviews SET {assignments} WHERE id = ?", (*fields.values(), interview_id)
    )
    conn.execute("DELETE FROM answers WHERE interview_id = ?", (interview_id,))
    write_answers(conn, interview_id, record["answers"])
    conn.execute("DELETE FROM answer_corrections WHERE interview_id = ?", (interview_id,))
    write_corrections(conn, interview_id, record["corrections"])
    write_imported_audit(conn, interview_id, device_id, list(plan.new_audit))
    audit.append(conn, actor, "import_update", interview_id, detail)
