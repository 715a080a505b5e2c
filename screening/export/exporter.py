"""k-anonymised export of completed interviews, one per person: CSV, XLSX, HTCDS JSON, PDF.

Row-level formats read the vault once, the newest completed interview of every person.
The pass keeps the counts of combinations of released values (quasi-identifiers, outcome,
detail) and, per row in reading order, two numbers: its combination (packed) and its case
code (16 bytes a row, nothing else of the interview). `kanon.choose` turns the counts into
a generalisation of every released column; the rows are then written from those numbers,
each generalised (or suppressed), and what was written is counted again: if any written
combination occurs fewer than k times, nothing is kept. The PDF report needs one pass too:
it only counts. Beside every export, `FILE.report.json` says what was generalised and
suppressed, and an audit row says who exported what.

This module checks the request, runs the pass and writes the rows; the pass is in
`first_pass.py`, the report in `export_report.py`, the PDF export in `pdf_export.py`.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from screening.export import fields, writers
from screening.export.casecode import CaseCoder
from screening.export.errors import ExportCancelled, ExportError
from screening.export.export_report import about_rows, report_body
from screening.export.first_pass import (
    DETAIL_INDEX,
    Cancelled,
    FirstPass,
    Progress,
    choose_plan,
    first_pass,
    released_rows,
)
from screening.export.kanon import Combo, Plan
from screening.export.pdf_export import export_pdf
from screening.export.source import Filters, count

if TYPE_CHECKING:
    from screening.vault import Vault

FORMATS = ("csv", "xlsx", "htcds-json", "pdf")
EXPORT_ROLES = ("coordinator", "admin")
DEFAULT_K = 5
DEFAULT_MAX_SUPPRESSED = 0.05


@dataclass
class ExportResult:
    path: Path
    report_path: Path
    report: dict[str, Any]


def report_path_for(out: Path) -> Path:
    return out.with_name(out.name + ".report.json")


def _require_role(vault: Vault) -> None:
    from screening.vault import PermissionDenied

    if vault.role not in EXPORT_ROLES:
        raise PermissionDenied("Only coordinator or admin users can export data.")


def _check_args(fmt: str, k: int, max_suppressed: float, out: Path, l_div: int = 1) -> None:
    if fmt not in FORMATS:
        raise ExportError(f"Unknown export format {fmt!r}: use one of {', '.join(FORMATS)}.")
    if not 2 <= k <= 1000:
        raise ExportError("k must be a whole number from 2 to 1000.")
    if not 1 <= l_div <= 4:
        raise ExportError("l (distinct outcomes per group) must be a whole number from 1 to 4.")
    if not 0 <= max_suppressed <= 0.5:
        raise ExportError("The share of rows that may be suppressed must be from 0% to 50%.")
    if not out.parent.is_dir():
        raise ExportError(f"The folder {out.parent} does not exist.")
    if out.is_dir():
        raise ExportError(f"{out} is a folder; give a file name to export to.")


def preview(
    vault: Vault,
    *,
    k: int = DEFAULT_K,
    filters: Filters | None = None,
    max_suppressed: float = DEFAULT_MAX_SUPPRESSED,
    l_diversity: int = 1,
) -> dict[str, Any]:
    """What an export would generalise and suppress, without writing anything."""
    return planned(vault, k, filters or Filters(), max_suppressed, l_diversity)[0]


def planned(
    vault: Vault, k: int, filters: Filters, max_suppressed: float, l_diversity: int
) -> tuple[dict[str, Any], FirstPass, Plan]:
    """The preview report with the counts and the plan behind it (for sample rows)."""
    _require_role(vault)
    _check_args("csv", k, max_suppressed, Path.cwd() / "preview", l_diversity)
    counted = first_pass(vault, filters)
    plan = choose_plan(counted, k, max_suppressed, l_diversity)
    report = report_body(
        "csv", None, filters, k, max_suppressed, counted, plan, None, plan.released()
    )
    return report, counted, plan


def export(
    vault: Vault,
    out: Path,
    *,
    fmt: str,
    k: int = DEFAULT_K,
    filters: Filters | None = None,
    max_suppressed: float = DEFAULT_MAX_SUPPRESSED,
    l_diversity: int = 1,
    stable_codes: bool = False,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ExportResult:
    """Write a k-anonymised export to `out` and its report beside it; audited.

    Case codes come from a random key made for this export and then forgotten, so two
    exports cannot be joined on them; `stable_codes=True` keys them with the
    organisation's (or vault's) secret instead, the same in every export: joinable, and
    the report says so.
    """
    _require_role(vault)
    out = Path(out)
    _check_args(fmt, k, max_suppressed, out, l_diversity)
    filters = filters or Filters()
    # For progress only: counting people (newest interview of each) would read the whole
    # table once more; interviews are counted from an index.
    total = count(vault, replace(filters, per_person=False))
    report_out = report_path_for(out)
    if fmt == "pdf":
        report = export_pdf(vault, out, filters, k, total, progress, cancelled)
    else:
        coder = (
            CaseCoder.for_vault(vault, "export")
            if stable_codes
            else CaseCoder(os.urandom(32), "export")
        )
        report = _export_rows(
            vault, out, fmt, filters, k, max_suppressed, l_diversity, coder, stable_codes,
            total, progress, cancelled,
        )  # fmt: skip
    staged = writers.staging_path(report_out)
    try:
        with writers.open_private(staged) as handle:
            json.dump(report, handle, ensure_ascii=False, indent=2)
            handle.write("\n")
        writers.finish(staged, report_out)
    except BaseException:
        writers.discard(staged, out)
        raise
    rows = report["rows"]
    detail = (
        f"format {fmt}; file {out.name[:80]}; k {k}, achieved {report['k_achieved']};"
        f" filters from {filters.describe()['from'] or '-'} to {filters.describe()['to'] or '-'}"
        f" form {filters.form_id or '-'}; {rows['exported']} exported,"
        f" {rows['suppressed']} suppressed, {rows['dropped']} dropped,"
        f" {rows['excluded_no_consent']} without consent;"
        f" codes {'none' if fmt == 'pdf' else 'stable' if stable_codes else 'fresh'}"
    )
    vault.audit("export", None, detail[:500])
    if progress is not None:
        progress(max(total, 1), max(total, 1))
    return ExportResult(out, report_out, report)


def _export_rows(
    vault: Vault,
    out: Path,
    fmt: str,
    filters: Filters,
    k: int,
    max_suppressed: float,
    l_div: int,
    coder: CaseCoder,
    stable_codes: bool,
    total: int,
    progress: Progress | None,
    cancelled: Cancelled | None,
) -> dict[str, Any]:
    steps = 2 * max(total, 1)  # reading, then writing

    def reading(done: int, _: int) -> None:
        if progress is not None:
            progress(done, steps)

    counted = first_pass(vault, filters, reading, total, cancelled, coder)
    plan = choose_plan(counted, k, max_suppressed, l_div)
    level = plan.levels[DETAIL_INDEX]
    writer: Any
    if fmt == "csv":
        writer = writers.CsvWriter(out, fields.table_columns(level))
    elif fmt == "xlsx":
        writer = writers.XlsxWriter(out, fields.table_columns(level))
    else:
        writer = writers.JsonWriter(
            out,
            {
                "format": "screening-desk/htcds-export",
                "version": 1,
                "htcds_version": "2.0",
                "note": "k-anonymised on every field but sd_CaseCode: read the report file"
                " beside this one before use. Fields starting with sd_ are Screening Desk"
                " extensions, not HTCDS fields.",
                "report": report_path_for(out).name,
            },
        )
    written: Counter[tuple[str, ...]] = Counter()
    codes = counted.codes
    assert codes is not None
    # Rows sharing their written values share everything but the code: made once each.
    bodies: dict[Combo, Any] = {}
    try:
        for done, (number, combo) in enumerate(released_rows(counted, plan)):
            if done % 500 == 0:
                if cancelled is not None and cancelled():
                    raise ExportCancelled("The export was cancelled; nothing was written.")
                if progress is not None and done:
                    progress(total + done * total // max(len(counted.keys), 1), steps)
            written[combo] += 1
            body = bodies.get(combo)
            code = coder.text(codes[number])
            if fmt == "htcds-json":
                if body is None:
                    body = bodies[combo] = fields.htcds_record("", combo, level)
                record = dict(body)
                record["sd_CaseCode"] = code
                writer.write(record)
            else:
                if body is None:
                    body = bodies[combo] = fields.table_row("", combo, level)[1:]
                writer.write([code, *body])
        if written and min(written.values()) < k:
            raise ExportError(
                "The export did not come out k-anonymous (a group of fewer than k rows);"
                " nothing was written. Please report this."
            )
        report = report_body(
            fmt, out, filters, k, max_suppressed, counted, plan, coder, written, vault,
            stable_codes,
        )  # fmt: skip
        if fmt == "xlsx":
            writer.add_sheet("about", about_rows(report))
        writer.commit()
    except BaseException:
        writer.abort()
        raise
    return report
