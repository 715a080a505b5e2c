"""XLSForm import benchmark: a 300-question survey as written, and the same survey in a sheet
that declares 1,048,576 rows (one formatted empty cell in the last row, as Excel leaves behind).

Prints the import time (median, p99 over the runs) of each, and the ratio against the named
baseline "rows as declared": reading the padded sheet the way the importer did before
(openpyxl read-only rows up to the declared size, each cell read as text; 4 columns wide).
Target (issue 17): any XLSForm under 1 MB imports in under 2 s.

    python3 benchmarks/xlsform_import.py [--runs 5] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import openpyxl
from openpyxl.styles import Font

from screening.forms.xlsform import import_xlsform
from screening.forms.xlsform_sheets import cell_text

QUESTIONS = 300


def write_survey(path: Path, last_column: int | None) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "survey"
    sheet.append(["type", "name", "label", "relevant"])
    for n in range(QUESTIONS):
        relevant = f"${{q{n - 1}}} != 'x'" if n else None
        sheet.append(["text", f"q{n}", f"Question {n}", relevant])
    if last_column is not None:
        sheet.cell(row=1_048_576, column=last_column).font = Font(bold=True)
    book.save(path)
    return path


def rows_as_declared(path: Path) -> None:
    """What the importer did before: every declared row listed, every cell read as text."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            raw = {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}
        finally:
            book.close()
    for rows in raw.values():
        cells = [[cell_text(v) for v in values] for values in rows]
        _ = [row for row in cells if any(row)]


def timed(action: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        plain = write_survey(Path(folder) / "plain.xlsx", None)
        narrow = write_survey(Path(folder) / "narrow.xlsx", 4)
        wide = write_survey(Path(folder) / "wide.xlsx", 16_384)
        sizes = {p.name: p.stat().st_size for p in (plain, narrow, wide)}
        for path in (plain, narrow, wide):
            result = import_xlsform(path)
            assert result.form is not None and not result.fatal
        measured = {
            "import, 300 rows as written": timed(lambda: import_xlsform(plain), args.runs),
            "import, declares 1,048,576 x 4": timed(lambda: import_xlsform(narrow), args.runs),
            "import, declares 1,048,576 x 16,384": timed(lambda: import_xlsform(wide), args.runs),
            "baseline: rows as declared, x 4": timed(
                lambda: rows_as_declared(narrow), max(1, args.runs // 2)
            ),
        }
    ms = 1000.0
    baseline = statistics.median(measured["baseline: rows as declared, x 4"])
    print(f"XLSForm import: {QUESTIONS} questions; files of {max(sizes.values()):,} bytes at most")
    print()
    print(f"| {'measure':<38} | {'median ms':>10} | {'p99 ms':>10} | {'vs baseline':>11} |")
    print(f"|{'-' * 40}|{'-' * 12}|{'-' * 12}|{'-' * 13}|")
    for label, times in measured.items():
        median = statistics.median(times)
        print(
            f"| {label:<38} | {median * ms:>10.1f} | {percentile(times, 99) * ms:>10.1f} |"
            f" {median / baseline:>10.3f}x |"
        )
    worst = max(statistics.median(t) for k, t in measured.items() if k.startswith("import"))
    print()
    print(f"slowest import {worst:.3f} s: {'meets' if worst < 2 else 'misses'} the 2 s target")
    if args.json:
        print(
            json.dumps(
                {
                    "benchmark": "xlsform_import",
                    "median_ms": {k: statistics.median(t) * ms for k, t in measured.items()},
                    "p99_ms": {k: percentile(t, 99) * ms for k, t in measured.items()},
                    "baseline": "baseline: rows as declared, x 4",
                    "target_s": 2.0,
                    "meets_target": worst < 2,
                }
            )
        )


if __name__ == "__main__":
    main()
