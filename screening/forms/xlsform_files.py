"""CSV files shipped beside an XLSForm: choices of select_one_from_file /
select_multiple_from_file, and the tables pulldata() reads. They are bundled into the form
JSON (`data_files`), so the form travels and is signed as one document."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

MAX_FILE_BYTES = 2_000_000
MAX_ROWS = 20_000
PULLDATA_RE = re.compile(r"pulldata\s*\(\s*['\"]([^'\"]+)['\"]")


class DataFileError(Exception):
    """The file cannot be bundled; the message says why in one sentence."""


def read_csv_rows(folder: Path | None, file_name: str) -> list[dict[str, str]]:
    """The rows of `file_name` in `folder` as dicts by header; DataFileError if not usable."""
    if folder is None:
        raise DataFileError(f"{file_name} cannot be found: the XLSForm has no folder")
    if Path(file_name).name != file_name:
        raise DataFileError(f"{file_name!r} must be a file name beside the XLSForm, not a path")
    path = folder / file_name
    if not path.is_file():
        raise DataFileError(f"{file_name} is not beside the XLSForm ({folder})")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise DataFileError(f"{file_name} is larger than {MAX_FILE_BYTES // 1_000_000} MB")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataFileError(f"{file_name} is not UTF-8 text") from None
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        headers = [h.strip() for h in reader.fieldnames or [] if h and h.strip()]
        if not headers:
            raise DataFileError(f"{file_name} has no header row")
        rows: list[dict[str, str]] = []
        for row in reader:
            if len(rows) >= MAX_ROWS:
                raise DataFileError(f"{file_name} has more than {MAX_ROWS:,} rows")
            cleaned = {
                (key or "").strip(): (value or "").strip()
                for key, value in row.items()
                if isinstance(key, str) and key.strip() and isinstance(value, str)
            }
            if any(cleaned.values()):
                rows.append(cleaned)
    except csv.Error as exc:
        raise DataFileError(f"{file_name} is not a readable CSV file ({exc})") from None
    return rows


def table_name(file_name: str) -> str:
    """The name a table is bundled under: pulldata('fruits') and fruits.csv are one table."""
    return file_name.removesuffix(".csv")


def pulldata_tables(expressions: list[tuple[int, str, str]]) -> dict[str, tuple[int, str]]:
    """Table names pulldata() reads in these expressions → the first row and column using it."""
    found: dict[str, tuple[int, str]] = {}
    for row, column, text in expressions:
        for name in PULLDATA_RE.findall(text):
            found.setdefault(table_name(name), (row, column))
    return found
