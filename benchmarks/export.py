"""Export benchmark: anonymised CSV against a plain csv.writer dump of the same rows.

    python3 benchmarks/export.py [--count 100000] [--dir DIR] [--k 5] [--json]

Seeds a vault through the fast bulk path (`screening.demo.bulk`: a few hundred
interviews generated through the engine, copied with new ids, dates, places, ages, sexes,
nationalities and names) unless DIR already holds one with that many interviews, then
measures, each in a fresh process so that memory figures do not mix:

- baseline: the same completed interviews and the same answers, decrypted and written with
  csv.writer as they are (one pass, no generalisation, no suppression, no case codes);
- the anonymised CSV export (one pass over the vault, generalisation search, case codes);
- XLSX, HTCDS JSON and the aggregate PDF.

Time is wall time of the export call (the vault is already unlocked), after one untimed
baseline run so that every timed run finds the vault file in the OS page cache. Peak memory is the
Python heap high-water mark from tracemalloc (a second, traced run) and the process's
maximum resident set size (which includes SQLCipher's 64 MiB page cache). Targets: CSV <= 2 x
baseline, XLSX <= 3 x. With `--json` the last line is one JSON object: `csv_ratio`,
`xlsx_ratio`, `htcds_ratio`, `peak_mib` (the highest traced peak of the anonymised exports).
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from screening.demo.bulk import bulk_seed  # noqa: E402
from screening.export import Filters, export  # noqa: E402
from screening.export.fields import PASS2_ANSWERS  # noqa: E402
from screening.export.source import read  # noqa: E402
from screening.vault import KdfParams, Vault, vault_exists  # noqa: E402

USER, PASSPHRASE = "Benchmark Coordinator", "violet kettle marathon orbit"
MODES = ("baseline", "csv", "xlsx", "htcds-json", "pdf")
SUFFIX = {"baseline": "csv", "csv": "csv", "xlsx": "xlsx", "htcds-json": "json", "pdf": "pdf"}


def plain_dump(vault: Vault, out: Path) -> int:
    """The same rows the export reads, decrypted and written as they are."""
    rows = 0
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "id",
                "form_id",
                "form_version",
                "created_at",
                "location",
                "outcome",
                "override",
                *PASS2_ANSWERS,
            ]
        )
        for src in read(vault, Filters(), PASS2_ANSWERS, full=True):
            result = (src.outcome or {}).get("result")
            values = [
                json.dumps(src.answers[name][0] if name in src.answers else None)
                for name in PASS2_ANSWERS
            ]
            writer.writerow(
                [src.id, src.form_id, src.form_version, src.created_at, src.location, result,
                 src.override, *values]
            )  # fmt: skip
            rows += 1
    return rows


def run_mode(vault_dir: Path, mode: str, out: Path, k: int, traced: bool) -> dict[str, Any]:
    vault = Vault.unlock(vault_dir, USER, PASSPHRASE)
    try:
        if traced:
            tracemalloc.start()
        start = time.perf_counter()
        if mode == "baseline":
            rows = plain_dump(vault, out)
        else:
            rows = export(vault, out, fmt=mode, k=k).report["rows"]["exported"]
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1] if traced else None
        if traced:
            tracemalloc.stop()
    finally:
        vault.lock()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {"seconds": seconds, "rows": rows, "peak": peak, "rss": rss}


def measure(vault_dir: Path, mode: str, work: Path, k: int, traced: bool) -> dict[str, Any]:
    out = work / f"{mode}{'-traced' if traced else ''}.{SUFFIX[mode]}"
    done = subprocess.run(
        [sys.executable, __file__, "--worker", mode, "--dir", str(vault_dir), "--out", str(out),
         "--k", str(k)] + (["--traced"] if traced else []),
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"{mode} failed:\n{done.stderr}")
    return json.loads(done.stdout.splitlines()[-1])


def prepare(vault_dir: Path, count: int) -> float | None:
    if vault_exists(vault_dir):
        vault = Vault.unlock(vault_dir, USER, PASSPHRASE)
        try:
            have = vault.count_interviews()
        finally:
            vault.lock()
        if have == count:
            print(f"Reusing the vault in {vault_dir} ({have:,} interviews).")
            return None
        raise SystemExit(
            f"{vault_dir} holds {have:,} interviews, not {count:,}; use another --dir."
        )
    # A benchmark vault: the cheap key derivation only shortens unlocking, which is not timed.
    vault = Vault.create(vault_dir, USER, PASSPHRASE, kdf=KdfParams.fast_for_tests())
    try:
        start = time.perf_counter()

        def progress(done: int, total: int) -> None:
            print(f"\r  seeding {done:,}/{total:,}", end="", file=sys.stderr, flush=True)

        bulk_seed(vault, count, seed=1, templates=300, progress=progress)
        print(file=sys.stderr)
        return time.perf_counter() - start
    finally:
        vault.lock()


def _mib(value: int | None) -> str:
    return "-" if value is None else f"{value / 2**20:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--dir", type=Path, default=None, help="vault folder (kept for reuse)")
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--no-trace", action="store_true", help="skip the tracemalloc runs")
    parser.add_argument("--json", action="store_true", help="end with one JSON line of figures")
    parser.add_argument("--worker", choices=MODES, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(run_mode(args.dir, args.worker, args.out, args.k, args.traced)))
        return
    scratch = None
    if args.dir is None:
        scratch = tempfile.TemporaryDirectory(prefix="export-bench-")
        vault_dir = Path(scratch.name) / "vault"
    else:
        vault_dir = args.dir
    try:
        report(args, vault_dir)
    finally:
        if scratch is not None:
            scratch.cleanup()


def report(args: argparse.Namespace, vault_dir: Path) -> None:
    seeded = prepare(vault_dir, args.count)
    if seeded is not None:
        print(f"Seeded {args.count:,} interviews in {seeded:.1f} s (bulk path).")
    with tempfile.TemporaryDirectory(dir=vault_dir.parent) as tmp:
        work = Path(tmp)
        # Untimed: the first reader of the vault file would otherwise pay for bringing it
        # into the OS page cache, and the first is the baseline.
        measure(vault_dir, "baseline", work, args.k, traced=False)
        results = {}
        for mode in MODES:
            timed = measure(vault_dir, mode, work, args.k, traced=False)
            traced = None if args.no_trace else measure(vault_dir, mode, work, args.k, True)
            results[mode] = (timed, traced)
            print(f"  {mode}: {timed['seconds']:.2f} s", file=sys.stderr)
    base = results["baseline"][0]["seconds"]
    header = ("operation", "rows", "seconds", "x baseline", "py peak MiB", "max RSS MiB")
    labels = {
        "baseline": "baseline: same rows, csv.writer, no anonymisation",
        "csv": "anonymised CSV (one pass)",
        "xlsx": "anonymised XLSX (streaming writer)",
        "htcds-json": "anonymised HTCDS JSON",
        "pdf": "aggregate PDF report",
    }
    rows = []
    for mode in MODES:
        timed, traced = results[mode]
        rows.append(
            (
                labels[mode],
                f"{timed['rows']:,}",
                f"{timed['seconds']:.2f}",
                f"{timed['seconds'] / base:.2f}",
                _mib(traced["peak"] if traced else None),
                _mib(timed["rss"]),
            )
        )
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    print(
        f"\nExport of {args.count:,} seeded interviews (k={args.k}); targets: CSV <= 2 x "
        "baseline, XLSX <= 3 x"
    )
    print("  ".join("-" * w for w in widths))
    for row in [header, *rows]:
        print(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
    ratios = {mode: results[mode][0]["seconds"] / base for mode in MODES}
    print()
    for mode, target in (("csv", 2), ("xlsx", 3)):
        verdict = "meets" if ratios[mode] <= target else "misses"
        print(f"anonymised {mode} / baseline = {ratios[mode]:.2f} ({verdict} the target {target})")
    if args.json:
        peaks = [t["peak"] for mode, (_, t) in results.items() if t and mode != "baseline"]
        figures = {
            "count": args.count,
            "csv_ratio": round(ratios["csv"], 3),
            "xlsx_ratio": round(ratios["xlsx"], 3),
            "htcds_ratio": round(ratios["htcds-json"], 3),
            "pdf_ratio": round(ratios["pdf"], 3),
            "baseline_s": round(base, 3),
            "peak_mib": round(max(peaks) / 2**20, 2) if peaks else None,
        }
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
