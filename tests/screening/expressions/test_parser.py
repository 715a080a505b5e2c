"""Parsing: precedence and associativity, the tree shapes, and syntax errors with positions."""

from __future__ import annotations

import pytest

from screening.expressions import (
    Binary,
    Call,
    Current,
    ExpressionError,
    ExpressionSyntaxError,
    Negate,
    Node,
    Number,
    Ref,
    String,
    parse,
    references,
    uses_current,
)
from screening.expressions.parser import MAX_DEPTH, MAX_NESTING


def bracketed(node: Node) -> str:
    """Fully parenthesised form, to make the parsed structure visible in the test table."""
    if isinstance(node, Binary):
        return f"({bracketed(node.left)} {node.op} {bracketed(node.right)})"
    if isinstance(node, Negate):
        return f"(-{bracketed(node.operand)})"
    if isinstance(node, Call):
        return f"{node.name}({', '.join(bracketed(a) for a in node.args)})"
    if isinstance(node, Number):
        return format(node.value, "g")
    if isinstance(node, String):
        return repr(node.value)
    if isinstance(node, Ref):
        return "$" + node.name
    return "."


@pytest.mark.parametrize(
    ("text", "structure"),
    [
        ("1 or 2 and 3", "(1 or (2 and 3))"),
        ("1 and 2 or 3", "((1 and 2) or 3)"),
        ("1 and 2 = 3", "(1 and (2 = 3))"),
        ("1 = 2 < 3", "(1 = (2 < 3))"),
        ("1 != 2 >= 3", "(1 != (2 >= 3))"),
        ("1 < 2 + 3", "(1 < (2 + 3))"),
        ("1 + 2 * 3", "(1 + (2 * 3))"),
        ("1 - 2 div 3 mod 4", "(1 - ((2 div 3) mod 4))"),
        ("-1 * 2", "((-1) * 2)"),
        ("-${a} mod 3", "((-$a) mod 3)"),
        ("- -1", "(-(-1))"),
        ("1 - -1", "(1 - (-1))"),
        # Left associativity at every level.
        ("1 - 2 - 3", "((1 - 2) - 3)"),
        ("8 div 4 div 2", "((8 div 4) div 2)"),
        ("1 = 2 = 3", "((1 = 2) = 3)"),
        ("1 < 2 < 3", "((1 < 2) < 3)"),
        ("1 or 2 or 3", "((1 or 2) or 3)"),
        # Parentheses override and leave no node.
        ("(1 + 2) * 3", "((1 + 2) * 3)"),
        ("1 - (2 - 3)", "(1 - (2 - 3))"),
        ("((((1))))", "1"),
        ("-(1 + 2)", "(-(1 + 2))"),
        # Calls, '.', references.
        ("if(. > 3, 'a', 'b')", "if((. > 3), 'a', 'b')"),
        ("concat(${a}, ' ', ${b.c-d})", "concat($a, ' ', $b.c-d)"),
        ("true()", "true()"),
        ("not(${x} = 'yes' or ${y})", "not((($x = 'yes') or $y))"),
        ("count-selected(${m}) >= 2", "(count-selected($m) >= 2)"),
        ("max(1, -2)", "max(1, (-2))"),
    ],
)
def test_precedence_and_associativity(text: str, structure: str) -> None:
    assert bracketed(parse(text)) == structure


def test_tree_nodes_are_frozen_dataclasses_with_structural_equality() -> None:
    node = parse("selected(${m}, 'x') and . > -2.5")
    assert node == Binary(
        "and",
        Call("selected", (Ref("m"), String("x"))),
        Binary(">", Current(), Negate(Number(2.5))),
    )
    assert hash(node) == hash(parse("selected( ${m} ,'x')and .>-2.5"))
    with pytest.raises(AttributeError):
        node.op = "or"  # type: ignore[misc]


def test_references_and_uses_current() -> None:
    node = parse("if(${a} > 1, concat(${b}, ${a}), coalesce(${c}, .))")
    assert references(node) == frozenset({"a", "b", "c"})
    assert uses_current(node) is True
    assert uses_current(parse("${a} > .5")) is False  # '.5' is a number, not '.'
    assert references(parse("1 + 2")) == frozenset()


# (text, position, fragment of the message)
SYNTAX_ERRORS = [
    ("", 0, "the expression is empty"),
    ("   \n", 0, "the expression is empty"),
    ("'abc", 0, "unclosed string starting at position 0"),
    ('${a} = "x', 7, "unclosed string starting at position 7"),
    ("(1 + 2", 0, "unclosed '(' at position 0"),
    ("concat('a', ('b')", 6, "unclosed '(' at position 6"),
    ("1 + 2)", 5, "unexpected ')' at position 5"),
    ("())", 1, "unexpected ')' at position 1"),
    ("1 +", 3, "unexpected end of expression at position 3"),
    ("${a} and", 8, "unexpected end of expression at position 8"),
    ("${a} >=\n", 8, "unexpected end of expression at position 8"),
    ("-", 1, "unexpected end of expression at position 1"),
    ("concat(", 7, "unexpected end of expression at position 7"),
    ("* 3", 0, "unexpected '*' at position 0"),
    ("${", 0, "expected a question name after '${' at position 0"),
    ("1 + ${ age}", 4, "expected a question name after '${' at position 4"),
    ("${1a}", 0, "expected a question name after '${' at position 0"),
    ("${}", 0, "missing question name in '${}' at position 0"),
    ("${age", 0, "missing '}' after '${age' at position 0"),
    ("${age + 1", 0, "missing '}' after '${age' at position 0"),
    ("$age", 0, "unexpected character '$' at position 0"),
    ("1 # 2", 2, "unexpected character '#' at position 2"),
    ("${a} ; 1", 5, "unexpected character ';' at position 5"),
    ("\x00", 0, "unexpected character '\\x00' at position 0"),
    ("${a} == 1", 5, "unexpected '==' at position 5 (use a single '=')"),
    ("${a} <> 1", 5, "use '!='"),
    ("${a} && ${b}", 5, "use 'and'"),
    ("!${a}", 0, "use '!=' or not()"),
    ("‘yes’", 0, "use straight quotes"),
    ("/data/age > 3", 0, "paths like /data/x are not supported"),
    ("${a}[1]", 4, "predicates are not supported"),
    ("age > 3", 0, "unexpected name 'age' at position 0 (question names are written ${age}"),
    ("1 and and 2", 6, "unexpected 'and' at position 6"),
    ("${a} foo", 5, "unexpected 'foo' at position 5"),
    ("1 2", 2, "unexpected number 2 at position 2"),
    ("concat('a' 'b')", 11, "unexpected string 'b' at position 11"),
    ("${a} ${b}", 5, "unexpected ${b} at position 5"),
    ("if(, 1, 2)", 3, "unexpected ',' at position 3"),
    ("concat('a',)", 11, "unexpected ')' at position 11"),
    (".. > 1", 1, "unexpected '.' at position 1"),
    ("1.2.3", 3, "unexpected number .3 at position 3"),
]


@pytest.mark.parametrize(("text", "position", "fragment"), SYNTAX_ERRORS)
def test_syntax_errors(text: str, position: int, fragment: str) -> None:
    with pytest.raises(ExpressionSyntaxError) as caught:
        parse(text)
    error = caught.value
    assert error.position == position
    assert fragment in error.message
    assert "\n" not in error.message  # one sentence, one line
    assert isinstance(error, ExpressionError)


def test_long_string_literals_are_shortened_in_messages() -> None:
    with pytest.raises(ExpressionSyntaxError) as caught:
        parse("1 '" + "x" * 200 + "'")
    assert len(caught.value.message) < 100


def test_nesting_limit() -> None:
    ok = "(" * MAX_NESTING + "1" + ")" * MAX_NESTING
    assert parse(ok) == Number(1.0)
    with pytest.raises(ExpressionSyntaxError, match="nested too deeply"):
        parse("(" + ok + ")")
    with pytest.raises(ExpressionSyntaxError, match="nested too deeply"):
        parse("-" * (MAX_NESTING + 1) + "1")
    with pytest.raises(ExpressionSyntaxError, match="nested too deeply") as caught:
        parse("not(" * (MAX_NESTING + 1) + "1" + ")" * (MAX_NESTING + 1))
    assert caught.value.position == 4 * MAX_NESTING + 3  # the '(' that went one level too far


def test_depth_limit_for_long_operator_chains() -> None:
    assert isinstance(parse(" or ".join(["${a}"] * MAX_DEPTH)), Binary)
    with pytest.raises(ExpressionSyntaxError, match="nested too deeply"):
        parse(" or ".join(["${a}"] * (MAX_DEPTH + 1)))


def test_wide_expressions_are_fine() -> None:
    node = parse("concat(" + ", ".join(f"${{q{i}}}" for i in range(500)) + ")")
    assert isinstance(node, Call)
    assert len(node.args) == 500
