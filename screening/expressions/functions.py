"""The function registry: name → arity, result type and implementation.

Most functions are *eager*: their implementation receives the evaluated argument values. ``if``,
``coalesce`` and ``today`` are *lazy*: they receive the evaluation context and the argument
closures, so that ``if()`` evaluates only the chosen branch and ``today()`` can read the date the
caller supplied.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_DOWN, ROUND_HALF_UP, Context, Decimal
from types import MappingProxyType

from screening.expressions import functions_dates as dates
from screening.expressions import functions_geo as geo
from screening.expressions import functions_odk as odk
from screening.expressions.errors import ExpressionError
from screening.expressions.functions_regex import (
    regex,
)
from screening.expressions.values import (
    INF,
    NAN,
    ValueType,
    is_empty,
    normalize,
    to_bool,
    to_date,
    to_number,
    to_string,
)

_JAVA_INT_MIN = -(2**31)
_JAVA_INT_MAX = 2**31 - 1
_ROUNDING = Context(prec=400)  # enough digits to quantize any finite double without error


ChoiceLabel = Callable[[str, str], str | None]  # (question name, choice name) → label
Tables = Mapping[str, Sequence[Mapping[str, str]]]  # CSV files bundled with a form, by name


class EvalContext:
    """What one evaluation can see besides the literal text of the expression."""

    __slots__ = ("choice_label", "current", "lookup", "position", "tables", "today_value")

    def __init__(
        self,
        lookup: Callable[[str], object],
        current: object,
        today: date | None,
        choice_label: ChoiceLabel | None = None,
        tables: Tables | None = None,
        position: int | None = None,
    ) -> None:
        self.position = position
        self.lookup = lookup
        self.current = current
        self.today_value = today
        self.choice_label = choice_label
        self.tables = tables

    def today(self) -> date:
        value = self.today_value
        if value is None:
            value = self.today_value = date.today()
        elif type(value) is not date:
            value = self.today_value = _as_date(value)
        return value


def _as_date(value: object) -> date:
    # A datetime (or a date subclass) given as "today" counts as its calendar day.
    normalized = normalize(value, "today")
    if type(normalized) is not date:
        raise ExpressionError(f"today must be a date, not {type(value).__name__}")
    return normalized


Evaluator = Callable[[EvalContext], object]


@dataclass(frozen=True, slots=True)
class FunctionSpec:
    name: str
    min_args: int
    max_args: int | None  # None: any number of arguments from min_args up
    returns: ValueType
    impl: Callable[..., object]
    summary: str
    lazy: bool = False

    def accepts(self, count: int) -> bool:
        if self.name == "indexed-repeat" and count % 2 == 0:
            return False  # a value, then pairs of a repeat and an instance number
        return count >= self.min_args and (self.max_args is None or count <= self.max_args)

    def arity_text(self) -> str:
        if self.name == "indexed-repeat":
            return "3, 5 or 7"
        if self.max_args is None:
            return f"at least {self.min_args}"
        if self.max_args == self.min_args:
            return str(self.min_args)
        if self.max_args == self.min_args + 1:
            return f"{self.min_args} or {self.max_args}"
        return f"{self.min_args} to {self.max_args}"


def call_problem(name: str, count: int) -> str | None:
    """The sentence for an unknown function or a wrong argument count, or None if fine."""
    spec = FUNCTIONS.get(name)
    if spec is None:
        return f"unknown function {name}()"
    if not spec.accepts(count):
        return f"wrong number of arguments to {name}() (expects {spec.arity_text()}, got {count})"
    return None


def _choices(value: object) -> list[str]:
    if type(value) is list:
        return value
    return to_string(value).split()


def _selected(value: object, choice: object) -> bool:
    wanted = to_string(choice).strip()
    return bool(wanted) and wanted in _choices(value)


def _count_selected(value: object) -> float:
    return float(len(_choices(value)))


def _java_int(value: object) -> int:
    """Java's (int) cast of a double: NaN is 0 and out-of-range values saturate."""
    number = to_number(value)
    if number != number:
        return 0
    if number >= _JAVA_INT_MAX:
        return _JAVA_INT_MAX
    if number <= _JAVA_INT_MIN:
        return _JAVA_INT_MIN
    return math.trunc(number)


def _selected_at(value: object, index: object) -> str:
    choices = _choices(value)
    position = _java_int(index)
    return choices[position] if 0 <= position < len(choices) else ""


def _int(value: object) -> float:
    number = to_number(value)
    if math.isnan(number) or math.isinf(number):
        return number
    return float(math.trunc(number))


def _round(value: object, places: object = 0.0) -> float:
    number = to_number(value)
    if math.isnan(number) or math.isinf(number):
        return number
    digits = _java_int(places)
    if not -30 <= digits <= 30:
        return NAN
    # XPath rounds halves towards positive infinity: 2.5 → 3, -2.5 → -2.
    mode = ROUND_HALF_DOWN if number < 0 else ROUND_HALF_UP
    exact = Decimal(repr(number))
    return float(exact.quantize(Decimal(1).scaleb(-digits), rounding=mode, context=_ROUNDING))


def _pow(base: object, exponent: object) -> float:
    x, y = to_number(base), to_number(exponent)
    try:
        return math.pow(x, y)
    except ValueError:
        # Python refuses what Java answers: 0 to a negative power is infinite, a negative base
        # to a fractional power is NaN.
        if x == 0.0 and y < 0:
            odd = y.is_integer() and int(y) % 2 == 1
            return math.copysign(INF, x) if odd else INF
        return NAN
    except OverflowError:
        negative = x < 0 and y.is_integer() and int(y) % 2 == 1
        return -INF if negative else INF


def _extreme(values: Sequence[object], pick: Callable[..., float]) -> float:
    numbers = [n for n in map(to_number, odk.nodes(tuple(values))) if n == n]
    return pick(numbers) if numbers else NAN


def _substr(value: object, start: object, end: object = None) -> str:
    text = to_string(value)
    length = len(text)
    first = _java_int(start)
    last = length if end is None else _java_int(end)
    if first < 0:
        first += length
    if last < 0:
        last += length
    first = min(max(0, first), length)
    last = min(max(0, last), length)
    return text[first:last] if first <= last else ""


def _if(ctx: EvalContext, args: Sequence[Evaluator]) -> object:
    return args[1](ctx) if to_bool(args[0](ctx)) else args[2](ctx)


def _coalesce(ctx: EvalContext, args: Sequence[Evaluator]) -> object:
    first = args[0](ctx)
    return args[1](ctx) if is_empty(first) else first


def _today(ctx: EvalContext, args: Sequence[Evaluator]) -> date:
    return ctx.today()


def _string_length(value: object) -> float:
    return float(len(to_string(value)))


def _concat(*values: object) -> str:
    return "".join(map(to_string, values))


def _not(value: object) -> bool:
    return not to_bool(value)


def _true() -> bool:
    return True


def _false() -> bool:
    return False


def _boolean_from_string(value: object) -> bool:
    return to_string(value).lower() in ("true", "1")


def _abs(value: object) -> float:
    return abs(to_number(value))


def _min(*values: object) -> float:
    return _extreme(values, min)


def _max(*values: object) -> float:
    return _extreme(values, max)


def _contains(text: object, part: object) -> bool:
    return to_string(part) in to_string(text)


def _starts_with(text: object, part: object) -> bool:
    return to_string(text).startswith(to_string(part))


def _ends_with(text: object, part: object) -> bool:
    return to_string(text).endswith(to_string(part))


def _normalize_space(text: object) -> str:
    return " ".join(to_string(text).split())


_T, _N, _B, _D, _A = (
    ValueType.TEXT,
    ValueType.NUMBER,
    ValueType.BOOLEAN,
    ValueType.DATE,
    ValueType.ANY,
)
_LAZY = True

# fmt: off
_SPECS = [
    # The functions named in the XLSForm logic section of the design.
    FunctionSpec("selected", 2, 2, _B, _selected, "whether a choice is selected"),
    FunctionSpec("count-selected", 1, 1, _N, _count_selected, "how many choices are selected"),
    FunctionSpec("if", 3, 3, _A, _if, "2nd argument if the 1st is true, else the 3rd", _LAZY),
    FunctionSpec("coalesce", 2, 2, _A, _coalesce, "1st argument unless empty, else the 2nd", _LAZY),
    FunctionSpec("string-length", 1, 1, _N, _string_length, "number of characters"),
    FunctionSpec("today", 0, 0, _D, _today, "today's date", _LAZY),
    FunctionSpec("int", 1, 1, _N, _int, "number truncated towards zero"),
    FunctionSpec("number", 1, 1, _N, to_number, "conversion to a number"),
    FunctionSpec("string", 1, 1, _T, to_string, "conversion to text"),
    FunctionSpec("concat", 1, None, _T, _concat, "the arguments joined as text"),
    FunctionSpec("regex", 2, 2, _B, regex, "whether the whole text matches a pattern"),
    FunctionSpec("not", 1, 1, _B, _not, "logical negation"),
    FunctionSpec("true", 0, 0, _B, _true, "true"),
    FunctionSpec("false", 0, 0, _B, _false, "false"),
    # Further ODK functions that cost little and appear in real forms.
    FunctionSpec("boolean", 1, 1, _B, to_bool, "conversion to true/false"),
    FunctionSpec("boolean-from-string", 1, 1, _B, _boolean_from_string, "'true' or '1'"),
    FunctionSpec("date", 1, 1, _D, to_date, "conversion to a date"),
    FunctionSpec("round", 1, 2, _N, _round, "rounded to a number of decimal places"),
    FunctionSpec("abs", 1, 1, _N, _abs, "absolute value"),
    FunctionSpec("pow", 2, 2, _N, _pow, "power"),
    FunctionSpec("min", 1, None, _N, _min, "smallest number, ignoring empty ones"),
    FunctionSpec("max", 1, None, _N, _max, "largest number, ignoring empty ones"),
    FunctionSpec("contains", 2, 2, _B, _contains, "whether the 2nd text occurs in the 1st"),
    FunctionSpec("starts-with", 2, 2, _B, _starts_with, "prefix test"),
    FunctionSpec("ends-with", 2, 2, _B, _ends_with, "suffix test"),
    FunctionSpec("substr", 2, 3, _T, _substr, "part of a text by 0-based start and end"),
    FunctionSpec("normalize-space", 1, 1, _T, _normalize_space, "spaces trimmed and collapsed"),
    FunctionSpec("selected-at", 2, 2, _T, _selected_at, "the n-th selected choice, from 0"),
    # The rest of the ODK XForms function list (functions_odk.py).
    FunctionSpec("sqrt", 1, 1, _N, odk.sqrt, "square root"),
    FunctionSpec("exp", 1, 1, _N, odk.exp, "e to the power x"),
    FunctionSpec("exp10", 1, 1, _N, odk.exp10, "10 to the power x"),
    FunctionSpec("log", 1, 1, _N, odk.log, "natural logarithm"),
    FunctionSpec("log10", 1, 1, _N, odk.log10, "base-10 logarithm"),
    FunctionSpec("sin", 1, 1, _N, odk.sin, "sine (radians)"),
    FunctionSpec("cos", 1, 1, _N, odk.cos, "cosine (radians)"),
    FunctionSpec("tan", 1, 1, _N, odk.tan, "tangent (radians)"),
    FunctionSpec("asin", 1, 1, _N, odk.asin, "arc sine"),
    FunctionSpec("acos", 1, 1, _N, odk.acos, "arc cosine"),
    FunctionSpec("atan", 1, 1, _N, odk.atan, "arc tangent"),
    FunctionSpec("atan2", 2, 2, _N, odk.atan2, "arc tangent of y/x"),
    FunctionSpec("pi", 0, 0, _N, odk.pi, "π"),
    FunctionSpec("floor", 1, 1, _N, odk.floor, "largest integer not above x"),
    FunctionSpec("ceiling", 1, 1, _N, odk.ceiling, "smallest integer not below x"),
    FunctionSpec("count", 1, None, _N, odk.count, "number of nodes (1 per question)"),
    FunctionSpec("count-non-empty", 1, None, _N, odk.count_non_empty, "non-empty values"),
    FunctionSpec("sum", 1, None, _N, odk.sum_values, "sum of the values"),
    FunctionSpec("join", 2, None, _T, odk.join, "values joined by the 1st argument"),
    FunctionSpec("checklist", 3, None, _B, odk.checklist, "count of true values in a range"),
    FunctionSpec(
        "weighted-checklist", 3, None, _B, odk.weighted_checklist, "weights of true values"
    ),
    FunctionSpec("substring-before", 2, 2, _T, odk.substring_before, "text before a part"),
    FunctionSpec("substring-after", 2, 2, _T, odk.substring_after, "text after a part"),
    FunctionSpec("translate", 3, 3, _T, odk.translate, "characters replaced one by one"),
    FunctionSpec("digest", 2, 3, _T, odk.digest, "MD5/SHA hash, base64 or hex"),
    FunctionSpec("base64-decode", 1, 1, _T, odk.base64_decode, "UTF-8 text from base64"),
    FunctionSpec("format-date", 2, 2, _T, dates.format_date, "a date as text by a pattern"),
    FunctionSpec("format-date-time", 2, 2, _T, dates.format_date, "a date and time as text"),
    FunctionSpec("decimal-date-time", 1, 1, _N, dates.decimal_date_time, "days since 1970"),
    FunctionSpec("decimal-time", 1, 1, _N, dates.decimal_time, "time of day as a day fraction"),
    FunctionSpec("date-time", 1, 1, _T, dates.date_time, "days since 1970 as dateTime text"),
    FunctionSpec("now", 0, 0, _T, odk.now, "the current date and time as text", _LAZY),
    FunctionSpec("random", 0, 0, _N, odk.random, "a random number from 0 up to 1", _LAZY),
    FunctionSpec("uuid", 0, 1, _T, odk.uuid, "a random UUID, or n random characters", _LAZY),
    FunctionSpec("once", 1, 1, _A, odk.once, "the value computed the first time", _LAZY),
    FunctionSpec("jr:choice-name", 2, 2, _T, odk.choice_name, "a choice's label", _LAZY),
    FunctionSpec("pulldata", 4, 4, _T, odk.pulldata, "a value from a bundled CSV", _LAZY),
    FunctionSpec("indexed-repeat", 3, 7, _A, odk.indexed_repeat, "a value in the n-th instance"),
    FunctionSpec("position", 0, 0, _N, odk.position, "the number of this instance", _LAZY),
    FunctionSpec("area", 1, None, _N, geo.area, "area enclosed by points, in m²"),
    FunctionSpec("enclosed-area", 1, None, _N, geo.area, "area() by its older name"),
    FunctionSpec("distance", 1, None, _N, geo.distance, "length through points, in m"),
]
# fmt: on

FUNCTIONS: Mapping[str, FunctionSpec] = MappingProxyType({spec.name: spec for spec in _SPECS})
