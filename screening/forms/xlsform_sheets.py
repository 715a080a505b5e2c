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


_ALIASES = {
    "relevance": "relevant",
    "readonly": "read_only",
    "jr:count": "repeat_count",
    "jr:constraintmsg": "constraint_message",
    "jr:requiredmsg": "required_message",
    "caption": "label",
    "list": "list_name",
    "id_string": "form_id",
}
_PREFIXED = ("media", "bind", "body", "instance")


@dataclass(frozen=True)
class Column:
    index: int
    header: str  # as written, stripped; the column letter when the header is empty
    base: str  # normalised: lower case, spaces → "_", aliases resolved; "" if no header
    language: str | None  # the part after "::" as written, e.g. "English (en)"
    duplicate: bool = False  # the same base and language appeared in an earlier column


def parse_header(index: int, header: str | None) -> Column:
    if not header:
        return Column(index, column_letter(index), "", None)
    parts = [part.strip() for part in header.split("::")]
    head = re.sub(r"\s+", "_", parts[0].lower())
    if head in _PREFIXED and len(parts) > 1:
        base = f"{head}::{parts[1].lower()}"
        rest = parts[2:]
    else:
        base = _ALIASES.get(head, head)
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
        text = "true" if value else "false"
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


def _build_sheet(title: str, raw_rows: list[tuple[Any, ...]]) -> Sheet:
    numbered = [
        (number, [cell_text(v) for v in values]) for number, values in enumerate(raw_rows, 1)
    ]
    numbered = [(number, cells) for number, cells in numbered if any(cells)]
    if not numbered:
        return Sheet(title, [], [])
    _, header_cells = numbered[0]
    width = max(len(cells) for _, cells in numbered)
    columns: list[Column] = []
    seen: set[tuple[str, str | None]] = set()
    for index in range(width):
        header = header_cells[index] if index < len(header_cells) else None
        column = parse_header(index, header)
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


def read_workbook(path: Path) -> dict[str, Sheet]:
    """All sheets by lower-case name; WorkbookError when the file is not a readable .xlsx.

    The messages do not name the file: whoever reports them (the CLI) puts the name first.
    """
    import openpyxl  # imported here: only the importer needs it

    if not path.exists():
        raise WorkbookError("file not found")
    if path.is_dir():
        raise WorkbookError("is a folder, not an .xlsx file")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about extensions it skips
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
            try:
                raw = {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}
            finally:
                book.close()
    except Exception as exc:  # any failure to parse the container means the same to the user
        hint = " (old .xls files must be saved as .xlsx)" if path.suffix.lower() == ".xls" else ""
        detail = str(exc) or type(exc).__name__
        raise WorkbookError(f"cannot be read as an .xlsx workbook{hint}: {detail}") from None
    return {title.strip().lower(): _build_sheet(title, rows) for title, rows in raw.items()}


_TRANSLATABLE = frozenset({"label", "hint", "constraint_message", "required_message"})
_MEDIA = frozenset({"image", "audio", "video", "big-image", "big_image"})
_UNSUPPORTED_COLUMNS = {
    "default": "default values are not supported",
    "choice_filter": "choice filters are not supported (every choice is offered)",
    "guidance_hint": "guidance hints are not supported",
    "parameters": "question parameters are not supported",
    "trigger": "triggers are not supported",
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
