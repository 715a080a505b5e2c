"""Every export format, checked from the outside: k-anonymity by pycanon, no identifiers.

pycanon (an independent library) and a plain group-by compute k over every released column
but the per-export case code (issue #18: a row unique on its indicators could be found by
someone who knows what happened to the person); the marker name planted in every
identifying place of the seeded vault must not appear in any byte of any file an export
writes.
"""

from __future__ import annotations

import csv
import json
import tempfile
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from pycanon import anonymity

from screening.export import ExportCancelled, ExportError, Filters, export, preview
from screening.export import fields as fields_module
from screening.export import first_pass as first_pass_module
from screening.export.hierarchy import QI_COLUMNS
from screening.vault import PermissionDenied, Vault
from tests.screening.export.conftest import (
    MARKER,
    SCREENER,
    SCREENER_PASS,
    pdftotext,
)

# Column names that would mean a direct identifier left the vault.
IDENTIFIER_COLUMNS = {
    "id",
    "interview_id",
    "name",
    "preferred_name",
    "first_name",
    "prs_FirstName",
    "prs_SecondName",
    "prs_First_Name",
    "prs_Birthdate",
    "prs_Email",
    "prs_MobilePhone",
    "prs_HomePhone",
    "prs_MailingStreet",
    "prs_MailingCity",
    "prs_IdentityNumber",
    "location",
    "screener",
    "screener_notes",
    "nationality_other",
    "created_at",
    "completed_at",
    "contact",
    "phone",
    "email",
    "address",
    "document_number",
    "override_reason",
}


CODE_COLUMNS = {"case_code", "sd_CaseCode"}


def k_of(frame: pd.DataFrame, report: dict) -> int:
    """k over ALL released columns but the case code, by pycanon and by a plain group-by."""
    qi = [c for c in report["quasi_identifiers"] if c in frame.columns]
    assert qi == [c for c in report["quasi_identifiers"]]
    frame = frame.map(lambda v: ";".join(v) if isinstance(v, list) else str(v))
    released = [c for c in frame.columns if c not in CODE_COLUMNS]
    assert set(released) == set(report["columns"]) - CODE_COLUMNS
    by_pycanon = int(anonymity.k_anonymity(frame, released))
    by_group = int(frame.groupby(released, dropna=False).size().min())
    assert by_pycanon == by_group
    return by_group


def read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def assert_no_marker(*paths: Path) -> None:
    for path in paths:
        data = path.read_bytes()
        for needle in (MARKER, MARKER.split()[0], MARKER.split()[1]):
            assert needle.encode("utf-8") not in data, (path, needle)


@pytest.mark.parametrize("k", [5, 10])
def test_csv_is_k_anonymous_by_pycanon(coordinator: Vault, tmp_path: Path, k: int) -> None:
    out = tmp_path / "export.csv"
    result = export(coordinator, out, fmt="csv", k=k)
    report = json.loads(result.report_path.read_text(encoding="utf-8"))
    assert report == result.report
    frame = read_csv(out)
    assert len(frame) == report["rows"]["exported"] > 100
    assert report["quasi_identifiers"] == list(QI_COLUMNS)
    assert k_of(frame, report) >= k
    assert report["k_anonymity_scope"].startswith("every released column except the case code")
    assert report["k_achieved"] >= k
    assert not IDENTIFIER_COLUMNS & set(frame.columns)
    assert_no_marker(out, result.report_path)


def test_csv_values_are_generalised_and_codes_keyed(coordinator: Vault, tmp_path: Path) -> None:
    result = export(coordinator, tmp_path / "e.csv", fmt="csv", k=5)
    frame = read_csv(result.path)
    levels = result.report["generalisation"]
    assert set(levels) == set(QI_COLUMNS)
    # No exact date, no age in years, no free place name: only bands, months, regions, "*".
    for value in frame["interview_month"]:
        assert value == "*" or len(value) in (4, 7) or "-Q" in value
    for value in frame["age_band"]:
        assert value in {"*", "unknown", "declined", "not stated", "60+"} or "-" in value
    assert frame["case_code"].str.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}").all()
    assert frame["case_code"].is_unique
    ids = {row.id for row in coordinator.list_interviews()}
    assert not ids & set(frame["case_code"])


def test_xlsx_is_k_anonymous_and_has_no_identifiers(
    coordinator: Vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    system_tmp = tmp_path / "system-tmp"
    system_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_tmp))
    out = tmp_path / "export.xlsx"
    result = export(coordinator, out, fmt="xlsx", k=5)
    assert list(system_tmp.iterdir()) == []  # openpyxl staged nothing in the temp folder
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "export.xlsx",
        "export.xlsx.report.json",
        "system-tmp",
    ]
    book = load_workbook(out, read_only=True)
    rows = list(book["export"].iter_rows(values_only=True))
    frame = pd.DataFrame(rows[1:], columns=rows[0]).fillna("")
    assert len(frame) == result.report["rows"]["exported"]
    assert k_of(frame, result.report) >= 5
    assert not IDENTIFIER_COLUMNS & set(frame.columns)
    about = [row for row in book["about"].iter_rows(values_only=True)]
    assert ["k achieved", result.report["k_achieved"]] in [list(r[:2]) for r in about]
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            assert not any(MARKER.split()[0] in str(cell) for cell in row if cell is not None)
    book.close()
    assert_no_marker(result.report_path)


def test_htcds_json_uses_htcds_names_and_is_k_anonymous(coordinator: Vault, tmp_path: Path) -> None:
    out = tmp_path / "export.json"
    result = export(coordinator, out, fmt="htcds-json", k=5)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["htcds_version"] == "2.0"
    assert doc["report"] == "export.json.report.json"
    records = doc["records"]
    assert len(records) == result.report["rows"]["exported"]
    frame = pd.DataFrame(records).fillna("")
    assert result.report["quasi_identifiers"] == [
        *fields_module.HTCDS_QI_FIELDS,
        "prs_Citizenship",
    ]
    assert k_of(frame, result.report) >= 5
    for record in records:
        assert record["con_Consent"] == "TRUE"
        for name in record:
            assert name.startswith(("prs_", "vic_", "cas_", "con_", "sd_")), name
        assert record["vic_TraffickingStatus"] in (None, "PossibleVictimOfTrafficking")
    assert not IDENTIFIER_COLUMNS & set(frame.columns)
    assert_no_marker(out, result.report_path)


def test_pdf_report_suppresses_small_counts(coordinator: Vault, tmp_path: Path) -> None:
    out = tmp_path / "stats.pdf"
    result = export(coordinator, out, fmt="pdf", k=5)
    text = pdftotext(out)
    assert "Screening statistics" in text
    assert "Month of interview by outcome" in text
    assert MARKER.split()[0] not in text
    assert result.report["cells"]["primary_suppressed"] > 0
    # No count from 1 to 4 is printed: every number in the tables is 0 or at least 5.
    lines = text.split("Interviews by screening outcome", 1)[1].splitlines()
    for line in lines:
        for token in line.split():
            if token.isdigit() and len(token) < 4:
                assert int(token) == 0 or int(token) >= 5, line
    assert_no_marker(out, result.report_path)


def test_report_describes_the_export(coordinator: Vault, tmp_path: Path) -> None:
    result = export(coordinator, tmp_path / "r.csv", fmt="csv", k=5)
    report = result.report
    rows = report["rows"]
    assert rows["considered"] == rows["excluded_no_consent"] + rows["exported"] + rows["dropped"]
    assert rows["excluded_no_consent"] > 0  # some seeded people refused consent
    assert {"form_id": "screening-adult", "version": "2.0.0"} in report["form_versions"]
    assert report["filters"] == {"from": None, "to": None, "form": None}
    assert report["case_codes"]["key_id"] is None  # a fresh key, not kept
    assert "one row per person" in report["people"].lower()
    # The report stands alone: every column is explained in it, and what it does not
    # protect against is said in it.
    assert all(report["column_meanings"][c] for c in report["columns"])
    assert any("Attribute disclosure" in s for s in report["does_not_protect_against"])
    assert "docs/" not in json.dumps(report)
    assert "anonymised" not in report["status"].replace("k-anonymised", "")
    coarse = report["coarsened"]
    assert set(coarse["detail_columns_released"]) | set(coarse["detail_columns_withheld"]) == set(
        fields_module.detail.DETAIL_COLUMNS
    )
    assert not set(coarse["detail_columns_withheld"]) & set(report["columns"])
    steps = report["generalisation_steps"]
    for column, level in report["generalisation"].items():
        taken = [s["to"] for s in steps if s["column"] == column]
        assert (taken[-1] if taken else level) == level


def test_every_export_is_audited(coordinator: Vault, tmp_path: Path) -> None:
    before = coordinator.audit_entries()[-1].seq
    export(coordinator, tmp_path / "a.csv", fmt="csv", k=7, filters=Filters(form_id="x-none"))
    entries = coordinator.audit_entries(after=before)
    exports = [e for e in entries if e.action == "export"]
    assert len(exports) == 1
    entry = exports[0]
    assert entry.actor == "Leila Okafor"
    assert "format csv" in entry.detail and "k 7" in entry.detail
    assert "form x-none" in entry.detail and "0 exported" in entry.detail
    coordinator.verify_audit()
    all_details = " ".join(str(e.detail) for e in coordinator.audit_entries())
    assert MARKER.split()[0] not in all_details


def test_filters_restrict_the_rows(coordinator: Vault, tmp_path: Path) -> None:
    result = export(
        coordinator,
        tmp_path / "f.csv",
        fmt="csv",
        k=2,
        filters=Filters(form_id="screening-child", date_from=date(2025, 3, 1),
                        date_to=date(2025, 12, 31)),
    )  # fmt: skip
    expected = coordinator.count_interviews(
        status="completed",
        form_id="screening-child",
        date_from=date(2025, 3, 1),
        date_to=date(2025, 12, 31),
    )
    assert result.report["rows"]["considered"] == expected > 0
    frame = read_csv(result.path)
    assert set(frame["form"]) <= {"screening-child", "*"}
    assert result.report["filters"] == {
        "from": "2025-03-01",
        "to": "2025-12-31",
        "form": "screening-child",
    }


def test_only_coordinators_and_admins_export(seeded_vault_dir: Path, tmp_path: Path) -> None:
    vault = Vault.unlock(seeded_vault_dir, SCREENER, SCREENER_PASS)
    try:
        with pytest.raises(PermissionDenied, match="coordinator or admin"):
            export(vault, tmp_path / "x.csv", fmt="csv")
        with pytest.raises(PermissionDenied):
            preview(vault)
    finally:
        vault.lock()
    assert list(tmp_path.iterdir()) == []


def test_bad_arguments_are_refused(coordinator: Vault, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="k must be"):
        export(coordinator, tmp_path / "x.csv", fmt="csv", k=1)
    with pytest.raises(ExportError, match="Unknown export format"):
        export(coordinator, tmp_path / "x.csv", fmt="parquet")
    with pytest.raises(ExportError, match="does not exist"):
        export(coordinator, tmp_path / "missing" / "x.csv", fmt="csv")
    assert list(tmp_path.iterdir()) == []


def test_cancel_leaves_nothing(coordinator: Vault, tmp_path: Path) -> None:
    calls = {"n": 0}

    def cancelled() -> bool:
        calls["n"] += 1
        return calls["n"] > 1

    for fmt in ("csv", "xlsx", "htcds-json", "pdf"):
        calls["n"] = 0
        with pytest.raises(ExportCancelled):
            export(coordinator, tmp_path / f"c.{fmt}", fmt=fmt, cancelled=cancelled)
    assert list(tmp_path.iterdir()) == []


def test_a_plan_that_does_not_fit_the_rows_is_caught(
    coordinator: Vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A plan that does not fit the rows (a bug in the search or the ladders): the writing
    # counts what it wrote, finds groups smaller than k and keeps nothing.
    class Everything(frozenset):  # type: ignore[type-arg]
        def __contains__(self, item: object) -> bool:
            return True

    original = first_pass_module.choose

    def stale_plan(*args: object, **kwargs: object) -> object:
        plan = original(*args, **kwargs)  # type: ignore[arg-type]
        plan.levels = [0] * len(plan.levels)
        plan.released_classes = Everything()
        return plan

    monkeypatch.setattr(first_pass_module, "choose", stale_plan)
    with pytest.raises(ExportError, match="did not come out k-anonymous"):
        export(coordinator, tmp_path / "d.csv", fmt="csv", k=5)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "htcds-json"])
def test_a_row_export_reads_the_vault_once(
    coordinator: Vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    # Reading (decrypting) the interviews is most of an export's time: the rows are written
    # from what the one pass kept, and the preview's sample rows come from it too.
    from screening.export import sample

    reads = []
    real = first_pass_module.read

    def counted(*args: object, **kwargs: object) -> object:
        reads.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(first_pass_module, "read", counted)
    result = export(coordinator, tmp_path / f"once.{fmt}", fmt=fmt, k=5)
    assert len(reads) == 1 and result.report["rows"]["exported"] > 0
    reads.clear()
    seen = sample.preview_with_samples(coordinator, k=5)
    assert len(reads) == 1 and len(seen["sample_rows"]) == 3


def test_preview_matches_the_export(coordinator: Vault, tmp_path: Path) -> None:
    seen = preview(coordinator, k=5)
    result = export(coordinator, tmp_path / "p.csv", fmt="csv", k=5)
    for key in ("generalisation", "k_achieved", "quasi_identifiers", "coarsened", "l_diversity"):
        assert seen[key] == result.report[key]
    assert seen["rows"]["suppressed"] == result.report["rows"]["suppressed"]


def test_csv_rows_round_trip_through_the_csv_module(coordinator: Vault, tmp_path: Path) -> None:
    result = export(coordinator, tmp_path / "rt.csv", fmt="csv", k=5)
    with result.path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == result.report["columns"]
    assert all(len(row) == len(rows[0]) for row in rows)
    outcomes = {row[rows[0].index("outcome")] for row in rows[1:]}
    assert outcomes <= set(fields_module.OUTCOMES) | {"", "*"}
    assert {"likely_trafficked", "possible_trafficking", "no_indication"} <= outcomes


def test_l_diversity_is_reported_and_enforced(coordinator: Vault, tmp_path: Path) -> None:
    plain = export(coordinator, tmp_path / "l1.csv", fmt="csv", k=2)
    enforced = export(coordinator, tmp_path / "l2.csv", fmt="csv", k=2, l_diversity=2)
    for result, wanted in ((plain, None), (enforced, 2)):
        frame = read_csv(result.path)
        shown = frame[frame["outcome"] != "*"]
        groups = shown.groupby(list(QI_COLUMNS))["outcome"].nunique()
        report = result.report["l_diversity"]
        assert report["l_achieved"] == groups.min()
        assert report["groups_with_one_outcome"] == int((groups < 2).sum())
        assert report["enforced"] == wanted
    assert enforced.report["l_diversity"]["l_achieved"] >= 2
    assert enforced.report["l_diversity"]["groups_with_one_outcome"] == 0


def test_stable_codes_carry_a_warning_everywhere(coordinator: Vault, tmp_path: Path) -> None:
    result = export(coordinator, tmp_path / "s.xlsx", fmt="xlsx", k=5, stable_codes=True)
    warning = result.report["case_codes"]["warning"]
    book = load_workbook(result.path, read_only=True)
    about = [list(r[:2]) for r in book["about"].iter_rows(values_only=True)]
    book.close()
    assert ["WARNING", warning] in about
    entry = [e for e in coordinator.audit_entries() if e.action == "export"][-1]
    assert "codes stable" in entry.detail
