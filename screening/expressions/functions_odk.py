"""The rest of the ODK XForms function list: maths, text, digests, and the functions whose
value depends on the moment (now, random, uuid, once); dates are in functions_dates.py.

Each eager implementation takes evaluated values and follows JavaRosa (ODK Collect) and Enketo's
evaluator (openrosa-xpath-evaluator); where they differ the docs say which one is followed.
Times and dates with a time are ISO 8601 text (`2024-05-01T14:30:00.000+02:00`), as ODK stores
them; arithmetic on them needs `decimal-date-time()`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import math
import secrets
import string
import uuid as uuid_module
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from screening.expressions import functions_dates as dates
from screening.expressions.values import (
    INF,
    NAN,
    NodeSet,
    is_empty,
    normalize,
    to_bool,
    to_number,
    to_string,
)

# -- maths -----------------------------------------------------------------------------


def _real(function, value: object) -> float:
    """Java's Math functions answer NaN or ±Infinity where Python raises."""
    x = to_number(value)
    try:
        return function(x)
    except ValueError:
        return NAN
    except OverflowError:
        return INF


def sqrt(value: object) -> float:
    return _real(math.sqrt, value)


def exp(value: object) -> float:
    return _real(math.exp, value)


def exp10(value: object) -> float:
    return _real(lambda x: math.pow(10.0, x), value)


def log(value: object) -> float:
    x = to_number(value)
    return -INF if x == 0.0 else _real(math.log, x)


def log10(value: object) -> float:
    x = to_number(value)
    return -INF if x == 0.0 else _real(math.log10, x)


def sin(value: object) -> float:
    return _real(math.sin, value)


def cos(value: object) -> float:
    return _real(math.cos, value)


def tan(value: object) -> float:
    return _real(math.tan, value)


def asin(value: object) -> float:
    return _real(math.asin, value)


def acos(value: object) -> float:
    return _real(math.acos, value)


def atan(value: object) -> float:
    return _real(math.atan, value)


def atan2(y: object, x: object) -> float:
    return math.atan2(to_number(y), to_number(x))


def pi() -> float:
    return math.pi


def floor(value: object) -> float:
    x = to_number(value)
    return x if math.isnan(x) or math.isinf(x) else float(math.floor(x))


def ceiling(value: object) -> float:
    x = to_number(value)
    return x if math.isnan(x) or math.isinf(x) else float(math.ceil(x))


# -- node-set functions --------------------------------------------------------------------
# A question read from outside its repeat is a NodeSet of its value in every instance; any
# other reference is a node-set of exactly one node, so count() is 1 per argument and sum() is
# its number, as in ODK (a select_multiple answer is one node).


def nodes(values: tuple[object, ...]) -> list[object]:
    out: list[object] = []
    for value in values:
        if type(value) is NodeSet:
            out.extend(value.items)
        else:
            out.append(value)
    return out


def count(*values: object) -> float:
    return float(len(nodes(values)))


def count_non_empty(*values: object) -> float:
    return float(sum(1 for value in nodes(values) if not is_empty(value)))


def sum_values(*values: object) -> float:
    return math.fsum(to_number(value) for value in nodes(values))


def join(separator: object, *values: object) -> str:
    return to_string(separator).join(to_string(value) for value in nodes(values))


def indexed_repeat(values: object, *pairs: object) -> object:
    """indexed-repeat(${q}, ${r1}, i1[, ${r2}, i2[, ${r3}, i3]]): q's value in instance i1 of
    repeat r1 (from 1), and within it instance i2 of r2 nested in r1, and so on (ODK XForms
    spec, "indexed-repeat"). The evaluator reads ${q} and each ${r} from the top of the form
    (their every instance), not from where the expression stands."""
    items = values.items if type(values) is NodeSet else [values]
    paths = values.paths if type(values) is NodeSet else None
    wanted: list[tuple[int, int]] = []  # (depth of the repeat, instance number)
    for level, (repeat, index) in enumerate(zip(pairs[::2], pairs[1::2], strict=True), 1):
        n = to_number(index)
        if n != n or not n.is_integer() or n < 1:
            return None
        instances = repeat.paths if type(repeat) is NodeSet else None
        if instances is None:
            wanted.append((level, int(n)))  # no structure known: levels in argument order
        elif not instances:
            return None  # a repeat without instances has no n-th one
        else:
            wanted.append((len(instances[0]), int(n)))
    if paths is None:
        paths = [(i,) for i in range(1, len(items) + 1)]
    for item, path in zip(items, paths, strict=True):
        if all(depth <= len(path) and path[depth - 1] == n for depth, n in wanted):
            return item
    return None


def position(ctx: Any, args: Args) -> float:
    """position(..): the number of the repeat instance being evaluated, from 1."""
    return NAN if ctx.position is None else float(ctx.position)


def checklist(low: object, high: object, *values: object) -> bool:
    """Whether the number of true values is between low and high; -1 means no bound."""
    hits = sum(1 for value in values if to_bool(value))
    return _between(hits, low, high)


def weighted_checklist(low: object, high: object, *pairs: object) -> bool:
    total = sum(to_number(pairs[i + 1]) for i in range(0, len(pairs) - 1, 2) if to_bool(pairs[i]))
    return _between(total, low, high)


def _between(total: float, low: object, high: object) -> bool:
    lo, hi = to_number(low), to_number(high)
    return (lo < 0 or total >= lo) and (hi < 0 or total <= hi)


# -- text ---------------------------------------------------------------------------------


def substring_before(text: object, part: object) -> str:
    whole, sep = to_string(text), to_string(part)
    at = whole.find(sep)
    return "" if at < 0 or not sep else whole[:at]


def substring_after(text: object, part: object) -> str:
    whole, sep = to_string(text), to_string(part)
    at = whole.find(sep)
    return "" if at < 0 else whole[at + len(sep) :]


def translate(text: object, source: object, target: object) -> str:
    """XPath translate(): characters of `source` become those of `target` at the same place,
    or are removed when `target` is shorter; the first occurrence in `source` wins."""
    mapping: dict[int, int | None] = {}
    replacement = to_string(target)
    for index, char in enumerate(to_string(source)):
        if ord(char) not in mapping:
            mapping[ord(char)] = ord(replacement[index]) if index < len(replacement) else None
    return to_string(text).translate(mapping)


_DIGESTS = {
    "MD5": hashlib.md5,
    "SHA-1": hashlib.sha1,
    "SHA-256": hashlib.sha256,
    "SHA-384": hashlib.sha384,
    "SHA-512": hashlib.sha512,
}


def digest(data: object, algorithm: object, encoding: object = "base64") -> str:
    """digest('abc', 'SHA-256', 'hex'); an unknown algorithm or encoding gives ''."""
    make = _DIGESTS.get(to_string(algorithm).upper())
    kind = to_string(encoding).lower()
    if make is None or kind not in ("base64", "hex"):
        return ""
    raw = make(to_string(data).encode("utf-8"), usedforsecurity=False).digest()
    return raw.hex() if kind == "hex" else base64.b64encode(raw).decode("ascii")


def base64_decode(value: object) -> str:
    """UTF-8 text from base64; '' when the input is not base64 (JavaRosa: also '')."""
    try:
        raw = base64.b64decode(to_string(value), validate=True)
        return raw.decode("utf-8")
    except (binascii.Error, ValueError):
        return ""


# -- values of the moment -----------------------------------------------------------------

_ALPHANUMERIC = string.ascii_letters + string.digits


# These are lazy (see functions.py): they receive the evaluation context and the argument
# closures, so that they are computed at each evaluation rather than folded into constants.
Args = Sequence[Callable[[Any], object]]


def now(ctx: Any, args: Args) -> str:
    return dates.format_iso(datetime.now().astimezone())


def random(ctx: Any, args: Args) -> float:
    return secrets.randbelow(2**53) / 2**53


def uuid(ctx: Any, args: Args) -> str:
    """uuid() is a version 4 UUID; uuid(n) is n random letters and digits."""
    if not args:
        return str(uuid_module.uuid4())
    size = to_number(args[0](ctx))
    if size != size or size < 1:
        return ""
    return "".join(secrets.choice(_ALPHANUMERIC) for _ in range(min(int(size), 1000)))


def once(ctx: Any, args: Args) -> object:
    """The engine passes a calculation's own value as `.`: once set, it is kept."""
    current = normalize(ctx.current, "the current value (.)")
    return current if not is_empty(current) else args[0](ctx)


def choice_name(ctx: Any, args: Args) -> str:
    """jr:choice-name(${q}, '${q}'): the label of a choice of question q, in the interview's
    language; the second argument names the question (pyxform writes its path there)."""
    value = to_string(args[0](ctx)).strip()
    where = to_string(args[1](ctx)).strip()
    name = where[2:-1] if where.startswith("${") and where.endswith("}") else where
    name = name.rstrip("/").rsplit("/", 1)[-1]
    if not value or not name or ctx.choice_label is None:
        return ""
    return ctx.choice_label(name, value) or ""


def pulldata(ctx: Any, args: Args) -> str:
    """pulldata('table', 'column', 'key column', key): the column of the first row of the CSV
    bundled with the form whose key column equals key; '' when there is none, as in ODK."""
    table, column, key_column, key = (to_string(arg(ctx)) for arg in args)
    rows = (ctx.tables or {}).get(table.removesuffix(".csv"), ())
    for row in rows:
        if row.get(key_column) == key:
            return row.get(column, "")
    return ""
