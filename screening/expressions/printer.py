"""Canonical printing: one space around binary operators, ', ' between arguments, single quotes
where possible, and only the parentheses that precedence and left-associativity need, so that
``parse(to_source(node)) == node`` for every tree the parser can build.
"""

from __future__ import annotations

from screening.expressions.nodes import (
    BINARY_PRECEDENCE,
    UNARY_PRECEDENCE,
    Binary,
    Call,
    Current,
    Negate,
    Node,
    Number,
    Ref,
    String,
)
from screening.expressions.values import plain_decimal


def to_source(node: Node) -> str:
    return _print(node, 0)


def _print(node: Node, context: int) -> str:
    if isinstance(node, Binary):
        precedence = BINARY_PRECEDENCE[node.op]
        # The right operand needs parentheses at equal precedence: a - (b - c) != a - b - c.
        text = f"{_print(node.left, precedence)} {node.op} {_print(node.right, precedence + 1)}"
        return f"({text})" if precedence < context else text
    if isinstance(node, Negate):
        return "-" + _print(node.operand, UNARY_PRECEDENCE)
    if isinstance(node, Call):
        return f"{node.name}({', '.join(_print(arg, 0) for arg in node.args)})"
    if isinstance(node, Ref):
        return "${" + node.name + "}"
    if isinstance(node, Current):
        return "."
    if isinstance(node, String):
        return string_literal(node.value)
    if isinstance(node, Number):
        return number_literal(node.value)
    raise TypeError(f"not an expression node: {node!r}")


def number_literal(value: float) -> str:
    """XPath has no exponent syntax, so 1e-05 prints as 0.00001."""
    if value.is_integer():
        return str(int(value))
    return plain_decimal(value)


def string_literal(value: str) -> str:
    """XPath 1.0 strings have no escapes: quote with whichever quote the text does not contain."""
    if "'" not in value:
        return f"'{value}'"
    if '"' not in value:
        return f'"{value}"'
    # Text with both quotes cannot come from the parser; concat() keeps it printable anyway.
    pieces = [string_literal(part) for part in value.split("'")]
    return "concat(" + ', "\'", '.join(pieces) + ")"
