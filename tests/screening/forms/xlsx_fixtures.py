"""XLSForm workbooks built with openpyxl for the import tests (no binary fixtures)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl

Rows = Sequence[Sequence[Any]]


def write_xlsform(
    path: Path,
    survey: Rows | None,
    choices: Rows | None = None,
    settings: dict[str, Any] | Rows | None = None,
    **other_sheets: Rows,
) -> Path:
    """Write a workbook; each sheet is a header row followed by data rows.

    `survey=None` leaves the survey sheet out. `settings` may be a dict (one header row and
    one value row) or rows. Extra keyword arguments add sheets by name.
    """
    book = openpyxl.Workbook()
    book.remove(book.active)
    sheets: dict[str, Rows | None] = {"survey": survey, "choices": choices}
    if isinstance(settings, dict):
        sheets["settings"] = [list(settings), list(settings.values())]
    else:
        sheets["settings"] = settings
    sheets.update(other_sheets)
    for title, rows in sheets.items():
        if rows is None:
            continue
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    book.save(path)
    return path


def yes_no(list_name: str = "yes_no") -> list[list[str]]:
    return [[list_name, "yes", "Yes"], [list_name, "no", "No"]]


SURVEY_HEADER = ["type", "name", "label", "required", "relevant", "constraint", "calculation"]


def simple_survey(*rows: Sequence[Any], header: Sequence[str] = SURVEY_HEADER) -> list[list[Any]]:
    return [list(header), *[list(row) for row in rows]]
