"""Backup archives and restore.

A backup is one zip file (stored, not compressed: the contents are ciphertext) holding
`vault.db` (a `sqlcipher_export()` under the same data key, never a copy of the live file),
`slots.json` (the key slots at that moment) and `manifest.json` (sizes and SHA-256 of both).
Restoring proves everything before touching the target folder: the archive is intact, the
given passphrase opens a slot, the slots' seal matches the data key, both integrity checks
pass and the audit chain holds.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
import shutil
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from screening import jsonio
from screening.vault import audit, backoff, database, slots
from screening.vault.database import Connection, transaction, translate_errors
from screening.vault.errors import (
    PermissionDenied,
    VaultError,
    VaultExists,
    VaultNotFound,
    VaultTampered,
)
from screening.vault.fsutil import DIR_MODE, FILE_MODE, fsync_dir, zero

FORMAT = "screening-desk-vault-backup"
VERSION = 1
DB_MEMBER = "vault.db"
SLOTS_MEMBER = "slots.json"
MANIFEST = "manifest.json"
_CHUNK = 1 << 20
_TAG_HEX = 64


def _archive_tag(handle: BinaryIO, length: int, data_key: bytearray) -> str:
    """HMAC over every byte of the archive before the tag (the zip comment at the very end).

    Zip metadata that does not affect the contents (timestamps, attributes) is covered too,
    so any changed byte is caught, and only a holder of the data key can make a valid tag.
    """
    key = HKDF(hashes.SHA256(), 32, salt=None, info=b"screening-desk/backup-mac/v1").derive(
        bytes(data_key)
    )
    mac = hmac.new(key, digestmod=hashlib.sha256)
    handle.seek(0)
    remaining = length
    while remaining > 0:
        chunk = handle.read(min(_CHUNK, remaining))
        if not chunk:
            break
        mac.update(chunk)
        remaining -= len(chunk)
    return mac.hexdigest()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _staging(near: Path, label: str) -> Path:
    # Beside the destination (same file system, so the final step is a rename), hidden, and
    # owner-only; never the system temp folder.
    path = near.parent / f".{near.name}.{label}-{secrets.token_hex(6)}"
    path.mkdir(mode=DIR_MODE)
    return path


def write_backup(
    conn: Connection, data_key: bytearray, sf: slots.SlotFile, out: Path, actor: str
) -> Path:
    out = out.resolve()
    if out.exists():
        raise VaultExists(f"{out} already exists; choose a new file name for the backup.")
    if not out.parent.is_dir():
        raise VaultNotFound(f"The folder {out.parent} does not exist.")
    with translate_errors(), transaction(conn):
        # Recorded first so the backup's own audit chain shows that it was taken.
        audit.append(conn, actor, "backup", None, f"to {out.name}")
    staging = _staging(out, "backup")
    tmp = out.with_name(f".{out.name}.{secrets.token_hex(6)}.tmp")
    try:
        exported = staging / DB_MEMBER
        with translate_errors():
            database.export_database(conn, exported, data_key)
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        slot_bytes = slots.dumps(sf)
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "vault_id": sf.vault_id,
            "schema_version": version,
            "created_at": audit.now_iso(),
            "files": {
                DB_MEMBER: {"size": exported.stat().st_size, "sha256": _sha256(exported)},
                SLOTS_MEMBER: {
                    "size": len(slot_bytes),
                    "sha256": hashlib.sha256(slot_bytes).hexdigest(),
                },
            },
        }
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        with os.fdopen(fd, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_STORED) as zf:
            zf.writestr(MANIFEST, json.dumps(manifest, indent=1, sort_keys=True))
            zf.writestr(SLOTS_MEMBER, slot_bytes)
            zf.write(exported, DB_MEMBER)
            zf.comment = b"0" * _TAG_HEX  # placeholder, replaced by the seal below
        with tmp.open("rb+") as handle:
            tag = _archive_tag(handle, tmp.stat().st_size - _TAG_HEX, data_key)
            handle.seek(-_TAG_HEX, os.SEEK_END)
            handle.write(tag.encode("ascii"))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, out)
        fsync_dir(out.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out


def _extract(archive: Path, staging: Path) -> dict[str, object]:
    damaged = VaultTampered(f"The backup archive {archive.name} is damaged or was modified.")
    try:
        with zipfile.ZipFile(archive) as zf:
            if len(zf.comment) != _TAG_HEX:
                raise damaged
            names = sorted(zf.namelist())
            if names != sorted([DB_MEMBER, MANIFEST, SLOTS_MEMBER]):
                raise damaged
            manifest = jsonio.loads(zf.read(MANIFEST))
            if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
                raise damaged
            if manifest.get("version") != VERSION:
                raise VaultError("The backup was written by a different Screening Desk.")
            files = manifest["files"]
            for member in (DB_MEMBER, SLOTS_MEMBER):
                target = staging / member
                digest = hashlib.sha256()
                fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
                with zf.open(member) as src, os.fdopen(fd, "wb") as dst:
                    while chunk := src.read(_CHUNK):
                        digest.update(chunk)
                        dst.write(chunk)
                    dst.flush()
                    os.fsync(dst.fileno())
                expected = files[member]
                if digest.hexdigest() != expected["sha256"] or (
                    target.stat().st_size != expected["size"]
                ):
                    raise damaged
            return manifest
    except FileNotFoundError:
        raise VaultNotFound(f"There is no backup archive at {archive}.") from None
    except VaultError:
        raise
    except Exception:
        # Parsing a hostile file: zipfile may raise BadZipFile (CRC), NotImplementedError
        # (a flipped compression method), RuntimeError (a flipped "encrypted" flag), zlib
        # errors and more. All of them mean the same thing here.
        raise damaged from None


def _verify(archive: Path, staging: Path, user: str, passphrase: str) -> int:
    """Prove the staged backup sound; return the back-off sequence its database remembers."""
    from screening.vault.unlocking import unlock_slot, user_key_opener

    sf = slots.loads((staging / SLOTS_MEMBER).read_bytes())
    slot, private = unlock_slot(sf, user, passphrase)
    if slot.role != "admin":
        zero(private)
        raise PermissionDenied("Only admin users can restore a backup.")
    try:
        data_key = user_key_opener(slot, private)(sf)
    finally:
        zero(private)
    try:
        with archive.open("rb") as handle:
            size = archive.stat().st_size
            expected = _archive_tag(handle, size - _TAG_HEX, data_key)
            handle.seek(size - _TAG_HEX)
            stored = handle.read(_TAG_HEX).decode("ascii", "replace")
        if not hmac.compare_digest(expected, stored):
            raise VaultTampered(f"The backup archive {archive.name} was modified.")
        conn = database.open_database(staging / DB_MEMBER, data_key)
        try:
            slots.verify_mac(sf, data_key)
            with translate_errors():
                problems = database.integrity_problems(conn)
                if problems:
                    raise VaultTampered(f"The backup's database is damaged: {problems[0]}")
                row = conn.execute("SELECT value FROM meta WHERE key = 'vault_id'").fetchone()
                if row is None or row[0] != sf.vault_id:
                    raise VaultTampered("The backup's key slots belong to a different vault.")
                audit.verify(conn)
                seen = conn.execute(
                    "SELECT value FROM meta WHERE key = 'backoff_sequence'"
                ).fetchone()
                remembered = int(seen[0]) if seen and str(seen[0]).isdigit() else 0
                from screening.vault.migrations import SCHEMA_VERSION, schema_version

                if schema_version(conn) > SCHEMA_VERSION:
                    raise VaultError(
                        "The backup was written by a newer Screening Desk; update the app first."
                    )
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        finally:
            conn.close()
    finally:
        zero(data_key)
    os.replace(staging / SLOTS_MEMBER, staging / slots.SLOTS_NAME)
    return remembered


def restore_backup(
    archive: Path, directory: Path, user: str, passphrase: str, *, overwrite: bool = False
) -> Path | None:
    """Install a verified backup into `directory`; return where a replaced vault was kept."""
    from screening.vault.unlocking import vault_exists

    directory = directory.resolve()
    occupied = directory.exists() and vault_exists(directory)
    if occupied and not overwrite:
        raise VaultExists(
            f"There is already a vault in {directory}; restore with overwrite to replace it "
            "(the current vault is kept beside it)."
        )
    if directory.exists() and not occupied and any(directory.iterdir()):
        raise VaultExists(f"The folder {directory} is not empty; choose an empty or new folder.")
    if not directory.parent.is_dir():
        raise VaultNotFound(f"The folder {directory.parent} does not exist.")
    staging = _staging(directory, "restore")
    kept: Path | None = None
    try:
        _extract(archive, staging)
        remembered = _verify(archive, staging, user, passphrase)
        # A clean record that continues the database's sequence (so the first unlock after
        # the restore does not look like a rolled-back record).
        backoff.save(staging, backoff.BackoffState(sequence=remembered))
        if occupied:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            kept = directory.with_name(f"{directory.name}.replaced-{stamp}")
            os.replace(directory, kept)
        elif directory.exists():
            directory.rmdir()
        try:
            os.replace(staging, directory)
        except BaseException:
            if kept is not None:
                os.replace(kept, directory)
            raise
        fsync_dir(directory.parent)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return kept
