"""Canonical JSON: the one byte string that is signed, hashed or sealed for a JSON value.

Signatures and hashes are computed over bytes, so two parties that build the "same" object
must produce the same bytes. The rules (documented in docs/protocol.md):

- objects with string keys only, keys sorted by Unicode code point, no duplicate keys;
- no insignificant whitespace (`,` and `:` separators);
- UTF-8, non-ASCII characters written as themselves (records in Arabic or Tigrinya would
  triple in size as `\\uXXXX` escapes);
- integers as decimal; floats as Python's shortest round-trip repr; NaN and infinities are
  refused (JSON has no spelling for them);
- tuples are written as arrays (so a record built with tuples reads back with lists).

Anything else (bytes, sets, objects, non-string keys) is refused rather than coerced, because
coercion is where two implementations start to disagree.
"""

from __future__ import annotations

import hashlib
import json
import math
from typing import Any

from screening.errors import ScreeningError
from screening.jsonio import MAX_DEPTH as JSON_MAX_DEPTH
from screening.jsonio import too_deep

# Deep nesting is never legitimate in our documents and would let a hostile sender make the
# parser recurse until Python gives up.
MAX_DEPTH = JSON_MAX_DEPTH


class CanonicalJSONError(ScreeningError):
    """A value cannot be written as canonical JSON, or bytes are not canonical JSON."""

    exit_code = 2


def _check(value: Any, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise CanonicalJSONError(f"The data is nested more than {MAX_DEPTH} levels deep.")
    if value is None or isinstance(value, bool | int | str):
        if isinstance(value, str):
            _check_text(value)
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CanonicalJSONError("The data holds a number that is not finite (NaN or ±inf).")
        return
    if isinstance(value, list | tuple):
        for item in value:
            _check(item, depth + 1)
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise CanonicalJSONError(
                    f"The data has an object key that is not text ({type(key).__name__})."
                )
            _check_text(key)
            _check(item, depth + 1)
        return
    raise CanonicalJSONError(f"The data holds a {type(value).__name__}, which JSON cannot carry.")


def _check_text(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # Lone surrogates: json.dumps would write them, but they are not valid UTF-8.
        raise CanonicalJSONError("The data holds text that is not valid Unicode.") from None


def canonical_json(value: Any) -> bytes:
    """The canonical UTF-8 bytes of `value` (see the module docstring for the rules)."""
    _check(value, 0)
    return _dumps(value)


def _dumps(value: Any) -> bytes:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, item in pairs:
        if key in result:
            raise CanonicalJSONError("The JSON has the same key twice in one object.")
        result[key] = item
    return result


def _reject_constant(name: str) -> Any:
    raise CanonicalJSONError(f"The JSON holds {name}, which is not a number.")


def parse_json(data: bytes | bytearray | str) -> Any:
    """Parse JSON strictly: UTF-8 only, no duplicate keys, no NaN/Infinity, bounded depth."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes | bytearray) else data
    except UnicodeDecodeError:
        raise CanonicalJSONError("The data is not UTF-8 text.") from None
    if too_deep(text, MAX_DEPTH):
        # Measured before parsing: the json module recurses once per level.
        raise CanonicalJSONError(f"The data is nested more than {MAX_DEPTH} levels deep.")
    try:
        value = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_reject_constant)
    except RecursionError:  # pragma: no cover - too_deep refuses such input first
        raise CanonicalJSONError("The JSON is nested too deeply.") from None
    except json.JSONDecodeError as exc:
        raise CanonicalJSONError(
            f"The data is not valid JSON (line {exc.lineno}, column {exc.colno})."
        ) from None
    _check(value, 0)
    return value


def parse_canonical(data: bytes | bytearray) -> Any:
    """Parse bytes that must already be canonical; any other spelling is refused.

    Refusing non-canonical input removes a whole class of malleability: there is exactly one
    byte string for each signed value, so a hash of the bytes is a hash of the value.
    """
    value = parse_json(data)  # checked there, so it can be re-encoded without a second check
    if _dumps(value) != bytes(data):
        raise CanonicalJSONError("The JSON is not in canonical form.")
    return value


def sha256_hex(data: bytes | bytearray) -> str:
    return hashlib.sha256(data).hexdigest()
