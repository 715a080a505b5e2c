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


def _v5_sync(conn: Connection) -> None:
    # Sync state lives in the vault, encrypted like everything else (docs/protocol.md,
    # "The sync client"). A laptop holds its device key, the organisation's public file and an
    # outbox of sealed envelopes; a coordinator holds the organisation's private keys, the
    # enrolment codes it made, and what it imported.
    statements = [
        # The organisation: its signed public file, and on a coordinator its private keys.
        """CREATE TABLE sync_org (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            org_file TEXT NOT NULL,
            private_bundle TEXT,
            signing_key_id TEXT NOT NULL,
            encryption_key_id TEXT NOT NULL,
            stored_at TEXT NOT NULL
        )""",
        # A laptop's own identity and the head of its envelope chain. The key is made before
        # enrolment (device_id NULL until the hub answers), so a lost answer can be asked for
        # again with the same key and code.
        """CREATE TABLE sync_device (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            private_key BLOB NOT NULL,
            key_id TEXT NOT NULL,
            device_id TEXT,
            enrolled_at TEXT,
            last_seq INTEGER NOT NULL DEFAULT 0,
            last_hash TEXT NOT NULL,
            created_at TEXT NOT NULL
        )""",
        # Sealed once, stored before the first push, only ever resent as the same bytes.
        """CREATE TABLE sync_outbox (
            seq INTEGER PRIMARY KEY,
            envelope_id TEXT NOT NULL UNIQUE,
            interview_id TEXT NOT NULL UNIQUE REFERENCES interviews(id),
            hash TEXT NOT NULL,
            data BLOB,
            sealed_at TEXT NOT NULL,
            acked_at TEXT,
            hub_cursor INTEGER
        )""",
        "CREATE INDEX sync_outbox_unacked ON sync_outbox(seq) WHERE acked_at IS NULL",
        # Coordinator: codes it made (kept to check each device's attestation).
        """CREATE TABLE sync_enrol_codes (
            code_hash TEXT PRIMARY KEY,
            code TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL
        ) WITHOUT ROWID""",
        # Coordinator: the verified head of each device's chain.
        """CREATE TABLE sync_chains (
            device_id TEXT PRIMARY KEY,
            last_seq INTEGER NOT NULL,
            last_hash TEXT NOT NULL
        ) WITHOUT ROWID""",
        # Coordinator: every envelope imported (or found to hold an interview already here).
        """CREATE TABLE sync_imports (
            envelope_id TEXT PRIMARY KEY,
            device_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            hash TEXT NOT NULL,
            interview_id TEXT NOT NULL REFERENCES interviews(id),
            hub_cursor INTEGER NOT NULL,
            imported_at TEXT NOT NULL,
            acked_at TEXT,
            UNIQUE (device_id, seq)
        )""",
        "CREATE INDEX sync_imports_unacked ON sync_imports(hub_cursor) WHERE acked_at IS NULL",
        "CREATE INDEX sync_imports_interview ON sync_imports(interview_id)",
        # Coordinator: envelopes that could not be imported, kept (ciphertext) and retried.
        """CREATE TABLE sync_rejected (
            envelope_id TEXT PRIMARY KEY,
            device_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            hub_cursor INTEGER NOT NULL,
            code TEXT NOT NULL,
            message TEXT NOT NULL,
            data BLOB NOT NULL,
            first_at TEXT NOT NULL,
            last_at TEXT NOT NULL,
            attempts INTEGER NOT NULL
        ) WITHOUT ROWID""",
        # Coordinator: the laptop's own audit rows of each imported interview.
        """CREATE TABLE imported_audit (
            interview_id TEXT NOT NULL REFERENCES interviews(id),
            device_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            prev_hash TEXT NOT NULL,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            object_id TEXT,
            detail TEXT,
            hash TEXT NOT NULL,
            PRIMARY KEY (interview_id, seq)
        ) WITHOUT ROWID""",
        """CREATE TRIGGER imported_audit_no_update BEFORE UPDATE ON imported_audit
           BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
        """CREATE TRIGGER imported_audit_no_delete BEFORE DELETE ON imported_audit
           BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
        # Laptop: forms received from the hub whose organisation signature verified.
        """CREATE TABLE sync_forms (
            form_id TEXT NOT NULL,
            version TEXT NOT NULL,
            form_hash TEXT NOT NULL,
            document TEXT NOT NULL,
            signed_at TEXT NOT NULL,
            hub_cursor INTEGER NOT NULL,
            installed_at TEXT NOT NULL,
            PRIMARY KEY (form_id, version)
        ) WITHOUT ROWID""",
    ]
    for statement in statements:
        conn.execute(statement)


def _v6_referrals(conn: Connection) -> None:
    # Coordinators refer people to services (docs/referrals.md). Providers are organisations,
    # never people; a referral holds what the slip needs and no answer values. Every change is
    # audited; the status dates make the history readable without the audit log.
    statements = [
        """CREATE TABLE providers (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('shelter', 'medical', 'psychosocial',
                'legal_aid', 'avrr', 'child_protection')),
            contact TEXT,
            languages TEXT NOT NULL DEFAULT '[]',
            notes TEXT,
            active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
            created_at TEXT NOT NULL,
            created_by TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""",
        "CREATE INDEX providers_kind ON providers(kind, active)",
        """CREATE TABLE referrals (
            id TEXT PRIMARY KEY,
            case_code TEXT NOT NULL,
            interview_id TEXT NOT NULL REFERENCES interviews(id),
            provider_id TEXT NOT NULL REFERENCES providers(id),
            needs TEXT NOT NULL,
            urgency TEXT NOT NULL CHECK (urgency IN ('routine', 'urgent', 'emergency')),
            consent TEXT NOT NULL CHECK (consent IN ('person', 'guardian', 'best_interests')),
            consent_recorded_by TEXT NOT NULL,
            consent_recorded_at TEXT NOT NULL,
            language TEXT,
            interpreter_needed INTEGER NOT NULL DEFAULT 0 CHECK (interpreter_needed IN (0, 1)),
            interpreter_language TEXT,
            referrer TEXT NOT NULL,
            referrer_contact TEXT NOT NULL,
            include_identity INTEGER NOT NULL DEFAULT 0 CHECK (include_identity IN (0, 1)),
            status TEXT NOT NULL CHECK (status IN ('sent', 'accepted', 'declined', 'closed')),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            sent_at TEXT NOT NULL,
            accepted_at TEXT,
            declined_at TEXT,
            closed_at TEXT
        )""",
        "CREATE INDEX referrals_interview ON referrals(interview_id)",
        "CREATE INDEX referrals_provider_status ON referrals(provider_id, status)",
        "CREATE INDEX referrals_status_sent ON referrals(status, sent_at)",
    ]
    for statement in statements:
        conn.execute(statement)


def _v7_audit_by_object(conn: Connection) -> None:
    # One interview's audit trail (coordinator case page) without scanning the whole log.
    conn.execute("CREATE INDEX audit_object ON audit(object_id, seq)")


def _v8_outbox_updates(conn: Connection) -> None:
    # An interview may change after it was sealed (a correction with a reason, an outcome, an
    # override), and that change must travel too: it goes as another envelope of the same
    # interview, so `interview_id` can no longer be unique. SQLite cannot drop a constraint,
    # so the table is rebuilt (same rows, same sequence numbers and bytes).
    #
    # `audit_seq` is the newest audit entry of the interview that the envelope's record
    # holds; a later entry (other than the sending's own `seal`/`sync`) means the interview
    # changed since and needs an update envelope (screening/vault/delivery.py). For the
    # envelopes already sealed it is recovered from the log: the record was exported in the
    # same transaction that appended the `seal` entry "envelope N", so it held exactly the
    # interview's entries before that one. If that entry cannot be found, the entries up to
    # the sealing time are taken; 0 (everything after counts as a change) when neither says.
    conn.execute(
        """CREATE TABLE sync_outbox_v8 (
            seq INTEGER PRIMARY KEY,
            envelope_id TEXT NOT NULL UNIQUE,
            interview_id TEXT NOT NULL REFERENCES interviews(id),
            hash TEXT NOT NULL,
            data BLOB,
            sealed_at TEXT NOT NULL,
            acked_at TEXT,
            hub_cursor INTEGER,
            audit_seq INTEGER NOT NULL
        )"""
    )
    conn.execute(
        """INSERT INTO sync_outbox_v8 (seq, envelope_id, interview_id, hash, data, sealed_at,
               acked_at, hub_cursor, audit_seq)
           SELECT o.seq, o.envelope_id, o.interview_id, o.hash, o.data, o.sealed_at,
               o.acked_at, o.hub_cursor,
               COALESCE(
                   (SELECT max(a.seq) FROM audit a WHERE a.object_id = o.interview_id
                       AND a.seq < (SELECT min(s.seq) FROM audit s
                           WHERE s.object_id = o.interview_id AND s.action = 'seal'
                           AND s.detail = 'envelope ' || o.seq)),
                   (SELECT max(a.seq) FROM audit a WHERE a.object_id = o.interview_id
                       AND a.at <= o.sealed_at AND a.action NOT IN ('seal', 'sync')),
                   0)
           FROM sync_outbox o ORDER BY o.seq"""
    )
    conn.execute("DROP TABLE sync_outbox")  # its index goes with it
    conn.execute("ALTER TABLE sync_outbox_v8 RENAME TO sync_outbox")
    conn.execute("CREATE INDEX sync_outbox_unacked ON sync_outbox(seq) WHERE acked_at IS NULL")
    # An interview's envelopes, newest last: what to seal next, when it is delivered.
    conn.execute("CREATE INDEX sync_outbox_interview ON sync_outbox(interview_id, seq)")


def _v9_device_key_rotations(conn: Connection) -> None:
    # A laptop replaces its device key when a user is removed or a backup is restored (a
    # copy of the vault from before holds the old key). Each replacement waits here until
    # the hub has registered it: the old key signs that registration, and the envelopes
    # sealed before it (seq < first_seq) are pushed under it first. The old key is erased
    # once the hub has the new one.
    conn.execute(
        """CREATE TABLE sync_key_rotations (
            id INTEGER PRIMARY KEY,
            old_private_key BLOB,
            old_key_id TEXT NOT NULL,
            new_key_id TEXT NOT NULL UNIQUE,
            first_seq INTEGER NOT NULL,
            reason TEXT NOT NULL,
            created_at TEXT NOT NULL,
            registered_at TEXT,
            refused_at TEXT
        )"""
    )


def _v10_person_id(conn: Connection) -> None:
    # Interviews of one person (a rapid screening continued into the full interview, or two
    # interviews a coordinator linked) share a random person id; NULL: a person of its own.
    # Exports count people by it (docs/export.md).
    conn.execute("ALTER TABLE interviews ADD COLUMN person_id TEXT")
    conn.execute("CREATE INDEX interviews_person ON interviews(person_id, created_at)")


def _v11_conflict_resolutions(conn: Connection) -> None:
    # A held update_conflict is resolved by a coordinator (screening/sync/conflicts.py). The
    # key that verified a held envelope's signature is kept with it, so the envelope can be
    # checked again before anyone sees or takes it, without the hub. A resolution keeps the
    # copy not chosen: the envelope as received (sealed to the organisation key) and, when
    # the incoming copy replaced the one here, the record it replaced. Append-only.
    conn.execute("ALTER TABLE sync_rejected ADD COLUMN signer_key BLOB")
    conn.execute(
        """CREATE TABLE sync_resolved (
            envelope_id TEXT PRIMARY KEY,
            device_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            hub_cursor INTEGER NOT NULL,
            interview_id TEXT NOT NULL REFERENCES interviews(id),
            choice TEXT NOT NULL CHECK (choice IN ('local', 'incoming')),
            envelope BLOB NOT NULL,
            replaced_record TEXT,
            reason TEXT NOT NULL,
            resolved_by TEXT NOT NULL,
            resolved_at TEXT NOT NULL
        ) WITHOUT ROWID"""
    )
    conn.execute("CREATE INDEX sync_resolved_interview ON sync_resolved(interview_id)")
    conn.execute(
        """CREATE TRIGGER sync_resolved_no_update BEFORE UPDATE ON sync_resolved
           BEGIN SELECT RAISE(ABORT, 'resolved conflicts are kept as they were'); END"""
    )
    conn.execute(
        """CREATE TRIGGER sync_resolved_no_delete BEFORE DELETE ON sync_resolved
           BEGIN SELECT RAISE(ABORT, 'resolved conflicts are kept as they were'); END"""
    )


Migration = Callable[[Connection], None]
MIGRATIONS: tuple[Migration, ...] = (
    _v1_core,
    _v2_audit_guard,
    _v3_listing_indexes,
    _v4_draft_position,
    _v5_sync,
    _v6_referrals,
    _v7_audit_by_object,
    _v8_outbox_updates,
    _v9_device_key_rotations,
    _v10_person_id,
    _v11_conflict_resolutions,
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
