"""SQLite storage: one file in the hub's data folder, nothing to install.

One hub process, one writer: every write goes through the group committer's single thread
(hub/store/commit.py), inside BEGIN IMMEDIATE, so writes never interleave and cursors commit in
order. Several worker processes need PostgreSQL (hub/workers.py).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from hub.store.base import Pool, Store, Tx
from hub.store.commit import GroupCommitter

T = TypeVar("T")

_DDL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS enrol_codes (
    code_hash TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER,
    device_id TEXT
);
CREATE TABLE IF NOT EXISTS devices (
    device_id TEXT PRIMARY KEY,
    key_id TEXT NOT NULL UNIQUE,
    public_key BLOB NOT NULL,
    code_hash TEXT NOT NULL,
    attestation TEXT NOT NULL,
    enrolled_at INTEGER NOT NULL,
    revoked_at INTEGER,
    last_seq INTEGER NOT NULL,
    last_hash TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS envelopes (
    cursor_pos INTEGER PRIMARY KEY AUTOINCREMENT,
    envelope_id TEXT NOT NULL UNIQUE,
    device_id TEXT NOT NULL REFERENCES devices (device_id),
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL,
    body BLOB NOT NULL,
    received_at INTEGER NOT NULL,
    acked_at INTEGER,
    UNIQUE (device_id, seq)
);
CREATE TABLE IF NOT EXISTS forms (
    cursor_pos INTEGER PRIMARY KEY AUTOINCREMENT,
    form_id TEXT NOT NULL,
    version TEXT NOT NULL,
    hash TEXT NOT NULL,
    document TEXT NOT NULL,
    published_at INTEGER NOT NULL,
    UNIQUE (form_id, version)
);
CREATE TABLE IF NOT EXISTS nonces (
    key_id TEXT NOT NULL,
    nonce TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (key_id, nonce)
);
CREATE INDEX IF NOT EXISTS nonces_expiry ON nonces (expires_at);
CREATE TABLE IF NOT EXISTS key_rotations (
    position INTEGER PRIMARY KEY AUTOINCREMENT,
    device_id TEXT NOT NULL REFERENCES devices (device_id),
    old_key_id TEXT NOT NULL,
    old_public_key BLOB NOT NULL,
    new_key_id TEXT NOT NULL,
    rotation TEXT NOT NULL,
    rotated_at INTEGER NOT NULL,
    accepted INTEGER NOT NULL,
    retired_uses INTEGER NOT NULL DEFAULT 0,
    last_retired_use INTEGER,
    UNIQUE (old_key_id, new_key_id)
);
CREATE UNIQUE INDEX IF NOT EXISTS key_rotations_accepted ON key_rotations (old_key_id)
    WHERE accepted = 1;
"""


class SqliteStore(Store):
    backend = "sqlite"
    _paramstyle = "qmark"

    def __init__(self, path: str | Path, *, pool_size: int = 4) -> None:
        self.path = Path(path)
        self._pool = Pool(self._connect, pool_size, lambda c: c.close())
        self._committer: GroupCommitter | None = None
        self._committer_lock = threading.Lock()

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode = WAL")
        # FULL: an acknowledged envelope survives a power cut. The laptop deletes nothing
        # on an ack, but it stops resending, so an ack must mean "on disk".
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA busy_timeout = 10000")
        return conn

    def _create_schema(self, conn: Any) -> None:
        conn.executescript(_DDL)
        self.path.chmod(0o600)

    def _begin_write(self, conn: Any) -> None:
        conn.execute("BEGIN IMMEDIATE")

    def run_write(self, fn: Callable[[Tx], T]) -> T:
        """See `Store.run_write`; concurrent calls may share one commit (one fsync)."""
        return self._writer().submit(fn)

    async def run_write_async(self, fn: Callable[[Tx], T]) -> T:
        """Awaits the writer thread without tying up one of the event loop's threads."""
        return await self._writer().submit_async(fn)

    def _writer(self) -> GroupCommitter:
        committer = self._committer
        if committer is None:
            with self._committer_lock:
                if self._committer is None:
                    self._committer = GroupCommitter(
                        self._connect, self._begin_write, self._paramstyle, self.backend
                    )
                committer = self._committer
        return committer

    def close(self) -> None:
        if self._committer is not None:
            self._committer.close()
            self._committer = None
        super().close()

    def _begin_read(self, conn: Any) -> None:
        conn.execute("BEGIN")
