"""The SQLCipher layer: raw keys only, verified, hardened, never plaintext on disk."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import sqlcipher3

from screening.vault import VaultTampered, database, keys
from screening.vault.database import PLAINTEXT_HEADER, key_statement, open_database

from .conftest import raw_reads


def test_key_statement_is_raw_hex_only() -> None:
    key = bytes(range(32))
    assert key_statement(key) == f"PRAGMA key = \"x'{key.hex()}'\""
    assert key_statement(key, pragma="rekey").startswith("PRAGMA rekey = ")
    for bad in (b"", b"x" * 31, b"x" * 33):
        with pytest.raises(ValueError):
            key_statement(bad)


def test_created_file_is_encrypted_and_hardened(tmp_path: Path) -> None:
    path = tmp_path / "v.db"
    key = keys.random_key()
    conn = open_database(path, key, create=True)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("INSERT INTO t VALUES ('needle-in-the-page')")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert path.read_bytes()[:16] != PLAINTEXT_HEADER
    assert b"needle-in-the-page" not in path.read_bytes()
    settings = {
        name: str(conn.execute(f"PRAGMA {name}").fetchone()[0]).lower()
        for name, _, _ in database.HARDENING
    }
    assert settings == {
        "temp_store": "2",
        "secure_delete": "1",
        "journal_mode": "wal",
        "synchronous": "2",
        "foreign_keys": "1",
    }
    # Off by design: every answer save paid 2-3x for it (docs/vault.md).
    assert conn.execute("PRAGMA cipher_memory_security").fetchone()[0] == "0"
    conn.close()
    # A plain SQLite reader sees no database at all.
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(path).execute("SELECT * FROM sqlite_master").fetchall()


def test_wrong_key_is_detected_by_a_read(tmp_path: Path) -> None:
    path = tmp_path / "v.db"
    open_database(path, keys.random_key(), create=True).close()
    with pytest.raises(VaultTampered, match="cannot be decrypted"):
        open_database(path, keys.random_key())


def test_missing_file_is_not_created_on_open(tmp_path: Path) -> None:
    with pytest.raises((FileNotFoundError, sqlcipher3.OperationalError)):
        open_database(tmp_path / "absent.db", keys.random_key())
    assert not (tmp_path / "absent.db").exists()


def test_plaintext_database_in_its_place_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "v.db"
    plain = sqlite3.connect(path)
    plain.execute("CREATE TABLE t (x)")
    plain.commit()
    plain.close()
    with pytest.raises(VaultTampered, match="not encrypted"):
        open_database(path, keys.random_key())


def test_a_setting_that_does_not_stick_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bogus = (*database.HARDENING, ("cache_size", "-2000", "12345"))
    monkeypatch.setattr(database, "HARDENING", bogus)
    with pytest.raises(database.VaultError, match="cache_size"):
        open_database(tmp_path / "v.db", keys.random_key(), create=True)


def test_export_and_rekey(tmp_path: Path) -> None:
    key, new_key = keys.random_key(), keys.random_key()
    conn = open_database(tmp_path / "v.db", key, create=True)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("INSERT INTO t VALUES (42)")
    conn.execute("PRAGMA user_version = 3")
    database.export_database(conn, tmp_path / "copy.db", key)
    copy = open_database(tmp_path / "copy.db", key)
    assert copy.execute("SELECT x FROM t").fetchall() == [(42,)]
    assert copy.execute("PRAGMA user_version").fetchone()[0] == 3
    copy.close()
    with pytest.raises(database.VaultError, match="already exists"):
        database.export_database(conn, tmp_path / "copy.db", key)

    database.rekey(conn, new_key)
    conn.close()
    with pytest.raises(VaultTampered):
        open_database(tmp_path / "v.db", key)
    reopened = open_database(tmp_path / "v.db", new_key)
    assert reopened.execute("SELECT x FROM t").fetchall() == [(42,)]
    assert database.integrity_problems(reopened) == []
    reopened.close()


def _legacy_file(path: Path, key: bytes, rows: int = 2000) -> None:
    """A database made the way vaults were before 1 KiB pages: key, nothing else, WAL."""
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    conn.execute(key_statement(key))
    conn.execute("PRAGMA journal_mode = WAL").fetchall()
    conn.execute("CREATE TABLE t (x)")
    conn.executemany("INSERT INTO t VALUES (?)", [(f"row {i}",) for i in range(rows)])
    conn.execute("PRAGMA user_version = 7")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    conn.close()


def test_new_file_has_1_kib_pages(tmp_path: Path) -> None:
    path, key = tmp_path / "v.db", keys.random_key()
    conn = open_database(path, key, create=True)
    assert database.page_size(conn) == database.VAULT_PAGE_SIZE == 1024
    assert str(conn.execute("PRAGMA page_size").fetchone()[0]) == "1024"  # SQLite follows
    conn.execute("CREATE TABLE t (x)")
    conn.executemany("INSERT INTO t VALUES (?)", [(f"row {i}",) for i in range(500)])
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    assert path.stat().st_size % 1024 == 0 and path.stat().st_size % 4096 != 0
    # Only a reader that sets 1024 opens it; SQLCipher's default (4096) does not.
    assert raw_reads(path, bytes(key), 1024)
    assert not raw_reads(path, bytes(key), 4096)


def test_legacy_file_opens_reads_and_writes(tmp_path: Path) -> None:
    path, key = tmp_path / "v.db", keys.random_key()
    _legacy_file(path, bytes(key))
    assert not raw_reads(path, bytes(key), 1024)
    conn = open_database(path, key)
    assert database.page_size(conn) == database.LEGACY_PAGE_SIZE
    assert conn.execute("SELECT count(*) FROM t").fetchone()[0] == 2000
    conn.execute("INSERT INTO t VALUES ('written later')")
    conn.close()
    conn = open_database(path, key)
    assert conn.execute("SELECT count(*) FROM t").fetchone()[0] == 2001
    assert database.integrity_problems(conn) == []
    conn.close()
    assert raw_reads(path, bytes(key), 4096)  # writing did not change its format
    with pytest.raises(VaultTampered, match="cannot be decrypted"):
        open_database(path, keys.random_key())


def test_legacy_commits_still_in_the_wal_survive_the_first_try(tmp_path: Path) -> None:
    """The 1 KiB try meets a WAL of 4 KiB frames; it must neither use nor lose them."""
    path, key = tmp_path / "v.db", keys.random_key()
    _legacy_file(path, bytes(key))
    writer = sqlcipher3.connect(str(path), isolation_level=None)
    writer.execute(key_statement(key))
    writer.execute("PRAGMA wal_autocheckpoint = 0").fetchall()
    writer.executemany("INSERT INTO t VALUES (?)", [(f"late {i}",) for i in range(300)])
    # The files as a crash would leave them: committed rows only in the WAL.
    crashed = tmp_path / "crashed"
    crashed.mkdir()
    for name in ("v.db", "v.db-wal"):
        (crashed / name).write_bytes((tmp_path / name).read_bytes())
    writer.close()
    assert (crashed / "v.db-wal").stat().st_size > 0
    conn = open_database(crashed / "v.db", key)
    assert conn.execute("SELECT count(*) FROM t").fetchone()[0] == 2300
    assert database.integrity_problems(conn) == []
    conn.close()


@pytest.mark.parametrize("size", [database.VAULT_PAGE_SIZE, database.LEGACY_PAGE_SIZE])
def test_flipped_byte_in_a_page_is_reported(tmp_path: Path, size: int) -> None:
    key = keys.random_key()
    path = tmp_path / "v.db"
    if size == database.LEGACY_PAGE_SIZE:
        _legacy_file(path, bytes(key), rows=0)
    conn = open_database(path, key, create=size == database.VAULT_PAGE_SIZE)
    conn.execute("CREATE TABLE IF NOT EXISTS t (x)")
    conn.executemany("INSERT INTO t VALUES (?)", [(f"row {i}",) for i in range(2000)])
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(path.read_bytes())
    data[size * 3 + 100] ^= 0x01  # inside page 4
    path.write_bytes(bytes(data))
    conn = open_database(path, key)
    assert database.page_size(conn) == size
    problems = database.integrity_problems(conn)
    assert any("page 4" in p for p in problems)
    with pytest.raises(VaultTampered), database.translate_errors():
        conn.execute("SELECT count(*) FROM t").fetchall()
    conn.close()


@pytest.mark.parametrize("size", [database.VAULT_PAGE_SIZE, database.LEGACY_PAGE_SIZE])
def test_first_page_flipped_is_refused_in_either_format(tmp_path: Path, size: int) -> None:
    key = keys.random_key()
    path = tmp_path / "v.db"
    if size == database.LEGACY_PAGE_SIZE:
        _legacy_file(path, bytes(key))
    else:
        open_database(path, key, create=True).close()
    data = bytearray(path.read_bytes())
    data[size // 2] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(VaultTampered, match="cannot be decrypted"):
        open_database(path, key)


def test_export_of_a_legacy_file_has_1_kib_pages(tmp_path: Path) -> None:
    path, key = tmp_path / "v.db", keys.random_key()
    _legacy_file(path, bytes(key))
    conn = open_database(path, key)
    database.export_database(conn, tmp_path / "copy.db", key)
    conn.close()
    assert raw_reads(tmp_path / "copy.db", bytes(key), 1024)
    copy = open_database(tmp_path / "copy.db", key)
    assert database.page_size(copy) == 1024
    assert copy.execute("SELECT count(*) FROM t").fetchone()[0] == 2000
    assert copy.execute("PRAGMA user_version").fetchone()[0] == 7
    copy.close()


@pytest.mark.parametrize("size", [database.VAULT_PAGE_SIZE, database.LEGACY_PAGE_SIZE])
def test_rekey_keeps_the_page_size(tmp_path: Path, size: int) -> None:
    path, key, new_key = tmp_path / "v.db", keys.random_key(), keys.random_key()
    if size == database.LEGACY_PAGE_SIZE:
        _legacy_file(path, bytes(key))
        conn = open_database(path, key)
    else:
        conn = open_database(path, key, create=True)
        conn.execute("CREATE TABLE t (x)")
        conn.executemany("INSERT INTO t VALUES (?)", [(i,) for i in range(2000)])
    database.rekey(conn, new_key)
    conn.close()
    other = 4096 if size == 1024 else 1024
    assert raw_reads(path, bytes(new_key), size)
    assert not raw_reads(path, bytes(new_key), other)
    assert not raw_reads(path, bytes(key), size)
    reopened = open_database(path, new_key)
    assert database.page_size(reopened) == size
    assert reopened.execute("SELECT count(*) FROM t").fetchone()[0] == 2000
    reopened.close()


def test_vault_opens_where_memory_security_was_switched_on(tmp_path: Path) -> None:
    """The setting is process-wide and sticky; a host that turned it on only pays in speed."""
    script = f"""
import sqlcipher3
from screening.vault import keys
from screening.vault.database import open_database
other = sqlcipher3.connect(":memory:")
other.execute("PRAGMA key = 'x'")
other.execute("PRAGMA cipher_memory_security = ON")
conn = open_database(__import__("pathlib").Path({str(tmp_path / "v.db")!r}), keys.random_key(),
                     create=True)
print(conn.execute("PRAGMA cipher_memory_security").fetchone()[0])
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "1"


def test_a_page_size_that_does_not_stick_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # SQLCipher ignores a size that is not a power of two; only the read-back notices.
    monkeypatch.setattr(database, "VAULT_PAGE_SIZE", 3000)
    with pytest.raises(database.VaultError, match="page size reads back as"):
        open_database(tmp_path / "v.db", keys.random_key(), create=True)
