"""Converting a legacy vault database (4 KiB pages) to the current format (1 KiB pages).

The conversion never writes into the live file. `sqlcipher_export()` copies it into a new
file beside it, the copy is compared with the original row by row, and only then does one
rename put it in place. A process killed at any moment leaves either the old file or the
new one under the vault's name, each complete, plus perhaps a half-written copy under
UPGRADE_NAME, which the next attempt deletes. Unlocking does not upgrade by itself: the copy
takes time proportional to the vault (docs/vault.md, "Page size").
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from screening.vault import database
from screening.vault.database import Connection
from screening.vault.errors import VaultError
from screening.vault.fsutil import fsync_dir

# Hidden, beside the database (a rename within one folder), never a temp folder elsewhere.
UPGRADE_NAME = ".vault.db.upgrade"
_SIDE_FILES = ("", "-journal", "-wal", "-shm")
_BUSY = "The vault is open in another program; close it there and try again."


def staging_path(db_path: Path) -> Path:
    return db_path.with_name(UPGRADE_NAME)


def discard_leftovers(db_path: Path) -> None:
    """Delete the half-written copy (and its journal) that an interrupted upgrade left."""
    staging = staging_path(db_path)
    for suffix in _SIDE_FILES:
        with contextlib.suppress(FileNotFoundError):
            staging.with_name(staging.name + suffix).unlink()


def differences(conn: Connection, schema: str) -> list[str]:
    """One sentence per table whose rows differ between `main` and the attached `schema`."""
    found: list[str] = []
    listing = "SELECT type, name, sql FROM {}.sqlite_master WHERE name NOT LIKE 'sqlite_%'"
    ours = sorted(conn.execute(listing.format("main")).fetchall())
    theirs = sorted(conn.execute(listing.format(schema)).fetchall())
    if ours != theirs:
        found.append("The converted copy's tables or indexes differ from the vault's.")
    for kind, name, _ in ours:
        if kind != "table":
            continue
        table = '"' + str(name).replace('"', '""') + '"'
        counts = [
            int(conn.execute(f"SELECT count(*) FROM {side}.{table}").fetchone()[0])
            for side in ("main", schema)
        ]
        # Equal counts and no row of the vault missing from the copy: the same rows (every
        # vault table has a primary key, so no row appears twice).
        rows = f"SELECT * FROM main.{table} EXCEPT SELECT * FROM {schema}.{table}"
        missing = conn.execute(f"SELECT count(*) FROM ({rows})").fetchone()[0]
        if counts[0] != counts[1] or int(missing) != 0:
            found.append(f"The converted copy of table {name} differs from the vault's.")
    versions = [
        int(conn.execute(f"PRAGMA {side}.user_version").fetchone()[0]) for side in ("main", schema)
    ]
    if versions[0] != versions[1]:
        found.append("The converted copy has a different schema version.")
    return found


def _verified_copy(conn: Connection, db_path: Path, key: bytearray) -> Path:
    staging = staging_path(db_path)
    discard_leftovers(db_path)
    database.export_database(conn, staging, key)
    copy = database.open_database(staging, key)
    try:
        copy.execute("PRAGMA query_only = ON")  # the comparison must not write to either
        problems = database.integrity_problems(copy)
        if database.page_size(copy) != database.VAULT_PAGE_SIZE:  # pragma: no cover
            problems.append("The converted copy does not have the new page size.")
        # The legacy file is attached to the copy, not the other way round: SQLCipher can
        # attach an existing file only in its default (legacy) page size.
        database.attach(copy, db_path, key, "legacy", legacy=True)
        try:
            problems += differences(copy, "legacy")
        finally:
            copy.execute("DETACH DATABASE legacy")
    finally:
        copy.close()
    if problems:
        discard_leftovers(db_path)
        raise VaultError(f"The upgrade was not made: {problems[0]} The vault is unchanged.")
    return staging


def convert(conn: Connection, db_path: Path, key: bytearray) -> Connection:
    """Replace the legacy database at `db_path` by a 1 KiB-page copy; return its connection.

    `conn` is closed on success and may be closed on failure: the caller must not use it
    again either way (on failure it locks the vault). Refuses while any other
    connection, in this or another program, has the database open: that connection would
    go on reading and writing the replaced file.
    """
    if database.page_size(conn) != database.LEGACY_PAGE_SIZE:  # pragma: no cover
        raise VaultError("Only a vault with the legacy page size can be upgraded.")
    database.require_exclusive(conn)
    before = conn.execute("PRAGMA data_version").fetchone()[0]
    staging = _verified_copy(conn, db_path, key)
    try:
        # No other connection committed while the copy was made (data_version counts
        # their commits), and none is reading now.
        if conn.execute("PRAGMA data_version").fetchone()[0] != before:
            raise VaultError("The vault was changed by another program during the upgrade.")
        database.require_exclusive(conn)
    except BaseException:
        discard_leftovers(db_path)
        raise
    conn.close()
    wal = db_path.with_name(db_path.name + "-wal")
    if wal.exists():
        # SQLite deletes the WAL when the last connection closes, and only then: another
        # connection, even an idle one, still has the database open.
        discard_leftovers(db_path)
        raise VaultError(_BUSY)
    with contextlib.suppress(FileNotFoundError):
        # The old file's shared-memory index; SQLite would rebuild it anyway, as the first
        # connection to open the new file.
        db_path.with_name(db_path.name + "-shm").unlink()
    staging.replace(db_path)
    fsync_dir(db_path.parent)
    return database.open_database(db_path, key)
