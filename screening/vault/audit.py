"""The append-only, hash-chained audit log.

Each row's hash covers its own fields and the previous row's hash, so changing, removing or
reordering any row breaks every link after it. The newest (seq, hash) is also kept in
`meta.audit_head`, which catches rows cut off the end. Details name things (a question, a
count, a recommendation label) and never carry answer values, reasons or passphrases.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from screening.vault.database import Connection
from screening.vault.errors import VaultTampered

GENESIS = "0" * 64
GAP = "audit_gap"
_ACTION = re.compile(r"[a-z][a-z0-9_]{0,39}")
MAX_DETAIL = 500


@dataclass(frozen=True, slots=True)
class AuditEntry:
    seq: int
    prev_hash: str
    at: str
    actor: str
    action: str
    object_id: str | None
    detail: str | None
    hash: str


def now_iso() -> str:
    """UTC with microseconds: sorts as text and keeps audit order readable across devices."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_hash(
    seq: int,
    prev_hash: str,
    at: str,
    actor: str,
    action: str,
    object_id: str | None,
    detail: str | None,
) -> str:
    # A JSON array is an unambiguous encoding: no field can bleed into the next.
    canonical = json.dumps(
        [seq, prev_hash, at, actor, action, object_id, detail],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def append(
    conn: Connection,
    actor: str,
    action: str,
    object_id: str | None = None,
    detail: str | None = None,
) -> AuditEntry:
    """Add one row. Call inside the transaction whose change it records."""
    if not _ACTION.fullmatch(action):
        raise ValueError(f"audit action must be a short lower-case identifier, not {action!r}")
    if detail is not None and len(detail) > MAX_DETAIL:
        raise ValueError("audit detail is limited to 500 characters")
    # One statement for both reads: every answer save pays for this.
    last_seq, prev, head = conn.execute(
        "SELECT coalesce((SELECT seq FROM audit ORDER BY seq DESC LIMIT 1), 0),"
        " coalesce((SELECT hash FROM audit ORDER BY seq DESC LIMIT 1), ?),"
        " (SELECT value FROM meta WHERE key = 'audit_head')",
        (GENESIS,),
    ).fetchone()
    last_seq, prev = int(last_seq), str(prev)
    gap = None if head is None else _head_problem(str(head), last_seq, prev)
    if gap is not None and action != GAP:
        # Someone cut or rewrote the end of the log since the last append. Never refuse to
        # record (that would lose answers); write the break into the chain so every later
        # verify reports it.
        prev = append(conn, actor, GAP, None, gap).hash
        last_seq += 1
    seq = last_seq + 1
    at = now_iso()
    digest = entry_hash(seq, prev, at, actor, action, object_id, detail)
    conn.execute(
        "INSERT INTO audit (seq, prev_hash, at, actor, action, object_id, detail, hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (seq, prev, at, actor, action, object_id, detail, digest),
    )
    conn.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('audit_head', ?)", (f"{seq}:{digest}",)
    )
    return AuditEntry(seq, prev, at, actor, action, object_id, detail, digest)


def entries(conn: Connection, *, after: int = 0, limit: int | None = None) -> list[AuditEntry]:
    sql = (
        "SELECT seq, prev_hash, at, actor, action, object_id, detail, hash FROM audit"
        " WHERE seq > ? ORDER BY seq"
    )
    params: tuple[int, ...] = (after,)
    if limit is not None:
        sql += " LIMIT ?"
        params = (after, limit)
    return [AuditEntry(*row) for row in conn.execute(sql, params)]


def verify(conn: Connection) -> int:
    """Walk the whole chain; return the number of rows, or raise naming the first broken link."""
    expected_seq, expected_prev = 1, GENESIS
    cursor = conn.execute(
        "SELECT seq, prev_hash, at, actor, action, object_id, detail, hash FROM audit ORDER BY seq"
    )
    for row in cursor:
        entry = AuditEntry(*row)
        if entry.seq != expected_seq:
            raise VaultTampered(
                f"The audit log is broken at entry {expected_seq}: "
                f"entries {expected_seq} to {entry.seq - 1} are missing."
            )
        if entry.prev_hash != expected_prev:
            raise VaultTampered(
                f"The audit log is broken at entry {entry.seq}: "
                "it does not follow the entry before it."
            )
        recomputed = entry_hash(
            entry.seq,
            entry.prev_hash,
            entry.at,
            entry.actor,
            entry.action,
            entry.object_id,
            entry.detail,
        )
        if recomputed != entry.hash:
            raise VaultTampered(
                f"The audit log is broken at entry {entry.seq}: the entry was modified."
            )
        if entry.action == GAP:
            raise VaultTampered(f"The audit log is {entry.detail}.")
        expected_seq, expected_prev = entry.seq + 1, entry.hash
    count = expected_seq - 1
    head = conn.execute("SELECT value FROM meta WHERE key = 'audit_head'").fetchone()
    problem = None if head is None else _head_problem(str(head[0]), count, expected_prev)
    if problem is not None:
        raise VaultTampered(f"The audit log is {problem}.")
    return count


def _head_problem(head: str, last_seq: int, last_hash: str) -> str | None:
    """Compare the remembered newest entry with the log's actual end."""
    text_seq, _, head_hash = head.partition(":")
    head_seq = int(text_seq) if text_seq.isdigit() else -1
    if head_seq == last_seq and (last_seq == 0 or head_hash == last_hash):
        return None
    if head_seq > last_seq:
        return f"broken at entry {last_seq + 1}: entries {last_seq + 1} to {head_seq} were removed"
    if head_seq < last_seq:
        first = max(head_seq, 0) + 1
        return f"broken at entry {first}: entries {first} to {last_seq} were added outside the app"
    return f"broken at entry {last_seq}: the newest entry was replaced"
