"""Opening the SQLCipher database safely: raw key first, verified, hardened pragmas asserted.

Every pitfall listed in DESIGN.md for this stack is handled here, in one place, so no other
module ever opens the vault database by itself.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlcipher3

from screening.vault.errors import VaultError, VaultTampered
from screening.vault.fsutil import FILE_MODE

KEY_BYTES = 32
CACHE_KIB = 64 * 1024
# New vaults use 1 KiB pages: a save rewrites about six pages, and SQLCipher encrypts and
# MACs whole pages, so smaller pages cut the crypto of every answer save (docs/vault.md,
# "Page size"). Vaults made before that keep 4 KiB pages until `vault upgrade` converts them.
VAULT_PAGE_SIZE = 1024
LEGACY_PAGE_SIZE = 4096
# The order an existing file is tried in: the current format first, so only legacy vaults
# pay for a second try (one page read; the key is raw, so no key derivation is repeated).
PAGE_SIZES = (VAULT_PAGE_SIZE, LEGACY_PAGE_SIZE)
PLAINTEXT_HEADER = b"SQLite format 3\x00"
_HEX_KEY = re.compile(r"[0-9a-f]{64}")

# (pragma, value to set, value read back). Read back because SQLCipher and SQLite accept
# unknown or misspelled pragmas silently; only the answer proves the setting took effect.
HARDENING: tuple[tuple[str, str, str], ...] = (
    ("temp_store", "MEMORY", "2"),
    ("secure_delete", "ON", "1"),
    ("journal_mode", "WAL", "wal"),
    ("synchronous", "FULL", "2"),
    ("foreign_keys", "ON", "1"),
)

# SQLCipher writes "hmac check failed for pgno=…" lines to stderr by default; the CLI must
# print one sentence and nothing else, so the library's own log is switched off process-wide.
_quiet = sqlcipher3.connect(":memory:")
_quiet.execute("PRAGMA cipher_log_level = NONE")
_quiet.close()

DatabaseError = sqlcipher3.DatabaseError
Connection = Any  # sqlcipher3 and sqlite3 connections share the DB-API surface we use


def key_statement(key: bytes | bytearray, pragma: str = "key", schema: str | None = None) -> str:
    """Build `PRAGMA key = "x'…'"` after proving the key is exactly 64 lowercase hex digits.

    The statement is built by string formatting because SQLCipher does not take bound
    parameters for keys; validating the hex first is what keeps this from being injectable.
    """
    if len(key) != KEY_BYTES:
        raise ValueError("vault data keys are 32 bytes")
    hex_key = bytes(key).hex()
    if not _HEX_KEY.fullmatch(hex_key):  # pragma: no cover - bytes.hex() cannot fail this
        raise ValueError("key is not hex")
    target = f"{schema}." if schema else ""
    return f"PRAGMA {target}{pragma} = \"x'{hex_key}'\""


def _uri(path: Path, *, create: bool) -> str:
    # mode=rw refuses to create a missing file, so a typo in a path cannot leave an empty
    # database behind that later looks like a vault.
    return f"{path.resolve().as_uri()}?mode={'rwc' if create else 'rw'}"


def read_header(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(len(PLAINTEXT_HEADER))


def apply_hardening(conn: Connection, *, cipher: bool = True) -> None:
    """Set the pragmas and read each one back; refuse to continue if any did not stick."""
    for name, value, expected in HARDENING:
        if name.startswith("cipher_") and not cipher:
            continue
        conn.execute(f"PRAGMA {name} = {value}").fetchall()
        row = conn.execute(f"PRAGMA {name}").fetchone()
        actual = "" if row is None else str(row[0]).lower()
        if actual != expected:
            raise VaultError(
                f"The vault database could not be opened safely: setting {name} "
                f"reads back as {actual or 'nothing'} instead of {expected}.",
                exit_code=2,
            )


def set_page_size(conn: Connection, size: int, schema: str = "main") -> None:
    """Set SQLCipher's page size for `schema` (before its first read) and read it back.

    It is not stored in the file (the header is encrypted too): a reader that guesses it
    wrong sees a page whose HMAC fails, never wrong data. SQLite's own `page_size` follows it.
    """
    conn.execute(f"PRAGMA {schema}.cipher_page_size = {int(size)}").fetchall()
    row = conn.execute(f"PRAGMA {schema}.cipher_page_size").fetchone()
    if row is None or str(row[0]) != str(size):
        raise VaultError(
            "The vault database could not be opened safely: its page size reads back as "
            f"{'nothing' if row is None else row[0]} instead of {size}.",
            exit_code=2,
        )


def page_size(conn: Connection, schema: str = "main") -> int:
    """The page size the connection reads `schema` with (VAULT_PAGE_SIZE or LEGACY_PAGE_SIZE)."""
    return int(conn.execute(f"PRAGMA {schema}.cipher_page_size").fetchone()[0])


def _keyed(path: Path, key: bytes | bytearray, size: int, *, create: bool) -> Connection:
    """A connection whose first statement is the key, then the page size; nothing read yet."""
    statement = key_statement(key)
    conn = sqlcipher3.connect(
        _uri(path, create=create),
        uri=True,
        isolation_level=None,  # transactions are explicit (BEGIN IMMEDIATE … COMMIT)
        check_same_thread=False,  # the Vault serialises access with its own lock
        timeout=10.0,
    )
    try:
        # The key must be the very first statement: anything earlier makes SQLCipher treat
        # the file as plaintext (and a new file would be created unencrypted).
        conn.execute(statement)
        del statement
        set_page_size(conn, size)
    except BaseException:
        conn.close()
        raise
    return conn


def _decrypting(path: Path, key: bytes | bytearray, *, create: bool) -> Connection:
    """Open with the page size that decrypts the file: 1 KiB, else legacy 4 KiB.

    A connection whose first read failed stays failed in SQLCipher, so each try is a new
    connection. Raises VaultTampered when no page size opens it.
    """
    failure: BaseException | None = None
    for size in (VAULT_PAGE_SIZE,) if create else PAGE_SIZES:
        conn = _keyed(path, key, size, create=create)
        try:
            # PRAGMA key answers "ok" even for a wrong key; only a read proves it.
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher3.DatabaseError as exc:
            conn.close()
            failure = exc
            continue
        return conn
    raise VaultTampered(
        "The vault database is damaged or was replaced: it cannot be decrypted "
        "with this vault's key."
    ) from failure


def open_database(path: Path, key: bytes | bytearray, *, create: bool = False) -> Connection:
    """Open (or create) the encrypted database with a raw 256-bit key.

    New files get VAULT_PAGE_SIZE pages; an existing file is opened in whichever format it
    has. Raises VaultTampered when the key does not open the file: with a key that came out
    of an authenticated slot, that means the file was damaged or replaced.
    """
    if not create and read_header(path) == PLAINTEXT_HEADER:
        raise VaultTampered(f"The vault database {path.name} is not encrypted; it was replaced.")
    conn = _decrypting(path, key, create=create)
    try:
        apply_hardening(conn)
        # OFF by design (docs/vault.md): the process holds the same plaintext in its own
        # objects, so wiping SQLCipher's allocations protected little at 2-3x the cost of
        # every save. Not read back: it is process-wide and sticky, and ON is only slower.
        conn.execute("PRAGMA cipher_memory_security = OFF").fetchall()
        conn.execute("PRAGMA busy_timeout = 10000")
        # Every page read from disk costs a decryption; a 64 MiB cache keeps a 100,000
        # interview list in memory after the first pass (SQLite's default is 2 MiB).
        conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    except BaseException:
        conn.close()
        raise
    if create:
        _assert_encrypted_on_disk(conn, path)
    return conn


def _assert_encrypted_on_disk(conn: Connection, path: Path) -> None:
    # Force the header page to disk, then look at it: the cheapest proof that the key
    # statement really came first.
    conn.execute("PRAGMA user_version").fetchone()
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("CREATE TABLE IF NOT EXISTS _probe (x)")
    conn.execute("DROP TABLE _probe")
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    with contextlib.suppress(OSError):
        path.chmod(FILE_MODE)
    if read_header(path) == PLAINTEXT_HEADER:
        conn.close()
        raise VaultError(
            "The vault database was written without encryption; it was not used.", exit_code=2
        )


# Connections inside `batch()`: their transactions nest as savepoints of the batch's one.
_BATCHED: set[int] = set()


@contextlib.contextmanager
def transaction(conn: Connection) -> Iterator[Connection]:
    """One write transaction: BEGIN IMMEDIATE takes the write lock up front (no upgrade
    deadlocks between processes); the block's changes are durable when it returns.

    Inside `batch()` it is a savepoint instead, durable only when the batch commits.
    """
    if id(conn) in _BATCHED:
        conn.execute("SAVEPOINT step")
        try:
            yield conn
        except BaseException:
            with contextlib.suppress(sqlite3.Error, sqlcipher3.Error):
                conn.execute("ROLLBACK TO step")
                conn.execute("RELEASE step")
            raise
        conn.execute("RELEASE step")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        with contextlib.suppress(sqlite3.Error, sqlcipher3.Error):
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


@contextlib.contextmanager
def batch(conn: Connection) -> Iterator[Connection]:
    """Many write transactions committed as one, for data that is not an interview being
    given (demo data): a crash loses the whole batch, which is why interviews never use it."""
    with transaction(conn):
        _BATCHED.add(id(conn))
        try:
            yield conn
        finally:
            _BATCHED.discard(id(conn))


# Every vault call passes through here, answer saves included: a plain tuple check.
DATABASE_ERRORS = (sqlcipher3.DatabaseError, sqlite3.DatabaseError)


def translated(exc: BaseException) -> VaultError:
    """A low-level database failure as one sentence (no page numbers, no SQL)."""
    text = str(exc).lower()
    if "is locked" in text or "busy" in text:
        return VaultError("The vault is busy in another program; try again in a moment.")
    if any(m in text for m in ("readonly", "disk i/o error", "disk is full", "unable to open")):
        return VaultError(f"The vault could not be written: {exc}.")
    return VaultTampered(DAMAGED)


@contextlib.contextmanager
def translate_errors() -> Iterator[None]:
    """Turn a low-level database failure into one sentence (`translated`)."""
    try:
        yield
    except DATABASE_ERRORS as exc:
        raise translated(exc) from exc


DAMAGED = (
    "The vault database is damaged or was tampered with (an encrypted page failed verification)."
)


def require_undamaged_pages(conn: Connection) -> None:
    """Verify every page's HMAC (about 350 MB/s); raise VaultTampered at the first failure.

    A command that reads only some tables would otherwise carry on, and write, as if nothing
    were wrong with a vault that has a damaged page elsewhere.
    """
    try:
        failed = conn.execute("PRAGMA cipher_integrity_check").fetchall()
    except sqlcipher3.DatabaseError as exc:
        raise VaultTampered(DAMAGED) from exc
    if failed:
        raise VaultTampered(DAMAGED)


def integrity_problems(conn: Connection) -> list[str]:
    """Run SQLite's and SQLCipher's integrity checks; return one sentence per problem."""
    problems: list[str] = []
    try:
        rows = [str(r[0]) for r in conn.execute("PRAGMA cipher_integrity_check").fetchall()]
        problems.extend(f"Encrypted page check: {row}." for row in rows)
    except sqlcipher3.DatabaseError as exc:
        problems.append(f"Encrypted page check could not run: {exc}.")
    try:
        rows = [str(r[0]) for r in conn.execute("PRAGMA integrity_check").fetchall()]
        if rows != ["ok"]:
            problems.extend(f"Database structure check: {row}." for row in rows[:20])
    except sqlcipher3.DatabaseError as exc:
        problems.append(f"Database structure check could not run: {exc}.")
    try:
        rows = conn.execute("PRAGMA foreign_key_check").fetchall()
        problems.extend(f"Broken reference in table {r[0]} (row {r[1]})." for r in rows[:20])
    except sqlcipher3.DatabaseError as exc:
        problems.append(f"Reference check could not run: {exc}.")
    return problems


def attach(
    conn: Connection, path: Path, key: bytes | bytearray, schema: str, *, legacy: bool = False
) -> None:
    """ATTACH an encrypted file as `schema`: a new file in the vault's page format, or an
    existing legacy file (`legacy`).

    SQLCipher reads an existing file at ATTACH time with its process default page size
    (4 KiB, the legacy one), so only a file that does not exist yet can be given another
    page size, set before anything writes it. Either way the size is read back.
    """
    key_statement(key)  # the same length/hex validation as every other key statement
    conn.execute(f"ATTACH DATABASE ? AS {schema} KEY \"x'{bytes(key).hex()}'\"", (str(path),))
    try:
        if legacy:
            if page_size(conn, schema) != LEGACY_PAGE_SIZE:
                raise VaultError(f"{path.name} could not be opened with the legacy page size.")
        else:
            set_page_size(conn, VAULT_PAGE_SIZE, schema)
    except BaseException:
        conn.execute(f"DETACH DATABASE {schema}")
        raise


def export_database(conn: Connection, dest: Path, key: bytes | bytearray) -> None:
    """Copy the live database into a new encrypted file with `sqlcipher_export()`.

    The copy always has VAULT_PAGE_SIZE pages, whatever the live file has: backups are
    written in the current format, and this is how `vault upgrade` converts a legacy vault.
    Never copy the database file itself: a live WAL database is not self-contained, and a
    file copy would also carry freed pages.
    """
    if dest.exists():
        raise VaultError(f"{dest.name} already exists; refusing to overwrite it.")
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    attach(conn, dest, key, "backup")
    try:
        conn.execute("SELECT sqlcipher_export('backup')").fetchall()
        # sqlcipher_export copies schema and rows but not user_version, which the
        # migrations rely on.
        conn.execute(f"PRAGMA backup.user_version = {version}")
    finally:
        conn.execute("DETACH DATABASE backup")
    with contextlib.suppress(OSError):
        dest.chmod(FILE_MODE)
    with dest.open("rb+") as handle:
        os.fsync(handle.fileno())


def require_exclusive(conn: Connection) -> None:
    """Refuse when another connection is reading: a rekey would pull the key from under it."""
    busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    if busy is not None and int(busy[0]) != 0:
        raise VaultError("The vault is open in another program; close it there and try again.")


def rekey(conn: Connection, new_key: bytes | bytearray) -> None:
    """Re-encrypt every page under `new_key` (one transaction inside SQLCipher).

    The page size stays what it was: a legacy vault stays legacy until `vault upgrade`.
    """
    conn.execute(key_statement(new_key, pragma="rekey")).fetchall()
    # Fold the re-encrypted pages into the main file so nothing under the old key remains
    # in the live files.
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
