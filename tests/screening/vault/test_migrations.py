"""Every migration, run from the version right before it, keeps the data and adds its part."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from screening.vault import VaultError, audit, keys, migrations
from screening.vault.database import open_database, transaction
from screening.vault.migrations import SCHEMA_VERSION, migrate, schema_version


def _db(tmp_path: Path, version: int) -> Any:
    conn = open_database(tmp_path / "v.db", keys.random_key(), create=True)
    migrate(conn, target=version)
    assert schema_version(conn) == version
    return conn


def _seed_v1(conn: Any) -> None:
    with transaction(conn):
        conn.execute(
            "INSERT INTO interviews (id, form_id, form_version, form_hash, language, screener,"
            " created_at, updated_at, status) VALUES ('i1', 'f', '1', 'h', 'en', 's',"
            " '2024-01-01T00:00:00.000000Z', '2024-01-01T00:00:00.000000Z', 'draft')"
        )
        conn.execute(
            "INSERT INTO answers VALUES ('i1', 'age', '31', NULL, '2024-01-01T00:00:00Z', 1)"
        )
        audit.append(conn, "s", "create", "i1")
        audit.append(conn, "s", "answer_changed", "i1", "question age")


def _data(conn: Any) -> list[tuple[Any, ...]]:
    return conn.execute(
        "SELECT i.id, a.name, a.value, a.revision FROM interviews i JOIN answers a"
        " ON a.interview_id = i.id"
    ).fetchall()


def test_v1_from_empty(tmp_path: Path) -> None:
    conn = _db(tmp_path, 0)
    migrate(conn, target=1)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"meta", "users", "interviews", "answers", "answer_corrections", "audit"} <= tables
    _seed_v1(conn)
    assert _data(conn) == [("i1", "age", "31", 1)]
    conn.close()


def test_v2_from_v1_guards_audit_and_records_head(tmp_path: Path) -> None:
    conn = _db(tmp_path, 1)
    _seed_v1(conn)
    conn.execute("DELETE FROM meta WHERE key = 'audit_head'")  # v1 code did not keep it
    migrate(conn, target=2)
    assert _data(conn) == [("i1", "age", "31", 1)]
    head = conn.execute("SELECT value FROM meta WHERE key = 'audit_head'").fetchone()[0]
    assert head.startswith("2:")
    assert audit.verify(conn) == 2
    with pytest.raises(Exception, match="append-only"):
        conn.execute("UPDATE audit SET actor = 'x'")
    with pytest.raises(Exception, match="append-only"):
        conn.execute("DELETE FROM audit")
    conn.close()


def test_v3_from_v2_adds_listing_indexes(tmp_path: Path) -> None:
    conn = _db(tmp_path, 2)
    _seed_v1(conn)
    migrate(conn, target=3)
    assert _data(conn) == [("i1", "age", "31", 1)]
    indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert {"interviews_created", "interviews_status_created", "interviews_retention"} <= indexes
    plan = " ".join(
        str(r[-1])
        for r in conn.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM interviews WHERE status = 'draft'"
            " ORDER BY created_at DESC LIMIT 50"
        )
    )
    assert "interviews_status_created" in plan
    conn.close()


def test_v4_from_v3_adds_draft_position(tmp_path: Path) -> None:
    conn = _db(tmp_path, 3)
    _seed_v1(conn)
    migrate(conn, target=4)
    assert _data(conn) == [("i1", "age", "31", 1)]
    row = conn.execute("SELECT resume_page, instance_counts FROM interviews").fetchone()
    assert tuple(row) == (None, None)
    conn.close()


def test_v5_from_v4_adds_sync_state(tmp_path: Path) -> None:
    conn = _db(tmp_path, 4)
    _seed_v1(conn)
    conn.execute("UPDATE interviews SET status = 'completed'")
    migrate(conn, target=5)
    assert _data(conn) == [("i1", "age", "31", 1)]
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {
        "sync_org",
        "sync_device",
        "sync_outbox",
        "sync_enrol_codes",
        "sync_chains",
        "sync_imports",
        "sync_rejected",
        "imported_audit",
        "sync_forms",
    } <= tables
    at = "2024-01-02T00:00:00.000000Z"
    with transaction(conn):
        conn.execute(
            "INSERT INTO sync_device (id, private_key, key_id, last_hash, created_at)"
            " VALUES (1, x'00', 'k', ?, ?)",
            ("0" * 64, at),
        )
        conn.execute(
            "INSERT INTO sync_outbox (seq, envelope_id, interview_id, hash, data, sealed_at)"
            " VALUES (1, 'e1', 'i1', 'h', x'01', ?)",
            (at,),
        )
        conn.execute(
            "INSERT INTO imported_audit VALUES ('i1', 'd', 1, 'p', ?, 'a', 'create', 'i1', NULL,"
            " 'h')",
            (at,),
        )
    assert conn.execute("SELECT last_seq FROM sync_device").fetchone()[0] == 0
    with pytest.raises(Exception, match="CHECK"):
        conn.execute(
            "INSERT INTO sync_device (id, private_key, key_id, last_hash, created_at)"
            " VALUES (2, x'00', 'k', 'h', 'now')"
        )
    with pytest.raises(Exception, match="UNIQUE"):  # sealed once per interview
        conn.execute(
            "INSERT INTO sync_outbox (seq, envelope_id, interview_id, hash, data, sealed_at)"
            " VALUES (2, 'e2', 'i1', 'h', x'01', 'now')"
        )
    with pytest.raises(Exception, match="FOREIGN KEY"):
        conn.execute(
            "INSERT INTO sync_outbox (seq, envelope_id, interview_id, hash, data, sealed_at)"
            " VALUES (3, 'e3', 'nope', 'h', x'01', 'now')"
        )
    with pytest.raises(Exception, match="append-only"):
        conn.execute("DELETE FROM imported_audit")
    conn.close()


def test_v6_from_v5_adds_providers_and_referrals(tmp_path: Path) -> None:
    conn = _db(tmp_path, 5)
    _seed_v1(conn)
    migrate(conn, target=6)
    assert _data(conn) == [("i1", "age", "31", 1)]
    at = "2024-01-02T00:00:00.000000Z"
    with transaction(conn):
        conn.execute(
            "INSERT INTO providers (id, name, kind, created_at, created_by, updated_at)"
            " VALUES ('p1', 'Safe House', 'shelter', ?, 'c', ?)",
            (at, at),
        )
        conn.execute(
            "INSERT INTO referrals (id, case_code, interview_id, provider_id, needs, urgency,"
            " consent, consent_recorded_by, consent_recorded_at, referrer, referrer_contact,"
            " status, created_at, updated_at, sent_at) VALUES ('r1', 'R-X', 'i1', 'p1',"
            " '[\"shelter\"]', 'urgent', 'person', 'c', ?, 'c', '+382 1', 'sent', ?, ?, ?)",
            (at, at, at, at),
        )
    row = conn.execute("SELECT status, include_identity, interpreter_needed FROM referrals")
    assert tuple(row.fetchone()) == ("sent", 0, 0)
    with pytest.raises(Exception, match="CHECK"):
        conn.execute("UPDATE referrals SET status = 'lost'")
    with pytest.raises(Exception, match="CHECK"):
        conn.execute("UPDATE providers SET kind = 'hotel'")
    with pytest.raises(Exception, match="FOREIGN KEY"):
        conn.execute("UPDATE referrals SET interview_id = 'nope'")
    conn.close()


def test_v7_from_v6_indexes_audit_by_object(tmp_path: Path) -> None:
    conn = _db(tmp_path, 6)
    _seed_v1(conn)
    migrate(conn, target=7)
    assert _data(conn) == [("i1", "age", "31", 1)]
    plan = " ".join(
        str(r[-1])
        for r in conn.execute(
            "EXPLAIN QUERY PLAN SELECT seq FROM audit WHERE object_id = 'i1' ORDER BY seq"
        )
    )
    assert "audit_object" in plan
    assert audit.verify(conn) == 2
    conn.close()


def _seed_v7_outbox(conn: Any) -> list[tuple[Any, ...]]:
    """A laptop at version 7: two sealed interviews (one acknowledged and corrected since),
    one sealed before its `seal` entry could be found again; returns the outbox rows."""
    at = "2024-01-02T00:00:00.000000Z"
    with transaction(conn):
        for iid in ("i1", "i2", "i3"):
            conn.execute(
                "INSERT INTO interviews (id, form_id, form_version, form_hash, language,"
                " screener, created_at, updated_at, completed_at, status) VALUES (?, 'f', '1',"
                " 'h', 'en', 's', ?, ?, ?, 'completed')",
                (iid, at, at, at),
            )
        conn.execute(
            "INSERT INTO sync_device (id, private_key, key_id, device_id, last_seq, last_hash,"
            " created_at) VALUES (1, x'00', 'k', 'd', 3, ?, ?)",
            ("3" * 64, at),
        )
        audit.append(conn, "s", "create", "i1")  # 1
        audit.append(conn, "s", "complete", "i1")  # 2
        audit.append(conn, "s", "create", "i2")  # 3
        audit.append(conn, "s", "complete", "i2")  # 4
        audit.append(conn, "s", "seal", "i1", "envelope 1")  # 5
        audit.append(conn, "s", "seal", "i2", "envelope 2")  # 6
        audit.append(conn, "s", "sync", "i1", "delivered")  # 7
        audit.append(conn, "s", "answer_corrected", "i1", "question age, revision 2")  # 8
        conn.execute(
            "INSERT INTO sync_outbox (seq, envelope_id, interview_id, hash, data, sealed_at,"
            " acked_at, hub_cursor) VALUES (1, 'e1', 'i1', 'h1', NULL, ?, ?, 11),"
            " (2, 'e2', 'i2', 'h2', x'0102', ?, NULL, NULL),"
            " (3, 'e3', 'i3', 'h3', x'03', '2023-01-01T00:00:00.000000Z', NULL, NULL)",
            (at, at, at),
        )
    return conn.execute(
        "SELECT seq, envelope_id, interview_id, hash, data, sealed_at, acked_at, hub_cursor"
        " FROM sync_outbox ORDER BY seq"
    ).fetchall()


def test_v8_from_v7_lets_an_interview_have_several_envelopes(tmp_path: Path) -> None:
    from screening.vault.delivery import changed_since_sealed, delivery_pending

    conn = _db(tmp_path, 7)
    before = _seed_v7_outbox(conn)
    migrate(conn, target=8)
    after = conn.execute(
        "SELECT seq, envelope_id, interview_id, hash, data, sealed_at, acked_at, hub_cursor,"
        " audit_seq FROM sync_outbox ORDER BY seq"
    ).fetchall()
    # Every row, byte for byte; each knows the audit entries its record held: those of its
    # interview before its `seal` entry (i3 has none to find, and no entries at all).
    assert [tuple(r[:8]) for r in after] == [tuple(r) for r in before]
    assert [r[8] for r in after] == [2, 4, 0]
    assert audit.verify(conn) == 8
    # The correction after i1's envelope is a change to send; i2 waits for its ack only.
    assert changed_since_sealed(conn, "i1") and not changed_since_sealed(conn, "i2")
    assert delivery_pending(conn, "i1") and delivery_pending(conn, "i2")
    with transaction(conn):  # an update envelope of i1: no longer refused as a duplicate
        conn.execute(
            "INSERT INTO sync_outbox (seq, envelope_id, interview_id, hash, data, sealed_at,"
            " audit_seq) VALUES (4, 'e4', 'i1', 'h4', x'04', 'now', 8)"
        )
        conn.execute("UPDATE sync_outbox SET acked_at = 'now' WHERE seq = 4")
    assert not delivery_pending(conn, "i1")
    with pytest.raises(Exception, match="UNIQUE"):  # envelope ids stay unique
        conn.execute(
            "INSERT INTO sync_outbox (seq, envelope_id, interview_id, hash, data, sealed_at,"
            " audit_seq) VALUES (5, 'e4', 'i1', 'h', x'01', 'now', 8)"
        )
    with pytest.raises(Exception, match="FOREIGN KEY"):
        conn.execute(
            "INSERT INTO sync_outbox (seq, envelope_id, interview_id, hash, data, sealed_at,"
            " audit_seq) VALUES (6, 'e6', 'nope', 'h', x'01', 'now', 0)"
        )
    with pytest.raises(Exception, match="NOT NULL"):
        conn.execute(
            "INSERT INTO sync_outbox (seq, envelope_id, interview_id, hash, data, sealed_at)"
            " VALUES (7, 'e7', 'i1', 'h', x'01', 'now')"
        )
    indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert {"sync_outbox_unacked", "sync_outbox_interview"} <= indexes
    assert (
        conn.execute("SELECT name FROM sqlite_master WHERE name = 'sync_outbox_v8'").fetchone()
        is None
    )
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()


def test_v9_from_v8_adds_device_key_rotations(tmp_path: Path) -> None:
    conn = _db(tmp_path, 8)
    migrate(conn, target=9)
    columns = [r[1] for r in conn.execute("PRAGMA table_info(sync_key_rotations)")]
    assert columns == [
        "id", "old_private_key", "old_key_id", "new_key_id", "first_seq", "reason",
        "created_at", "registered_at", "refused_at",
    ]  # fmt: skip
    with transaction(conn):
        conn.execute(
            "INSERT INTO sync_key_rotations (old_private_key, old_key_id, new_key_id, first_seq,"
            " reason, created_at) VALUES (x'01', 'a', 'b', 1, 'user removed', 'now')"
        )
    with pytest.raises(Exception, match="UNIQUE"):  # a new key is made once
        conn.execute(
            "INSERT INTO sync_key_rotations (old_key_id, new_key_id, first_seq, reason,"
            " created_at) VALUES ('b', 'b', 2, 'user removed', 'now')"
        )
    assert schema_version(conn) == 9


def test_v10_from_v9_gives_interviews_a_person_id(tmp_path: Path) -> None:
    conn = _db(tmp_path, 9)
    _seed_v1(conn)
    migrate(conn, target=10)
    # Existing interviews are each a person of their own until linked.
    assert conn.execute("SELECT id, person_id FROM interviews").fetchall() == [("i1", None)]
    indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert "interviews_person" in indexes
    conn.close()


def test_v11_from_v10_keeps_held_rows_and_adds_resolutions(tmp_path: Path) -> None:
    conn = _db(tmp_path, 10)
    _seed_v1(conn)
    with transaction(conn):
        conn.execute(
            "INSERT INTO sync_rejected (envelope_id, device_id, seq, hub_cursor, code, message,"
            " data, first_at, last_at, attempts) VALUES ('e1', 'd1', 2, 5, 'update_conflict',"
            " 'm', x'0102', 'now', 'now', 1)"
        )
    migrate(conn, target=11)
    # A row held before the migration has no signer key yet (the next sync adds it).
    assert conn.execute("SELECT envelope_id, signer_key FROM sync_rejected").fetchall() == [
        ("e1", None)
    ]
    with transaction(conn):
        conn.execute(
            "INSERT INTO sync_resolved (envelope_id, device_id, seq, hub_cursor, interview_id,"
            " choice, envelope, replaced_record, reason, resolved_by, resolved_at)"
            " VALUES ('e1', 'd1', 2, 5, 'i1', 'local', x'0102', NULL, 'm', 'c', 'now')"
        )
    with pytest.raises(Exception, match="CHECK"):
        conn.execute(
            "INSERT INTO sync_resolved (envelope_id, device_id, seq, hub_cursor, interview_id,"
            " choice, envelope, reason, resolved_by, resolved_at)"
            " VALUES ('e2', 'd1', 3, 6, 'i1', 'both', x'01', 'm', 'c', 'now')"
        )
    # The copy not chosen stays: a resolution is never changed or removed.
    for statement in ("UPDATE sync_resolved SET choice = 'incoming'", "DELETE FROM sync_resolved"):
        with pytest.raises(Exception, match="kept as they were"):
            conn.execute(statement)
    assert schema_version(conn) == 11
    conn.close()


def test_every_migration_has_a_test() -> None:
    # When adding migration N, add test_vN_from_vN-1 above and bump this number.
    assert SCHEMA_VERSION == 11


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    conn = _db(tmp_path, SCHEMA_VERSION)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(VaultError, match="newer Screening Desk"):
        migrate(conn)
    conn.close()


def test_failed_migration_leaves_previous_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(conn: Any) -> None:
        conn.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("power cut")

    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS, broken))
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    conn = _db(tmp_path, SCHEMA_VERSION)
    with pytest.raises(RuntimeError):
        migrations.migrate(conn, target=SCHEMA_VERSION + 1)
    assert schema_version(conn) == SCHEMA_VERSION
    assert (
        conn.execute("SELECT name FROM sqlite_master WHERE name = 'half_done'").fetchone() is None
    )
    conn.close()


def test_migrate_is_idempotent(tmp_path: Path) -> None:
    conn = _db(tmp_path, SCHEMA_VERSION)
    assert migrate(conn) == SCHEMA_VERSION
    conn.close()
