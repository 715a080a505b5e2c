"""A non-editable build carries the code packages and the forms/ and resources/ data."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_contains_packages_and_data(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("screening_desk-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {p.name for p in (ROOT / "forms").glob("*.json")}
    assert shipped and {f"forms/{name}" for name in shipped} <= names
    assert "screening/engine/session.py" in names and "app/main.py" in names
    assert "hub/cli.py" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    for script in (
        "screening = screening.cli:main",
        "screening-desk = app.main:main",
        "screening-hub = hub.cli:main",
    ):
        assert script in text
    assert not any(n.startswith("tests/") for n in names)
