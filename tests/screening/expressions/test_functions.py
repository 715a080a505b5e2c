"""The function registry and the helpers behind individual functions."""

from __future__ import annotations

import math

import pytest

from screening.expressions import FUNCTIONS, ExpressionError, ValueType
from screening.expressions.functions import call_problem
from screening.expressions.functions_regex import MAX_PATTERN_LENGTH, compile_pattern
from screening.expressions.tokenizer import FUNCTION_NAME_PATTERN

REQUIRED = {
    "selected": (2, 2),
    "count-selected": (1, 1),
    "if": (3, 3),
    "coalesce": (2, 2),
    "string-length": (1, 1),
    "today": (0, 0),
    "int": (1, 1),
    "number": (1, 1),
    "string": (1, 1),
    "concat": (1, None),
    "regex": (2, 2),
    "not": (1, 1),
    "true": (0, 0),
    "false": (0, 0),
}


def test_required_functions_and_arities() -> None:
    for name, (low, high) in REQUIRED.items():
        spec = FUNCTIONS[name]
        assert (spec.min_args, spec.max_args) == (low, high), name


def test_every_function_name_is_a_valid_token_and_documented() -> None:
    import re
    from pathlib import Path

    docs = (Path(__file__).parents[3] / "docs" / "expressions.md").read_text(encoding="utf-8")
    for name, spec in FUNCTIONS.items():
        assert re.fullmatch(FUNCTION_NAME_PATTERN, name)
        assert spec.name == name
        assert isinstance(spec.returns, ValueType)
        assert spec.summary
        assert f"`{name}(" in docs, f"{name}() is missing from docs/expressions.md"


@pytest.mark.parametrize(
    ("low", "high", "text"),
    [(3, 3, "3"), (1, 2, "1 or 2"), (1, 3, "1 to 3"), (1, None, "at least 1"), (0, 0, "0")],
)
def test_arity_text(low: int, high: int | None, text: str) -> None:
    from screening.expressions.functions import FunctionSpec

    spec = FunctionSpec("f", low, high, ValueType.ANY, lambda: None, "f")
    assert spec.arity_text() == text
    assert spec.accepts(low)
    assert not spec.accepts(low - 1)
    assert spec.accepts(10**6) is (high is None)


def test_call_problem() -> None:
    assert call_problem("concat", 5) is None
    assert call_problem("nope", 0) == "unknown function nope()"
    assert call_problem("not", 2) == "wrong number of arguments to not() (expects 1, got 2)"


def test_compile_pattern_guards() -> None:
    assert compile_pattern("[0-9]+").fullmatch("123")
    with pytest.raises(ExpressionError, match="too long"):
        compile_pattern("a" * (MAX_PATTERN_LENGTH + 1))
    with pytest.raises(
        ExpressionError, match=r"invalid regular expression '\*' \(no argument for repetition"
    ):
        compile_pattern("*")
    long_bad = "(" * 60
    with pytest.raises(ExpressionError) as caught:
        compile_pattern(long_bad)
    assert "..." in caught.value.message  # long patterns are shortened in messages


@pytest.mark.parametrize(
    ("name", "args", "expected"),
    [
        ("int", (float("nan"),), float("nan")),
        ("int", (-0.5,), -0.0),
        ("round", (float("inf"),), float("inf")),
        ("round", (12.345, 1.9), 12.3),  # places are truncated to an integer
        ("round", (1e300, 2), 1e300),
        ("pow", (0.0, -1.0), float("inf")),
        ("substr", ("abc", float("nan")), "abc"),
        ("substr", ("abc", 2, 1), ""),
        ("substr", ("abc", -10, 1e30), "abc"),
        ("selected-at", ("a b", float("nan")), "a"),
        ("min", (float("nan"), None), float("nan")),
        ("max", (-1.0, float("-inf")), -1.0),
    ],
)
def test_edge_cases(name: str, args: tuple[object, ...], expected: object) -> None:
    result = FUNCTIONS[name].impl(*args)
    if isinstance(expected, float) and math.isnan(expected):
        assert isinstance(result, float) and math.isnan(result)
    else:
        assert result == expected
