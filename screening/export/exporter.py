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
"""

from __future__ import annotations

import json
import os
from array import array
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from screening.export import fields, pdfreport, reporttext, writers
from screening.export.casecode import CaseCoder, key_source
from screening.export.detail import DETAIL, OUTCOME, released_columns, withheld_columns
from screening.export.errors import ExportCancelled, ExportError
from screening.export.hierarchy import LADDERS, QI_COLUMNS, SUPPRESSED
from screening.export.kanon import EXPORT_BITS, Combo, Counts, Plan, choose
from screening.export.source import Filters, count, read

if TYPE_CHECKING:
    from screening.vault import Vault

FORMATS = ("csv", "xlsx", "htcds-json", "pdf")
EXPORT_ROLES = ("coordinator", "admin")
DEFAULT_K = 5
DEFAULT_MAX_SUPPRESSED = 0.05
REPORT_FORMAT = "screening-desk/export-report"
NEVER_EXPORTED = reporttext.NEVER_EXPORTED
# The quasi-identifiers, then the outcome and the detail column (screening/export/detail.py):
# k-anonymity covers all of them, that is every released column but the case code.
ROW_LADDERS = (*LADDERS, OUTCOME, DETAIL)
QI_WIDTH = len(LADDERS)
DETAIL_INDEX = len(LADDERS) + 1

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


@dataclass
class FirstPass:
    counts: Counts
    considered: int
    no_consent: int
    form_versions: set[tuple[str, str]]
    keys: array[int]  # per row with consent, in reading order: its packed combination
    codes: array[int] | None  # per row with consent: its case code as a number (export)
    earlier_interviews: int = 0  # of people counted by a newer interview


def first_pass(
    vault: Vault,
    filters: Filters,
    progress: Progress | None = None,
    total: int = 0,
    cancelled: Cancelled | None = None,
    coder: CaseCoder | None = None,
) -> FirstPass:
    """Counts of released-value combinations over the included rows, and per row its
    combination and (with a `coder`) its case code, as numbers."""
    counts = Counts(len(ROW_LADDERS), EXPORT_BITS)
    keys: array[int] = array("Q")
    codes: array[int] | None = None if coder is None else array("Q")
    considered = no_consent = 0
    versions: set[tuple[str, str]] = set()
    for src in read(vault, filters, fields.PASS2_ANSWERS, full=True, cancelled=cancelled):
        considered += 1
        if not fields.consented(src.answers):
            no_consent += 1
        else:
            try:
                keys.append(counts.add(fields.base_row(src)))
            except ValueError:
                raise ExportError(
                    "These interviews hold more distinct values than one export can count"
                    " (over 64 forms or 512 months); export fewer with --from, --to or --form."
                ) from None
            if codes is not None and coder is not None:
                # Per person, one code per person; per interview, one per row, so that two
                # rows of one person are not linked through their code.
                person = src.person_id if filters.per_person else None
                codes.append(coder.number(person or src.id))
            versions.add((src.form_id, src.form_version))
        if progress is not None and considered % 500 == 0:
            progress(considered, total)
    earlier = count(vault, replace(filters, per_person=False)) if filters.per_person else considered
    return FirstPass(
        counts, considered, no_consent, versions, keys, codes, max(earlier - considered, 0)
    )


def released_rows(counted: FirstPass, plan: Plan) -> Iterator[tuple[int, Combo]]:
    """(row number, the values to write) of every row the plan releases, in reading order."""
    made: dict[int, Combo | None] = {}
    release = plan.release_packed(counted.counts)
    for number, key in enumerate(counted.keys):
        if key in made:
            combo = made[key]
        else:
            combo = made[key] = release(key)
        if combo is not None:
            yield number, combo


def _choose(counted: FirstPass, k: int, max_suppressed: float, l_div: int) -> Plan:
    return choose(
        counted.counts,
        k,
        max_suppressed_share=max_suppressed,
        ladders=ROW_LADDERS,
        l_diversity=l_div,
        qi_width=QI_WIDTH,
        staged=(QI_WIDTH, DETAIL_INDEX),
    )


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
    plan = _choose(counted, k, max_suppressed, l_diversity)
    report = _report_body(
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
        report = _export_pdf(vault, out, filters, k, total, progress, cancelled)
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
    plan = _choose(counted, k, max_suppressed, l_div)
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
        report = _report_body(
            fmt, out, filters, k, max_suppressed, counted, plan, coder, written, vault,
            stable_codes,
        )  # fmt: skip
        if fmt == "xlsx":
            writer.add_sheet("about", _about_rows(report))
        writer.commit()
    except BaseException:
        writer.abort()
        raise
    return report


def _about_rows(report: dict[str, Any]) -> list[list[Any]]:
    rows: list[list[Any]] = [
        [report["title"]],
        ["status", report["status"]],
        ["k requested", report["k"]],
        ["k achieved", report["k_achieved"]],
        ["k-anonymity covers", report["k_anonymity_scope"]],
        ["quasi-identifiers", ", ".join(report["quasi_identifiers"])],
    ]
    for column, level in report["generalisation"].items():
        rows.append([f"{column} exported as", level])
    for key, value in report["rows"].items():
        rows.append([f"rows {key.replace('_', ' ')}", value])
    rows.append(["people", report["people"]])
    rows.append(["l-diversity of the outcome", report["l_diversity"]["l_achieved"]])
    rows.append(["case codes", report["case_codes"]["scheme"]])
    if report["case_codes"].get("warning"):
        rows.append(["WARNING", report["case_codes"]["warning"]])
    for sentence in report["does_not_protect_against"]:
        rows.append(["does not protect against", sentence])
    return rows


def l_diversity(written: Counter[tuple[str, ...]]) -> dict[str, Any]:
    """Distinct outcomes per group of rows sharing their quasi-identifiers (suppressed rows,
    whose outcome is hidden too, left out)."""
    outcomes: dict[tuple[str, ...], set[str]] = {}
    sizes: Counter[tuple[str, ...]] = Counter()
    for combo, n in written.items():
        if combo[QI_WIDTH] == SUPPRESSED:
            continue
        outcomes.setdefault(combo[:QI_WIDTH], set()).add(combo[QI_WIDTH])
        sizes[combo[:QI_WIDTH]] += n
    single = [group for group, seen in outcomes.items() if len(seen) < 2]
    return {
        "column": "outcome",
        "groups_on": list(QI_COLUMNS),
        "l_achieved": min((len(s) for s in outcomes.values()), default=None),
        "groups": len(outcomes),
        "groups_with_one_outcome": len(single),
        "rows_in_groups_with_one_outcome": sum(sizes[g] for g in single),
    }


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
    stable_codes: bool = False,
) -> dict[str, Any]:
    htcds = fmt == "htcds-json"
    qi_names = list(fields.HTCDS_QI_FIELDS if htcds else QI_COLUMNS)
    if htcds:  # derived from sd_Nationality, and as telling
        qi_names.append("prs_Citizenship")
    exported = sum(written.values())
    level = plan.levels[DETAIL_INDEX]
    names = plan.level_names()
    generalisation = {
        name: names[column] for name, column in zip(fields.HTCDS_QI_FIELDS if htcds else
                                                     QI_COLUMNS, QI_COLUMNS, strict=True)
    }  # fmt: skip
    columns = fields.htcds_fields(level) if htcds else list(fields.table_columns(level))
    body: dict[str, Any] = {
        "format": REPORT_FORMAT,
        "version": 2,
        "title": reporttext.TITLE,
        "status": reporttext.status(stable_codes),
        "file": out.name if out else None,
        "export_format": fmt,
        "created_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "filters": filters.describe(),
        "people": reporttext.PEOPLE if filters.per_person else reporttext.INTERVIEWS,
        "k": k,
        "k_achieved": min(written.values()) if written else None,
        "k_anonymity_scope": reporttext.K_SCOPE,
        "max_suppressed_share": max_suppressed,
        "quasi_identifiers": qi_names,
        "generalisation": generalisation,
        "generalisation_steps": [
            step.as_dict() for step in plan.steps if step.column in QI_COLUMNS
        ],
        "coarsened": {
            "outcome": names["outcome"],
            "detail": names["detail"],
            "detail_columns_released": list(released_columns(level)),
            "detail_columns_withheld": list(withheld_columns(level)),
            "why": reporttext.COARSENED,
        },
        "generalisation_search": (
            f"{plan.search}, {plan.evaluated} candidates considered, {plan.counted} counted"
        ),
        "rows": {
            "considered": counted.considered,
            "excluded_no_consent": counted.no_consent,
            "earlier_interviews_of_the_same_person": counted.earlier_interviews,
            "exported": exported,
            "suppressed": plan.rows_suppressed,
            "dropped": plan.rows_dropped,
        },
        "suppression": reporttext.SUPPRESSION,
        "l_diversity": {
            **l_diversity(written),
            "enforced": plan.l_diversity if plan.l_diversity > 1 else None,
            "meaning": reporttext.L_DIVERSITY,
        },
        "form_versions": [
            {"form_id": form_id, "version": version}
            for form_id, version in sorted(counted.form_versions)
        ],
        "columns": columns,
        "column_meanings": reporttext.meanings(columns),
        "never_exported": list(NEVER_EXPORTED),
        "does_not_protect_against": list(reporttext.NOT_PROTECTED),
    }
    if coder is not None:
        body["case_codes"] = {
            "scheme": reporttext.codes(stable_codes),
            "stable_across_exports": stable_codes,
            "key_id": coder.key_id if stable_codes else None,
            "key_source": (key_source(vault) if vault is not None else None)
            if stable_codes
            else "random, made for this export and not kept",
        }
        if stable_codes:
            body["case_codes"]["warning"] = reporttext.STABLE_WARNING
    return body


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
        "does_not_protect_against": list(reporttext.NOT_PROTECTED_PDF),
    }
