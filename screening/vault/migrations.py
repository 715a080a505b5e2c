"""Versioned schema migrations, tracked in `PRAGMA user_version`.

Migration N turns a version N-1 database into version N. Each runs in its own transaction
together with the version bump, so a crash leaves the database at N-1 or at N, never between.
Never edit a released migration: add a new one.
"""

from __future__ import annotations

from collections.abc import Callable

from screening.vault.database import Connection, transaction
from screening.vault.errors import VaultError

ROLES = ("screener", "coordinator", "admin")


def _v1_core(conn: Connection) -> None:
    statements = [
        """CREATE TABLE meta (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        ) WITHOUT ROWID""",
        """CREATE TABLE users (
            tag TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('screener', 'coordinator', 'admin')),
            added_at TEXT NOT NULL,
            added_by TEXT,
            removed_at TEXT
        ) WITHOUT ROWID""",
        """CREATE TABLE interviews (
            id TEXT PRIMARY KEY,
            form_id TEXT NOT NULL,
            form_version TEXT NOT NULL,
            form_hash TEXT NOT NULL,
            language TEXT NOT NULL,
            screener_language TEXT,
            interpreter_used INTEGER NOT NULL DEFAULT 0,
            screener TEXT NOT NULL,
            location TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            completed_at TEXT,
            status TEXT NOT NULL
                CHECK (status IN ('draft', 'completed', 'stopped', 'purged')),
            stop_reason TEXT,
            outcome TEXT,
            override_recommendation TEXT,
            override_reason TEXT,
            override_by TEXT,
            override_at TEXT,
            delivered INTEGER NOT NULL DEFAULT 0,
            delivered_at TEXT,
            purged_at TEXT
        )""",
        """CREATE TABLE answers (
            interview_id TEXT NOT NULL REFERENCES interviews(id),
            name TEXT NOT NULL,
            value TEXT,
            special TEXT CHECK (special IN ('declined', 'dont_know')),
            answered_at TEXT NOT NULL,
            revision INTEGER NOT NULL,
            PRIMARY KEY (interview_id, name)
        ) WITHOUT ROWID""",
        """CREATE TABLE answer_corrections (
            id INTEGER PRIMARY KEY,
            interview_id TEXT NOT NULL REFERENCES interviews(id),
            name TEXT NOT NULL,
            revision INTEGER NOT NULL,
            previous_value TEXT,
            previous_special TEXT,
            reason TEXT NOT NULL,
            corrected_by TEXT NOT NULL,
            corrected_at TEXT NOT NULL
        )""",
        "CREATE INDEX answer_corrections_interview ON answer_corrections(interview_id)",
        """CREATE TABLE audit (
            seq INTEGER PRIMARY KEY,
            prev_hash TEXT NOT NULL,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            object_id TEXT,
            detail TEXT,
            hash TEXT NOT NULL
        )""",
    ]
    for statement in statements:
        conn.execute(statement)


def _v2_audit_guard(conn: Connection) -> None:
    # A second layer behind the hash chain: ordinary code paths cannot rewrite history even
    # by mistake. (Someone holding the key can drop the triggers; the chain catches that.)
    conn.execute(
        """CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
           BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"""
    )
    conn.execute(
        """CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
           BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"""
    )
    # The chain alone cannot show that its newest rows were cut off; the head is kept apart.
    row = conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    if row is not None:
        conn.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('audit_head', ?)",
            (f"{row[0]}:{row[1]}",),
        )


def _v3_listing_indexes(conn: Connection) -> None:
    # The interview list is sorted and filtered over 100,000 rows without reading answers.
    conn.execute("CREATE INDEX interviews_created ON interviews(created_at)")
    conn.execute("CREATE INDEX interviews_updated ON interviews(updated_at)")
    conn.execute("CREATE INDEX interviews_status_created ON interviews(status, created_at)")
    conn.execute("CREATE INDEX interviews_form_created ON interviews(form_id, created_at)")
    # Retention walks completed, delivered interviews by completion date.
    conn.execute("CREATE INDEX interviews_retention ON interviews(status, delivered, completed_at)")


def _v4_draft_position(conn: Connection) -> None:
    # A draft resumes at the page the screener left, with the repeat entries they added
    # (an added entry may hold no answer yet, so the answers alone cannot say it exists).
    conn.execute("ALTER TABLE interviews ADD COLUMN resume_page TEXT")
    conn.execute("ALTER TABLE interviews ADD COLUMN instance_counts TEXT")


Migration = Callable[[Connection], None]
MIGRATIONS: tuple[Migration, ...] = (
    _v1_core,
    _v2_audit_guard,
    _v3_listing_indexes,
    _v4_draft_position,
)
SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(conn: Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: Connection, *, target: int = SCHEMA_VERSION) -> int:
    """Bring the database up to `target`; return the version it started at."""
    start = schema_version(conn)
    if start > SCHEMA_VERSION:
        raise VaultError(
            f"This vault was written by a newer Screening Desk (schema {start}); "
            "update the app before opening it."
        )
    for version in range(start + 1, target + 1):
        with transaction(conn):
            # Re-read inside the write lock: another process may have migrated meanwhile.
            if schema_version(conn) >= version:
                continue
            MIGRATIONS[version - 1](conn)
            conn.execute(f"PRAGMA user_version = {int(version)}")
    return start
