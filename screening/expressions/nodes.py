"""The syntax tree: small frozen dataclasses, compared structurally.

Parentheses leave no node behind; the printer puts back exactly those that precedence needs.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal, TypeAlias

BinaryOp: TypeAlias = Literal[
    "or", "and", "=", "!=", "<", "<=", ">", ">=", "+", "-", "*", "div", "mod"
]

# XPath 1.0 precedence, loosest first; every binary operator is left-associative.
BINARY_PRECEDENCE: dict[str, int] = {
    "or": 1,
    "and": 2,
    "=": 3,
    "!=": 3,
    "<": 4,
    "<=": 4,
    ">": 4,
    ">=": 4,
    "+": 5,
    "-": 5,
    "*": 6,
    "div": 6,
    "mod": 6,
}
UNARY_PRECEDENCE = 7

COMPARISON_OPS = frozenset({"=", "!=", "<", "<=", ">", ">="})
RELATIONAL_OPS = frozenset({"<", "<=", ">", ">="})
ARITHMETIC_OPS = frozenset({"+", "-", "*", "div", "mod"})
LOGICAL_OPS = frozenset({"and", "or"})


@dataclass(frozen=True, slots=True)
class Number:
    """A number literal; the parser only makes non-negative finite ones (``-3`` is Negate)."""

    value: float


@dataclass(frozen=True, slots=True)
class String:
    value: str


@dataclass(frozen=True, slots=True)
class Ref:
    """``${name}``: the answer to another question."""

    name: str


@dataclass(frozen=True, slots=True)
class Current:
    """``.``: the value being validated (in a constraint)."""


@dataclass(frozen=True, slots=True)
class Negate:
    operand: Node


@dataclass(frozen=True, slots=True)
class Binary:
    op: BinaryOp
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Call:
    name: str
    args: tuple[Node, ...] = ()


Node: TypeAlias = Number | String | Ref | Current | Negate | Binary | Call


def children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, Binary):
        return (node.left, node.right)
    if isinstance(node, Call):
        return node.args
    if isinstance(node, Negate):
        return (node.operand,)
    return ()


def walk(node: Node) -> Iterator[Node]:
    """Every node in source order (pre-order), without recursion."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(children(current)))


def references(node: Node) -> frozenset[str]:
    """The question names used through ``${name}``."""
    return frozenset(n.name for n in walk(node) if isinstance(n, Ref))


def uses_current(node: Node) -> bool:
    """Whether ``.`` appears, i.e. the expression only makes sense as a constraint."""
    return any(isinstance(n, Current) for n in walk(node))
