"""Tokens, their kinds and positions, and the context rule for keyword operators."""

from __future__ import annotations

import pytest

from screening.expressions.tokenizer import (
    COMMA,
    DOT,
    END,
    LPAREN,
    NAME,
    NUMBER,
    OP,
    REF,
    RPAREN,
    STRING,
    tokenize,
)


def kinds(text: str) -> list[tuple[str, object]]:
    return [(t.kind, t.value) for t in tokenize(text)[:-1]]


def test_tokens_carry_kind_value_and_position() -> None:
    tokens = tokenize("${age} >= 18.5 and selected(${m}, 'x')")
    assert [(t.kind, t.text, t.pos) for t in tokens] == [
        (REF, "${age}", 0),
        (OP, ">=", 7),
        (NUMBER, "18.5", 10),
        (OP, "and", 15),
        (NAME, "selected", 19),
        (LPAREN, "(", 27),
        (REF, "${m}", 28),
        (COMMA, ",", 32),
        (STRING, "'x'", 34),
        (RPAREN, ")", 37),
        (END, "", 38),
    ]
    assert tokens[0].value == "age"
    assert tokens[2].value == 18.5
    assert tokens[8].value == "x"


def test_function_names_keep_hyphens_and_dots() -> None:
    assert kinds("count-selected(.)") == [
        (NAME, "count-selected"),
        (LPAREN, None),
        (DOT, None),
        (RPAREN, None),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3 div 2", [(NUMBER, 3.0), (OP, "div"), (NUMBER, 2.0)]),
        ("3div 2", [(NUMBER, 3.0), (OP, "div"), (NUMBER, 2.0)]),
        ("3 div-1", [(NUMBER, 3.0), (OP, "div"), (OP, "-"), (NUMBER, 1.0)]),
        (". mod .5", [(DOT, None), (OP, "mod"), (NUMBER, 0.5)]),
        ("(1) or(2)", [(LPAREN, None), (NUMBER, 1.0), (RPAREN, None), (OP, "or"),
                       (LPAREN, None), (NUMBER, 2.0), (RPAREN, None)]),
        # Not after an operand, 'and' is an ordinary (function) name.
        ("and(1)", [(NAME, "and"), (LPAREN, None), (NUMBER, 1.0), (RPAREN, None)]),
        # After an operand, a longer word is not a keyword.
        ("1 divide", [(NUMBER, 1.0), (NAME, "divide")]),
        ("1 order", [(NUMBER, 1.0), (NAME, "order")]),
    ],
)  # fmt: skip
def test_keywords_are_operators_only_after_an_operand(
    text: str, expected: list[tuple[str, object]]
) -> None:
    assert kinds(text) == expected


@pytest.mark.parametrize(
    ("text", "value"),
    [("0", 0.0), ("007", 7.0), ("1.", 1.0), (".25", 0.25), ("12.50", 12.5)],
)
def test_numbers(text: str, value: float) -> None:
    assert kinds(text) == [(NUMBER, value)]


def test_strings_have_no_escapes_and_keep_unicode() -> None:
    assert kinds("\"it's\" 'say \"hi\"' 'مرحبا'") == [
        (STRING, "it's"),
        (STRING, 'say "hi"'),
        (STRING, "مرحبا"),
    ]


def test_two_character_operators_and_whitespace() -> None:
    assert [t.text for t in tokenize("1!=2<=3>=4<5>6=7+8-9*0")[:-1]][1::2] == [
        "!=", "<=", ">=", "<", ">", "=", "+", "-", "*",
    ]  # fmt: skip
    assert kinds("\t1\n+\u00a02 ") == [(NUMBER, 1.0), (OP, "+"), (NUMBER, 2.0)]


def test_a_hyphen_between_letters_belongs_to_the_name() -> None:
    # As in XPath, 'a-b' is one name; subtraction needs an operand such as ${a} or a number.
    assert kinds("f-g(1)")[0] == (NAME, "f-g")
    assert [t.kind for t in tokenize("${a}-${b}")[:-1]] == [REF, OP, REF]


def test_end_token_sits_at_the_end_of_the_text() -> None:
    assert tokenize("  1  ")[-1].pos == 5
    assert tokenize("")[0].kind == END
