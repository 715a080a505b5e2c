"""Compile a syntax tree into a tree of Python closures, and the public Expression class.

Each node becomes one closure taking the evaluation context, so evaluating is a handful of plain
function calls with no tree walking, no dispatch on node types and no ``eval``. Common shapes
(``${a} > 3``, ``${b} = 'x'``, ``selected(${m}, 'x')``) get closures with the literal folded in.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from datetime import date
from typing import TypeVar

from screening.expressions.errors import ExpressionError, one_line, shorten
from screening.expressions.functions import (
    FUNCTIONS,
    ChoiceLabel,
    EvalContext,
    Evaluator,
    Tables,
    call_problem,
)
from screening.expressions.functions_regex import compile_pattern, regex_matches
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
from screening.expressions.repeats import indexed_repeat_call
from screening.expressions.values import (
    INF,
    NAN,
    PLAIN_TYPES,
    NodeSet,
    date_aware_number,
    export,
    normalize,
    to_bool,
    to_number,
    to_string,
)

_RELATIONAL: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
_R = TypeVar("_R")  # what `Expression._result` converts a value to
# Mirror image of each comparison, for a literal on the left: 3 < x is x > 3.
_MIRRORED = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}


class Expression:
    """A parsed and compiled expression, reusable and safe to share between threads."""

    __slots__ = ("_run", "node", "refs", "source", "uses_current")

    def __init__(self, node: Node, source: str | None = None) -> None:
        self.node = node
        self.source = to_source(node) if source is None else source
        self.refs: frozenset[str] = references(node)
        self.uses_current: bool = uses_current(node)
        self._run = compile_node(node)

    @classmethod
    def compile(cls, text: str) -> Expression:
        """Parse and compile; ExpressionSyntaxError for bad syntax, ExpressionError for an
        unknown function or a wrong number of arguments."""
        return cls(parse(text), text)

    def evaluate(
        self,
        lookup: Callable[[str], object],
        current: object = None,
        today: date | None = None,
        choice_label: ChoiceLabel | None = None,
        tables: Tables | None = None,
        position: int | None = None,
    ) -> object:
        """The value: None (empty), bool, int, float, str, date or list[str]; see the docs."""
        context = EvalContext(lookup, current, today, choice_label, tables, position)
        return self._result(export, context)

    def evaluate_bool(
        self,
        lookup: Callable[[str], object],
        current: object = None,
        today: date | None = None,
        choice_label: ChoiceLabel | None = None,
        tables: Tables | None = None,
        position: int | None = None,
    ) -> bool:
        """XPath boolean() of the value: empty, 0, NaN and false are false."""
        context = EvalContext(lookup, current, today, choice_label, tables, position)
        return self._result(to_bool, context)

    def _result(self, convert: Callable[[object], _R], context: EvalContext) -> _R:
        try:
            return convert(self._run(context))
        except (ArithmeticError, ValueError, TypeError, RecursionError) as exc:
            raise _failure(self.source, exc) from exc

    def __repr__(self) -> str:
        return f"Expression({self.source!r})"


def _failure(source: str, exc: BaseException) -> ExpressionError:
    # The exception text is about types and operations; it never quotes an answer.
    return ExpressionError(
        one_line(f"could not evaluate {shorten(source)}: {type(exc).__name__}: {shorten(str(exc))}")
    )


def compile_node(node: Node) -> Evaluator:
    """One closure per node; raises ExpressionError for unknown functions or arity."""
    if isinstance(node, Ref):
        return _reference(node.name)
    if isinstance(node, Binary):
        return _binary(node)
    if isinstance(node, Call):
        return _call(node)
    if isinstance(node, Current):
        return _current
    literal = _literal(node)
    if literal is not None:
        return _constant(literal)
    if isinstance(node, Negate):
        operand = compile_node(node.operand)
        return lambda ctx: -to_number(operand(ctx))
    raise TypeError(f"not an expression node: {node!r}")


def _constant(value: object) -> Evaluator:
    return lambda ctx: value


def _literal(node: Node) -> float | str | None:
    """The value of a literal operand (``3``, ``-3``, ``'x'``), or None for anything else."""
    if isinstance(node, Number):
        return float(node.value)
    if isinstance(node, String):
        return node.value
    if isinstance(node, Negate) and isinstance(node.operand, Number):
        return -float(node.operand.value)
    return None


def _reference(name: str) -> Evaluator:
    label = "${" + name + "}"

    def reference(ctx: EvalContext) -> object:
        value = ctx.lookup(name)
        if type(value) in PLAIN_TYPES:
            return value
        return normalize(value, label)

    return reference


def _current(ctx: EvalContext) -> object:
    value = ctx.current
    if type(value) in PLAIN_TYPES:
        return value
    return normalize(value, "the current value (.)")


def equal(a: object, b: object) -> bool:
    """XPath '=' for single values: boolean if either is, else number if either is, else text.
    A node-set equals a value when one of its values does."""
    if type(a) is str and type(b) is str:
        return a == b
    if type(a) is NodeSet or type(b) is NodeSet:
        if type(a) is NodeSet:
            return any(equal(item, b) for item in a.items)
        return any(equal(a, item) for item in b.items)  # type: ignore[attr-defined]
    if type(a) is bool or type(b) is bool:
        return to_bool(a) == to_bool(b)
    if type(a) is float or type(b) is float:
        x, y = to_number(a), to_number(b)
        # JavaRosa's tolerance, so that 0.1 + 0.2 = 0.3 holds as form authors expect.
        return x == y or abs(x - y) < 1e-12
    if type(a) is date or type(b) is date:
        x, y = date_aware_number(a), date_aware_number(b)
        if x == x and y == y:
            return x == y
    return to_string(a) == to_string(b)


def relational_numbers(a: object, b: object) -> tuple[float, float]:
    if type(a) is date or type(b) is date:
        return date_aware_number(a), date_aware_number(b)
    return to_number(a), to_number(b)


def divide(x: float, y: float) -> float:
    if y == 0.0:
        if x != x or x == 0.0:
            return NAN
        return math.copysign(INF, x) * math.copysign(1.0, y)
    return x / y


def modulo(x: float, y: float) -> float:
    # Java's % (sign of the dividend), which is math.fmod; fmod raises where Java gives NaN.
    if y == 0.0 or x != x or y != y or math.isinf(x):
        return NAN
    return math.fmod(x, y)


_ARITHMETIC: dict[str, Callable[[float, float], float]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "div": divide,
    "mod": modulo,
}


def _binary(node: Binary) -> Evaluator:
    op = node.op
    left = compile_node(node.left)
    right = compile_node(node.right)
    if op == "and":
        return lambda ctx: to_bool(left(ctx)) and to_bool(right(ctx))
    if op == "or":
        return lambda ctx: to_bool(left(ctx)) or to_bool(right(ctx))
    if op == "=" or op == "!=":
        if op == "=":
            return _equality(node, left, right)
        return _inequality(node, left, right)
    if op in _RELATIONAL:
        return _relational(node, left, right)
    arithmetic = _ARITHMETIC[op]
    return lambda ctx: arithmetic(to_number(left(ctx)), to_number(right(ctx)))


def _equality(node: Binary, left: Evaluator, right: Evaluator) -> Evaluator:
    # '=' is symmetric, so a literal on either side can be folded in the same way.
    literal, other = _literal(node.right), left
    if literal is None:
        literal, other = _literal(node.left), right
    if type(literal) is str:
        text = literal

        def equals_text(ctx: EvalContext) -> bool:
            value = other(ctx)
            return value == text if type(value) is str else equal(value, text)

        return equals_text
    if type(literal) is float:
        number = literal

        truth = to_bool(number)

        def equals_number(ctx: EvalContext) -> bool:
            value = other(ctx)
            if type(value) is bool:  # a boolean operand makes it a boolean comparison
                return value == truth
            if type(value) is NodeSet:
                return equal(value, number)
            x = value if type(value) is float else to_number(value)
            return x == number or abs(x - number) < 1e-12

        return equals_number
    return lambda ctx: equal(left(ctx), right(ctx))


def _inequality(node: Binary, left: Evaluator, right: Evaluator) -> Evaluator:
    test = _equality(node, left, right)
    if not any(isinstance(side, (Ref, Call)) for side in (node.left, node.right)):
        return lambda ctx: not test(ctx)  # no side can be a node-set

    def differs(ctx: EvalContext) -> bool:
        # XPath: a node-set differs from a value when one of its values does. Both sides are
        # evaluated once, so the folded '=' cannot be reused here.
        a, b = left(ctx), right(ctx)
        if type(a) is NodeSet or type(b) is NodeSet:
            xs = a.items if type(a) is NodeSet else [a]
            ys = b.items if type(b) is NodeSet else [b]
            return any(not equal(x, y) for x in xs for y in ys)
        return not equal(a, b)

    return differs


def _relational(node: Binary, left: Evaluator, right: Evaluator) -> Evaluator:
    right_literal = _literal(node.right)
    left_literal = _literal(node.left)
    if type(right_literal) is float:
        return _against_number(left, _RELATIONAL[node.op], right_literal)
    if type(left_literal) is float:
        return _against_number(right, _RELATIONAL[_MIRRORED[node.op]], left_literal)
    compare = _RELATIONAL[node.op]

    def relational(ctx: EvalContext) -> bool:
        a, b = left(ctx), right(ctx)
        if type(a) is NodeSet or type(b) is NodeSet:
            lefts = a.items if type(a) is NodeSet else [a]
            rights = b.items if type(b) is NodeSet else [b]
            return any(compare(*relational_numbers(x, y)) for x in lefts for y in rights)
        return compare(*relational_numbers(a, b))

    return relational


def _against_number(
    other: Evaluator, compare: Callable[[float, float], bool], number: float
) -> Evaluator:
    # A number on one side means a numeric comparison; a date on the other side is its days.
    def against_number(ctx: EvalContext) -> bool:
        value = other(ctx)
        if type(value) is NodeSet:  # XPath: true when it holds for one of the values
            return any(compare(to_number(item), number) for item in value.items)
        return compare(value if type(value) is float else to_number(value), number)

    return against_number


def _call(node: Call) -> Evaluator:
    problem = call_problem(node.name, len(node.args))
    if problem is not None:
        raise ExpressionError(problem)
    spec = FUNCTIONS[node.name]
    if node.name == "indexed-repeat":
        return indexed_repeat_call(node, spec.impl, compile_node)
    args = tuple(compile_node(arg) for arg in node.args)
    if spec.lazy:
        lazy = spec.impl
        return lambda ctx: lazy(ctx, args)
    if node.name == "regex" and isinstance(node.args[1], String):
        return _literal_regex(args[0], node.args[1].value)
    if node.name == "selected" and _literal(node.args[1]) is not None:
        return _literal_selected(args[0], to_string(_literal(node.args[1])).strip())
    impl = spec.impl
    if not args:
        value = impl()  # the 0-argument eager functions are constants: true(), false()
        return lambda ctx: value
    if len(args) == 1:
        (first,) = args
        return lambda ctx: impl(first(ctx))
    if len(args) == 2:
        first, second = args
        return lambda ctx: impl(first(ctx), second(ctx))
    return lambda ctx: impl(*[arg(ctx) for arg in args])


def _literal_regex(subject: Evaluator, pattern: str) -> Evaluator:
    try:
        compiled = compile_pattern(pattern)
    except ExpressionError as exc:
        message = exc.message

        def invalid(ctx: EvalContext) -> bool:
            raise ExpressionError(message)

        return invalid
    return lambda ctx: regex_matches(subject(ctx), compiled)


def _literal_selected(subject: Evaluator, choice: str) -> Evaluator:
    if not choice:
        return lambda ctx: False

    def selected(ctx: EvalContext) -> bool:
        value = subject(ctx)
        if type(value) is list:
            return choice in value
        return choice in to_string(value).split()

    return selected
