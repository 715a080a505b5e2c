"""The key slots file: what it holds, and that any change to it is caught."""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path
from typing import Any

import pytest

from screening.vault import (
    Vault,
    VaultError,
    VaultTampered,
    WrongCredentials,
    backoff,
    generate_recovery_keypair,
    slots,
)

from .conftest import ADMIN, ADMIN_PASS, FAST, SCREENER, SCREENER_PASS


def _rewrite(vault_dir: Path, change: Any) -> None:
    """Edit the slots file like an attacker who knows the format (checksum recomputed)."""
    path = vault_dir / slots.SLOTS_NAME
    body = json.loads(path.read_text())
    body.pop("checksum")
    change(body)
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    body["checksum"] = hashlib.sha256(canonical.encode()).hexdigest()
    path.write_text(json.dumps(body, indent=1, sort_keys=True))


def test_round_trip_and_contents(vault: Vault, vault_dir: Path) -> None:
    vault.add_user(SCREENER, SCREENER_PASS, role="screener", kdf=FAST)
    raw = (vault_dir / slots.SLOTS_NAME).read_bytes()
    sf = slots.loads(raw)
    assert slots.loads(slots.dumps(sf)) == sf
    assert [s.role for s in sf.users] == ["admin", "screener"]
    assert sf.vault_id == vault.vault_id
    body = json.loads(raw)
    assert set(body) == {
        "format",
        "version",
        "vault_id",
        "key_epoch",
        "name_salt",
        "name_kdf",
        "users",
        "recovery",
        "mac",
        "checksum",
    }
    for name in (ADMIN, SCREENER, ADMIN.lower(), ADMIN.split()[0]):
        assert name.encode() not in raw


def test_name_tags_are_salted_and_case_insensitive(vault: Vault, vault_dir: Path) -> None:
    sf = slots.load(vault_dir / slots.SLOTS_NAME)
    tag = slots.name_tag(ADMIN, sf)
    assert slots.name_tag(f"  {ADMIN.upper()} ", sf) == tag
    assert sf.find(tag) is not None
    other_salt = slots.new_file("x", sf.name_kdf)
    assert slots.name_tag(ADMIN, other_salt) != tag


def test_user_names_are_validated() -> None:
    for bad in ("", "   ", "x" * 101, "tab\there"):
        with pytest.raises(VaultError):
            slots.display_name(bad)


def test_every_flipped_byte_is_caught_before_any_key_work(vault: Vault, vault_dir: Path) -> None:
    vault.lock()
    path = vault_dir / slots.SLOTS_NAME
    original = path.read_bytes()
    before = backoff.load(vault_dir)
    rng = random.Random(4)
    for position in rng.sample(range(len(original)), 60):
        damaged = bytearray(original)
        damaged[position] ^= 1 << rng.randrange(8)
        path.write_bytes(bytes(damaged))
        with pytest.raises(VaultTampered, match="key slots file"):
            Vault.unlock(vault_dir, ADMIN, ADMIN_PASS)
    # A damaged file is not a guess: the failure count did not move.
    assert backoff.load(vault_dir).failures == before.failures
    path.write_bytes(original)
    Vault.unlock(vault_dir, ADMIN, ADMIN_PASS).lock()


def test_editing_the_role_breaks_unwrapping(vault: Vault, vault_dir: Path) -> None:
    vault.add_user(SCREENER, SCREENER_PASS, role="screener", kdf=FAST)
    vault.lock()

    def promote(body: dict[str, Any]) -> None:
        for user in body["users"]:
            user["role"] = "admin"

    _rewrite(vault_dir, promote)
    with pytest.raises(WrongCredentials):
        Vault.unlock(vault_dir, SCREENER, SCREENER_PASS)


def test_swapping_sealed_keys_between_users_is_caught(vault: Vault, vault_dir: Path) -> None:
    vault.add_user(SCREENER, SCREENER_PASS, role="admin", kdf=FAST)
    vault.lock()

    def swap(body: dict[str, Any]) -> None:
        a, b = body["users"]
        a["sealed_data_key"], b["sealed_data_key"] = b["sealed_data_key"], a["sealed_data_key"]

    _rewrite(vault_dir, swap)
    with pytest.raises(VaultTampered, match="key slots file was modified"):
        Vault.unlock(vault_dir, ADMIN, ADMIN_PASS)


def test_removing_a_slot_or_the_recovery_slot_breaks_the_seal(
    vault: Vault, vault_dir: Path
) -> None:
    _, public = generate_recovery_keypair()
    vault.set_recovery_key(public)
    vault.add_user(SCREENER, SCREENER_PASS, role="screener", kdf=FAST)
    vault.lock()
    original = (vault_dir / slots.SLOTS_NAME).read_bytes()
    (vault_dir / slots.SLOTS_NAME).write_bytes(original)
    _rewrite(vault_dir, lambda body: body.update(recovery=None))
    with pytest.raises(VaultTampered, match="modified outside Screening Desk"):
        Vault.unlock(vault_dir, ADMIN, ADMIN_PASS)
    (vault_dir / slots.SLOTS_NAME).write_bytes(original)
    _rewrite(vault_dir, lambda body: body["users"].pop(1))
    with pytest.raises(VaultTampered, match="modified outside Screening Desk"):
        Vault.unlock(vault_dir, ADMIN, ADMIN_PASS)


def test_a_slot_file_of_another_vault_is_refused(tmp_path: Path) -> None:
    a = Vault.create(tmp_path / "a", ADMIN, ADMIN_PASS, kdf=FAST)
    b = Vault.create(tmp_path / "b", ADMIN, ADMIN_PASS, kdf=FAST)
    a.lock()
    b.lock()
    (tmp_path / "a" / slots.SLOTS_NAME).write_bytes(
        (tmp_path / "b" / slots.SLOTS_NAME).read_bytes()
    )
    with pytest.raises(VaultTampered):
        Vault.unlock(tmp_path / "a", ADMIN, ADMIN_PASS)


def test_missing_slots_file(vault: Vault, vault_dir: Path) -> None:
    vault.lock()
    (vault_dir / slots.SLOTS_NAME).unlink()
    with pytest.raises(VaultError, match=r"slots\.json is missing"):
        Vault.unlock(vault_dir, ADMIN, ADMIN_PASS)


def test_kdf_parameters_in_the_file_are_bounded(vault: Vault, vault_dir: Path) -> None:
    vault.lock()

    def huge(body: dict[str, Any]) -> None:
        body["users"][0]["kdf"]["memory_kib"] = 1 << 40

    _rewrite(vault_dir, huge)
    with pytest.raises(VaultTampered):
        Vault.unlock(vault_dir, ADMIN, ADMIN_PASS)
