"""The one JSON reader for every JSON input: forms, answers files, slots, backups, org files.

Python's `json` parses nested arrays and objects by recursion, so a file of 100,000 `[`
ends in a `RecursionError` (a traceback, or worse, code that catches `ValueError` only and
lets it through). Here the nesting depth is measured first, by a linear scan that does not
recurse, and anything deeper than any document of ours is refused with one sentence.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from screening.errors import ScreeningError

# Our deepest documents (forms with groups in groups) are about 10 levels deep; 64 leaves
# room for any real form and is far below where recursion becomes a danger.
MAX_DEPTH = 64

# A JSON string: runs of ordinary characters, each escape consumed as a pair. The closing
# quote is optional so that an unterminated string (invalid JSON anyway) is consumed to the
# end in one match; if it had to be there, every quote of `"\"\"\"…` would start a scan to the
# end of the text, which is quadratic (100 KB took 90 s).
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


class JSONInputError(ScreeningError, ValueError):
    """JSON input that cannot be used. `detail` is the sentence's predicate, for callers that
    name the input themselves ("forms/x.json: is not valid JSON (…)").

    A ValueError too, so code that already treats a bad value as damage keeps doing so.
    """

    def __init__(self, detail: str, what: str = "The JSON") -> None:
        super().__init__(f"{what} {detail}.")
        self.detail = detail


def too_deep(text: str, limit: int = MAX_DEPTH) -> bool:
    """Whether arrays and objects in `text` nest more than `limit` levels (brackets inside
    strings do not count). Linear time, no recursion."""
    if "\\" not in text:
        return _too_deep_unescaped(text, limit)
    if text.count("[") + text.count("{") <= limit:
        return False  # not enough openings to get that deep
    return _too_deep_scan(text, limit)


def _too_deep_scan(text: str, limit: int) -> bool:
    """The general scan: strings cut out by a regular expression, then brackets counted."""
    depth = 0
    for char in _NOT_BRACKET.sub("", _STRING.sub("", text)):
        if char in "[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def _too_deep_unescaped(text: str, limit: int) -> bool:
    """`too_deep` for text without a backslash, where no string can hold a quote: each
    string runs from a quote to the next one, so the scan jumps between quotes (`str.find`)
    and looks only at what lies outside strings. A coordinator's page of envelopes is ~11 MB
    of base64 strings: the general scan took ~80 ms over it, more than parsing it; this takes
    ~3 ms. An unterminated string runs to the end, as in the general scan. Text made of
    many tiny strings is left to the general scan, which is faster per string."""
    depth, pos, end = 0, 0, len(text)
    strings_left = end // 64 + 64
    while pos < end:
        quote = text.find('"', pos)
        outside = text[pos : end if quote < 0 else quote]
        for char in _NOT_BRACKET.sub("", outside) if outside else "":
            if char in "[{":
                depth += 1
                if depth > limit:
                    return True
            else:
                depth -= 1
        if quote < 0:
            break
        closing = text.find('"', quote + 1)
        if closing < 0:
            break
        pos = closing + 1
        strings_left -= 1
        if not strings_left:
            return _too_deep_scan(text, limit)
    return False


def loads(data: str | bytes | bytearray, *, max_depth: int = MAX_DEPTH) -> Any:
    """Parse JSON text or UTF-8 bytes; raise JSONInputError with a sentence on any problem."""
    if isinstance(data, bytes | bytearray):
        try:
            text = bytes(data).decode("utf-8")
        except UnicodeDecodeError:
            raise JSONInputError("is not UTF-8 text") from None
    else:
        text = data
    if too_deep(text, max_depth):
        raise JSONInputError(f"is nested more than {max_depth} levels deep")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise JSONInputError(
            f"is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
        ) from None
    except RecursionError:  # pragma: no cover - the depth scan refuses such input first
        raise JSONInputError("is nested too deeply") from None


def read(path: Path, *, max_depth: int = MAX_DEPTH) -> Any:
    """Read and parse a JSON file; the sentence starts with the file ("x.json: file not found")."""
    where = f"{path}:"
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise JSONInputError("file not found", what=where) from None
    except OSError as exc:
        raise JSONInputError(f"cannot be read ({exc.strerror or exc})", what=where) from None
    try:
        return loads(data, max_depth=max_depth)
    except JSONInputError as exc:
        raise JSONInputError(exc.detail, what=where) from None
