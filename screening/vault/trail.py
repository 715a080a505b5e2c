"""One interview's audit trail as a reviewer reads it: the screener's laptop's rows (carried
by sync into `imported_audit`) and this vault's own, and when sync first received it.

Audit details name questions, never answers. The case page (`app/coordinator/casedata.py`)
and the conflict view (`screening/sync/conflictview.py`) read the trail here.
"""

from __future__ import annotations

from dataclasses import dataclass

from screening.vault.database import Connection


@dataclass(frozen=True, slots=True)
class AuditLine:
    at: str
    actor: str
    action: str
    detail: str | None
    source: str  # "device" (the screener's laptop) or "vault" (this vault)


def device_trail(conn: Connection, interview_id: str) -> list[AuditLine]:
    """The laptop's rows of an imported interview, in the laptop's order."""
    return _lines(conn, "imported_audit", "interview_id", interview_id, "device")


def vault_trail(conn: Connection, interview_id: str) -> list[AuditLine]:
    """This vault's rows about the interview, in this vault's order."""
    return _lines(conn, "audit", "object_id", interview_id, "vault")


def _lines(
    conn: Connection, table: str, column: str, interview_id: str, source: str
) -> list[AuditLine]:
    rows = conn.execute(
        f"SELECT at, actor, action, detail FROM {table} WHERE {column} = ? ORDER BY seq",
        (interview_id,),
    )
    return [AuditLine(str(at), str(actor), str(action), d, source) for at, actor, action, d in rows]


def interview_trail(conn: Connection, interview_id: str) -> list[AuditLine]:
    """The laptop's rows first (the interview happened there), then this vault's."""
    return device_trail(conn, interview_id) + vault_trail(conn, interview_id)


def first_receipt(conn: Connection, interview_id: str) -> tuple[str, str] | None:
    """When sync first imported the interview and from which device; for an interview
    imported without a sync record of it (another importer), the time of this vault's
    `import` audit row and no device; None for one never imported."""
    found = conn.execute(
        "SELECT imported_at, device_id FROM sync_imports WHERE interview_id = ?"
        " ORDER BY imported_at LIMIT 1",
        (interview_id,),
    ).fetchone()
    if found is not None:
        return str(found[0]), str(found[1])
    found = conn.execute(
        "SELECT at FROM audit WHERE object_id = ? AND action = 'import' ORDER BY seq LIMIT 1",
        (interview_id,),
    ).fetchone()
    return None if found is None else (str(found[0]), "")
