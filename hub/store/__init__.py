"""Hub storage: one interface (`Store`/`Tx`), SQLite and PostgreSQL implementations."""

from __future__ import annotations

from pathlib import Path

from hub.store.base import Store
from hub.store.tx import CodeRow, DeviceRow, EnvelopeRow, FormRow, RotationRow, Tx

SQLITE_FILENAME = "hub.sqlite3"


def open_store(data_dir: str | Path, database_url: str | None = None) -> Store:
    """PostgreSQL when `database_url` is given, else the SQLite file in `data_dir`."""
    if database_url:
        if not database_url.startswith(("postgresql://", "postgres://")):
            raise ValueError("the database URL must start with postgresql://")
        from hub.store.postgres import PostgresStore

        return PostgresStore(database_url)
    from hub.store.sqlite import SqliteStore

    return SqliteStore(Path(data_dir) / SQLITE_FILENAME)


__all__ = [
    "CodeRow",
    "DeviceRow",
    "EnvelopeRow",
    "FormRow",
    "RotationRow",
    "Store",
    "Tx",
    "open_store",
]
