"""Backups are encrypted exports; restore verifies everything before replacing anything."""

from __future__ import annotations

import json
import random
import zipfile
from pathlib import Path

import pytest

from screening.vault import (
    PermissionDenied,
    Vault,
    VaultExists,
    VaultNotFound,
    VaultTampered,
    WrongCredentials,
    slots,
)
from screening.vault.backup import DB_MEMBER, MANIFEST, SLOTS_MEMBER
from screening.vault.database import PLAINTEXT_HEADER

from .conftest import ADMIN, ADMIN_PASS, FAST, SCREENER, SCREENER_PASS, new_interview


@pytest.fixture
def archive(vault: Vault, tmp_path: Path) -> Path:
    vault.add_user(SCREENER, SCREENER_PASS, role="screener", kdf=FAST)
    iid = new_interview(vault)
    vault.save_answer(iid, "q", "in the backup")
    out = vault.backup(tmp_path / "backup.zip")
    vault.save_answer(iid, "later", "not in the backup")
    return out


def test_archive_contents(archive: Path) -> None:
    with zipfile.ZipFile(archive) as zf:
        assert sorted(zf.namelist()) == sorted([DB_MEMBER, MANIFEST, SLOTS_MEMBER])
        assert zf.read(DB_MEMBER)[:16] != PLAINTEXT_HEADER
        manifest = json.loads(zf.read(MANIFEST))
        assert manifest["format"] == "screening-desk-vault-backup"
        slots.loads(zf.read(SLOTS_MEMBER))
    assert archive.stat().st_mode & 0o077 == 0
    assert not [p for p in archive.parent.iterdir() if p.name.startswith(".")]


def test_backup_refuses_to_overwrite(vault: Vault, archive: Path) -> None:
    with pytest.raises(VaultExists):
        vault.backup(archive)
    with pytest.raises(VaultNotFound):
        vault.backup(archive.parent / "missing-folder" / "b.zip")


def test_backup_is_audited(vault: Vault, archive: Path) -> None:
    assert ("backup", "to backup.zip") in [(e.action, e.detail) for e in vault.audit_entries()]


def test_restore_into_new_folder(vault: Vault, archive: Path, tmp_path: Path) -> None:
    (interview,) = vault.list_interviews()
    for _ in range(3):  # the back-off sequence moves on; the restore must continue it
        vault.lock()
        vault = Vault.unlock(vault.directory, ADMIN, ADMIN_PASS)
    archive.unlink()
    vault.backup(archive)
    vault.lock()
    with pytest.raises(PermissionDenied, match="Only admin users can restore"):
        Vault.restore(archive, tmp_path / "restored", SCREENER, SCREENER_PASS)
    assert not (tmp_path / "restored").exists()
    restored = Vault.restore(archive, tmp_path / "restored", ADMIN, ADMIN_PASS)
    assert restored.answers(interview.id) == {
        "q": ("in the backup", None),
        "later": ("not in the backup", None),  # the second backup was taken after it
    }
    assert restored.check() == []
    assert restored.audit_entries()[-1].action == "restore"
    assert restored.replaced_vault is None
    assert restored.warnings == []
    restored.lock()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_restore_refuses_an_existing_vault_unless_told(
    vault: Vault, vault_dir: Path, archive: Path
) -> None:
    vault.lock()
    before = {p.name: p.read_bytes() for p in vault_dir.iterdir()}
    with pytest.raises(VaultExists, match="overwrite"):
        Vault.restore(archive, vault_dir, ADMIN, ADMIN_PASS)
    assert {p.name: p.read_bytes() for p in vault_dir.iterdir()} == before

    restored = Vault.restore(archive, vault_dir, ADMIN, ADMIN_PASS, overwrite=True)
    kept = restored.replaced_vault
    assert kept is not None and kept.parent == vault_dir.parent
    assert kept.name.startswith("vault.replaced-")
    assert restored.warnings == [f"The vault that was there before is kept in {kept}."]
    restored.lock()
    # Nothing is lost: the replaced vault still opens, with the answer given after the backup.
    old = Vault.unlock(kept, ADMIN, ADMIN_PASS)
    (interview,) = old.list_interviews()
    assert "later" in old.answers(interview.id)
    old.lock()


def test_restore_refuses_a_non_empty_folder(archive: Path, tmp_path: Path) -> None:
    target = tmp_path / "busy"
    target.mkdir()
    (target / "notes.txt").write_text("keep me")
    with pytest.raises(VaultExists, match="not empty"):
        Vault.restore(archive, target, ADMIN, ADMIN_PASS)
    assert (target / "notes.txt").read_text() == "keep me"


def test_wrong_passphrase_changes_nothing(vault: Vault, vault_dir: Path, archive: Path) -> None:
    vault.lock()
    before = {p.name: p.read_bytes() for p in vault_dir.iterdir()}
    with pytest.raises(WrongCredentials):
        Vault.restore(archive, vault_dir, ADMIN, "not the passphrase", overwrite=True)
    assert {p.name: p.read_bytes() for p in vault_dir.iterdir()} == before
    assert sorted(p.name for p in vault_dir.parent.iterdir()) == ["backup.zip", "vault"]


def test_missing_archive(tmp_path: Path) -> None:
    with pytest.raises(VaultNotFound, match="no backup archive"):
        Vault.restore(tmp_path / "nope.zip", tmp_path / "v", ADMIN, ADMIN_PASS)


def test_any_flipped_byte_in_the_archive_is_refused(archive: Path, tmp_path: Path) -> None:
    original = archive.read_bytes()
    size = len(original)
    # Every byte of the first local header and of the central directory and end record
    # (timestamps and attributes included), plus a spread over the slots and database pages.
    rng = random.Random(7)
    positions = sorted(
        {*range(0, 60), *range(size - 260, size), *rng.sample(range(60, size - 260), 40)}
    )
    for position in positions:
        damaged = bytearray(original)
        damaged[position] ^= 0x10
        archive.write_bytes(bytes(damaged))
        target = tmp_path / f"restore-{position}"
        with pytest.raises((VaultTampered, WrongCredentials, VaultNotFound)) as caught:
            Vault.restore(archive, target, ADMIN, ADMIN_PASS)
        assert caught.value.exit_code == 2
        assert not target.exists()
    archive.write_bytes(original)
    Vault.restore(archive, tmp_path / "fine", ADMIN, ADMIN_PASS).lock()


def test_tampered_database_inside_an_intact_archive_is_refused(
    archive: Path, tmp_path: Path
) -> None:
    """An attacker who rebuilds the zip and manifest still cannot pass the page check."""
    import hashlib

    with zipfile.ZipFile(archive) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    db = bytearray(members[DB_MEMBER])
    db[len(db) - 100] ^= 0x01
    members[DB_MEMBER] = bytes(db)
    manifest = json.loads(members[MANIFEST])
    manifest["files"][DB_MEMBER]["sha256"] = hashlib.sha256(db).hexdigest()
    members[MANIFEST] = json.dumps(manifest).encode()
    forged = tmp_path / "forged.zip"
    with zipfile.ZipFile(forged, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    with pytest.raises(VaultTampered, match=r"backup archive forged\.zip"):
        Vault.restore(forged, tmp_path / "r", ADMIN, ADMIN_PASS)
    assert not (tmp_path / "r").exists()


def test_extra_members_are_refused(archive: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(archive, "a") as zf:
        zf.writestr("../../evil.sh", "echo hi")
    with pytest.raises(VaultTampered, match="damaged or was modified"):
        Vault.restore(archive, tmp_path / "r", ADMIN, ADMIN_PASS)
    assert not (tmp_path.parent / "evil.sh").exists()
