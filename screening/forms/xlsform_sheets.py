"""Reading an XLSForm workbook for the importer: sheets, headers, cells and the problem log.

Every non-empty cell is tracked: the importer marks what it used, and whatever is left is
reported (sheet, row, column, why), so that nothing is dropped silently.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from screening.forms.xlsform_xls import is_xls, xls_sheets

# Kinds of problems, so that callers can count and filter them.
UNSUPPORTED = "unsupported"  # a feature our format does not have: skipped or ignored
INVALID = "invalid"  # a mistake in the XLSForm: repaired or skipped
FILLED = "filled"  # missing text filled in (translation from the default language, label)
ASSUMED = "assumed"  # a value chosen or mapped (id, version, language, title)
ADAPTED = "adapted"  # a structure reshaped to fit our format
WARNING = "warning"  # worth knowing, nothing was lost (unused list, unresolved reference)
COMPILE = "compile"  # the whole-form checks of the compiler reject the imported form

_BLANK = "\u200b\ufeff"  # zero-width characters that str.strip() keeps


@dataclass(frozen=True)
class ImportProblem:
    sheet: str
    row: int | None
    column: str | None
    message: str
    kind: str = UNSUPPORTED

    def __str__(self) -> str:
        where = self.sheet
        if self.row is not None:
            where = f"{where} row {self.row}".strip()
        if self.column is not None:
            where = f"{where}, column '{self.column}'" if where else f"column '{self.column}'"
        return f"{where}: {self.message}" if where else self.message


class ProblemLog:
    def __init__(self) -> None:
        self.problems: list[ImportProblem] = []

    def add(self, sheet: str, row: int | None, column: str | None, message: str, kind: str) -> None:
        self.problems.append(ImportProblem(sheet, row, column, message, kind))

    def add_rows(
        self, sheet: str, rows: list[int], column: str | None, message: str, kind: str
    ) -> None:
        """One problem for several rows: the row itself when there is one, else a row list."""
        if len(rows) == 1:
            self.add(sheet, rows[0], column, message, kind)
        else:
            self.add(sheet, None, column, f"{row_list(rows)}: {message}", kind)


def row_list(rows: Iterable[int]) -> str:
    """'rows 3, 5, 7–9' with runs of consecutive rows shortened."""
    numbers = sorted(set(rows))
    parts: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(str(start) if start == prev else f"{start}–{prev}")
        if n is not None:
            start = prev = n
    return ("row " if len(numbers) == 1 else "rows ") + ", ".join(parts)


def quote(value: str, limit: int = 60) -> str:
    text = value if len(value) <= limit else value[: limit - 1] + "…"
    return "'" + text.replace("\n", " ") + "'"


# Header spellings as pyxform reads them (pyxform/aliases.py), after lower-casing and
# spaces → "_". Survey, choices and settings headers have their own aliases.
_ALIASES = {
    "relevance": "relevant",
    "readonly": "read_only",
    "jr:count": "repeat_count",
    "count": "repeat_count",
    "calculate": "calculation",
    "jr:constraintmsg": "constraint_message",
    "constraining_message": "constraint_message",
    "jr:requiredmsg": "required_message",
    "requiredmsg": "required_message",
    "caption": "label",
    "command": "type",
    "tag": "name",
    "value": "name",
}
_SHEET_ALIASES = {
    "choices": {"caption": "label", "list": "list_name", "value": "name"},
    "settings": {"id_string": "form_id", "set_form_id": "form_id", "set_form_title": "form_title"},
}
# `bind::x`, `control::x` and `body::x` columns that are plain XLSForm columns by another name.
_NAMESPACED = {
    "relevant": "relevant",
    "required": "required",
    "constraint": "constraint",
    "calculate": "calculation",
    "readonly": "read_only",
    "jr:constraintmsg": "constraint_message",
    "jr:requiredmsg": "required_message",
    "jr:count": "repeat_count",
    "appearance": "appearance",
}
_PREFIXED = ("media", "bind", "body", "instance", "control")


@dataclass(frozen=True)
class Column:
    index: int
    header: str  # as written, stripped; the column letter when the header is empty
    base: str  # normalised: lower case, spaces → "_", aliases resolved; "" if no header
    language: str | None  # the part after "::" as written, e.g. "English (en)"
    duplicate: bool = False  # the same base and language appeared in an earlier column


def parse_header(
    index: int, header: str | None, *, double_colon: bool = True, sheet: str = "survey"
) -> Column:
    """A header as pyxform reads it: `label::English (en)`, or in a sheet without any `::`
    header the old single-colon form `label:English (en)`, `bind:relevant`."""
    if not header:
        return Column(index, column_letter(index), "", None)
    if double_colon or "::" in header:
        parts = [part.strip() for part in header.split("::")]
    else:
        parts = [part.strip() for part in header.split(":")]
        # jr:count and jr:constraintMsg keep their namespace when split on single colons.
        while "jr" in parts[:-1]:
            at = parts.index("jr")
            parts[at : at + 2] = [f"jr:{parts[at + 1]}"]
    head = re.sub(r"\s+", "_", parts[0].lower())
    aliases = {**_ALIASES, **_SHEET_ALIASES.get(sheet, {})}
    if head in _PREFIXED and len(parts) > 1:
        inner = re.sub(r"\s+", "_", parts[1].lower())
        plain = _NAMESPACED.get(inner) if head in ("bind", "control", "body") else None
        base = plain or f"{'body' if head == 'control' else head}::{inner}"
        rest = parts[2:]
    else:
        base = aliases.get(head, head)
        rest = parts[1:]
    language = "::".join(rest) or None
    return Column(index, header, base, language)


def column_letter(index: int) -> str:
    letters = ""
    n = index + 1
    while n:
        n, remainder = divmod(n - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def cell_text(value: Any) -> str | None:
    """A cell as text, trimmed of surrounding whitespace (non-breaking spaces included)."""
    if value is None:
        return None
    if isinstance(value, bool):
        text = "TRUE" if value else "FALSE"  # as pyxform writes a boolean cell
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, dt.datetime):
        midnight = value.time() == dt.time()
        text = value.date().isoformat() if midnight else value.isoformat()
    else:
        text = str(value)
    text = text.strip().strip(_BLANK).strip()
    return text or None


@dataclass
class Row:
    sheet: Sheet
    number: int
    values: dict[int, str]  # column index → text, non-empty cells only
    used: set[int] = field(default_factory=set)

    def value(self, base: str) -> str | None:
        """The first non-empty cell of the columns named `base` (no language), marked used."""
        for column in self.sheet.columns_for(base):
            if column.language is None and column.index in self.values:
                self.used.add(column.index)
                return self.values[column.index]
        return None

    def texts(self, base: str) -> dict[str | None, tuple[Column, str]]:
        """Every non-empty cell of `base` and `base::Language` columns, by language label."""
        found: dict[str | None, tuple[Column, str]] = {}
        for column in self.sheet.columns_for(base):
            if column.index in self.values:
                self.used.add(column.index)
                found[column.language] = (column, self.values[column.index])
        return found

    def use_all(self) -> None:
        self.used.update(self.values)

    def leftovers(self) -> list[tuple[Column, str]]:
        return [
            (self.sheet.columns[index], text)
            for index, text in sorted(self.values.items())
            if index not in self.used
        ]

    @property
    def is_empty(self) -> bool:
        return not self.values


@dataclass
class Sheet:
    title: str
    columns: list[Column]
    rows: list[Row]

    def columns_for(self, base: str) -> list[Column]:
        return [c for c in self.columns if c.base == base and not c.duplicate]

    def has_content(self, column: Column) -> bool:
        return any(column.index in row.values for row in self.rows)


def _build_sheet(title: str, raw_rows: list[tuple[int, tuple[Any, ...]]]) -> Sheet:
    numbered = [(number, [cell_text(v) for v in values]) for number, values in raw_rows]
    numbered = [(number, cells) for number, cells in numbered if any(cells)]
    if not numbered:
        return Sheet(title, [], [])
    _, header_cells = numbered[0]
    width = max(len(cells) for _, cells in numbered)
    columns: list[Column] = []
    seen: set[tuple[str, str | None]] = set()
    # As in pyxform: single colons separate only when no header of the sheet uses "::".
    double_colon = any(cell and "::" in cell for cell in header_cells)
    sheet_kind = title.strip().lower()
    for index in range(width):
        header = header_cells[index] if index < len(header_cells) else None
        column = parse_header(index, header, double_colon=double_colon, sheet=sheet_kind)
        key = (column.base, column.language)
        if column.base and key in seen:
            column = Column(index, column.header, column.base, column.language, duplicate=True)
        seen.add(key)
        columns.append(column)
    sheet = Sheet(title, columns, [])
    for number, cells in numbered[1:]:
        values = {index: text for index, text in enumerate(cells) if text is not None}
        sheet.rows.append(Row(sheet, number, values))
    return sheet


class WorkbookError(Exception):
    pass


# pyxform stops reading a sheet after this many empty rows in a row; so do we, so that a form
# reads the same here as in ODK, and a sheet of a million formatted blank rows reads quickly.
MAX_ADJACENT_EMPTY_ROWS = 60


def _content_rows(ws: Any) -> list[tuple[int, tuple[Any, ...]]]:
    """The rows of an openpyxl sheet that hold a value (see content_rows).

    A sheet often declares far more rows and columns than it fills (a formatted cell on row
    1,048,576 makes its dimension A1:XFD1048576), and read-only openpyxl pads every row up to
    the declared size: forgetting the declared size makes it yield only what the file holds.
    """
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()
    return content_rows(ws.iter_rows(values_only=True))


def content_rows(values_by_row: Iterable[tuple[Any, ...]]) -> list[tuple[int, tuple[Any, ...]]]:
    """The rows that hold a value, numbered as in the sheet, each without trailing blanks;
    reading stops after MAX_ADJACENT_EMPTY_ROWS empty rows, as pyxform's does."""
    rows: list[tuple[int, tuple[Any, ...]]] = []
    empty_run = 0
    for number, values in enumerate(values_by_row, 1):
        end = len(values)
        while end and (values[end - 1] is None or cell_text(values[end - 1]) is None):
            end -= 1
        if not end:
            empty_run += 1
            if empty_run > MAX_ADJACENT_EMPTY_ROWS:
                break
            continue
        empty_run = 0
        rows.append((number, values[:end]))
    return rows


def read_workbook(path: Path) -> dict[str, Sheet]:
    """All sheets by lower-case name; WorkbookError when the file is not a readable .xlsx or
    .xls workbook.

    The messages do not name the file: whoever reports them (the CLI) puts the name first.
    """
    import openpyxl  # imported here: only the importer needs it

    if not path.exists():
        raise WorkbookError("file not found")
    if path.is_dir():
        raise WorkbookError("is a folder, not an .xlsx file")
    old_format = is_xls(path)
    try:
        if old_format:
            raw = {title: content_rows(rows) for title, rows in xls_sheets(path)}
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # openpyxl warns about extensions it skips
                book = openpyxl.load_workbook(path, read_only=True, data_only=True)
                try:
                    raw = {ws.title: _content_rows(ws) for ws in book.worksheets}
                finally:
                    book.close()
    except Exception as exc:  # any failure to parse the container means the same to the user
        kind = ".xls" if old_format else ".xlsx"
        detail = str(exc) or type(exc).__name__
        raise WorkbookError(f"cannot be read as an {kind} workbook: {detail}") from None
    return {title.strip().lower(): _build_sheet(title, rows) for title, rows in raw.items()}


_TRANSLATABLE = frozenset({"label", "hint", "constraint_message", "required_message"})
MEDIA_COLUMNS = _MEDIA = frozenset({"image", "audio", "video", "big-image", "big_image"})
_UNSUPPORTED_COLUMNS = {
    "guidance_hint": "guidance hints are not supported",
    "parameters": "question parameters are not supported",
    "note": "the 'note' column is not supported",
    "autoplay": "autoplay is not supported",
    "intent": "external app intents are not supported",
}


def describe_unused(
    column: Column, context: str, known: Iterable[str], unknown: str = "unknown column"
) -> str:
    """Why the cells of a column were not used (the caller adds the value and 'ignored')."""
    if not column.base:
        return "the column has no header"
    if column.duplicate:
        return "the column appears twice and the first one is used"
    if column.base == "appearance":
        return "appearance is not supported"
    if column.base.startswith("media::") or column.base in _MEDIA:
        return "media files are not supported"
    if column.base.startswith(("bind::", "body::", "instance::")):
        return "custom XForm attributes are not supported"
    if column.base in _UNSUPPORTED_COLUMNS:
        return _UNSUPPORTED_COLUMNS[column.base]
    if column.language is not None and column.base not in _TRANSLATABLE:
        return f"'{column.base}' cannot be translated"
    if column.base in set(known):
        return f"has no meaning {context}"
    return unknown
