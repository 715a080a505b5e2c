"""regex(): ODK's whole-text match, on a linear-time engine.

regex() runs on RE2, whose matching time is linear in the text: a form's pattern such as
`(a+)+$` cannot make an answer hang the app, as it would with backtracking engines (Python's
re, Java's). The price is a few Java features RE2 lacks (docs/expressions.md). Errors go into
the message, not to stderr, which RE2 would otherwise write to.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import re2

from screening.expressions.errors import ExpressionError, one_line
from screening.expressions.values import to_string

MAX_PATTERN_LENGTH = 1000
_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.log_errors = False
CompiledPattern = Any  # re2._Regexp; the package ships no type hints


@lru_cache(maxsize=256)
def compile_pattern(pattern: str) -> CompiledPattern:
    """Compile a regex() pattern, refusing very long ones (patterns come from form authors)."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise ExpressionError(
            f"the regular expression is too long ({len(pattern)} characters, "
            f"at most {MAX_PATTERN_LENGTH})"
        )
    try:
        return re2.compile(pattern, _RE2_OPTIONS)
    except re2.error as exc:
        raw = exc.args[0] if exc.args else ""
        reason = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
        shown = one_line(pattern if len(pattern) <= 40 else pattern[:37] + "...")
        raise ExpressionError(f"invalid regular expression '{shown}' ({reason})") from None


def regex_matches(subject: object, compiled: CompiledPattern) -> bool:
    # ODK uses Java's Pattern.matches: the whole text must match, not just a part of it.
    return compiled.fullmatch(to_string(subject)) is not None


def regex(subject: object, pattern: object) -> bool:
    try:
        compiled = compile_pattern(to_string(pattern))
    except ExpressionError:
        # A computed pattern may come from an answer, which must not end up in a message or log.
        raise ExpressionError(
            "the pattern given to regex() is not a valid regular expression"
        ) from None
    return regex_matches(subject, compiled)
