"""The report written beside a row-level export (`FILE.report.json`, and the XLSX "about"
sheet): what was generalised and suppressed, k and l achieved, the case-code scheme."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from screening.export import fields, reporttext
from screening.export.casecode import CaseCoder, key_source
from screening.export.detail import released_columns, withheld_columns
from screening.export.first_pass import DETAIL_INDEX, QI_WIDTH, FirstPass
from screening.export.hierarchy import QI_COLUMNS, SUPPRESSED
from screening.export.kanon import Plan
from screening.export.source import Filters

if TYPE_CHECKING:
    from screening.vault import Vault

REPORT_FORMAT = "screening-desk/export-report"
NEVER_EXPORTED = reporttext.NEVER_EXPORTED


def about_rows(report: dict[str, Any]) -> list[list[Any]]:
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


def report_body(
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
