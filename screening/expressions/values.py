"""Runtime values and the XPath 1.0 / JavaRosa coercions between them.

Inside the evaluator every value is one of: ``None`` (empty), ``str``, ``float``, ``bool``,
``datetime.date`` or ``list[str]`` (a select_multiple answer). Numbers are always ``float`` inside
so that the hot paths can test ``type(v) is float`` instead of walking the numeric tower; answers
are brought into that shape once, by :func:`normalize`, when they are read.
"""

from __future__ import annotations

import math
import numbers
import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from screening.expressions.errors import ExpressionError

NAN = float("nan")
INF = float("inf")
EPOCH = date(1970, 1, 1)
_EPOCH_ORDINAL = EPOCH.toordinal()

# Integral results above this cannot all be told apart as floats, so they stay floats.
_MAX_EXACT_INT = 2**53


class ValueType(StrEnum):
    """Static type of a question's answer, or of an expression, as far as check() can tell."""

    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    BOOLEAN = "boolean"
    SELECT_ONE = "select_one"
    SELECT_MULTIPLE = "select_multiple"
    ANY = "any"


# Before a name in a lookup: read it from the top of the form (every instance of every
# repeat), as ODK reads an absolute path. Names never start with "/".
ABSOLUTE = "/"


class NodeSet:
    """The values of one question in every instance of a repeat, read from outside it (or a
    repeat's instances): what count(), sum(), join(), min(), max() and indexed-repeat() take.
    Anywhere else it stands for its first value, as an XPath node-set does.

    `paths` (when known) gives each item's repeat instances, outermost first (`(2, 3)`: the
    third inner instance of the second outer one): what indexed-repeat() picks by."""

    __slots__ = ("items", "paths")

    def __init__(self, items: list[object], paths: list[tuple[int, ...]] | None = None) -> None:
        self.items = items
        self.paths = paths

    @property
    def first(self) -> object:
        return self.items[0] if self.items else None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NodeSet) and self.items == other.items

    def __repr__(self) -> str:
        return f"NodeSet({self.items!r})"


# Values already in evaluator shape; anything else goes through normalize().
PLAIN_TYPES = frozenset({str, float, bool, type(None), date})


def normalize(value: object, label: str) -> object:
    """Bring an answer from the outside world into the evaluator's value shapes.

    ``label`` names where the value came from (``${age}``) for the error message.
    """
    kind = type(value)
    if kind in PLAIN_TYPES:
        return value
    if kind is int:
        return _int_to_float(value)  # type: ignore[arg-type]
    if kind is NodeSet:
        items = [normalize(item, label) for item in value.items]  # type: ignore[attr-defined]
        return NodeSet(items, value.paths)  # type: ignore[attr-defined]
    if isinstance(value, (list, tuple)):
        return [_choice_name(item, label) for item in value]
    if isinstance(value, (set, frozenset)):
        return sorted(_choice_name(item, label) for item in value)
    return _scalar(value, label)


def _scalar(value: object, label: str) -> object:
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, datetime):
        # Questions hold dates, not instants; a datetime answer counts as its calendar day.
        return value.date()
    if isinstance(value, date):
        return date(value.year, value.month, value.day)
    if isinstance(value, int):
        return _int_to_float(value)
    if isinstance(value, (numbers.Real, Decimal)):
        try:
            return float(value)
        except (ValueError, OverflowError):
            return NAN
    raise ExpressionError(
        f"the value of {label} has a type the expression language does not handle "
        f"({type(value).__name__})"
    )


def _choice_name(item: object, label: str) -> str:
    if type(item) is str:
        return item
    scalar = _scalar(item, label)
    return to_string(scalar)


def _int_to_float(value: int) -> float:
    try:
        return float(value)
    except OverflowError:
        return INF if value > 0 else -INF


def is_empty(value: object) -> bool:
    """Empty in the sense of coalesce() and of results: None, '', NaN or no choices."""
    if value is None:
        return True
    if type(value) is str or type(value) is list:
        return not value
    if type(value) is float:
        return value != value
    if type(value) is NodeSet:
        return is_empty(value.first)
    return False


def to_bool(value: object) -> bool:
    """XPath boolean(): JavaRosa treats |x| <= 1e-12 as zero, and every date as true."""
    if type(value) is bool:
        return value
    if value is None:
        return False
    if type(value) is str or type(value) is list:
        return len(value) > 0
    if type(value) is float:
        return abs(value) > 1e-12
    if type(value) is NodeSet:
        return bool(value.items)  # XPath: a node-set is true when it has a node
    return True  # dates


_NUMBER_CHARS = frozenset("-.0123456789")


def str_to_number(text: str) -> float:
    """XPath number() of a string, JavaRosa flavour.

    JavaRosa reads ',' as a decimal point (some locales type it, so '1,000' is 1.0) and accepts
    only digits, '-' and '.': exponents, 'Infinity' and surrounding text all give NaN.
    """
    text = text.replace(",", ".").strip()
    if not text or not _NUMBER_CHARS.issuperset(text):
        return NAN
    try:
        return float(text)
    except ValueError:
        return NAN


def to_number(value: object) -> float:
    """XPath number(); a date counts as whole days since 1970-01-01 as in ODK."""
    if type(value) is float:
        return value
    if value is None:
        return NAN
    if type(value) is str:
        return str_to_number(value)
    if type(value) is bool:
        return 1.0 if value else 0.0
    if type(value) is date:
        return float(value.toordinal() - _EPOCH_ORDINAL)
    if type(value) is list:
        return str_to_number(" ".join(value))
    if type(value) is NodeSet:
        return to_number(value.first)
    return NAN


def to_string(value: object) -> str:
    """XPath string(); a select_multiple answer becomes its space-separated choice names."""
    if type(value) is str:
        return value
    if value is None:
        return ""
    if type(value) is float:
        return format_number(value)
    if type(value) is bool:
        return "true" if value else "false"
    if type(value) is date:
        return value.isoformat()
    if type(value) is list:
        return " ".join(value)
    if type(value) is NodeSet:
        return to_string(value.first)
    return str(value)


def plain_decimal(number: float) -> str:
    """The shortest decimal that reads back as ``number``, never in exponent notation.

    XPath number literals have no exponent syntax, so '1e-05' could not be parsed back.
    """
    return format(Decimal(repr(number)), "f")


def format_number(number: float) -> str:
    """string() of a number: integers without '.0'; JavaRosa's 1e-12 tolerance for integrality."""
    if number != number:
        return "NaN"
    if number in (INF, -INF):
        return "Infinity" if number > 0 else "-Infinity"
    nearest = round(number)
    if abs(number - nearest) < 1e-12:
        return str(nearest)
    return plain_decimal(number)


_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?", re.ASCII | re.DOTALL)


def parse_date(text: str) -> date | None:
    """A date from 'YYYY-MM-DD' (a time part after 'T' or a space is ignored), else None."""
    match = _DATE_RE.fullmatch(text.strip())
    if match is None:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def to_date(value: object) -> date | None:
    """ODK date(): a date, an ISO date string, or a number of days since 1970-01-01."""
    if type(value) is date:
        return value
    if type(value) is NodeSet:
        return to_date(value.first)
    if type(value) is str or type(value) is list:
        return parse_date(to_string(value))
    if type(value) is float:
        if math.isnan(value) or math.isinf(value):
            return None
        try:
            return EPOCH + timedelta(days=math.trunc(value))
        except OverflowError:
            return None
    return None


def date_aware_number(value: object) -> float:
    """Number for a comparison against a date: an ISO date string counts as that date.

    ODK would turn '2024-01-31' into NaN here, which makes ``${d} < '2024-01-31'`` silently false;
    comparing as dates is what a form author means.
    """
    if type(value) is str:
        parsed = parse_date(value)
        if parsed is not None:
            return float(parsed.toordinal() - _EPOCH_ORDINAL)
    return to_number(value)


def export(value: object) -> object:
    """The public shape of a result: empty is None, integral numbers are int."""
    if type(value) is NodeSet:
        value = value.first
    if type(value) is float:
        if value != value:
            return None
        if value.is_integer() and abs(value) < _MAX_EXACT_INT:
            return int(value)
        return value
    if type(value) is str:
        return value or None
    if type(value) is list:
        return list(value) if value else None
    return value
