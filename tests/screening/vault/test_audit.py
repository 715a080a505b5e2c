"""The audit log: append-only, hash-chained, and never holding an answer."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest

from screening.vault import Vault, VaultTampered, audit
from screening.vault.database import open_database

from .conftest import ADMIN, ADMIN_PASS, FAST, SCREENER, SCREENER_PASS, data_key, new_interview

SECRET = "Marker-Answer-7f3a"


def _raw(vault_dir: Path, key: bytes) -> Any:
    """A connection that bypasses the vault, as someone holding the data key could open."""
    conn = open_database(vault_dir / "vault.db", key)
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("DROP TRIGGER audit_no_delete")
    return conn


def _busy_vault(vault: Vault) -> str:
    iid = new_interview(vault)
    for i in range(5):
        vault.save_answer(iid, f"q{i}", i)
    return iid


def test_chain_holds_and_records_actions(vault: Vault) -> None:
    iid = _busy_vault(vault)
    vault.audit("export", iid, "csv")
    vault.verify_audit()
    entries = vault.audit_entries()
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
    assert entries[0].prev_hash == audit.GENESIS
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(entries))
    assert [e.action for e in entries][:3] == ["vault_created", "user_added", "create"]
    assert entries[-1].action == "export" and entries[-1].actor == ADMIN
    assert vault.audit_entries(after=3, limit=2)[0].seq == 4


def test_actions_must_be_identifiers(vault: Vault) -> None:
    with pytest.raises(ValueError):
        vault.audit("DROP TABLE")
    with pytest.raises(ValueError):
        vault.audit("export", None, "x" * 501)


def test_triggers_block_changes(vault: Vault) -> None:
    conn = vault.connection()
    with pytest.raises(Exception, match="append-only"):
        conn.execute("UPDATE audit SET actor = 'someone else' WHERE seq = 1")
    with pytest.raises(Exception, match="append-only"):
        conn.execute("DELETE FROM audit WHERE seq = 1")


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        (
            "UPDATE audit SET detail = 'question q9' WHERE seq = 5",
            "entry 5: the entry was modified",
        ),
        ("UPDATE audit SET actor = 'nobody' WHERE seq = 3", "entry 3: the entry was modified"),
        ("DELETE FROM audit WHERE seq = 4", "entry 4: entries 4 to 4 are missing"),
        ("UPDATE audit SET prev_hash = hash WHERE seq = 6", "entry 6: it does not follow"),
        ("DELETE FROM audit WHERE seq >= 7", "entry 7: entries 7 to"),
    ],
)
def test_broken_link_is_named(vault: Vault, vault_dir: Path, tamper: str, message: str) -> None:
    _busy_vault(vault)
    key = data_key(vault)
    vault.lock()
    raw = _raw(vault_dir, key)
    raw.execute(tamper)
    raw.close()
    v = Vault.unlock(vault_dir, ADMIN, ADMIN_PASS)
    with pytest.raises(VaultTampered, match=f"The audit log is broken at {message}"):
        v.verify_audit()
    assert any(message in p for p in v.check())
    v.lock()


def test_recomputed_row_is_still_caught_by_the_next_link(vault: Vault, vault_dir: Path) -> None:
    _busy_vault(vault)
    key = data_key(vault)
    vault.lock()
    raw = _raw(vault_dir, key)
    seq, prev, at, actor, action, oid, _detail, _ = raw.execute(
        "SELECT * FROM audit WHERE seq = 4"
    ).fetchone()
    forged = audit.entry_hash(seq, prev, at, actor, action, oid, "question other")
    raw.execute("UPDATE audit SET detail = 'question other', hash = ? WHERE seq = 4", (forged,))
    raw.close()
    v = Vault.unlock(vault_dir, ADMIN, ADMIN_PASS)
    with pytest.raises(VaultTampered, match="broken at entry 5: it does not follow"):
        v.verify_audit()
    v.lock()


def test_rows_added_outside_the_app_are_caught(vault: Vault, vault_dir: Path) -> None:
    key = data_key(vault)
    vault.lock()
    raw = open_database(vault_dir / "vault.db", key)
    raw.execute("DELETE FROM meta WHERE key = 'audit_head'")
    raw.execute("INSERT INTO meta VALUES ('audit_head', '1:abc')")
    raw.close()
    v = Vault.unlock(vault_dir, ADMIN, ADMIN_PASS)
    with pytest.raises(VaultTampered, match="entry 2: entries 2 to"):
        v.verify_audit()
    v.lock()


def test_audit_never_holds_values_or_reasons(vault: Vault) -> None:
    vault.add_user(SCREENER, SCREENER_PASS, kdf=FAST)
    iid = new_interview(vault, location=f"loc {SECRET}")
    vault.save_answer(iid, "name", f"{SECRET} name")
    vault.save_answer(iid, "age", {"v": SECRET})
    vault.clear_answer(iid, "age")
    vault.set_outcome(iid, {"explanation": SECRET})
    vault.set_override(iid, "refer", f"because {SECRET}")
    vault.complete_interview(iid, {"why": SECRET})
    vault.correct_answer(iid, "name", f"{SECRET} fixed", reason=f"typo in {SECRET}")
    vault.mark_delivered(iid)
    iid2 = new_interview(vault)
    vault.stop_interview(iid2, f"stopped {SECRET}")
    rows = vault.connection().execute("SELECT * FROM audit").fetchall()
    text = repr(rows)
    assert SECRET not in text
    assert "question name" in text and "recommendation refer" in text
