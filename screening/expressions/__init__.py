"""XLSForm-style expressions: a small safe parser, static checks, and fast evaluation.

    >>> expr = Expression.compile("${age} >= 18 and selected(${docs}, 'passport')")
    >>> expr.evaluate_bool({"age": 30, "docs": ["passport"]}.get)
    True

No ``eval``/``exec``: text is tokenized and parsed by hand, and compiled into Python closures.
See docs/expressions.md for the language, its semantics and where it differs from ODK.
"""

from __future__ import annotations

from screening.expressions.checker import check
from screening.expressions.errors import ExpressionError, ExpressionSyntaxError
from screening.expressions.evaluator import Expression
from screening.expressions.functions import FUNCTIONS, FunctionSpec
from screening.expressions.nodes import (
    Binary,
    Call,
    Current,
    Negate,
    Node,
    Number,
    Ref,
    String,
    references,
    uses_current,
)
from screening.expressions.parser import parse
from screening.expressions.printer import to_source
from screening.expressions.values import ABSOLUTE, NodeSet, ValueType

__all__ = [
    "ABSOLUTE",
    "FUNCTIONS",
    "Binary",
    "Call",
    "Current",
    "Expression",
    "ExpressionError",
    "ExpressionSyntaxError",
    "FunctionSpec",
    "Negate",
    "Node",
    "NodeSet",
    "Number",
    "Ref",
    "String",
    "ValueType",
    "check",
    "parse",
    "references",
    "to_source",
    "uses_current",
]
