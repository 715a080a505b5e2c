"""`screening export`: anonymised CSV, XLSX, HTCDS JSON or aggregate PDF from a vault."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from screening.cli.vault_cmd import guard_vault_io, unlocked, vault_options
from screening.cli.wording import count
from screening.errors import ScreeningError

FORMATS = ("csv", "xlsx", "htcds-json", "pdf")  # kept equal to screening.export.FORMATS


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "export",
        help="anonymised export of completed interviews (coordinators and admins)",
        description=(
            "Write a k-anonymised export and FILE.report.json beside it. Names, contacts,"
            " free text and exact dates never leave the vault; one row per person; every"
            " row shares all its values but the case code with at least k-1 other rows."
        ),
    )
    vault_options(parser)
    parser.add_argument("--format", required=True, choices=FORMATS, dest="fmt")
    parser.add_argument("--out", type=Path, required=True, metavar="FILE")
    parser.add_argument("--k", type=int, default=5, metavar="K", help="default 5")
    parser.add_argument("--from", dest="date_from", metavar="DATE", help="first day (UTC)")
    parser.add_argument("--to", dest="date_to", metavar="DATE", help="last day (UTC)")
    parser.add_argument("--form", dest="form_id", metavar="ID", help="only this form")
    parser.add_argument(
        "--max-suppressed",
        type=float,
        default=5.0,
        metavar="PERCENT",
        help="share of rows that may be suppressed instead of generalising further (default 5)",
    )
    parser.add_argument(
        "--l-diversity",
        type=int,
        default=1,
        metavar="L",
        help="suppress groups (by age, sex, nationality, place, month, form) with fewer than"
        " L distinct outcomes (default 1: reported, not enforced)",
    )
    parser.add_argument(
        "--every-interview",
        action="store_true",
        help="one row per completed interview instead of per person (the newest interview"
        " of each person, by default)",
    )
    parser.add_argument(
        "--stable-codes",
        action="store_true",
        help="case codes the same in every export (joinable across exports: see the warning);"
        " by default codes are random for each export",
    )
    parser.set_defaults(handler=_export)


def parse_day(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ScreeningError(f"{option} must be a date like 2026-01-31.") from None


@guard_vault_io
def _export(args: argparse.Namespace) -> int:
    from screening.export import Filters, export

    filters = Filters(
        date_from=parse_day(args.date_from, "--from"),
        date_to=parse_day(args.date_to, "--to"),
        form_id=args.form_id,
        per_person=not args.every_interview,
    )
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise ScreeningError("--from must not be after --to.")
    # Written into a private folder beside FILE first, so that an export that releases no row
    # leaves nothing behind (and does not replace an earlier FILE); moved into place after.
    staging = Path(tempfile.mkdtemp(prefix=".export-", dir=args.out.parent))
    try:
        with unlocked(args, "Passphrase") as vault:
            result = export(
                vault,
                staging / args.out.name,
                fmt=args.fmt,
                k=args.k,
                filters=filters,
                max_suppressed=args.max_suppressed / 100,
                l_diversity=args.l_diversity,
                stable_codes=args.stable_codes,
            )
        rows = result.report["rows"]
        if rows["exported"] == 0:
            raise ScreeningError(_nothing_released(rows, args.k) + " Nothing was written.")
        out, report_path = args.out, args.out.with_name(result.report_path.name)
        os.replace(result.path, out)
        os.replace(result.report_path, report_path)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    _print_summary(args.fmt, out, report_path, result.report, args.every_interview)
    return 0


def _nothing_released(rows: dict[str, int], k: int) -> str:
    considered, no_consent = rows["considered"], rows["excluded_no_consent"]
    if considered == 0:
        return "No interview matches this export (status, dates, form)."
    if considered == no_consent:
        return f"{count(considered, 'interview')} matched, but none has the person's consent."
    return (
        f"No interview can be released at k={k}: of {count(considered - no_consent, 'interview')}"
        f" with consent, no combination of generalised values is shared by {k} of them (use a"
        " smaller --k, or a longer period)."
    )


def _print_summary(
    fmt: str, out: Path, report_path: Path, report: dict[str, Any], every_interview: bool
) -> None:
    rows = report["rows"]
    # By default a row is a person (the newest completed interview of each: docs/export.md).
    unit = ("interview",) if every_interview else ("person", "people")
    if fmt == "pdf":
        cells = report["cells"]
        hidden = cells["primary_suppressed"] + cells["secondary_suppressed"]
        print(
            f"Wrote counts of {count(rows['exported'], 'interview')} to {out}"
            f" ({count(hidden, 'count')} hidden, k={report['k']})."
        )
    else:
        print(
            f"Exported {count(rows['exported'], *unit)} to {out}"
            f" (k={report['k']} requested, {report['k_achieved'] or '-'} achieved;"
            f" {count(rows['suppressed'], 'row')} suppressed, {rows['dropped']} dropped)."
        )
        steps = report.get("generalisation_steps") or []
        if steps:
            # One phrase per column, from its first level to its last (steps come in order).
            spans: dict[str, list[str]] = {}
            for step in steps:
                spans.setdefault(step["column"], [step["from"], step["to"]])[1] = step["to"]
            done = "; ".join(f"{c} from {a} to {b}" for c, (a, b) in spans.items())
            print(f"Generalised for k={report['k']}: {done}.")
        else:
            print(f"Generalised for k={report['k']}: nothing beyond the standard levels.")
        # A level named like its column ("form: form") says nothing: left out.
        levels = ", ".join(
            f"{column} {level}"
            for column, level in report["generalisation"].items()
            if level not in (column, "form")
        )
        if levels:
            print(f"Levels: {levels}.")
        codes = report.get("case_codes", {})
        if codes.get("warning"):
            print(f"WARNING: {codes['warning']}", file=sys.stderr)
        diversity = report["l_diversity"]
        if diversity["groups_with_one_outcome"]:
            print(
                f"{count(diversity['groups_with_one_outcome'], 'group')}"
                f" ({count(diversity['rows_in_groups_with_one_outcome'], 'row')}) share one"
                " outcome; --l-diversity 2 suppresses them."
            )
    if rows["excluded_no_consent"]:
        print(f"Left out {count(rows['excluded_no_consent'], 'interview')} without consent.")
    print(f"Report: {report_path}")
    sys.stdout.flush()
