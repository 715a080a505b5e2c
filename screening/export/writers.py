"""Streaming writers: one row at a time, into a staging file beside the destination.

Every writer writes `FILE.partial` (owner-only) in the destination's folder and renames it
over `FILE` only when everything is written and checked, so a failed or cancelled export
leaves nothing behind, and nothing goes through the system's temporary folder.
"""

from __future__ import annotations

import contextlib
import csv
import json
import math
import os
import re
import zipfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape


def staging_path(out: Path, suffix: str = ".partial") -> Path:
    return out.with_name(out.name + suffix)


def open_private(path: Path, mode: str = "w") -> Any:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()  # a leftover of a crashed export
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    if "b" in mode:
        return os.fdopen(fd, mode)
    return os.fdopen(fd, mode, encoding="utf-8", newline="")


def finish(staged: Path, out: Path) -> None:
    with open(staged, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(staged, out)


def discard(*paths: Path) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink()


class CsvWriter:
    def __init__(self, out: Path, columns: tuple[str, ...]) -> None:
        self.out = out
        self.staged = staging_path(out)
        self._file = open_private(self.staged)
        self._csv = csv.writer(self._file, lineterminator="\n")
        self._csv.writerow(columns)

    def write(self, row: list[Any]) -> None:
        self._csv.writerow(row)

    def close(self) -> None:
        self._file.close()

    def commit(self) -> None:
        self.close()
        finish(self.staged, self.out)

    def abort(self) -> None:
        with contextlib.suppress(Exception):
            self._file.close()
        discard(self.staged)


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_STYLES = (
    f'{_HEAD}<styleSheet xmlns="{_MAIN}"><fonts count="1"><font><sz val="11"/>'
    '<name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/>'
    '</fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border>'
    '<left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="1">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
# Not allowed in XML 1.0 even escaped; SpreadsheetML writes them as _xHHHH_, so a literal
# "_xHHHH_" in a value is itself escaped (its "_" as _x005F_).
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
_NEEDS_WORK = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff&<>]|_x[0-9A-Fa-f]{4}_")
MAX_CELL_TEXT = 32_767  # Excel's limit per cell


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _text(value: str) -> str:
    value = value[:MAX_CELL_TEXT]
    if _NEEDS_WORK.search(value) is None:
        return value
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _NOT_XML.sub(lambda m: f"_x{ord(m.group()):04X}_", value)


def _attribute(value: str) -> str:
    return escape(value, {'"': "&quot;"})


class _Sheet:
    """One worksheet streamed into the open zip entry, row after row."""

    def __init__(self, stream: Any, *, frozen_header: bool) -> None:
        self._stream = stream
        self._rows = 0
        self._refs: list[str] = []
        view = (
            '<sheetViews><sheetView tabSelected="1" workbookViewId="0"><pane ySplit="1" '
            'topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft"/></sheetView></sheetViews>'
            if frozen_header
            else ""
        )
        stream.write(f'{_HEAD}<worksheet xmlns="{_MAIN}">{view}<sheetData>'.encode())

    def write(self, row: list[Any]) -> None:
        self._rows += 1
        number = self._rows
        while len(self._refs) < len(row):
            self._refs.append(_column(len(self._refs)))
        cells = []
        for ref, value in zip(self._refs, row, strict=False):
            if value is None:
                continue
            if isinstance(value, bool):
                cells.append(f'<c r="{ref}{number}" t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, int):
                cells.append(f'<c r="{ref}{number}"><v>{int(value)}</v></c>')
            elif isinstance(value, float) and math.isfinite(value):
                cells.append(f'<c r="{ref}{number}"><v>{float(value)!r}</v></c>')
            else:
                # Always text: a value that looks like a formula, number or link stays text.
                cells.append(
                    f'<c r="{ref}{number}" t="inlineStr"><is><t xml:space="preserve">'
                    f"{_text(str(value))}</t></is></c>"
                )
        self._stream.write(f'<row r="{number}">{"".join(cells)}</row>'.encode())

    def close(self) -> None:
        self._stream.write(b"</sheetData></worksheet>")
        self._stream.close()


class XlsxWriter:
    """A streaming XLSX writer: each row goes straight into the deflated sheet inside the
    staged file, so memory stays flat however many rows there are, and nothing is staged
    anywhere else (no temporary files at all).

    Written here rather than with openpyxl's write-only mode or XlsxWriter's
    `constant_memory` mode: both spend 5-15 microseconds per cell on generic type dispatch
    and escaping, which made an XLSX export 4-6 times slower than a CSV dump of the same rows
    (docs/export.md). Cells are strings (inline, never read as formulas, numbers or links:
    a value from a vault starting with `=` must not become a formula on a coordinator's
    machine), integers, floats and booleans; None is an empty cell. The first sheet's header
    row is frozen.
    """

    def __init__(self, out: Path, columns: tuple[str, ...], sheet: str = "export") -> None:
        self.out = out
        self.staged = staging_path(out)
        self._handle = open_private(self.staged, "wb")
        self._zip = zipfile.ZipFile(self._handle, "w", zipfile.ZIP_DEFLATED, compresslevel=1)
        self._names: list[str] = []
        self._sheet = self._new_sheet(sheet, frozen_header=True)
        self._sheet.write(list(columns))

    def _new_sheet(self, title: str, *, frozen_header: bool = False) -> _Sheet:
        self._names.append(title)
        stream = self._zip.open(f"xl/worksheets/sheet{len(self._names)}.xml", "w")
        return _Sheet(stream, frozen_header=frozen_header)

    def write(self, row: list[Any]) -> None:
        self._sheet.write(row)

    def add_sheet(self, title: str, rows: list[list[Any]]) -> None:
        self._sheet.close()
        self._sheet = self._new_sheet(title)
        for row in rows:
            self._sheet.write(row)

    def _write_package(self) -> None:
        count = len(self._names)
        sheets = "".join(
            f'<sheet name="{_attribute(name[:31])}" sheetId="{i}" r:id="rId{i}"/>'
            for i, name in enumerate(self._names, start=1)
        )
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, count + 1)
        )
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
            f'ContentType="{_TYPE}.worksheet+xml"/>'
            for i in range(1, count + 1)
        )
        parts = {
            "[Content_Types].xml": (
                f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                'content-types"><Default Extension="rels" ContentType="application/'
                'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
                'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
                f'ContentType="{_TYPE}.sheet.main+xml"/><Override PartName="/xl/styles.xml" '
                f'ContentType="{_TYPE}.styles+xml"/>{overrides}</Types>'
            ),
            "_rels/.rels": (
                f'{_HEAD}<Relationships xmlns="{_PKG_REL}"><Relationship Id="rId1" '
                f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
            ),
            "xl/workbook.xml": (
                f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><bookViews>'
                f'<workbookView activeTab="0"/></bookViews><sheets>{sheets}</sheets></workbook>'
            ),
            "xl/_rels/workbook.xml.rels": (
                f'{_HEAD}<Relationships xmlns="{_PKG_REL}">{rels}<Relationship '
                f'Id="rId{count + 1}" Type="{_REL}/styles" Target="styles.xml"/></Relationships>'
            ),
            "xl/styles.xml": _STYLES,
        }
        for name, text in parts.items():
            self._zip.writestr(name, text)

    def commit(self) -> None:
        self._sheet.close()
        self._write_package()
        self._zip.close()
        self._handle.close()
        finish(self.staged, self.out)

    def abort(self) -> None:
        with contextlib.suppress(Exception):
            self._sheet.close()
        with contextlib.suppress(Exception):
            self._zip.close()
        with contextlib.suppress(Exception):
            self._handle.close()
        discard(self.staged)


class JsonWriter:
    """A JSON document whose `records` array is written one record at a time."""

    def __init__(self, out: Path, head: dict[str, Any]) -> None:
        self.out = out
        self.staged = staging_path(out)
        self._file = open_private(self.staged)
        opening = json.dumps(head, ensure_ascii=False, indent=1)[:-2]  # drop "\n}"
        self._file.write(opening + ',\n "records": [\n')
        self._first = True

    def write(self, record: dict[str, Any]) -> None:
        if not self._first:
            self._file.write(",\n")
        self._first = False
        self._file.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")))

    def commit(self) -> None:
        self._file.write("\n ]\n}\n")
        self._file.close()
        finish(self.staged, self.out)

    def abort(self) -> None:
        with contextlib.suppress(Exception):
            self._file.close()
        discard(self.staged)
