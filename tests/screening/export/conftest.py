"""A coordinator's vault with realistic interviews and marker strings where identifiers live.

Seeded once per module: a few interviews through the engine (answer by answer, as a
screener would) and several hundred through the fast bulk path. The marker is a name that
must never appear in any export: it is every preferred name, part of every location text,
every free-text note, and the reason of every override.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from screening.demo.bulk import bulk_seed
from screening.demo.seed import seed_vault
from screening.vault import KdfParams, Vault

ADMIN, ADMIN_PASS = "Amira Haddad", "violet kettle marathon orbit"
COORD, COORD_PASS = "Leila Okafor", "glacier velvet pumpkin ferry"
SCREENER, SCREENER_PASS = "Tomas Ferreira", "copper lantern drizzle wombat"
MARKER = "Qorbanzyx Marker-Nazari"
FAST = KdfParams.fast_for_tests()


def plant_markers(vault: Vault) -> None:
    """Put the marker into names, notes, locations and override reasons."""
    with vault.transaction() as conn:
        text = json.dumps(MARKER)
        conn.execute(
            "UPDATE answers SET value = ?, special = NULL WHERE name IN"
            " ('preferred_name', 'screener_notes', 'nationality_other')",
            (text,),
        )
        conn.execute("UPDATE interviews SET location = location || ' (' || ? || ')'", (MARKER,))
    rows = vault.connection().execute(
        "SELECT id FROM interviews WHERE status = 'completed' ORDER BY rowid LIMIT 25"
    )
    for (interview_id,) in rows.fetchall():
        vault.set_override(interview_id, "possible_trafficking", f"{MARKER} said so")


def make_vault(folder: Path, *, engine: int = 20, bulk: int = 600, seed: int = 7) -> Path:
    vault = Vault.create(folder, ADMIN, ADMIN_PASS, kdf=FAST)
    try:
        vault.add_user(COORD, COORD_PASS, role="coordinator", kdf=FAST)
        vault.add_user(SCREENER, SCREENER_PASS, role="screener", kdf=FAST)
        if engine:
            seed_vault(vault, engine, seed=seed)
        if bulk:
            bulk_seed(vault, bulk, seed=seed, templates=40)
        plant_markers(vault)
    finally:
        vault.lock()
    return folder


@pytest.fixture(scope="module")
def seeded_vault_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_vault(tmp_path_factory.mktemp("export") / "vault")


@pytest.fixture
def coordinator(seeded_vault_dir: Path) -> Iterator[Vault]:
    vault = Vault.unlock(seeded_vault_dir, COORD, COORD_PASS)
    yield vault
    vault.lock()


def pdftotext(path: Path) -> str:
    """The text of a PDF, read back with pypdf (a pure-Python reader: no system package)."""
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(path).pages)
