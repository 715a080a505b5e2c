"""XLSForm compatibility on public forms (issue 17, "How it is checked").

Each workbook under DIR (gathered by benchmarks/xlsform_corpus_gather.py) is imported with the
real CLI, `python3 -m screening.cli forms import`, then checked with `forms validate`, each in a
subprocess with a 30 s timeout, and the result is compared question by question with pyxform's
own reading of the same workbook (the baseline: the converter ODK and KoboToolbox use).

A form *keeps every core question* when the CLI imports and validates it within 30 s and every
pyxform question of a core type is in ours with the same name, the same type and the same
relevant / constraint / calculation / choice_filter (`benchmarks/xlsform_compare.py` says
exactly what counts as the same). Forms pyxform refuses are left out of the percentage and
counted. Needs pyxform: `pip install -e ".[corpus]"`.

    python3 benchmarks/xlsform_corpus.py DIR... [--jobs 2] [--details] [--json]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import logging
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from xlsform_compare import compare, pyxform_questions

REPOSITORY = Path(__file__).resolve().parent.parent
TIMEOUT_S = 30.0
TARGET_PCT = 95.0


@dataclass
class Outcome:
    path: Path
    pyxform_error: str | None = None
    imported: bool = False
    import_error: str | None = None
    seconds: float = 0.0
    core: int = 0
    causes: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)

    @property
    def kept(self) -> bool:
        return self.pyxform_error is None and self.imported and not self.causes


def pyxform_reading(path: Path) -> tuple[list | None, str | None]:
    """pyxform's questions of the workbook, or why pyxform refuses it."""
    from pyxform.xls2xform import convert

    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            result = convert(xlsform=str(path), warnings=[])
        return pyxform_questions(result._survey), None
    except Exception as exc:  # pyxform refusing a form is data here, whatever it raises
        return None, f"{type(exc).__name__}: {str(exc).splitlines()[0][:100] if str(exc) else ''}"


def run_cli(args: list[str], budget: float) -> tuple[int | None, str]:
    env = {**os.environ, "PYTHONPATH": str(REPOSITORY), "QT_QPA_PLATFORM": "offscreen"}
    try:
        done = subprocess.run(
            [sys.executable, "-m", "screening.cli", *args],
            capture_output=True,
            text=True,
            timeout=max(budget, 0.1),
            env=env,
            cwd=REPOSITORY,
        )
    except subprocess.TimeoutExpired:
        return None, "timeout"
    return done.returncode, done.stderr


def first_problem(stderr: str) -> str:
    """The first error the CLI names: validate's first complaint, else import's last line."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    checked = [line for line in lines if "form.json: " in line]
    if checked:
        return checked[0].split("form.json: ", 1)[1][:160]
    return lines[-1][-160:] if lines else "no message"


def measure(path: Path, questions: list | None, pyxform_error: str | None) -> Outcome:
    outcome = Outcome(path, pyxform_error=pyxform_error)
    if questions is None:
        return outcome
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "form.json"
        start = time.perf_counter()
        code, stderr = run_cli(["forms", "import", str(path), "-o", str(out)], TIMEOUT_S)
        if code == 0:
            spent = time.perf_counter() - start
            code, stderr = run_cli(["forms", "validate", str(out)], TIMEOUT_S - spent)
            if code != 0:
                stderr = "validate: " + stderr
        else:
            stderr = "import: " + stderr
        outcome.seconds = time.perf_counter() - start
        if code is None:
            outcome.import_error = "timeout (30 s)"
        elif code != 0:
            outcome.import_error = first_problem(stderr)
        else:
            outcome.imported = True
            ours = json.loads(out.read_text(encoding="utf-8"))
            outcome.core, outcome.causes, outcome.details = compare(questions, ours)
    if outcome.import_error:
        outcome.causes = [f"not imported: {why_not_imported(outcome.import_error)}"]
        outcome.details = [outcome.import_error]
    return outcome


# The CLI's first complaint, sorted into the causes the table counts.
NOT_IMPORTED = (
    (r"instance\(", "instance() lookup into an attached file"),
    (r"unknown name", "a name the import does not have"),
    (r"expects a select|only true when|have no column|is a note and has no value",
     "a whole-form check stricter than ODK"),
    (r"unclosed|unexpected", "an expression that does not parse"),
    (r"unknown function", "an expression calling a function that does not exist"),
    (r"timeout", "timeout (30 s)"),
    (r"could not be imported", "nothing importable"),
)  # fmt: skip


def why_not_imported(message: str) -> str:
    return next((cause for pattern, cause in NOT_IMPORTED if re.search(pattern, message)), "other")


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def workbooks(places: list[Path]) -> list[Path]:
    """The workbooks in each folder (recursively), and each workbook named."""
    found: list[Path] = []
    for place in places:
        found.extend(place.rglob("*") if place.is_dir() else [place])
    wanted = (".xlsx", ".xls")
    return sorted(p for p in found if p.suffix.lower() in wanted and not p.name.startswith("~$"))


def report(outcomes: list[Outcome], show_details: bool) -> dict:
    valid = [o for o in outcomes if o.pyxform_error is None]
    imported = [o for o in valid if o.imported]
    kept = [o for o in valid if o.kept]
    times = [o.seconds for o in valid] or [0.0]
    kept_pct = 100.0 * len(kept) / len(valid) if valid else 0.0
    refused = Counter(o.pyxform_error.split(":")[0] for o in outcomes if o.pyxform_error)
    causes = Counter(cause for o in valid for cause in sorted(set(o.causes)))
    rows = [
        ("forms tried", f"{len(outcomes)}"),
        ("refused by pyxform (left out)", f"{len(outcomes) - len(valid)}"),
        ("pyxform-valid", f"{len(valid)}"),
        ("imported and validated", f"{len(imported)}"),
        ("core questions compared", f"{sum(o.core for o in valid)}"),
        ("kept every core question", f"{len(kept)} ({kept_pct:.1f} %)"),
        ("median s per form", f"{statistics.median(times):.2f}"),
        ("p99 s per form", f"{percentile(times, 99):.2f}"),
        ("slowest s per form", f"{max(times):.2f}"),
    ]
    print("XLSForm corpus: the CLI's import + validate against pyxform's reading")
    print()
    print(f"| {'measure':<32} | {'value':>14} |")
    print(f"|{'-' * 34}|{'-' * 16}|")
    for label, value in rows:
        print(f"| {label:<32} | {value:>14} |")
    print()
    print(f"| {'failure cause (forms)':<60} | {'forms':>5} |")
    print(f"|{'-' * 62}|{'-' * 7}|")
    for cause, count in causes.most_common():
        print(f"| {cause:<60} | {count:>5} |")
    if refused:
        print()
        print("refused by pyxform: " + ", ".join(f"{k} {v}" for k, v in refused.most_common()))
    if show_details:
        for outcome in valid:
            if not outcome.kept:
                print(f"\n{outcome.path}")
                for line in outcome.details[:12]:
                    print(f"    {line}")
    verdict = "meets" if kept_pct >= TARGET_PCT else "misses"
    print(f"\nkept {kept_pct:.1f} % of pyxform-valid forms: {verdict} the {TARGET_PCT:.0f} %")
    return {
        "benchmark": "xlsform_corpus",
        "forms": len(outcomes),
        "pyxform_valid": len(valid),
        "imported": len(imported),
        "kept": len(kept),
        "kept_pct": round(kept_pct, 2),
        "median_s": round(statistics.median(times), 3),
        "p99_s": round(percentile(times, 99), 3),
        "causes": dict(causes.most_common()),
        "target_pct": TARGET_PCT,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("places", type=Path, nargs="+", help="corpus folder(s) or workbooks")
    parser.add_argument("--jobs", type=int, default=2, help="forms measured at once (default 2)")
    parser.add_argument("--details", action="store_true", help="list each failing question")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    try:
        import pyxform  # noqa: F401
    except ImportError:
        print("pyxform is needed: pip install -e '.[corpus]'", file=sys.stderr)
        return 1
    logging.disable(logging.CRITICAL)  # pyxform logs warnings for forms it accepts
    paths = workbooks(args.places)
    if not paths:
        print("no .xlsx or .xls workbooks there", file=sys.stderr)
        return 1
    readings = [pyxform_reading(path) for path in paths]  # pyxform is not thread-safe
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        outcomes = list(
            pool.map(lambda item: measure(item[0], *item[1]), zip(paths, readings, strict=True))
        )
    summary = report(outcomes, args.details)
    if args.json:
        print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
