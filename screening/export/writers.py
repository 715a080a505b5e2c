"""Streaming writers: one row at a time, into a staging file beside the destination.

Every writer writes `FILE.partial` (owner-only) in the destination's folder and renames it
over `FILE` only when everything is written and checked, so a failed or cancelled export
leaves nothing behind, and nothing goes through the system's temporary folder (openpyxl's
write-only sheets normally stage their rows there; here they stage beside the file).
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
from pathlib import Path
from typing import Any, TextIO


def staging_path(out: Path, suffix: str = ".partial") -> Path:
    return out.with_name(out.name + suffix)


def open_private(path: Path, mode: str = "w") -> TextIO:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()  # a leftover of a crashed export
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
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


class XlsxWriter:
    """openpyxl write-only workbook: rows are streamed to a sheet file, never all in memory."""

    def __init__(self, out: Path, columns: tuple[str, ...], sheet: str = "export") -> None:
        from openpyxl import Workbook

        self.out = out
        self.staged = staging_path(out)
        self._sheet_files: list[Path] = []
        self._sheets: list[Any] = []
        self._book = Workbook(write_only=True)
        self._sheet = self._new_sheet(sheet)
        self._sheet.freeze_panes = "A2"
        self._sheet.append(list(columns))

    def _new_sheet(self, title: str) -> Any:
        from openpyxl.worksheet import _writer as sheet_writer

        sheet = self._book.create_sheet(title)
        path = staging_path(self.out, f".sheet{len(self._sheet_files) + 1}.partial")
        open_private(path).close()
        self._sheet_files.append(path)
        # openpyxl would stage the sheet in the system temp folder; give it a file here.
        writer = sheet_writer.WorksheetWriter(sheet, out=str(path))
        sheet_writer.ALL_TEMP_FILES.append(str(path))
        sheet._writer = writer
        writer.write_top()
        self._sheets.append(sheet)
        return sheet

    def write(self, row: list[Any]) -> None:
        self._sheet.append(row)

    def add_sheet(self, title: str, rows: list[list[Any]]) -> None:
        sheet = self._new_sheet(title)
        for row in rows:
            sheet.append(row)

    def commit(self) -> None:
        open_private(self.staged).close()
        self._book.save(str(self.staged))
        finish(self.staged, self.out)
        discard(*self._sheet_files)

    def abort(self) -> None:
        from openpyxl.worksheet import _writer as sheet_writer

        for sheet in self._sheets:
            with contextlib.suppress(Exception):
                if not sheet.closed:
                    sheet.close()  # finish the sheet's stream so nothing writes to it later
        discard(self.staged, *self._sheet_files)
        for path in self._sheet_files:
            with contextlib.suppress(ValueError):
                sheet_writer.ALL_TEMP_FILES.remove(str(path))


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
