"""CSV and GeoJSON files shipped beside an XLSForm: choices of select_one_from_file /
select_multiple_from_file, and the tables pulldata() reads. They are bundled into the form
JSON (`data_files`), so the form travels and is signed as one document."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

MAX_FILE_BYTES = 2_000_000
MAX_ROWS = 20_000
PULLDATA_RE = re.compile(r"pulldata\s*\(\s*['\"]([^'\"]+)['\"]")


# ODK's lookup into an attached file, `instance('f')/root/item[key = value]/column`: the same
# question as pulldata('f', 'column', 'key', value) (ODK docs, "Form datasets": "pulldata ...
# is equivalent to instance('fruits')/root/item[name = ${fruit}]/price"). Only this one shape
# is read; any other path into an instance is left for the expression parser to refuse.
_NAME = r"[A-Za-z_][\w.-]*"
_INSTANCE_LOOKUP = re.compile(
    rf"instance\(\s*(['\"])(?P<table>{_NAME})\1\s*\)\s*/\s*root\s*/\s*item\s*"
    rf"\[\s*(?P<key>{_NAME})\s*=\s*(?P<value>\$\{{\s*{_NAME}\s*\}}|'[^']*'|\"[^\"]*\")\s*\]"
    rf"\s*/\s*(?P<column>{_NAME}(?::{_NAME})?)"  # OSM tags name columns so: fuel:diesel
)
FILE_SUFFIXES = (".csv", ".geojson")


class DataFileError(Exception):
    """The file cannot be bundled; the message says why in one sentence."""


class MissingDataFile(DataFileError):
    """The file is not beside the XLSForm: the form can be imported, but not used until it is."""


def instance_lookups_as_pulldata(text: str) -> str:
    """`instance('f')/root/item[k = v]/c` written as `pulldata('f', 'c', 'k', v)`."""
    if "instance" not in text:
        return text
    return _INSTANCE_LOOKUP.sub(
        lambda m: f"pulldata('{m['table']}', '{m['column']}', '{m['key']}', {m['value']})", text
    )


def read_rows(folder: Path | None, file_name: str) -> list[dict[str, str]]:
    """The rows of a CSV or GeoJSON file beside the XLSForm."""
    if file_name.lower().endswith(".geojson"):
        return read_geojson_rows(folder, file_name)
    return read_csv_rows(folder, file_name)


def _file_bytes(folder: Path | None, file_name: str) -> bytes:
    if folder is None:
        raise MissingDataFile(f"{file_name} cannot be found: the XLSForm has no folder")
    if Path(file_name).name != file_name:
        raise DataFileError(f"{file_name!r} must be a file name beside the XLSForm, not a path")
    path = folder / file_name
    if not path.is_file():
        raise MissingDataFile(f"{file_name} is not beside the XLSForm ({folder})")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise DataFileError(f"{file_name} is larger than {MAX_FILE_BYTES // 1_000_000} MB")
    return path.read_bytes()


def read_geojson_rows(folder: Path | None, file_name: str) -> list[dict[str, str]]:
    """A GeoJSON FeatureCollection as rows, as ODK Collect reads it for select_one_from_file
    (ODK docs, "Selects from GeoJSON"): each feature's `properties` as columns, its `id` as the
    value (the feature's own id, else an `id` property) and a Point's coordinates as
    `geometry` in ODK's geopoint text, `lat lon 0 0`; other geometries are left out, since a
    desktop interview draws no map."""
    raw = _file_bytes(folder, file_name)
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise DataFileError(f"{file_name} is not readable GeoJSON") from None
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise DataFileError(f"{file_name} is not a GeoJSON FeatureCollection")
    if len(features) > MAX_ROWS:
        raise DataFileError(f"{file_name} has more than {MAX_ROWS:,} features")
    rows: list[dict[str, str]] = []
    for feature in features:
        if not isinstance(feature, dict):
            continue
        properties = feature.get("properties")
        row = {
            str(key).strip(): _text(value)
            for key, value in (properties if isinstance(properties, dict) else {}).items()
            if str(key).strip() and isinstance(value, str | int | float | bool)
        }
        if feature.get("id") is not None:
            row["id"] = _text(feature["id"])
        geometry = feature.get("geometry")
        if isinstance(geometry, dict) and geometry.get("type") == "Point":
            point = geometry.get("coordinates")
            if isinstance(point, list) and len(point) >= 2:
                row["geometry"] = f"{_text(point[1])} {_text(point[0])} 0 0"
        if row.get("id"):
            rows.append(row)
    return rows


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()


def read_csv_rows(folder: Path | None, file_name: str) -> list[dict[str, str]]:
    """The rows of `file_name` in `folder` as dicts by header; DataFileError if not usable."""
    raw = _file_bytes(folder, file_name)
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
    for suffix in FILE_SUFFIXES:
        if file_name.lower().endswith(suffix):
            return file_name[: -len(suffix)]
    return file_name


def pulldata_tables(expressions: list[tuple[int, str, str]]) -> dict[str, tuple[int, str]]:
    """Table names pulldata() reads in these expressions → the first row and column using it."""
    found: dict[str, tuple[int, str]] = {}
    for row, column, text in expressions:
        for name in PULLDATA_RE.findall(text):
            found.setdefault(table_name(name), (row, column))
    return found
