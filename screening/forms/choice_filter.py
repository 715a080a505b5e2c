"""XLSForm choice filters: `${state} = cf` is evaluated once per choice, where a bare name is a
column of the choice (`name`, `label`, or one of its `properties`) and `${x}` a question.

Our expression language only knows `${x}`, so a bare name is rewritten into a reference with a
prefix no question name may have (`${__choice__.cf}`); the engine answers those references from
the choice being tested.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise

from screening.expressions.errors import ExpressionSyntaxError
from screening.expressions.tokenizer import LPAREN, NAME, tokenize

CHOICE_PREFIX = "__choice__."


def choice_filter_source(text: str) -> tuple[str, list[str]]:
    """The filter with bare names as `${__choice__.name}` references, and those names in
    order. Raises ExpressionSyntaxError for text that does not tokenize."""
    tokens = tokenize(text)
    out: list[str] = []
    names: list[str] = []
    end = 0
    for token, following in pairwise(tokens):
        if token.kind != NAME or following.kind == LPAREN:
            continue
        out.append(text[end : token.pos])
        out.append("${" + CHOICE_PREFIX + token.text + "}")
        names.append(token.text)
        end = token.pos + len(token.text)
    out.append(text[end:])
    return "".join(out), list(dict.fromkeys(names))


def choice_columns(choices: Iterable[object]) -> set[str]:
    """The bare names a filter over these choices may use."""
    columns = {"name", "label"}
    for choice in choices:
        columns.update(getattr(choice, "properties", {}) or {})
    return columns


__all__ = ["CHOICE_PREFIX", "ExpressionSyntaxError", "choice_columns", "choice_filter_source"]
