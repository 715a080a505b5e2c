"""The HTCDS JSON export against the standard's own files, and docs/export.md against the code.

The XLSForm and the field standard (ODS) are vendored in tests/data/htcds (IOM, CC BY 4.0).
Every field name the export writes must be an HTCDS field (or an `sd_` extension); every
value of an HTCDS field must be one of the XLSForm's codes, in the shape the XLSForm
collects (one code for select_one, a list for select_multiple).
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import openpyxl
import pytest

from screening.export import detail, export, fields, geo, htcds
from screening.vault import Vault

DATA = Path(__file__).resolve().parents[2] / "data" / "htcds"
DOCS = Path(__file__).resolve().parents[3] / "docs" / "export.md"
_T = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_P = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}p"


def xlsform() -> tuple[dict[str, str], dict[str, set[str]]]:
    """Survey field -> its type ('select_one gender', 'text', ...); list name -> codes."""
    book = openpyxl.load_workbook(DATA / "htcds_xlsform.xlsx", read_only=True)
    survey = {
        str(row[1]).strip(): str(row[0]).strip()
        for row in book["survey"].iter_rows(min_row=2, values_only=True)
        if row[0] and row[1]
    }
    choices: dict[str, set[str]] = {}
    for row in book["choices"].iter_rows(min_row=2, values_only=True):
        if row[0] and row[1] is not None:
            choices.setdefault(str(row[0]).strip(), set()).add(str(row[1]).strip())
    book.close()
    return survey, choices


def field_standard() -> dict[str, tuple[str, bool]]:
    """Field name with prefix -> (field type, core) from the ODS (stdlib only)."""
    with zipfile.ZipFile(DATA / "htcds_field_standards_2.0.ods") as archive:
        root = ElementTree.fromstring(archive.read("content.xml"))
    table = next(root.iter(f"{_T}table"))
    out: dict[str, tuple[str, bool]] = {}
    for row in table.iter(f"{_T}table-row"):
        cells: list[str] = []
        for cell in row.findall(f"{_T}table-cell"):
            repeat = min(int(cell.get(f"{_T}number-columns-repeated", "1")), 16)
            text = " ".join("".join(p.itertext()) for p in cell.findall(_P))
            cells.extend([text] * repeat)
        if len(cells) > 7 and re.fullmatch(r"[a-z]{3}_\w+", cells[6]):
            out[cells[6]] = (cells[7], cells[2] == "Core")
    return out


SURVEY, CHOICES = xlsform()
STANDARD = field_standard()
# Where the XLSForm and the field list differ, the export follows the XLSForm: data
# collected with it is what an analyst merges ours with (docs/export.md).
XLSFORM_SPELLING = {"vic_Methods_of_Control": "vic_MethodsOfControl"}


def check_record(record: dict[str, Any]) -> None:
    for name, value in record.items():
        if name.startswith("sd_"):
            continue
        assert name in SURVEY or name in STANDARD, f"{name} is not an HTCDS field"
        if value is None:
            continue
        kind = SURVEY.get(name, "")
        if kind.startswith("select_one "):
            assert isinstance(value, str), (name, value)
            assert value in CHOICES[kind.split()[1]], (name, value)
        elif kind.startswith("select_multiple "):
            assert isinstance(value, list), (name, value)
            assert set(value) <= CHOICES[kind.split()[1]], (name, set(value))
            assert len(set(value)) == len(value)
        else:
            # Only in the field standard: no code list in the reference files.
            assert name in htcds.UNCONFIRMED, name
            assert STANDARD[name][0] == "Picklist" and isinstance(value, str)
            assert value in htcds.EMITTED[name]


def facts_everything() -> list[dict[str, Any]]:
    """Records at the most detailed level from answers that reach every mapping."""
    from tests.screening.export.test_fields import outcome, source

    records = []
    hits = [
        ("exploitation", "hours_per_day", "h_over_12", "excessive_working_days_or_hours"),
        ("coercion_at_destination", "sexual_services", "yes", "forced_clients_or_sexual_acts"),
        *[("coercion_at_destination", "x", "y", i) for i in htcds.METHODS_OF_CONTROL],
    ]
    industries = [*htcds.LABOUR_INDUSTRY, "begging", "illegal", "other"]
    places = list(htcds.SEX_EXPLOITATION_PLACE)
    for n, relation in enumerate([*htcds.RELATIONSHIP, *htcds.RECRUITMENT_BY_RELATION]):
        for population, sex in (("adult", "female"), ("child", "male"), ("adult", "other")):
            src = source(
                consent="yes",
                sex=sex,
                nationality="eritrea",
                industry=industries,
                recruiter_relation=relation,
                how_left="marriage",
                sexual_services="yes",
                sexual_place=places[n % len(places)],
                sexual_images="yes",
                work_conditions=["forced_crime", "forced_sex"],
            )
            src.outcome = outcome(population, hits)
            base = fields.base_row(src)
            records.append(fields.htcds_record("C", base, 0))
    return records


def test_every_field_and_code_of_a_detailed_record_is_htcds() -> None:
    records = facts_everything()
    emitted: dict[str, set[str]] = {}
    for record in records:
        check_record(record)
        for name, value in record.items():
            if isinstance(value, list):
                emitted.setdefault(name, set()).update(value)
            elif isinstance(value, str):
                emitted.setdefault(name, set()).add(value)
    # The records reach (almost) every code the mapping can give, so the check above is
    # not vacuous.
    for name, codes in htcds.EMITTED.items():
        assert emitted.get(name, set()) >= codes or name in (
            "vic_TraffickingStatus",
            "prs_Gender",
        ), (name, codes - emitted.get(name, set()))
    assert "vic_Methods_of_Control" in records[0] and "vic_MethodsOfControl" not in records[0]


def test_every_emittable_code_is_an_xlsform_code() -> None:
    for name, codes in htcds.EMITTED.items():
        if name in htcds.UNCONFIRMED:
            assert name not in SURVEY and name in STANDARD
            continue
        kind = SURVEY[name]
        assert codes <= CHOICES[kind.split()[1]], (name, codes - CHOICES[kind.split()[1]])
    assert set(geo.ISO_BY_NAME.values()) <= CHOICES["citizenship"]


def test_the_export_follows_the_xlsform_where_it_and_the_field_list_differ() -> None:
    # The field list spells vic_MethodsOfControl and says single picklist for the
    # industry; the XLSForm says vic_Methods_of_Control and select_multiple.
    assert STANDARD["vic_MethodsOfControl"][0] == "Multiselect Picklist"
    assert "vic_Methods_of_Control" in SURVEY and "vic_MethodsOfControl" not in SURVEY
    assert STANDARD["vic_ForcedLabourIndustry"][0] == "Picklist"
    assert SURVEY["vic_ForcedLabourIndustry"].startswith("select_multiple")
    assert SURVEY["prs_Citizenship"].startswith("select_one")
    names = fields.htcds_fields(0)
    assert "vic_Methods_of_Control" in names
    for name in names:
        if not name.startswith("sd_"):
            assert name in SURVEY or name in htcds.UNCONFIRMED, name


def test_every_core_field_is_emitted_or_listed_as_omitted() -> None:
    emitted = set(fields.htcds_fields(0)) | {XLSFORM_SPELLING.get(n, n) for n in
                                             fields.htcds_fields(0)}  # fmt: skip
    core = {name for name, (_, is_core) in STANDARD.items() if is_core}
    assert core - emitted - set(htcds.OMITTED) == set()
    assert not emitted & set(htcds.OMITTED)


def test_an_exported_file_passes_the_check(coordinator: Vault, tmp_path: Path) -> None:
    result = export(coordinator, tmp_path / "h.json", fmt="htcds-json", k=2)
    records = json.loads(result.path.read_text(encoding="utf-8"))["records"]
    assert len(records) > 100
    for record in records:
        check_record(record)
        assert list(record) == result.report["columns"]


# ------------------------------------------------------------------- docs/export.md


def _doc_section(title: str) -> str:
    text = DOCS.read_text(encoding="utf-8")
    return text.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_docs_mapping_table_names_exactly_the_fields_the_code_writes() -> None:
    section = _doc_section("HTCDS mapping")
    table = [line for line in section.splitlines() if line.startswith("| `")]
    documented: set[str] = set()
    for line in table:
        documented.update(re.findall(r"`([a-z]{2,3}_\w+)`", line.split("|")[1]))
    assert documented == set(fields.htcds_fields(0))


def test_docs_list_every_omitted_field_with_the_code() -> None:
    section = _doc_section("HTCDS mapping")
    omitted = section.split("Not exported", 1)[1]
    listed = set(re.findall(r"`([a-z]{3}_\w+)`", omitted))
    assert listed == set(htcds.OMITTED)


def test_docs_csv_columns_are_the_code_columns() -> None:
    section = _doc_section("Columns")
    documented: list[str] = []
    for line in section.splitlines():
        if line.startswith("| `"):
            documented.extend(re.findall(r"`([a-z_…]+)`", line.split("|")[1]))
    expanded = [c for c in documented if "…" not in c]
    if any("…" in c for c in documented):
        expanded += list(detail.ELEMENT_COLUMNS)
    assert sorted(expanded) == sorted(fields.table_columns(0))


@pytest.mark.parametrize("level", range(len(detail.DETAIL_LEVELS)))
def test_docs_name_every_detail_level(level: int) -> None:
    assert detail.DETAIL_LEVELS[level][0] in _doc_section("Anonymisation")
