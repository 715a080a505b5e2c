"""Creating, unlocking, users, recovery, rekeying and locking."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from screening.vault import (
    DEFAULT_KDF,
    KEM_HYBRID,
    KEM_X25519,
    PermissionDenied,
    ReadOnlyInterview,
    Vault,
    VaultError,
    VaultExists,
    VaultNotFound,
    VaultTampered,
    WeakPassphrase,
    WrongCredentials,
    generate_recovery_keypair,
    keys,
    slots,
)
from screening.vault.database import PLAINTEXT_HEADER, open_database

from .conftest import (
    ADMIN,
    ADMIN_PASS,
    COORD,
    COORD_PASS,
    FAST,
    SCREENER,
    SCREENER_PASS,
    data_key,
    new_interview,
)


def test_create_makes_an_encrypted_vault(vault: Vault, vault_dir: Path) -> None:
    assert (vault.user, vault.role) == (ADMIN, "admin")
    assert sorted(p.name for p in vault_dir.iterdir() if not p.name.endswith(("-wal", "-shm"))) == [
        "backoff.json",
        "backoff.lock",  # empty: held while backoff.json is read and written
        "slots.json",
        "vault.db",
    ]
    assert (vault_dir / "vault.db").read_bytes()[:16] != PLAINTEXT_HEADER
    assert vault_dir.stat().st_mode & 0o077 == 0
    assert vault.check() == []


def test_create_refuses_weak_passphrases_other_roles_and_existing_vaults(
    vault: Vault, vault_dir: Path, tmp_path: Path
) -> None:
    with pytest.raises(VaultExists):
        Vault.create(vault_dir, "Someone", ADMIN_PASS, kdf=FAST)
    with pytest.raises(WeakPassphrase):
        Vault.create(tmp_path / "other", ADMIN, "password", kdf=FAST)
    with pytest.raises(VaultError, match="must be an admin"):
        Vault.create(tmp_path / "other", ADMIN, ADMIN_PASS, role="screener", kdf=FAST)
    assert not (tmp_path / "other" / "vault.db").exists()


def test_unlock_errors(vault: Vault, vault_dir: Path, tmp_path: Path) -> None:
    vault.lock()
    with pytest.raises(VaultNotFound, match="There is no vault"):
        Vault.unlock(tmp_path / "missing", ADMIN, ADMIN_PASS)
    assert not (tmp_path / "missing").exists()
    with pytest.raises(WrongCredentials, match="user name or passphrase is wrong"):
        Vault.unlock(vault_dir, ADMIN, ADMIN_PASS + "x")
    with pytest.raises(WrongCredentials, match="user name or passphrase is wrong"):
        Vault.unlock(vault_dir, "Nobody", ADMIN_PASS)
    v = Vault.unlock(vault_dir, ADMIN.upper(), ADMIN_PASS)
    assert v.user == ADMIN  # the registered spelling, whatever was typed
    v.lock()


def test_real_default_kdf_parameters(tmp_path: Path) -> None:
    start = time.perf_counter()
    v = Vault.create(tmp_path / "v", ADMIN, ADMIN_PASS)
    v.lock()
    sf = slots.load(tmp_path / "v" / slots.SLOTS_NAME)
    assert sf.users[0].kdf == DEFAULT_KDF == keys.KdfParams(3, 65536, 4)
    assert sf.name_kdf == keys.NAME_TAG_KDF
    Vault.unlock(tmp_path / "v", ADMIN, ADMIN_PASS).lock()
    assert time.perf_counter() - start < 30


def test_every_user_slot_opens_the_vault(vault: Vault, vault_dir: Path) -> None:
    vault.add_user(SCREENER, SCREENER_PASS, role="screener", kdf=FAST)
    vault.add_user(COORD, COORD_PASS, role="coordinator", kdf=FAST)
    iid = new_interview(vault)
    vault.save_answer(iid, "q", "shared")
    vault.lock()
    for name, passphrase, role in (
        (ADMIN, ADMIN_PASS, "admin"),
        (SCREENER, SCREENER_PASS, "screener"),
        (COORD, COORD_PASS, "coordinator"),
    ):
        v = Vault.unlock(vault_dir, name, passphrase)
        assert (v.user, v.role) == (name, role)
        assert v.answers(iid) == {"q": ("shared", None)}
        v.lock()


def test_user_management_needs_an_admin(vault: Vault, vault_dir: Path) -> None:
    vault.add_user(SCREENER, SCREENER_PASS, role="screener", kdf=FAST)
    with pytest.raises(VaultError, match="already has access"):
        vault.add_user(SCREENER.lower(), SCREENER_PASS, kdf=FAST)
    with pytest.raises(VaultError, match="Unknown role"):
        vault.add_user(COORD, COORD_PASS, role="boss", kdf=FAST)
    with pytest.raises(WeakPassphrase):
        vault.add_user(COORD, "coordinator1", kdf=FAST)
    vault.lock()
    s = Vault.unlock(vault_dir, SCREENER, SCREENER_PASS)
    with pytest.raises(PermissionDenied, match="Only admin users can add users"):
        s.add_user(COORD, COORD_PASS, kdf=FAST)
    with pytest.raises(PermissionDenied):
        s.remove_user(ADMIN)
    with pytest.raises(PermissionDenied):
        s.purge(30)
    with pytest.raises(PermissionDenied):
        s.backup(vault_dir.parent / "b.zip")
    s.lock()


def test_users_list(vault: Vault) -> None:
    vault.add_user(SCREENER, SCREENER_PASS, role="screener", kdf=FAST)
    assert [(u.name, u.role, u.added_by) for u in vault.users()] == [
        (ADMIN, "admin", None),
        (SCREENER, "screener", ADMIN),
    ]


def test_remove_user_rekeys(vault: Vault, vault_dir: Path) -> None:
    vault.add_user(SCREENER, SCREENER_PASS, role="screener", kdf=FAST)
    vault.add_user(COORD, COORD_PASS, role="coordinator", kdf=FAST)
    iid = new_interview(vault)
    vault.save_answer(iid, "q", 1)
    old_key = data_key(vault)
    epoch = slots.load(vault_dir / slots.SLOTS_NAME).key_epoch
    vault.remove_user(SCREENER)
    assert data_key(vault) != old_key
    vault.save_answer(iid, "q", 2)  # the open session carries on with the new key
    vault.lock()

    with pytest.raises(VaultTampered):
        open_database(vault_dir / "vault.db", old_key)
    with pytest.raises(WrongCredentials):
        Vault.unlock(vault_dir, SCREENER, SCREENER_PASS)
    sf = slots.load(vault_dir / slots.SLOTS_NAME)
    assert sf.key_epoch == epoch + 1 and len(sf.users) == 2
    assert not (vault_dir / slots.PENDING_NAME).exists()
    # The remaining users were re-sealed without anybody typing their passphrase.
    c = Vault.unlock(vault_dir, COORD, COORD_PASS)
    assert c.answers(iid) == {"q": (2, None)}
    assert [u.name for u in c.users()] == [ADMIN, COORD]
    assert c.check() == []
    assert any(
        e.action == "user_removed" and e.detail == f"{SCREENER}; database rekeyed"
        for e in c.audit_entries()
    )
    c.lock()


def test_remove_user_refusals(vault: Vault) -> None:
    with pytest.raises(VaultError, match="cannot remove yourself"):
        vault.remove_user(ADMIN)
    with pytest.raises(VaultError, match="has no access"):
        vault.remove_user("Nobody")
    vault.add_user(SCREENER, SCREENER_PASS, role="admin", kdf=FAST)
    vault.remove_user(SCREENER)


def test_last_admin_cannot_be_removed(vault: Vault, vault_dir: Path) -> None:
    vault.add_user(SCREENER, SCREENER_PASS, role="screener", kdf=FAST)
    org_private, public = generate_recovery_keypair(KEM_X25519)
    vault.set_recovery_key(public, KEM_X25519)
    vault.lock()
    # The recovery key acts as an admin but has no slot of its own.
    r = Vault.open_with_recovery(vault_dir, org_private)
    with pytest.raises(VaultError, match="last admin"):
        r.remove_user(ADMIN)
    r.add_user(COORD, COORD_PASS, role="admin", kdf=FAST)
    r.remove_user(ADMIN)
    r.lock()
    Vault.unlock(vault_dir, COORD, COORD_PASS).lock()


def test_interrupted_rekey_is_finished_on_next_unlock(vault: Vault, vault_dir: Path) -> None:
    """A crash after the database was rekeyed but before slots.json was replaced."""
    vault.add_user(SCREENER, SCREENER_PASS, role="screener", kdf=FAST)
    vault.add_user(COORD, COORD_PASS, role="coordinator", kdf=FAST)
    iid = new_interview(vault)
    vault.save_answer(iid, "q", "kept")
    old_slots = (vault_dir / slots.SLOTS_NAME).read_bytes()
    vault.remove_user(SCREENER)
    vault.lock()
    new_slots = (vault_dir / slots.SLOTS_NAME).read_bytes()
    # Put the machine back in the state of the crash: old slots, new slots pending.
    (vault_dir / slots.SLOTS_NAME).write_bytes(old_slots)
    (vault_dir / slots.PENDING_NAME).write_bytes(new_slots)
    with pytest.raises(WrongCredentials):
        Vault.unlock(vault_dir, SCREENER, SCREENER_PASS)
    v = Vault.unlock(vault_dir, COORD, COORD_PASS)
    assert v.answers(iid) == {"q": ("kept", None)}
    v.lock()
    assert (vault_dir / slots.SLOTS_NAME).read_bytes() == new_slots
    assert not (vault_dir / slots.PENDING_NAME).exists()


def test_stale_pending_slots_are_discarded(vault: Vault, vault_dir: Path) -> None:
    """A crash after slots.json.next was written but before the database was rekeyed."""
    vault.add_user(SCREENER, SCREENER_PASS, role="screener", kdf=FAST)
    before = (vault_dir / slots.SLOTS_NAME).read_bytes()
    sf = slots.load(vault_dir / slots.SLOTS_NAME)
    bogus_key = keys.random_key()
    pending = slots.sign(slots.reseal_all(sf, bogus_key), bogus_key)
    slots.save(vault_dir / slots.PENDING_NAME, pending)
    vault.lock()
    v = Vault.unlock(vault_dir, SCREENER, SCREENER_PASS)
    v.lock()
    assert not (vault_dir / slots.PENDING_NAME).exists()
    assert (vault_dir / slots.SLOTS_NAME).read_bytes() == before


def test_interrupted_add_user_is_reconciled(vault: Vault, vault_dir: Path) -> None:
    """Database says the user was added, the slots file never got the slot."""
    before = (vault_dir / slots.SLOTS_NAME).read_bytes()
    vault.add_user(SCREENER, SCREENER_PASS, role="screener", kdf=FAST)
    vault.lock()
    (vault_dir / slots.SLOTS_NAME).write_bytes(before)
    v = Vault.unlock(vault_dir, ADMIN, ADMIN_PASS)
    assert [u.name for u in v.users()] == [ADMIN]
    assert v.check() == []
    v.lock()


@pytest.mark.parametrize("kem", [KEM_HYBRID, KEM_X25519])
def test_recovery_slot_opens_the_vault_and_follows_rekeys(
    vault: Vault, vault_dir: Path, kem: str
) -> None:
    if kem == KEM_HYBRID and not keys.hybrid_supported():
        pytest.skip("ML-KEM is not available in this OpenSSL")
    org_private, org_public = generate_recovery_keypair(kem)
    vault.set_recovery_key(org_public, kem)
    assert vault.recovery_fingerprint == keys.fingerprint(kem, org_public)
    vault.add_user(SCREENER, SCREENER_PASS, role="screener", kdf=FAST)
    iid = new_interview(vault)
    vault.save_answer(iid, "q", "recoverable")
    vault.remove_user(SCREENER)  # rekey: the recovery slot must be re-sealed too
    vault.lock()

    r = Vault.open_with_recovery(vault_dir, org_private)
    assert (r.user, r.role) == ("recovery", "admin")
    assert r.answers(iid) == {"q": ("recoverable", None)}
    # The coordinator recovering a laptop gives it a new admin.
    r.add_user(COORD, COORD_PASS, role="admin", kdf=FAST)
    r.lock()
    Vault.unlock(vault_dir, COORD, COORD_PASS).lock()

    wrong, _ = generate_recovery_keypair(kem)
    with pytest.raises(WrongCredentials, match="does not open"):
        Vault.open_with_recovery(vault_dir, wrong)


def test_recovery_errors(vault: Vault, vault_dir: Path) -> None:
    with pytest.raises(VaultError, match="cannot be used"):
        vault.set_recovery_key(b"not a key", KEM_X25519)
    with pytest.raises(VaultError, match="cannot be used"):
        vault.set_recovery_key(b"x" * 32, "RSA")
    org_private, org_public = generate_recovery_keypair(KEM_X25519)
    vault.set_recovery_key(org_public, KEM_X25519)
    vault.set_recovery_key(None)
    vault.lock()
    with pytest.raises(VaultError, match="no recovery slot"):
        Vault.open_with_recovery(vault_dir, org_private)


def test_change_passphrase(vault: Vault, vault_dir: Path) -> None:
    new = "saffron pylon tundra quiver"
    with pytest.raises(WrongCredentials):
        vault.change_passphrase("not my passphrase", new)
    with pytest.raises(WeakPassphrase):
        vault.change_passphrase(ADMIN_PASS, "short")
    with pytest.raises(VaultError, match="must differ"):
        vault.change_passphrase(ADMIN_PASS, ADMIN_PASS)
    key_before = data_key(vault)
    vault.change_passphrase(ADMIN_PASS, new)
    assert data_key(vault) == key_before  # rewrap only: the database is untouched
    vault.lock()
    with pytest.raises(WrongCredentials):
        Vault.unlock(vault_dir, ADMIN, ADMIN_PASS)
    v = Vault.unlock(vault_dir, ADMIN, new)
    assert "passphrase_changed" in [e.action for e in v.audit_entries()]
    v.lock()


def test_changes_by_another_program_are_not_overwritten(vault: Vault, vault_dir: Path) -> None:
    other = Vault.unlock(vault_dir, ADMIN, ADMIN_PASS)
    other.add_user(SCREENER, SCREENER_PASS, kdf=FAST)
    vault.add_user(COORD, COORD_PASS, role="coordinator", kdf=FAST)  # re-reads the slots first
    other.remove_user(COORD)  # rekeys
    with pytest.raises(VaultError, match="changed in another program"):
        vault.add_user("Third Person", "marble tiger ocean paddle", kdf=FAST)
    other.lock()
    Vault.unlock(vault_dir, SCREENER, SCREENER_PASS).lock()


def test_lock_zeroes_the_key_buffer(vault: Vault) -> None:
    buffer = vault._key
    assert buffer is not None and any(buffer)
    vault.lock()
    assert buffer == bytearray(32)
    assert vault._key is None and vault.is_locked
    entries_after_relock = Vault.unlock(vault.directory, ADMIN, ADMIN_PASS)
    assert [e.action for e in entries_after_relock.audit_entries()][-2:] == ["lock", "unlock"]
    entries_after_relock.lock()


def test_context_manager_locks(vault_dir: Path) -> None:
    with Vault.create(vault_dir, ADMIN, ADMIN_PASS, kdf=FAST) as v:
        assert not v.is_locked
    assert v.is_locked


def test_damaged_first_page_gives_a_clear_error(vault: Vault, vault_dir: Path) -> None:
    vault.lock()
    db = vault_dir / "vault.db"
    data = bytearray(db.read_bytes())
    data[200] ^= 0x40
    db.write_bytes(bytes(data))
    slots_before = (vault_dir / slots.SLOTS_NAME).read_bytes()
    with pytest.raises(VaultTampered, match="damaged or was replaced"):
        Vault.unlock(vault_dir, ADMIN, ADMIN_PASS)
    assert db.read_bytes() == bytes(data)
    assert (vault_dir / slots.SLOTS_NAME).read_bytes() == slots_before


def test_damaged_later_page_is_found_by_check(vault: Vault, vault_dir: Path) -> None:
    iid = new_interview(vault)
    for i in range(300):
        vault.save_answer(iid, f"q{i}", "x" * 200)
    vault.connection().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    vault.lock()
    db = vault_dir / "vault.db"
    data = bytearray(db.read_bytes())
    data[len(data) - 4096 + 50] ^= 0x01  # inside the last page
    db.write_bytes(bytes(data))
    v = Vault.unlock(vault_dir, ADMIN, ADMIN_PASS)
    problems = v.check()
    assert problems and any("HMAC verification failed" in p for p in problems)
    v.lock()


@pytest.mark.parametrize("rekey_committed", [True, False])
def test_failed_rekey_never_strands_the_data(
    vault: Vault, vault_dir: Path, monkeypatch: pytest.MonkeyPatch, rekey_committed: bool
) -> None:
    from screening.vault import database

    vault.add_user(SCREENER, SCREENER_PASS, role="screener", kdf=FAST)
    vault.add_user(COORD, COORD_PASS, role="coordinator", kdf=FAST)
    iid = new_interview(vault)
    vault.save_answer(iid, "q", "precious")
    real_rekey = database.rekey

    def failing_rekey(conn: object, key: bytearray) -> None:
        if rekey_committed:
            real_rekey(conn, key)  # the key changed, then something failed afterwards
        raise OSError("disk went away")

    monkeypatch.setattr(database, "rekey", failing_rekey)
    with pytest.raises(VaultError, match="interrupted"):
        vault.remove_user(SCREENER)
    assert vault.is_locked
    monkeypatch.setattr(database, "rekey", real_rekey)

    v = Vault.unlock(vault_dir, COORD, COORD_PASS)
    assert v.answers(iid) == {"q": ("precious", None)}
    assert v.check() == []
    names = [u.name for u in v.users()]
    v.lock()
    assert not (vault_dir / slots.PENDING_NAME).exists()
    if rekey_committed:
        assert SCREENER not in names
        with pytest.raises(WrongCredentials):
            Vault.unlock(vault_dir, SCREENER, SCREENER_PASS)
    else:
        assert SCREENER in names
        Vault.unlock(vault_dir, SCREENER, SCREENER_PASS).lock()


def test_passphrase_change_always_uses_the_current_default_cost(
    vault: Vault, vault_dir: Path
) -> None:
    """#13 item 2: a slot made with cheap parameters is reported, and `passwd` upgrades it
    instead of keeping the weak parameters."""
    assert len(vault.weak_key_slots()) == 1
    assert ADMIN in vault.weak_key_slots()[0] and "64 KiB, 1 pass" in vault.weak_key_slots()[0]
    vault.change_passphrase(ADMIN_PASS, "saffron pylon tundra quiver")
    assert slots.load(vault_dir / slots.SLOTS_NAME).users[0].kdf == keys.KdfParams()
    assert vault.weak_key_slots() == []


def test_read_only_unlock_writes_nothing(vault: Vault, vault_dir: Path) -> None:
    vault.lock()
    db = vault_dir / "vault.db"
    before = db.read_bytes()
    v = Vault.unlock(vault_dir, ADMIN, ADMIN_PASS, read_only=True)
    assert v.check() == []
    with pytest.raises(VaultError):
        v.audit("anything")  # SQLite refuses: the connection is query-only
    v.lock()
    assert db.read_bytes() == before
    with Vault.unlock(vault_dir, ADMIN, ADMIN_PASS) as again:
        actions = [e.action for e in again.audit_entries()]
    assert actions.count("unlock") == 1 and "check" not in actions  # only this last unlock


def test_batch_commits_once_and_rolls_back_whole(vault: Vault, vault_dir: Path) -> None:
    reader = Vault.unlock(vault_dir, ADMIN, ADMIN_PASS)
    try:
        with vault.batch():
            first = vault.create_interview(
                form_id="f", form_version="1", form_hash="h", language="en"
            )
            vault.save_answer(first, "q1", "one")
            # Another connection sees nothing of the batch until it ends.
            assert reader.list_interviews() == []
        assert [row.id for row in reader.list_interviews()] == [first]
        assert reader.answers(first) == {"q1": ("one", None)}

        with pytest.raises(RuntimeError), vault.batch():
            vault.save_answer(first, "q2", "two")
            vault.create_interview(form_id="f", form_version="1", form_hash="h", language="en")
            raise RuntimeError("stop")
        assert len(reader.list_interviews()) == 1 and "q2" not in reader.answers(first)
        # Out of the batch again: each save is its own durable transaction.
        vault.save_answer(first, "q3", "three")
        assert "q3" in reader.answers(first)
    finally:
        reader.lock()
    assert not vault.check()


def test_refused_step_in_a_batch_undoes_only_itself(vault: Vault) -> None:
    with vault.batch():
        done = vault.create_interview(form_id="f", form_version="1", form_hash="h", language="en")
        vault.complete_interview(done)
        with pytest.raises(ReadOnlyInterview):
            vault.save_answer(done, "q1", "late")
        vault.save_answer(
            other := vault.create_interview(
                form_id="f", form_version="1", form_hash="h", language="en"
            ),
            "q1",
            "kept",
        )
    assert vault.answers(done) == {}
    assert vault.answers(other) == {"q1": ("kept", None)}
    assert vault.get_interview(done).status == "completed"
    assert not vault.check()
