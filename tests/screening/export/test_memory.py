"""Exports stream: peak memory for 2,000 interviews is about that for 200.

What an export keeps is bounded by the chunk it reads (256 interviews, their outcome texts 32
at a time), by counts of distinct combinations of released values, and by a few numbers per
row (its packed combination and case code, 16 bytes, and one byte per column and level for the
search), never by the rows' values. Since every released column is anonymised (the detail
too), distinct combinations grow with the people until their variety saturates (1,337 for
the 2,000 here, about 200 for 200), so the peak grows a little more than when only
quasi-identifiers were counted. The vaults are
filled through the fast bulk path (the engine-driven seeding would take minutes).
"""

from __future__ import annotations

import gc
import tracemalloc
from pathlib import Path

import pytest

from screening.export import export
from screening.vault import Vault
from tests.screening.export.conftest import COORD, COORD_PASS, make_vault


def peak_bytes(vault: Vault, out: Path, fmt: str) -> int:
    export(vault, out.with_suffix(".warm"), fmt=fmt, k=5)  # imports and caches first
    gc.collect()
    tracemalloc.start()
    try:
        export(vault, out, fmt=fmt, k=5)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.fixture(scope="module")
def vaults(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    root = tmp_path_factory.mktemp("memory")
    return {n: make_vault(root / f"v{n}", engine=0, bulk=n, seed=11) for n in (200, 2000)}


def test_peak_memory_does_not_grow_with_interviews(vaults: dict[int, Path], tmp_path: Path) -> None:
    fmt = "csv"
    peaks = {}
    for n, folder in vaults.items():
        vault = Vault.unlock(folder, COORD, COORD_PASS)
        try:
            peaks[n] = peak_bytes(vault, tmp_path / f"{n}.{fmt}", fmt)
        finally:
            vault.lock()
    # Ten times the interviews; the peak may grow a little (more distinct combinations to
    # count, fuller chunks), nowhere near tenfold.
    print(f"peak memory, {fmt} export: {peaks}")
    assert peaks[2000] < 2.5 * peaks[200], peaks
    assert peaks[2000] - peaks[200] < 2 * 1024 * 1024, peaks
