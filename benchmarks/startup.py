"""Desktop app benchmarks: start-up against a bare PySide6 window, and the case list over
100,000 interviews (first paint, sorting, filtering).

    python3 benchmarks/startup.py [--runs 9] [--interviews 100000] [--repeat 30]

Start-up is measured from process start to the first window on screen, in child processes
(offscreen): `screening-desk --vault DIR` prints a marker from its first event-loop turn
when SCREENING_DESK_STARTUP_PROBE is set; the bare window does the same. Both run the same
number of times, interleaved, after one warm-up each (the first start also builds the
translations). When the PyInstaller folder (installer/build.py) is there, at
dist/screening-desk or where SCREENING_DESK_FROZEN points, the frozen app is timed the same
way and its size printed. The case list is measured in this process: the time from changing the
query to the table's viewport having painted, synchronously.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

BARE = """
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication([])
window = QMainWindow()
window.setCentralWidget(QLabel("bare"))
window.resize(1100, 720)
window.show()
def probe():
    print("bare: shown", flush=True)
    app.quit()
QTimer.singleShot(0, probe)
app.exec()
"""
ADMIN, PASSPHRASE = "Benchmark Admin", "violet kettle marathon orbit"
FROZEN = Path(os.environ.get("SCREENING_DESK_FROZEN", ROOT / "dist" / "screening-desk"))


def _ms(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p99 * 1000


def _table(title: str, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = "  ".join("-" * w for w in widths)
    print(f"\n{title}\n{line}")
    for row in [header, None, *rows]:
        if row is None:
            print(line)
            continue
        pairs = enumerate(zip(row, widths, strict=True))
        cells = [c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in pairs]
        print("  ".join(cells))
    print(line)


def _time_to_marker(cmd: list[str], env: dict[str, str], marker: str) -> float:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if marker in line:
            elapsed = time.perf_counter() - start
            break
    else:
        raise RuntimeError(f"{cmd[:3]} exited without printing {marker!r}")
    proc.wait(timeout=30)
    return elapsed


def bench_startup(base: Path, runs: int) -> list[tuple[str, ...]]:
    from app.main import PROBE_ENV, PROBE_MARKER
    from screening.vault import KdfParams, Vault

    vault_dir = base / "startup-vault"
    Vault.create(vault_dir, ADMIN, PASSPHRASE, kdf=KdfParams.fast_for_tests()).lock()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", **{PROBE_ENV: "1"})
    # An installed app runs from compiled bytecode (pip writes it); let the warm-up write it
    # here too, or every start would include compiling the app's sources.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    for key, sub in (("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data")):
        env[key] = str(base / sub)
    env["XDG_CACHE_HOME"] = str(base / "cache")
    app_cmd = [sys.executable, "-m", "app.main", "--vault", str(vault_dir)]
    bare_cmd = [sys.executable, "-c", BARE]
    frozen = FROZEN / ("screening-desk.exe" if sys.platform == "win32" else "screening-desk")
    frozen_cmd = [str(frozen), "--vault", str(vault_dir)] if frozen.is_file() else None
    _time_to_marker(app_cmd, env, PROBE_MARKER)  # warm-up: builds translations, fills caches
    _time_to_marker(bare_cmd, env, "bare: shown")
    if frozen_cmd:
        _time_to_marker(frozen_cmd, env, PROBE_MARKER)  # warm-up: the OS file cache
    app_times, bare_times, frozen_times = [], [], []
    for _ in range(runs):
        bare_times.append(_time_to_marker(bare_cmd, env, "bare: shown"))
        app_times.append(_time_to_marker(app_cmd, env, PROBE_MARKER))
        if frozen_cmd:
            frozen_times.append(_time_to_marker(frozen_cmd, env, PROBE_MARKER))
    bare_med, bare_p99 = _ms(bare_times)
    app_med, app_p99 = _ms(app_times)
    ratio = app_med / bare_med
    rows = [
        ("bare PySide6 window", f"{bare_med:.0f}", f"{bare_p99:.0f}", "", ""),
        (
            "screening-desk unlock window",
            f"{app_med:.0f}",
            f"{app_p99:.0f}",
            f"{ratio:.2f}",
            "yes" if ratio <= 1.5 else "NO",
        ),
    ]
    if frozen_cmd:
        frozen_med, frozen_p99 = _ms(frozen_times)
        frozen_ratio = frozen_med / bare_med
        rows.append(
            (
                "frozen screening-desk (installer/build.py)",
                f"{frozen_med:.0f}",
                f"{frozen_p99:.0f}",
                f"{frozen_ratio:.2f}",
                "yes" if frozen_ratio <= 1.5 else "NO",
            )
        )
        files = [p for p in FROZEN.rglob("*") if p.is_file() and not p.is_symlink()]
        size = sum(p.stat().st_size for p in files) / 2**20
        rows.append((f"(bundle {FROZEN}: {size:.0f} MiB)", "", "", "", ""))
    else:
        rows.append((f"(no frozen app at {FROZEN}: run installer/build.py)", "", "", "", ""))
    return rows


def bench_case_list(base: Path, count: int, repeat: int) -> list[tuple[str, ...]]:
    from PySide6.QtWidgets import QApplication

    from app.cases.model import COLUMNS
    from app.cases.page import CaseListPage
    from app.cases.source import CaseQuery, CaseSource
    from app.demo import seed
    from screening.vault import KdfParams, Vault

    app = QApplication.instance() or QApplication([])
    directory = base / "list-vault"
    vault = Vault.create(directory, ADMIN, PASSPHRASE, kdf=KdfParams.fast_for_tests())
    started = time.perf_counter()
    seed(vault, count)
    seeded = time.perf_counter() - started
    vault.lock()
    vault = Vault.unlock(directory, ADMIN, PASSPHRASE)  # a fresh connection, as after unlock
    page = CaseListPage()
    page.resize(1100, 700)
    page.show()
    app.processEvents()
    source = CaseSource(vault)
    model = page.model

    def painted(action: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            action()
            page.table.viewport().repaint()  # synchronous: the rows are on screen after this

        return run

    def first_paint() -> None:
        model.clear()
        page.attach(source)

    toggle = [False]

    def sort_by(key: str) -> Callable[[], None]:
        def run() -> None:
            toggle[0] = not toggle[0]
            order = 1 if toggle[0] else 0
            model.sort(COLUMNS.index(key), order)  # type: ignore[arg-type]

        return run

    day = date.today() - timedelta(days=200)
    filters = {
        "filter: status = draft": CaseQuery(status="draft"),
        "filter: form": CaseQuery(form_id=source.form_ids()[0]),
        "filter: outcome = likely": CaseQuery(outcome="likely_trafficked"),
        "filter: search place": CaseQuery(search="centre B"),
        "filter: search id prefix": CaseQuery(search=vault.list_interviews(limit=1)[0].id[:8]),
        "filter: one month": CaseQuery(date_from=day, date_to=day + timedelta(days=30)),
        "filter: draft + form + month": CaseQuery(
            status="draft", form_id=source.form_ids()[0], date_from=day, date_to=day + timedelta(30)
        ),
    }

    def apply(query: CaseQuery) -> Callable[[], None]:
        def run() -> None:
            # Alternate with the unfiltered list, so each run really changes the query.
            model.set_query(CaseQuery() if model.query == query else query)

        return run

    cases: list[tuple[str, Callable[[], None]]] = [
        ("first paint (count + visible rows)", first_paint),
        ("sort: started", sort_by("started")),
        ("sort: status", sort_by("status")),
        ("sort: form", sort_by("form")),
        *[(label, apply(q)) for label, q in filters.items()],
        ("scroll to the end", lambda: page.table.scrollToBottom()),
    ]
    rows = []
    for label, action in cases:
        run = painted(action)
        run()  # warm-up
        samples = []
        for _ in range(repeat):
            t = time.perf_counter()
            run()
            samples.append(time.perf_counter() - t)
            if label == "scroll to the end":
                page.table.scrollToTop()
        med, p99 = _ms(samples)
        rows.append((label, f"{med:.1f}", f"{p99:.1f}", "yes" if med <= 100 else "NO"))
    page.close()
    vault.lock()
    rows.append((f"(seeding {count:,} rows took {seeded:.1f} s)", "", "", ""))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--interviews", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--dir", type=Path, default=None, help="where to create the test vaults")
    parser.add_argument("--json", action="store_true", help="end with one JSON line of figures")
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="desk-bench-", dir=args.dir))
    try:
        print(f"Screening Desk app benchmarks (in {base})")
        startup = bench_startup(base, args.runs)
        _table(
            f"Start-up to the first window, {args.runs} runs each (ms; target ratio <= 1.5)",
            ("process", "median", "p99", "ratio", "ok"),
            startup,
        )
        case_list = bench_case_list(base, args.interviews, args.repeat)
        _table(
            f"Case list over {args.interviews:,} interviews, change to painted (ms; "
            "target median <= 100)",
            ("step", "median", "p99", "ok"),
            case_list,
        )
        if args.json:
            app_row = next(r for r in startup if r[3])  # the row that carries the ratio
            figures = {
                "startup_ratio": float(app_row[3]),
                "startup_median_ms": float(app_row[1]),
                "case_list_worst_median_ms": max(float(r[1]) for r in case_list if r[1]),
            }
            print(json.dumps(figures))
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
