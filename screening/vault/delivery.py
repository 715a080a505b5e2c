"""Whether the organisation holds an interview as it stands now (docs/protocol.md, "Laptop").

A finished interview can still change on the laptop (a correction with a reason, an outcome
or an override), so "sealed once" is not "sent once": every change after the newest sealed
envelope must travel in another envelope, and until the hub has acknowledged that newest
envelope the laptop's copy is the only complete one. These helpers answer that question from
the vault alone, for the sync client (what to seal, when to mark delivered) and for
retention (what may never be purged), so both read the same rule.

The rule, per interview: every `sync_outbox` row records `audit_seq`, the newest audit entry
of the interview its record holds. A change is an audit entry of the interview after the
newest envelope's `audit_seq` whose action is not one of `UNCHANGING_ACTIONS`: the sending's
own entries (`seal`, `sync`; counting them would seal a new envelope after every sync) and a
case being opened for review (`case_viewed`, written by the app's case page). Any other
action counts, including ones added later: an extra envelope costs little, a change left
behind is a lost answer. (The entries not counted still travel, with the next change.)
"""

from __future__ import annotations

from screening.vault.database import Connection

# Audit actions about an interview that do not change it: sending it, and reading it.
UNCHANGING_ACTIONS = ("seal", "sync", "case_viewed")


def changed_since_sealed_sql(interview_id: str) -> str:
    """An SQL condition: the interview named by the SQL expression `interview_id` has audit
    entries after its newest envelope that change it (not in UNCHANGING_ACTIONS).

    False for an interview with no envelope (there is nothing to be newer than; whether it
    needs its first envelope is a separate question).
    """
    actions = ", ".join(f"'{a}'" for a in UNCHANGING_ACTIONS)
    return (
        f"EXISTS (SELECT 1 FROM audit a WHERE a.object_id = {interview_id}"
        f" AND a.action NOT IN ({actions})"
        f" AND a.seq > (SELECT max(o.audit_seq) FROM sync_outbox o"
        f" WHERE o.interview_id = {interview_id}))"
    )


def unacknowledged_sql(interview_id: str) -> str:
    """An SQL condition: some envelope of the interview is not acknowledged by the hub."""
    return (
        f"EXISTS (SELECT 1 FROM sync_outbox u WHERE u.interview_id = {interview_id}"
        " AND u.acked_at IS NULL)"
    )


def changed_since_sealed(conn: Connection, interview_id: str) -> bool:
    """True when the interview changed after its newest envelope was sealed."""
    row = conn.execute(f"SELECT {changed_since_sealed_sql('?1')}", (interview_id,)).fetchone()
    return bool(row[0])


def delivery_pending(conn: Connection, interview_id: str) -> bool:
    """True while the hub may not hold the interview as it stands: an envelope of it waits
    for its acknowledgement, or it changed after its newest envelope was sealed."""
    row = conn.execute(
        f"SELECT {unacknowledged_sql('?1')} OR {changed_since_sealed_sql('?1')}",
        (interview_id,),
    ).fetchone()
    return bool(row[0])


def needs_envelope_sql() -> str:
    """An SQL condition over `interviews`: a finished interview with something to seal, its
    first envelope or an update. Interviews this vault imported from elsewhere (on a
    coordinator) are never sent on."""
    return (
        "interviews.status IN ('completed', 'stopped')"
        " AND NOT EXISTS (SELECT 1 FROM sync_imports i WHERE i.interview_id = interviews.id)"
        " AND (NOT EXISTS (SELECT 1 FROM sync_outbox n WHERE n.interview_id = interviews.id)"
        f" OR {changed_since_sealed_sql('interviews.id')})"
    )
