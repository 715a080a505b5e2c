"""`screening export`: anonymised CSV, XLSX, HTCDS JSON or aggregate PDF from a vault."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from screening.cli.vault_cmd import Passphrases, guard_vault_io, unlock_vault
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
    parser.add_argument("--vault", type=Path, required=True, metavar="DIR")
    parser.add_argument("--user", required=True, metavar="NAME")
    parser.add_argument("--passphrase-stdin", action="store_true")
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
    vault = unlock_vault(args, Passphrases(args.passphrase_stdin), args.user, "Passphrase")
    try:
        result = export(
            vault,
            args.out,
            fmt=args.fmt,
            k=args.k,
            filters=filters,
            max_suppressed=args.max_suppressed / 100,
            l_diversity=args.l_diversity,
            stable_codes=args.stable_codes,
        )
    finally:
        vault.lock()
    report = result.report
    rows = report["rows"]
    if args.fmt == "pdf":
        cells = report["cells"]
        print(
            f"Wrote counts of {rows['exported']} interviews to {result.path}"
            f" ({cells['primary_suppressed'] + cells['secondary_suppressed']} counts hidden,"
            f" k={report['k']})."
        )
    else:
        print(
            f"Exported {rows['exported']} {'interviews' if args.every_interview else 'people'}"
            f" to {result.path}"
            f" (k={report['k']} requested, {report['k_achieved'] or '-'} achieved;"
            f" {rows['suppressed']} rows suppressed, {rows['dropped']} dropped)."
        )
        levels = ", ".join(f"{c}: {level}" for c, level in report["generalisation"].items())
        print(f"Generalised: {levels}.")
        codes = report.get("case_codes", {})
        if codes.get("warning"):
            print(f"WARNING: {codes['warning']}", file=sys.stderr)
        diversity = report["l_diversity"]
        if diversity["groups_with_one_outcome"]:
            print(
                f"{diversity['groups_with_one_outcome']} groups"
                f" ({diversity['rows_in_groups_with_one_outcome']} rows) share one outcome;"
                " --l-diversity 2 suppresses them."
            )
    if rows["excluded_no_consent"]:
        print(f"Left out {rows['excluded_no_consent']} interviews without consent.")
    print(f"Report: {result.report_path}")
    sys.stdout.flush()
    return 0
