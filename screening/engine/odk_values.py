"""Answers that ODK keeps as text: times, dates with a time, and geographic points, lines and
shapes. Each is checked and written the way ODK writes it, so that exports read as ODK's do:

- time: `14:30:00.000+02:00`
- datetime: `2024-05-01T14:30:00.000+02:00`
- geopoint: `latitude longitude altitude accuracy` (`43.84 18.36 0 0`)
- geotrace: points separated by `;` (at least 2); geoshape: a closed trace (at least 3 corners;
  the first point is repeated at the end when it is not already there)

Without an offset, a time is taken in the computer's time zone, as ODK Collect does.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta

_OFFSET = r"(Z|[+-]\d{2}:?\d{2})?"
_TIME_RE = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*" + _OFFSET, re.ASCII)
_DATETIME_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ]+|\s+)(.+)", re.ASCII)
_NUMBER_RE = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)", re.ASCII)


class ODKValueError(ValueError):
    """The text is not a value of the type; the message is for the screener."""


def _offset_text(offset: timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _parse_offset(text: str | None, when: datetime) -> str:
    if not text:
        local = when.astimezone().utcoffset() or timedelta(0)
        return _offset_text(local)
    if text == "Z":
        return "+00:00"
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 14 or minutes > 59:
        raise ODKValueError(f"{text!r} is not a time zone offset")
    return f"{text[0]}{hours:02d}:{minutes:02d}"


def _clock(text: str, when: datetime) -> str:
    match = _TIME_RE.fullmatch(text.strip())
    if match is None:
        raise ODKValueError(f"{text!r} is not a time (HH:MM)")
    hour, minute, second, fraction, zone = match.groups()
    if int(hour) > 23 or int(minute) > 59 or int(second or 0) > 59:
        raise ODKValueError(f"{text!r} is not a time of day")
    millis = (fraction or "0")[:3].ljust(3, "0")
    clock = f"{int(hour):02d}:{minute}:{int(second or 0):02d}.{millis}"
    local = when.replace(hour=int(hour), minute=int(minute))
    return clock + _parse_offset(zone, local)


def odk_time(text: str) -> str:
    return _clock(text, datetime.now())


def odk_datetime(text: str) -> str:
    match = _DATETIME_RE.fullmatch(text.strip())
    if match is None:
        raise ODKValueError(f"{text!r} is not a date and time (YYYY-MM-DD HH:MM)")
    year, month, day, rest = match.groups()
    try:
        day_start = datetime(int(year), int(month), int(day))
    except ValueError:
        raise ODKValueError(f"{text!r} is not a date and time (YYYY-MM-DD HH:MM)") from None
    return f"{day_start.date().isoformat()}T{_clock(rest, day_start)}"


def _number(text: str, what: str) -> float:
    if not _NUMBER_RE.fullmatch(text):
        raise ODKValueError(f"{text!r} is not a number ({what})")
    return float(text)


def _point(text: str) -> tuple[str, ...]:
    # "43.84, 18.36" as map sites copy it, or "43.84 18.36 512 5" as ODK writes it.
    parts = [part for part in re.split(r"[\s,]+", text.strip()) if part]
    if not 2 <= len(parts) <= 4:
        raise ODKValueError(
            f"{text.strip()!r} is not a point: write latitude and longitude, e.g. 43.84 18.36"
        )
    latitude = _number(parts[0], "latitude")
    longitude = _number(parts[1], "longitude")
    if not -90 <= latitude <= 90:
        raise ODKValueError(f"latitude {parts[0]} is not between -90 and 90")
    if not -180 <= longitude <= 180:
        raise ODKValueError(f"longitude {parts[1]} is not between -180 and 180")
    altitude = parts[2] if len(parts) > 2 else "0"
    accuracy = parts[3] if len(parts) > 3 else "0"
    _number(altitude, "altitude")
    if _number(accuracy, "accuracy") < 0:
        raise ODKValueError(f"accuracy {accuracy} cannot be negative")
    return (parts[0], parts[1], altitude, accuracy)


def odk_geopoint(text: str) -> str:
    return " ".join(_point(text))


def _points(text: str) -> list[tuple[str, ...]]:
    return [_point(part) for part in text.split(";") if part.strip()]


def odk_geotrace(text: str) -> str:
    points = _points(text)
    if len(points) < 2:
        raise ODKValueError("a line needs at least 2 points, separated by ';'")
    return ";".join(" ".join(point) for point in points)


def odk_geoshape(text: str) -> str:
    points = _points(text)
    if points and points[0][:2] != points[-1][:2]:
        points.append(points[0])
    if len({point[:2] for point in points}) < 3:
        raise ODKValueError("a shape needs at least 3 different corners, separated by ';'")
    return ";".join(" ".join(point) for point in points)


ODK_TEXT_TYPES: dict[str, Callable[[str], str]] = {
    "time": odk_time,
    "datetime": odk_datetime,
    "geopoint": odk_geopoint,
    "geotrace": odk_geotrace,
    "geoshape": odk_geoshape,
}

__all__ = ["ODK_TEXT_TYPES", "ODKValueError"]
