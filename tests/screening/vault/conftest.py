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
