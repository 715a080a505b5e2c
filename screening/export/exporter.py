"""Anonymised export of completed interviews: CSV, XLSX, HTCDS JSON, aggregate PDF.

Row-level formats take two passes over the vault. Pass 1 reads consent and the
quasi-identifier answers only and keeps nothing but counts of combinations; `kanon.choose`
turns them into a generalisation. Pass 2 reads the allowed answers again, writes each row
generalised (or suppressed), and counts what it wrote: if any written combination occurs
fewer than k times (the vault changed between the passes), nothing is kept. The PDF report
needs one pass: it only counts. Beside every export, `FILE.report.json` says what was
generalised and suppressed, and an audit row says who exported what.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from screening.export import fields, pdfreport, writers
from screening.export.casecode import CaseCoder, key_source
from screening.export.errors import ExportError
from screening.export.hierarchy import QI_COLUMNS
from screening.export.kanon import Counts, Plan, choose
from screening.export.source import Filters, read

if TYPE_CHECKING:
    from screening.vault import Vault

FORMATS = ("csv", "xlsx", "htcds-json", "pdf")
EXPORT_ROLES = ("coordinator", "admin")
DEFAULT_K = 5
DEFAULT_MAX_SUPPRESSED = 0.05
REPORT_FORMAT = "screening-desk/export-report"
NEVER_EXPORTED = (
    "names (preferred_name and any other name)",
    "contact details, addresses, document numbers",
    "free text answers (notes, 'other, please say', reasons)",
    "interview ids, screener names, location text, exact dates and times",
    "languages spoken, interpreter details, family details",
    "every answer not named in docs/export.md",
)

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


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


def _check_args(fmt: str, k: int, max_suppressed: float, out: Path) -> None:
    if fmt not in FORMATS:
        raise ExportError(f"Unknown export format {fmt!r}: use one of {', '.join(FORMATS)}.")
    if not 2 <= k <= 1000:
        raise ExportError("k must be a whole number from 2 to 1000.")
    if not 0 <= max_suppressed <= 0.5:
        raise ExportError("The share of rows that may be suppressed must be from 0% to 50%.")
    if not out.parent.is_dir():
        raise ExportError(f"The folder {out.parent} does not exist.")
    if out.is_dir():
        raise ExportError(f"{out} is a folder; give a file name to export to.")


@dataclass
class FirstPass:
    counts: Counts
    considered: int
    no_consent: int
    last_rowid: int
    form_versions: set[tuple[str, str]]


def first_pass(
    vault: Vault,
    filters: Filters,
    progress: Progress | None = None,
    total: int = 0,
    cancelled: Cancelled | None = None,
) -> FirstPass:
    """Counts of quasi-identifier combinations (and nothing else) over the included rows."""
    counts = Counts()
    considered = no_consent = last = 0
    versions: set[tuple[str, str]] = set()
    for src in read(vault, filters, fields.PASS1_ANSWERS, full=False, cancelled=cancelled):
        considered += 1
        last = src.rowid
        if not fields.consented(src.answers):
            no_consent += 1
        else:
            counts.add(fields.base_qi(src))
            versions.add((src.form_id, src.form_version))
        if progress is not None and considered % 500 == 0:
            progress(considered, total)
    return FirstPass(counts, considered, no_consent, last, versions)


def preview(
    vault: Vault,
    *,
    k: int = DEFAULT_K,
    filters: Filters | None = None,
    max_suppressed: float = DEFAULT_MAX_SUPPRESSED,
) -> dict[str, Any]:
    """What an export would generalise and suppress, without writing anything."""
    _require_role(vault)
    _check_args("csv", k, max_suppressed, Path.cwd() / "preview")
    filters = filters or Filters()
    counted = first_pass(vault, filters)
    plan = choose(counted.counts, k, max_suppressed_share=max_suppressed)
    return _report_body(
        "csv", None, filters, k, max_suppressed, counted, plan, None, plan.released()
    )


def export(
    vault: Vault,
    out: Path,
    *,
    fmt: str,
    k: int = DEFAULT_K,
    filters: Filters | None = None,
    max_suppressed: float = DEFAULT_MAX_SUPPRESSED,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ExportResult:
    """Write an anonymised export to `out` and its report beside it; audited."""
    _require_role(vault)
    out = Path(out)
    _check_args(fmt, k, max_suppressed, out)
    filters = filters or Filters()
    where, params = filters.sql()
    total = int(
        vault.connection()
        .execute(f"SELECT count(*) FROM interviews WHERE {where}", params)
        .fetchone()[0]
    )
    report_out = report_path_for(out)
    if fmt == "pdf":
        report = _export_pdf(vault, out, filters, k, total, progress, cancelled)
    else:
        coder = CaseCoder.for_vault(vault, "export")
        report = _export_rows(
            vault, out, fmt, filters, k, max_suppressed, coder, total, progress, cancelled
        )
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
        f" {rows['excluded_no_consent']} without consent"
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
    coder: CaseCoder,
    total: int,
    progress: Progress | None,
    cancelled: Cancelled | None,
) -> dict[str, Any]:
    def half(done: int, _: int) -> None:
        if progress is not None:
            progress(done, 2 * max(total, 1))

    counted = first_pass(vault, filters, half, total, cancelled)
    plan = choose(counted.counts, k, max_suppressed_share=max_suppressed)
    writer: Any
    if fmt == "csv":
        writer = writers.CsvWriter(out, fields.TABLE_COLUMNS)
    elif fmt == "xlsx":
        writer = writers.XlsxWriter(out, fields.TABLE_COLUMNS)
    else:
        writer = writers.JsonWriter(
            out,
            {
                "format": "screening-desk/htcds-export",
                "version": 1,
                "htcds_version": "2.0",
                "note": "Anonymised: see the report file beside this one. Fields starting"
                " with sd_ are Screening Desk extensions, not HTCDS fields.",
                "report": report_path_for(out).name,
            },
        )
    written: Counter[tuple[str, ...]] = Counter()
    done = 0
    try:
        rows = read(
            vault,
            filters,
            fields.PASS2_ANSWERS,
            full=True,
            upto_rowid=counted.last_rowid,
            cancelled=cancelled,
        )
        for src in rows:
            done += 1
            if progress is not None and done % 500 == 0:
                progress(total + done, 2 * max(total, 1))
            if not fields.consented(src.answers):
                continue
            qi = plan.release(fields.base_qi(src))
            if qi is None:
                continue
            written[qi] += 1
            facts = fields.facts(src)
            code = coder.code(src.id)
            if fmt == "htcds-json":
                writer.write(fields.htcds_record(code, qi, facts))
            else:
                writer.write(fields.table_row(code, qi, facts))
        if written and min(written.values()) < k:
            raise ExportError(
                "The vault changed while the export was running; nothing was written. Export again."
            )
        report = _report_body(
            fmt, out, filters, k, max_suppressed, counted, plan, coder, written, vault
        )
        if fmt == "xlsx":
            writer.add_sheet("about", _about_rows(report))
        writer.commit()
    except BaseException:
        writer.abort()
        raise
    return report


def _about_rows(report: dict[str, Any]) -> list[list[Any]]:
    rows: list[list[Any]] = [
        ["Anonymised export from Screening Desk"],
        ["k requested", report["k"]],
        ["k achieved", report["k_achieved"]],
        ["quasi-identifiers", ", ".join(report["quasi_identifiers"])],
    ]
    for column, level in report["generalisation"].items():
        rows.append([f"{column} exported as", level])
    for key, value in report["rows"].items():
        rows.append([f"rows {key.replace('_', ' ')}", value])
    rows.append(["case code key id", report["case_codes"]["key_id"]])
    return rows


def _report_body(
    fmt: str,
    out: Path | None,
    filters: Filters,
    k: int,
    max_suppressed: float,
    counted: FirstPass,
    plan: Plan,
    coder: CaseCoder | None,
    written: Counter[tuple[str, ...]],
    vault: Vault | None = None,
) -> dict[str, Any]:
    qi_names = list(fields.HTCDS_QI_FIELDS if fmt == "htcds-json" else QI_COLUMNS)
    exported = sum(written.values())
    body: dict[str, Any] = {
        "format": REPORT_FORMAT,
        "version": 1,
        "file": out.name if out else None,
        "export_format": fmt,
        "created_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "filters": filters.describe(),
        "k": k,
        "k_achieved": min(written.values()) if written else None,
        "max_suppressed_share": max_suppressed,
        "quasi_identifiers": qi_names,
        "generalisation": {
            name: level for name, level in zip(qi_names, plan.level_names().values(), strict=True)
        },
        "generalisation_steps": [step.as_dict() for step in plan.steps],
        "generalisation_search": f"{plan.search}, {plan.evaluated} candidates counted",
        "rows": {
            "considered": counted.considered,
            "excluded_no_consent": counted.no_consent,
            "exported": exported,
            "suppressed": plan.rows_suppressed,
            "dropped": plan.rows_dropped,
        },
        "suppression": (
            "Rows in a combination shared by fewer than k rows have every quasi-identifier"
            " replaced by '*'; when fewer than k such rows remain they are left out (dropped)."
        ),
        "form_versions": [
            {"form_id": form_id, "version": version}
            for form_id, version in sorted(counted.form_versions)
        ],
        "columns": list(
            fields.TABLE_COLUMNS
            if fmt != "htcds-json"
            else fields.htcds_record("", ("",) * 6, _EMPTY_FACTS)
        ),
        "never_exported": list(NEVER_EXPORTED),
    }
    if coder is not None:
        body["case_codes"] = {
            "scheme": "HMAC-SHA256 keyed pseudonym of the interview (HKDF-SHA256 key, 'export')",
            "key_id": coder.key_id,
            "key_source": key_source(vault) if vault is not None else None,
        }
    return body


_EMPTY_FACTS = fields.Facts(
    outcome="",
    scored_outcome="",
    overridden=False,
    referral_recommended=None,
    elements=dict.fromkeys(fields.ELEMENTS, False),
    indicators=[],
    exploitation_types=[],
    methods_of_control=[],
    labour_industries=[],
    sex_exploitation_types=[],
    recruiter_relationship="",
    recruitment_method=[],
    needs=[],
    needs_urgent="",
    referred_services=[],
)


def _export_pdf(
    vault: Vault,
    out: Path,
    filters: Filters,
    k: int,
    total: int,
    progress: Progress | None,
    cancelled: Cancelled | None,
) -> dict[str, Any]:
    tally = pdfreport.Tally()
    considered = no_consent = 0
    versions: set[tuple[str, str]] = set()
    for src in read(vault, filters, fields.PASS2_ANSWERS, full=True, cancelled=cancelled):
        considered += 1
        if progress is not None and considered % 500 == 0:
            progress(considered, max(total, 1))
        if not fields.consented(src.answers):
            no_consent += 1
            continue
        qi = fields.base_qi(src)
        tally.add(qi[5], qi[1], fields.facts(src))
        versions.add((src.form_id, src.form_version))
    staged = writers.staging_path(out)
    try:
        writers.discard(staged)
        sup = pdfreport.write(staged, tally, k, filters=filters.describe())
        writers.finish(staged, out)
    except BaseException:
        writers.discard(staged)
        raise
    shown = [v for key, v in sup.values.items() if key not in sup.hidden and v > 0]
    return {
        "format": REPORT_FORMAT,
        "version": 1,
        "file": out.name,
        "export_format": "pdf",
        "created_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "filters": filters.describe(),
        "k": k,
        "k_achieved": min(shown) if shown else None,
        "quasi_identifiers": [],
        "generalisation": {
            "nationality": "UN M49 sub-region",
            "interview_month": "month",
        },
        "generalisation_steps": [],
        "cells": {
            "primary_suppressed": sup.primary,
            "secondary_suppressed": sup.secondary,
            "rule": "counts from 1 to k-1 hidden; more hidden until none can be derived"
            " from the totals",
        },
        "rows": {
            "considered": considered,
            "excluded_no_consent": no_consent,
            "exported": tally.total,
            "suppressed": 0,
            "dropped": 0,
        },
        "form_versions": [{"form_id": f, "version": v} for f, v in sorted(versions)],
        "never_exported": list(NEVER_EXPORTED),
        "case_codes": {"scheme": "none: the report holds counts only", "key_id": None},
    }
