"""Errors raised by the expression language."""

from __future__ import annotations

import re

from screening.errors import ScreeningError

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Messages quote at most this much of an expression, name or pattern: a 200 KB expression
# printed whole is not a sentence anyone can read (and fills logs and terminals).
MAX_QUOTED = 80


def one_line(text: str) -> str:
    """Escape control characters (a newline in a quoted literal) so a message stays one line."""
    return _CONTROL.sub(lambda match: repr(match[0])[1:-1], text)


def shorten(text: str, limit: int = MAX_QUOTED) -> str:
    """`text` on one line, cut to `limit` characters with "..." when longer."""
    text = one_line(text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class ExpressionError(ScreeningError):
    """An expression cannot be compiled or evaluated; the message is one sentence for a person."""


class ExpressionSyntaxError(ExpressionError):
    """The text of an expression does not follow the grammar.

    ``position`` is the 0-based character offset in the source text where the problem was found,
    so that an editor can put a caret under it.
    """

    def __init__(self, message: str, position: int) -> None:
        super().__init__(message)
        self.position = position
