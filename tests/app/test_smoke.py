"""`screening-desk --smoke-test`: a new vault is created and unlocked in a temporary folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import smoke
from app.smoke import MARKER

ROOT = Path(__file__).resolve().parents[2]


def run_smoke(home: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.main", "--smoke-test"],
        cwd=home,
        env={
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_CACHE_HOME": str(home / "cache"),
            "QT_QPA_PLATFORM": "offscreen",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def test_smoke_test_passes_and_leaves_nothing_behind(tmp_path: Path) -> None:
    done = run_smoke(tmp_path)
    assert done.returncode == 0, done.stderr
    assert MARKER in done.stdout
    # Settings, vault, cache and log lived in its own temporary folder.
    assert list(tmp_path.iterdir()) == []


def test_a_vault_that_cannot_be_created_fails_the_smoke_test(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The strength check refuses this passphrase, as it would refuse a broken KDF's output:
    # the first-run page shows the message and the smoke test must report it, not hang.
    monkeypatch.setattr(smoke, "PASSPHRASE", "short")
    assert smoke.run() == 1
    out, err = capsys.readouterr()
    assert MARKER not in out
    assert err.startswith("screening-desk: smoke test failed: creating the vault: ")
    assert len(err.splitlines()) == 1
