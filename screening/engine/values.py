"""Turning a given answer into the typed value the form expects, or one sentence why not."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from screening.engine.odk_values import ODK_TEXT_TYPES, ODKValueError
from screening.forms.compiler import Node


class Special(StrEnum):
    DECLINED = "declined"
    DONT_KNOW = "dont_know"


@dataclass(frozen=True)
class Answer:
    """A stored answer: a typed value, or a special marker with no value."""

    value: object = None
    special: Special | None = None


class AnswerTypeError(ValueError):
    """The value does not fit the question's type; the message is for the screener."""


_DECIMAL = re.compile(r"\s*[+-]?(\d+\.?\d*|\.\d+)\s*")
_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_.-]*)(?:\[(\d+)\])?$")

Key = tuple[str, int | None]


def parse_key(text: str) -> Key:
    """`age` → ("age", None); `age[2]` → ("age", 2). Raises ValueError on anything else."""
    match = _KEY.match(text.strip()) if isinstance(text, str) else None
    if not match:
        raise ValueError(f"{text!r} is not a question name")
    instance = int(match.group(2)) if match.group(2) is not None else None
    if instance is not None and instance < 1:
        raise ValueError(f"{text!r}: repeat instances are numbered from 1")
    return match.group(1), instance


def format_key(key: Key) -> str:
    name, instance = key
    return name if instance is None else f"{name}[{instance}]"


def is_empty(value: object) -> bool:
    return value is None or value == "" or value == []


def coerce(node: Node, value: object) -> object:
    """The typed value for `node`, or AnswerTypeError. Empty input is returned as None."""
    if is_empty(value):
        return None
    kind = node.kind
    if kind == "text":
        if not isinstance(value, str):
            raise AnswerTypeError("the answer must be text")
        return value
    if kind == "integer":
        return _integer(value)
    if kind == "decimal":
        return _decimal(value)
    if kind == "date":
        return _date(value)
    if kind == "select_one":
        if not isinstance(value, str):
            raise AnswerTypeError("the answer must be the name of one choice")
        if value not in node.choice_names:
            raise AnswerTypeError(f"{value!r} is not one of the choices")
        return value
    if kind == "select_multiple":
        items = _choice_list(
            node, value, "the answer must be a list of choice names", "given more than once"
        )
        order = {choice.name: i for i, choice in enumerate(node.choices)}
        return sorted(items, key=order.__getitem__)
    if kind == "rank":
        return _rank(node, value)
    if kind in ODK_TEXT_TYPES:
        if not isinstance(value, str):
            raise AnswerTypeError("the answer must be text")
        try:
            return ODK_TEXT_TYPES[kind](value)
        except ODKValueError as exc:
            raise AnswerTypeError(str(exc)) from None
    raise AnswerTypeError(f"a {kind} takes no answer")


def _choice_list(node: Node, value: object, not_a_list: str, repeated: str) -> list[str]:
    """Choice names, as a list or space-separated (ODK), each a choice of `node`, each once."""
    items = value.split() if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        raise AnswerTypeError(not_a_list)
    unknown = [item for item in items if item not in node.choice_names]
    if unknown:
        raise AnswerTypeError(f"{unknown[0]!r} is not one of the choices")
    if len(set(items)) != len(items):
        raise AnswerTypeError(f"a choice is {repeated}")
    return items


def _rank(node: Node, value: object) -> str:
    """ODK's rank value: every choice's name once, space-separated, first ranked first. (With
    a choice_filter the session checks that exactly the offered choices are ranked.)"""
    items = _choice_list(
        node, value, "the answer must be the choice names in order", "ranked more than once"
    )
    if node.choice_filter is None and len(items) != len(node.choice_names):
        missing = [c.name for c in node.choices if c.name not in items]
        raise AnswerTypeError(f"every choice must be ranked; {missing[0]!r} is not")
    return " ".join(items)


def _integer(value: object) -> int:
    if isinstance(value, bool):
        raise AnswerTypeError("the answer must be a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d{1,15}\s*", value):
        return int(value)
    raise AnswerTypeError(f"{value!r} is not a whole number")


def _decimal(value: object) -> float:
    if isinstance(value, bool):
        raise AnswerTypeError("the answer must be a number")
    if isinstance(value, int | float) or (isinstance(value, str) and _DECIMAL.fullmatch(value)):
        number = float(value)
    else:
        raise AnswerTypeError(f"{value!r} is not a number")
    if not math.isfinite(number):
        raise AnswerTypeError("the answer must be a finite number")
    return number


def _date(value: object) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise AnswerTypeError(f"{value!r} is not a date (YYYY-MM-DD)")


def to_json(value: object) -> object:
    """A JSON-friendly form of an answer or calculated value."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        # JSON has no infinity; ODK Collect stores `1 div 0` as the text "Infinity".
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, list):
        return list(value)
    return value
