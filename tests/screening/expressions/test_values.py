"""Coercions between runtime values (XPath 1.0 as JavaRosa implements it)."""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

import pytest

from screening.expressions import ExpressionError, ValueType
from screening.expressions.values import (
    export,
    format_number,
    is_empty,
    normalize,
    parse_date,
    str_to_number,
    to_bool,
    to_date,
    to_number,
    to_string,
)

NAN = float("nan")
INF = float("inf")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, False),
        ("", False),
        ("false", True),  # any non-empty text is true in XPath
        ("0", True),
        (0.0, False),
        (1e-13, False),  # JavaRosa's tolerance around zero
        (-2.0, True),
        (NAN, False),
        (INF, True),
        (True, True),
        (False, False),
        ([], False),
        (["a"], True),
        (date(1970, 1, 1), True),
    ],
)
def test_to_bool(value: object, expected: bool) -> None:
    assert to_bool(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, NAN),
        ("", NAN),
        ("  42 ", 42.0),
        ("-3.5", -3.5),
        (".5", 0.5),
        ("5.", 5.0),
        ("1,5", 1.5),  # JavaRosa reads a comma as a decimal point
        ("1e3", NAN),  # no exponent syntax
        ("Infinity", NAN),
        ("12abc", NAN),
        ("--1", NAN),
        ("-", NAN),
        ("١٢", NAN),  # Arabic-Indic digits are not XPath digits
        (True, 1.0),
        (False, 0.0),
        (7.25, 7.25),
        (date(1970, 1, 11), 10.0),
        (date(1969, 12, 31), -1.0),
        (["3"], 3.0),
        (["3", "4"], NAN),
    ],
)
def test_to_number(value: object, expected: float) -> None:
    result = to_number(value)
    if math.isnan(expected):
        assert math.isnan(result)
    else:
        assert result == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        ("x", "x"),
        (3.0, "3"),
        (-0.0, "0"),
        (3.5, "3.5"),
        (0.1 + 0.2, "0.30000000000000004"),
        (3.0000000000000004, "3"),  # within JavaRosa's 1e-12 of an integer
        (1e-05, "0.00001"),
        (1e20, "100000000000000000000"),
        (NAN, "NaN"),
        (INF, "Infinity"),
        (-INF, "-Infinity"),
        (True, "true"),
        (False, "false"),
        (date(2024, 2, 29), "2024-02-29"),
        (["a", "b"], "a b"),
        ([], ""),
    ],
)
def test_to_string(value: object, expected: str) -> None:
    assert to_string(value) == expected


def test_format_number_never_uses_exponents() -> None:
    for number in (1e-7, 123456789.125, 2.5e-11, 1.7976931348623157e308):
        text = format_number(number)
        assert "e" not in text.lower()
        assert float(text) == number


def test_format_number_prints_numbers_within_1e_12_of_zero_as_0() -> None:
    assert format_number(2.5e-300) == "0"
    assert format_number(-1e-13) == "0"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-02-29", date(2024, 2, 29)),
        (" 2024-01-15 ", date(2024, 1, 15)),
        ("2024-01-15T10:30:00.000+03:00", date(2024, 1, 15)),
        ("2023-02-29", None),
        ("2024-1-5", None),
        ("15/01/2024", None),
        ("", None),
        ("２０２４-01-01", None),  # full-width digits are not accepted
    ],
)
def test_parse_date(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2024, 1, 15), date(2024, 1, 15)),
        ("2024-01-15", date(2024, 1, 15)),
        (0.0, date(1970, 1, 1)),
        (1.9, date(1970, 1, 2)),  # truncated to whole days
        (-1.0, date(1969, 12, 31)),
        (NAN, None),
        (INF, None),
        (1e300, None),
        ("nonsense", None),
        (None, None),
        (True, None),
    ],
)
def test_to_date(value: object, expected: date | None) -> None:
    assert to_date(value) == expected


def test_str_to_number_handles_huge_digit_strings() -> None:
    assert str_to_number("9" * 400) == INF


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, True),
        ("", True),
        (NAN, True),
        ([], True),
        (" ", False),
        (0.0, False),
        (False, False),
        (["a"], False),
        (date(2000, 1, 1), False),
    ],
)
def test_is_empty(value: object, expected: bool) -> None:
    assert is_empty(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("x", "x"),
        (NAN, None),
        (3.0, 3),
        (-0.0, 0),
        (3.5, 3.5),
        (INF, INF),
        (2.0**60, 2.0**60),  # beyond 2**53 integral floats stay floats
        (True, True),
        ([], None),
        (["a"], ["a"]),
        (date(2024, 1, 1), date(2024, 1, 1)),
    ],
)
def test_export(value: object, expected: object) -> None:
    result = export(value)
    assert result == expected
    assert type(result) is type(expected)


def test_export_copies_lists() -> None:
    original = ["a", "b"]
    result = export(original)
    assert result == original
    assert result is not original


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (5, 5.0),
        (10**400, INF),
        (-(10**400), -INF),
        (Decimal("2.5"), 2.5),
        (Fraction(1, 4), 0.25),
        (("a", "b"), ["a", "b"]),
        ({"b", "a"}, ["a", "b"]),
        ([1, 2.5, True], ["1", "2.5", "true"]),
        (datetime(2024, 1, 15, 23, 59), date(2024, 1, 15)),
    ],
)
def test_normalize(value: object, expected: object) -> None:
    result = normalize(value, "${x}")
    assert result == expected
    assert type(result) is type(expected)


def test_normalize_str_subclass_becomes_plain_str() -> None:
    class Label(str):
        pass

    result = normalize(Label("hi"), "${x}")
    assert type(result) is str


@pytest.mark.parametrize("value", [{"a": 1}, object(), b"bytes", [["nested"]], 1j])
def test_normalize_refuses_other_types_with_a_sentence(value: object) -> None:
    with pytest.raises(ExpressionError, match=r"the value of \$\{x\} has a type"):
        normalize(value, "${x}")


def test_value_type_values_match_question_types() -> None:
    assert ValueType("select_multiple") is ValueType.SELECT_MULTIPLE
    assert ValueType.NUMBER == "number"
    assert {t.value for t in ValueType} == {
        "text",
        "number",
        "date",
        "boolean",
        "select_one",
        "select_multiple",
        "any",
    }
