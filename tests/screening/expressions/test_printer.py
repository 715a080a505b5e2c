"""Canonical printing and the round trip parse(to_source(tree)) == tree."""

from __future__ import annotations

import pytest

from screening.expressions import Binary, Negate, Number, Ref, String, parse, to_source
from screening.expressions.printer import number_literal, string_literal


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("1+2*3", "1 + 2 * 3"),
        ("(1+2)*3", "(1 + 2) * 3"),
        ("1-(2-3)", "1 - (2 - 3)"),
        ("(1-2)-3", "1 - 2 - 3"),
        ("1 div (2 mod 3)", "1 div (2 mod 3)"),
        ("(1 div 2) mod 3", "1 div 2 mod 3"),
        ("-(1+2)", "-(1 + 2)"),
        ("-(-1)", "--1"),
        ("1--1", "1 - -1"),
        ("(-${a})*2", "-${a} * 2"),
        ("-(${a}*2)", "-(${a} * 2)"),
        ("${a} or (${b} and ${c})", "${a} or ${b} and ${c}"),
        ("(${a} or ${b}) and ${c}", "(${a} or ${b}) and ${c}"),
        ("${a} or (${b} or ${c})", "${a} or (${b} or ${c})"),
        ("(1 = 2) = 3", "1 = 2 = 3"),
        ("1 = (2 = 3)", "1 = (2 = 3)"),
        ("3div 2", "3 div 2"),
        (".>=3 and .<=5", ". >= 3 and . <= 5"),
        ("count-selected( ${m} )", "count-selected(${m})"),
        ("concat('a',${b},  \"c\")", "concat('a', ${b}, 'c')"),
        ('"it\'s"', '"it\'s"'),
        ("'say \"hi\"'", "'say \"hi\"'"),
        ("'مرحبا'", "'مرحبا'"),
        ("1.50", "1.5"),
        ("007", "7"),
        (".5", "0.5"),
        ("0.000001", "0.000001"),
        ("true( )", "true()"),
    ],
)
def test_canonical_form(text: str, canonical: str) -> None:
    assert to_source(parse(text)) == canonical
    assert to_source(parse(canonical)) == canonical
    assert parse(canonical) == parse(text)


def test_trees_built_by_hand_print_with_the_parentheses_they_need() -> None:
    tree = Binary("*", Binary("+", Ref("a"), Number(1.0)), Negate(Binary("-", Ref("b"), Ref("c"))))
    assert to_source(tree) == "(${a} + 1) * -(${b} - ${c})"
    assert parse(to_source(tree)) == tree


@pytest.mark.parametrize("value", [0.0, 3.0, 0.1, 1e-05, 5e-324, 1.7976931348623157e308, 2.5e20])
def test_number_literals_read_back_exactly(value: float) -> None:
    text = number_literal(value)
    assert "e" not in text
    assert parse(text) == Number(value)


def test_string_with_both_quote_kinds_prints_as_concat() -> None:
    text = string_literal('it\'s "x"')
    assert text == "concat('it', \"'\", 's \"x\"')"
    assert to_source(String("plain")) == "'plain'"


def test_to_source_rejects_non_nodes() -> None:
    with pytest.raises(TypeError):
        to_source("1 + 2")  # type: ignore[arg-type]
