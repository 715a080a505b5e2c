"""PostgreSQL storage (psycopg 3): for an organisation that outgrows one server's SQLite file.

Several hub processes share one database, and within each process every write request runs
in its own transaction on its own connection, beside the others. Nothing is locked for all
writers; each thing that must not interleave has its own guard (see hub/store/base.py):
nonces the primary key, a device's chain head its row (FOR NO KEY UPDATE), an enrolment code
one conditional UPDATE, form publishing an advisory lock of its own.

Cursor order without a global writer lock: every writer holds a transaction-level advisory
lock in SHARED mode (writers never wait for each other on it). A pull of envelopes first takes
the same lock EXCLUSIVE in a short transaction of its own: that waits until the writers in
flight have committed or rolled back (new writers queue behind it for that moment), so every
cursor drawn so far is final; the largest committed cursor becomes the pull's `settled`
bound, and the pull reads only up to it. A cursor above it, committed early by a fast
writer, is simply returned by the next pull, after the slower writer's lower cursor.
PostgreSQL releases advisory locks at commit or rollback, even if a hub dies.

Commits are not grouped by the hub here: PostgreSQL flushes the write-ahead log for all
transactions committing at the same moment at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import anyio

from hub.store.base import Pool, Store
from hub.store.tx import WRITERS_LOCK_KEY, Tx
from screening.sync.protocol import ProtocolError

T = TypeVar("T")
# A transaction that lost a race PostgreSQL detected (a deadlock between two requests' row
# locks, a unique key taken by a transaction that committed meanwhile) is run again: the rerun
# sees the winner's rows and gives the answer the request would have got had it come second.
WRITE_ATTEMPTS = 4

_DDL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS enrol_codes (
    code_hash TEXT PRIMARY KEY,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    device_id TEXT
);
CREATE TABLE IF NOT EXISTS devices (
    device_id TEXT PRIMARY KEY,
    key_id TEXT NOT NULL UNIQUE,
    public_key BYTEA NOT NULL,
    code_hash TEXT NOT NULL,
    attestation TEXT NOT NULL,
    enrolled_at BIGINT NOT NULL,
    revoked_at BIGINT,
    last_seq BIGINT NOT NULL,
    last_hash TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS envelopes (
    cursor_pos BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    envelope_id TEXT NOT NULL UNIQUE,
    device_id TEXT NOT NULL REFERENCES devices (device_id),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL,
    body BYTEA NOT NULL,
    received_at BIGINT NOT NULL,
    acked_at BIGINT,
    UNIQUE (device_id, seq)
);
CREATE TABLE IF NOT EXISTS forms (
    cursor_pos BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    form_id TEXT NOT NULL,
    version TEXT NOT NULL,
    hash TEXT NOT NULL,
    document TEXT NOT NULL,
    published_at BIGINT NOT NULL,
    UNIQUE (form_id, version)
);
CREATE TABLE IF NOT EXISTS nonces (
    key_id TEXT NOT NULL,
    nonce TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    PRIMARY KEY (key_id, nonce)
);
CREATE INDEX IF NOT EXISTS nonces_expiry ON nonces (expires_at);
CREATE TABLE IF NOT EXISTS key_rotations (
    position BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    device_id TEXT NOT NULL REFERENCES devices (device_id),
    old_key_id TEXT NOT NULL,
    old_public_key BYTEA NOT NULL,
    new_key_id TEXT NOT NULL,
    rotation TEXT NOT NULL,
    rotated_at BIGINT NOT NULL,
    accepted INTEGER NOT NULL,
    retired_uses BIGINT NOT NULL DEFAULT 0,
    last_retired_use BIGINT,
    UNIQUE (old_key_id, new_key_id)
);
CREATE UNIQUE INDEX IF NOT EXISTS key_rotations_accepted ON key_rotations (old_key_id)
    WHERE accepted = 1;
"""


class PostgresStore(Store):
    backend = "postgresql"
    _paramstyle = "pyformat"

    def __init__(self, url: str, *, pool_size: int = 10) -> None:
        try:
            import psycopg
        except ImportError:  # pragma: no cover - depends on the installation
            raise RuntimeError(
                "PostgreSQL support needs psycopg 3: pip install 'psycopg[binary]'"
            ) from None
        self._psycopg = psycopg
        errors = psycopg.errors
        self._retry = (errors.DeadlockDetected, errors.UniqueViolation, errors.SerializationFailure)
        self._url = url
        self._pool = Pool(self._connect, pool_size, lambda c: c.close())

    def _connect(self) -> Any:
        # Autocommit, with explicit BEGIN: the BEGIN then travels in the same round trip as the
        # lock (or the isolation level) instead of in one of its own.
        return self._psycopg.connect(self._url, autocommit=True, connect_timeout=10)

    def _create_schema(self, conn: Any) -> None:
        # Concurrent first starts of several hubs would race on CREATE TABLE IF NOT EXISTS.
        conn.execute(f"BEGIN; SELECT pg_advisory_xact_lock({WRITERS_LOCK_KEY})")
        conn.execute(_DDL)
        # Envelope bodies are ciphertext: they never compress, but their first kilobyte (the
        # JSON header) does, so PostgreSQL's default pglz went on to try the whole body, at
        # ~2 ms of database CPU per 64 KiB envelope, only to store it uncompressed. EXTERNAL:
        # stored out of line without trying. Altered only where needed (the ALTER waits for
        # every running query on the table, so not on each start of a worker).
        storage = conn.execute(
            "SELECT attstorage FROM pg_attribute "
            "WHERE attrelid = 'envelopes'::regclass AND attname = 'body'"
        ).fetchone()
        if storage is not None and storage[0] != "e":
            conn.execute("ALTER TABLE envelopes ALTER COLUMN body SET STORAGE EXTERNAL")
        conn.commit()

    def _begin_read(self, conn: Any) -> None:
        # REPEATABLE READ: a pull sees one snapshot even across its several statements.
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")

    def _settled_cursor(self, conn: Any) -> int | None:
        # Exclusive: granted once every writer in flight has finished (see the module's text).
        conn.execute(f"BEGIN; SELECT pg_advisory_xact_lock({WRITERS_LOCK_KEY})")
        row = conn.execute("SELECT COALESCE(MAX(cursor_pos), 0) FROM envelopes").fetchone()
        conn.commit()
        return int(row[0])

    @contextmanager
    def write_transaction(self) -> Iterator[Tx]:
        """One writer's transaction: committed on success and on ProtocolError (the nonce stays
        used), rolled back on anything else. Tests hold one open to show who waits for it."""
        with self._pool.connection() as conn:
            # BEGIN and the shared lock in one round trip (autocommit connection).
            conn.execute(f"BEGIN; SELECT pg_advisory_xact_lock_shared({WRITERS_LOCK_KEY})")
            tx = Tx(conn, self._paramstyle)
            try:
                yield tx
            except ProtocolError:
                conn.commit()
                tx.committed()
                raise
            except BaseException:
                conn.rollback()
                raise
            conn.commit()
            tx.committed()

    def run_write(self, fn: Callable[[Tx], T]) -> T:
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            try:
                with self.write_transaction() as tx:
                    return fn(tx)
            except self._retry:
                if attempt == WRITE_ATTEMPTS:
                    raise
        raise AssertionError("unreachable")

    async def run_write_async(self, fn: Callable[[Tx], T]) -> T:
        # On a worker thread, which finishes its write even if the awaiting request is
        # cancelled (a client that hung up cannot take back a write it handed over).
        return await anyio.to_thread.run_sync(self.run_write, fn)
