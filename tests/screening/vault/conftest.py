"""Shared fixtures: real SQLCipher vaults in tmp_path with cheap Argon2id parameters."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from screening.vault import KdfParams, Vault, backoff

FAST = KdfParams.fast_for_tests()
ADMIN = "Amira Haddad"
ADMIN_PASS = "violet kettle marathon orbit"
SCREENER = "Tomas Ferreira"
SCREENER_PASS = "copper lantern drizzle wombat"
COORD = "Leila Okafor"
COORD_PASS = "glacier velvet pumpkin ferry"


@pytest.fixture(autouse=True)
def _real_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests that move time patch this; everyone else gets the real clock back.
    import time

    monkeypatch.setattr(backoff, "clock", time.time)


@pytest.fixture
def vault_dir(tmp_path: Path) -> Path:
    return tmp_path / "vault"


@pytest.fixture
def vaults(tmp_path: Path) -> Iterator[tuple[Vault, Vault]]:
    """A screener's laptop and a coordinator's vault, for records that travel between them."""
    laptop = Vault.create(tmp_path / "laptop", ADMIN, ADMIN_PASS, kdf=FAST)
    coord = Vault.create(tmp_path / "coord", COORD, COORD_PASS, kdf=FAST)
    yield laptop, coord
    laptop.lock()
    coord.lock()


@pytest.fixture
def vault(vault_dir: Path) -> Iterator[Vault]:
    v = Vault.create(vault_dir, ADMIN, ADMIN_PASS, kdf=FAST)
    yield v
    v.lock()


def new_interview(v: Vault, **overrides: object) -> str:
    fields: dict[str, object] = {
        "form_id": "rapid",
        "form_version": "1.0",
        "form_hash": "sha256:abc",
        "language": "en",
    }
    fields.update(overrides)
    return v.create_interview(**fields)  # type: ignore[arg-type]


def data_key(v: Vault) -> bytes:
    """A copy of the live data key, for tests that open the database behind the vault's back."""
    return bytes(v._data_key())


def make_legacy(directory: Path, key: bytes) -> None:
    """Rewrite a locked vault's database with 4 KiB pages, as vaults were made before 1 KiB.

    Done by hand with SQLCipher (not with the code under test): the same export, into a
    file attached with SQLCipher's default page size, which is what the old code used.
    """
    import sqlcipher3

    db = directory / "vault.db"
    legacy = directory / "legacy.db"
    conn = sqlcipher3.connect(str(db), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    conn.execute("PRAGMA cipher_page_size = 1024")
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    conn.execute(f"ATTACH DATABASE ? AS legacy KEY \"x'{key.hex()}'\"", (str(legacy),))
    assert conn.execute("PRAGMA legacy.cipher_page_size").fetchone()[0] == "4096"
    conn.execute("SELECT sqlcipher_export('legacy')").fetchall()
    conn.execute(f"PRAGMA legacy.user_version = {version}")
    conn.execute("DETACH DATABASE legacy")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    conn.close()
    legacy.replace(db)
    for side in ("vault.db-wal", "vault.db-shm"):
        (directory / side).unlink(missing_ok=True)


def raw_reads(db: Path, key: bytes, page_size: int) -> bool:
    """Whether a bare SQLCipher connection with this page size decrypts the file."""
    import sqlcipher3

    conn = sqlcipher3.connect(str(db))
    try:
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        conn.execute(f"PRAGMA cipher_page_size = {page_size}")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except sqlcipher3.DatabaseError:
        return False
    finally:
        conn.close()
