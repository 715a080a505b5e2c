"""PostgreSQL storage (psycopg 3): for an organisation that outgrows one server's SQLite file.

Several hub processes may share one database: writers serialise on a transaction-level
advisory lock, which PostgreSQL releases at commit or rollback, even if a hub dies.
"""

from __future__ import annotations

from typing import Any

from hub.store.base import Pool, Store

# Any constant works; this one is "SD" "HUB" in ASCII, unlikely to clash with other apps.
ADVISORY_LOCK_KEY = 0x5344_4855_42

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

    def __init__(self, url: str, *, pool_size: int = 8) -> None:
        try:
            import psycopg
        except ImportError:  # pragma: no cover - depends on the installation
            raise RuntimeError(
                "PostgreSQL support needs psycopg 3: pip install 'psycopg[binary]'"
            ) from None
        self._psycopg = psycopg
        self._url = url
        self._pool = Pool(self._connect, pool_size, lambda c: c.close())

    def _connect(self) -> Any:
        # Autocommit, with explicit BEGIN: the BEGIN then travels in the same round trip as the
        # lock (or the isolation level) instead of in one of its own.
        return self._psycopg.connect(self._url, autocommit=True, connect_timeout=10)

    def _create_schema(self, conn: Any) -> None:
        # Concurrent first starts of several hubs would race on CREATE TABLE IF NOT EXISTS.
        self._begin_write(conn)
        conn.execute(_DDL)
        conn.commit()

    def _begin_write(self, conn: Any) -> None:
        conn.execute(f"BEGIN; SELECT pg_advisory_xact_lock({ADVISORY_LOCK_KEY})")

    def _begin_read(self, conn: Any) -> None:
        # REPEATABLE READ: a pull sees one snapshot even across its several statements.
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
