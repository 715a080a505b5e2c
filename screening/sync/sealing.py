"""Sealing on the laptop: every finished interview, and every later change to one, becomes an
envelope in the outbox (docs/protocol.md, "Laptop", step 2).

- A finished interview without an envelope is sealed: its whole record, the next envelope of
  the device chain.
- A finished interview that changed after its newest envelope was sealed (a correction with a
  reason, a new outcome, an override: anything the vault audits about it except the sending
  itself) is sealed again as an **update**: the whole current record, which carries all
  answers, corrections and the audit trail, as the next envelope of the same chain. The
  coordinator applies it only if its trail extends the trail it already holds.

Each envelope is sealed once: its bytes are stored in the same transaction that takes the
next sequence number, moves the chain head and appends the `seal` audit entry, and only
those bytes are ever sent. Which change an envelope covers is kept with it (`audit_seq`, the
newest audit entry of the interview its record holds; screening/vault/delivery.py), so an
update is sealed once per change, not once per sync.
"""

from __future__ import annotations

import logging

from screening.envelope import EnvelopeError, envelope_hash, seal
from screening.org.orgfile import OrgPublic
from screening.sync import state
from screening.sync.report import SyncReport
from screening.vault import Vault, audit
from screening.vault.database import Connection
from screening.vault.delivery import changed_since_sealed, needs_envelope_sql
from screening.vault.interchange import export_record

log = logging.getLogger("screening.sync")

SEAL_BATCH = 32  # interviews sealed per transaction


def _sealed_before(tx: Connection, interview_id: str) -> bool:
    row = tx.execute(
        "SELECT 1 FROM sync_outbox WHERE interview_id = ? LIMIT 1", (interview_id,)
    ).fetchone()
    return row is not None


def seal_pending(vault: Vault, report: SyncReport | None = None) -> int:
    """Seal every finished interview that has no envelope yet, and an update envelope for
    every one that changed after its newest envelope; returns how many were sealed.

    Each envelope is stored in the outbox in the same transaction that takes its sequence
    number and moves the chain head (with an audit row), so a crash leaves every interview
    either sealed (and then only ever resent) or untouched (and sealed next time). Up to
    SEAL_BATCH interviews share one transaction.
    """
    identity, org = state.require_device(vault)
    conn = vault.connection()
    candidates = [
        str(r[0])
        for r in conn.execute(
            f"SELECT id FROM interviews WHERE {needs_envelope_sql()} ORDER BY completed_at, rowid"
        )
    ]
    sealed = 0
    for start in range(0, len(candidates), SEAL_BATCH):
        with vault.transaction() as tx:
            for interview_id in candidates[start : start + SEAL_BATCH]:
                if _seal_one(vault, tx, org, identity, interview_id, report):
                    sealed += 1
    if report is not None:
        report.sealed += sealed
    return sealed


def _seal_one(
    vault: Vault,
    tx: Connection,
    org: OrgPublic,
    identity: state.DeviceIdentity,
    interview_id: str,
    report: SyncReport | None,
) -> bool:
    """Seal one interview's current record as the next envelope, inside the caller's
    transaction; False when there is nothing to seal or it cannot be sealed."""
    update = _sealed_before(tx, interview_id)
    if update and not changed_since_sealed(tx, interview_id):
        return False  # another program sealed this change meanwhile
    # Re-read inside the write lock: the head may have moved since the last interview.
    device_id, last_seq, last_hash = tx.execute(
        "SELECT device_id, last_seq, last_hash FROM sync_device WHERE id = 1"
    ).fetchone()
    sealed_at = audit.now_iso()
    source = {"vault_id": vault.vault_id, "sealed_by": vault.user, "sealed_at": sealed_at}
    record = export_record(tx, interview_id, source=source)
    seq = int(last_seq) + 1
    # The form's identity travels inside the record only (the hub must not learn it).
    fields = {"device_id": device_id, "seq": seq, "prev_hash": last_hash}
    try:
        envelope = seal(record, fields, org, identity.private_key)
    except EnvelopeError as exc:
        # Nothing is written for it: it stays unsealed and is reported (and tried again).
        log.warning("interview %s could not be sealed (%s)", interview_id, exc.code)
        if report is not None:
            report.problem(f"Interview {interview_id} could not be sealed: {exc.message}")
        return False
    wire = envelope.to_bytes()
    digest = envelope_hash(wire)
    # Exactly the interview's audit entries up to this one are in the record (the export
    # ran inside this transaction); a later one is a change for the next envelope.
    audit_seq = max((int(e["seq"]) for e in record["audit"]), default=0)
    tx.execute(
        "INSERT INTO sync_outbox (seq, envelope_id, interview_id, hash, data, sealed_at,"
        " audit_seq) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (seq, envelope.header.envelope_id, interview_id, digest, wire, sealed_at, audit_seq),
    )
    tx.execute("UPDATE sync_device SET last_seq = ?, last_hash = ? WHERE id = 1", (seq, digest))
    if update:
        # Delivered again only when the hub acknowledges this envelope (an interview delivered
        # before this fix may still carry the flag from its first envelope).
        tx.execute(
            "UPDATE interviews SET delivered = 0, delivered_at = NULL WHERE id = ?",
            (interview_id,),
        )
    detail = f"envelope {seq}, update" if update else f"envelope {seq}"
    audit.append(tx, vault.user, "seal", interview_id, detail)
    return True
