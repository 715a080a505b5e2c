"""The aggregate PDF report as an export: one counting pass over the consented interviews,
cells from 1 to k-1 hidden (screening/export/pdfreport.py), and the report beside it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from screening.export import fields, pdfreport, reporttext, writers
from screening.export.export_report import NEVER_EXPORTED, REPORT_FORMAT
from screening.export.first_pass import Cancelled, Progress
from screening.export.source import Filters, read

if TYPE_CHECKING:
    from screening.vault import Vault


def export_pdf(
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
