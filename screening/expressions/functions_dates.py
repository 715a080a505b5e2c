"""ODK's date and time functions: format-date, decimal-date-time, decimal-time, date-time.

Dates with a time, and times, are ISO 8601 text as ODK stores them
(`2024-05-01T14:30:00.000+02:00`, `14:30:00.000+02:00`); these functions read and write that text.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, timedelta, timezone

from screening.expressions.values import EPOCH, NAN, to_string

_EPOCH_DATETIME = datetime(1970, 1, 1, tzinfo=UTC)

# ----------------------------------------------------------------------

_DATETIME_RE = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?"
    r"(Z|[+-]\d{2}:?\d{2})?",
    re.ASCII,
)
_TIME_RE = re.compile(
    r"(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?", re.ASCII
)


def _zone(text: str | None) -> timezone | None:
    if not text:
        return None
    if text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _fraction(digits: str | None) -> int:
    return int((digits or "0")[:6].ljust(6, "0"))


def parse_datetime(text: str) -> datetime | None:
    """`YYYY-MM-DD`, with an optional time and offset, as ODK writes dateTime values."""
    match = _DATETIME_RE.fullmatch(text.strip())
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    try:
        return datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            _fraction(fraction),
            tzinfo=_zone(zone),
        )
    except ValueError:
        return None


def to_datetime(value: object) -> datetime | None:
    """A moment from a date, dateTime text, or a number of days since 1970-01-01 (UTC)."""
    if type(value) is date:
        return datetime(value.year, value.month, value.day)
    if type(value) is float:
        if math.isnan(value) or math.isinf(value):
            return None
        try:
            return _EPOCH_DATETIME + timedelta(days=value)
        except OverflowError:
            return None
    if type(value) is str:
        parsed = parse_datetime(value)
        if parsed is not None:
            return parsed
        time = _TIME_RE.fullmatch(value.strip())
        if time is not None:  # a time question's value: on 1970-01-01, as in Enketo
            hour, minute, second, fraction, zone = time.groups()
            if int(hour) < 24 and int(minute) < 60 and int(second or 0) < 60:
                return datetime(
                    1970,
                    1,
                    1,
                    int(hour),
                    int(minute),
                    int(second or 0),
                    _fraction(fraction),
                    tzinfo=_zone(zone),
                )
    return None


def format_iso(moment: datetime) -> str:
    """ODK's dateTime text: milliseconds and the offset, e.g. 2024-05-01T14:30:00.000+02:00."""
    if moment.tzinfo is None:
        moment = moment.astimezone()
    text = moment.isoformat(timespec="milliseconds")
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def decimal_date_time(value: object) -> float:
    """Days since 1970-01-01T00:00Z, with the time as a fraction; NaN when not a moment."""
    if type(value) is date:
        return float((value - EPOCH).days)
    moment = to_datetime(value)
    if moment is None:
        return NAN
    if moment.tzinfo is None:
        naive_epoch = datetime(1970, 1, 1)
        return (moment - naive_epoch).total_seconds() / 86400.0
    return (moment - _EPOCH_DATETIME).total_seconds() / 86400.0


def decimal_time(value: object) -> float:
    """The time of day as a fraction of a day (06:00 → 0.25), in the time's own offset."""
    text = to_string(value).strip()
    match = _TIME_RE.fullmatch(text)
    moment = to_datetime(text) if match is None else None
    if match is not None:
        hour, minute, second, fraction, _zone_text = match.groups()
        if int(hour) > 23 or int(minute) > 59 or int(second or 0) > 59:
            return NAN
        seconds = int(hour) * 3600 + int(minute) * 60 + int(second or 0)
        return (seconds + _fraction(fraction) / 1e6) / 86400.0
    if moment is None or "T" not in text:
        return NAN
    seconds = moment.hour * 3600 + moment.minute * 60 + moment.second
    return (seconds + moment.microsecond / 1e6) / 86400.0


def date_time(value: object) -> str:
    """A number of days since 1970-01-01T00:00Z (or a date, or dateTime text) as dateTime text."""
    moment = to_datetime(value)
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return format_iso(moment)


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def format_date(value: object, pattern: object) -> str:
    """ODK's format-date: %Y %y %m %n %b %d %e %a %H %h %M %S %3; '' for a value that is not a
    date. Month and day names are English, as in JavaRosa without a locale."""
    if type(value) is date:
        moment: datetime | None = datetime(value.year, value.month, value.day)
    else:
        moment = to_datetime(value)
    if moment is None:
        return ""
    fields = {
        "Y": f"{moment.year:04d}",
        "y": f"{moment.year % 100:02d}",
        "m": f"{moment.month:02d}",
        "n": str(moment.month),
        "b": _MONTHS[moment.month - 1],
        "d": f"{moment.day:02d}",
        "e": str(moment.day),
        "a": _DAYS[moment.weekday()],
        "H": f"{moment.hour:02d}",
        "h": str(moment.hour),
        "M": f"{moment.minute:02d}",
        "S": f"{moment.second:02d}",
        "3": f"{moment.microsecond // 1000:03d}",
    }
    out: list[str] = []
    text = to_string(pattern)
    index = 0
    while index < len(text):
        char = text[index]
        if char == "%" and index + 1 < len(text):
            code = text[index + 1]
            out.append(fields.get(code, code))  # JavaRosa drops the % of an unknown code
            index += 2
            continue
        out.append(char)
        index += 1
    return "".join(out)
