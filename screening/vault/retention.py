"""Retention: delete the answers of delivered, completed interviews after N days.

Only interviews the hub has acknowledged (`delivered`) are purged, so retention can never
destroy the only copy. The flag is not trusted alone: an interview with an envelope still
waiting for the hub, or changed (a correction, an override) since its newest envelope was
sealed, is kept whatever the flag says (screening/vault/delivery.py). A tombstone row stays
(id, form, dates, status `purged`) so a later sync or an audit question about that id gets a
clear answer instead of "unknown".
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from screening.vault import audit
from screening.vault.database import Connection, transaction
from screening.vault.delivery import changed_since_sealed_sql, unacknowledged_sql
from screening.vault.errors import VaultError

# Deleting in chunks keeps each transaction short, so the app stays responsive and a crash
# midway leaves whole interviews either purged or untouched.
_CHUNK = 200


def purge(
    conn: Connection, actor: str, older_than_days: int, *, now: datetime | None = None
) -> int:
    if isinstance(older_than_days, bool) or not isinstance(older_than_days, int):
        raise VaultError("The retention period must be a whole number of days.")
    if older_than_days < 0:
        raise VaultError("The retention period cannot be negative.")
    cutoff = ((now or datetime.now(UTC)) - timedelta(days=older_than_days)).strftime(
        "%Y-%m-%dT%H:%M:%S.%fZ"
    )
    purged = 0
    while True:
        with transaction(conn):
            ids = [
                str(r[0])
                for r in conn.execute(
                    "SELECT id FROM interviews WHERE status = 'completed' AND delivered = 1"
                    f" AND completed_at < ? AND NOT {unacknowledged_sql('interviews.id')}"
                    f" AND NOT {changed_since_sealed_sql('interviews.id')} LIMIT ?",
                    (cutoff, _CHUNK),
                )
            ]
            if not ids:
                break
            marks = ",".join("?" * len(ids))
            conn.execute(f"DELETE FROM answers WHERE interview_id IN ({marks})", ids)
            conn.execute(f"DELETE FROM answer_corrections WHERE interview_id IN ({marks})", ids)
            # The sealed copy the hub acknowledged goes too: it holds the same answers.
            conn.execute(
                f"UPDATE sync_outbox SET data = NULL WHERE acked_at IS NOT NULL"
                f" AND interview_id IN ({marks})",
                ids,
            )
            # Everything that could describe the person goes; what identifies the record stays.
            conn.execute(
                "UPDATE interviews SET status = 'purged', purged_at = ?, location = NULL,"
                " stop_reason = NULL, outcome = NULL, override_recommendation = NULL,"
                f" override_reason = NULL, override_by = NULL, override_at = NULL"
                f" WHERE id IN ({marks})",
                [audit.now_iso(), *ids],
            )
            for interview_id in ids:
                audit.append(conn, actor, "purge", interview_id)
            purged += len(ids)
    with transaction(conn):
        audit.append(
            conn, actor, "purge", None, f"{purged} interviews older than {older_than_days} days"
        )
    return purged
