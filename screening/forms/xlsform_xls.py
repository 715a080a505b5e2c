"""Old Excel `.xls` workbooks (BIFF), which many XLSForms in use still are; pyxform reads
them with xlrd, and so do we. Cells come out as the values openpyxl gives for `.xlsx`, so the
rest of the importer does not know the difference."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def is_xls(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(len(OLE_MAGIC)) == OLE_MAGIC


def xls_sheets(path: Path) -> Iterator[tuple[str, Iterator[tuple[Any, ...]]]]:
    """(title, rows of cell values) for each sheet; xlrd's errors pass through."""
    import xlrd  # imported here: only the importer needs it

    book = xlrd.open_workbook(str(path), on_demand=True)
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            yield sheet.name, _rows(sheet, book.datemode)
            book.unload_sheet(index)
    finally:
        book.release_resources()


def _rows(sheet: Any, datemode: int) -> Iterator[tuple[Any, ...]]:
    for number in range(sheet.nrows):
        yield tuple(_value(cell, datemode) for cell in sheet.row(number))


def _value(cell: Any, datemode: int) -> Any:
    import xlrd

    kind = cell.ctype
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return None
    if kind == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if kind == xlrd.XL_CELL_DATE:
        try:
            moment = xlrd.xldate_as_datetime(cell.value, datemode)
        except (ValueError, OverflowError, xlrd.XLDateError):
            return cell.value
        # A time alone (no date part) is written as the time, as pyxform does.
        return moment.time() if cell.value < 1 else moment
    if kind == xlrd.XL_CELL_NUMBER:
        return float(cell.value)
    return str(cell.value)


__all__ = ["is_xls", "xls_sheets"]
