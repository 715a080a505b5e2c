"""Static checks run when a form loads: unknown names and functions, argument counts, and the
type mistakes that are certainly mistakes (not merely unusual XPath).

Two patterns are likely mistakes that ODK nevertheless runs: selected() and its kin on a question
that is not a select (ODK reads the value as space-separated words), and ``=`` between a
select_multiple and a text (ODK compares the whole stored answer). A caller that passes a
``warnings`` list gets those there, so that a form written for ODK still loads and runs with
ODK's meaning while its author hears about them; without it they are problems like the rest.

The checker is deliberately conservative: XPath coerces almost anything to anything, and idioms
such as adding up comparisons (``(${a} = 'yes') + (${b} = 'yes')``) or doing arithmetic on
select_one answers with numeric choice names are legitimate, so only the patterns that can never
do what the author meant are reported.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping

from screening.expressions.errors import ExpressionError, one_line, shorten
from screening.expressions.functions import FUNCTIONS, call_problem
from screening.expressions.functions_regex import compile_pattern
from screening.expressions.nodes import (
    ARITHMETIC_OPS,
    LOGICAL_OPS,
    RELATIONAL_OPS,
    Binary,
    Call,
    Current,
    Negate,
    Node,
    Number,
    Ref,
    String,
)
from screening.expressions.printer import to_source as _full_source
from screening.expressions.values import ValueType, parse_date, str_to_number


def to_source(node: Node) -> str:
    return shorten(_full_source(node))  # problems quote at most ~80 characters


_SELECTS = frozenset({ValueType.SELECT_ONE, ValueType.SELECT_MULTIPLE, ValueType.ANY})
_MULTI = frozenset({ValueType.SELECT_MULTIPLE, ValueType.ANY})
_SCALARS = frozenset({ValueType.NUMBER, ValueType.DATE, ValueType.BOOLEAN})
_KIND_WORDS = {
    ValueType.TEXT: "text",
    ValueType.NUMBER: "number",
    ValueType.DATE: "date",
    ValueType.BOOLEAN: "true/false",
    ValueType.SELECT_ONE: "select_one",
    ValueType.SELECT_MULTIPLE: "select_multiple",
    ValueType.ANY: "value",
}


def check(
    node: Node,
    names: Mapping[str, ValueType],
    *,
    current: ValueType = ValueType.ANY,
    warnings: list[str] | None = None,
) -> list[str]:
    """Problems with ``node`` as sentences (without a final full stop), each reported once.

    ``names`` maps every question name the expression may use to its type; ``current`` is the
    type of ``.`` when checking a constraint. When ``warnings`` is given, the patterns ODK runs
    (see the module docstring) are appended to it instead of being returned as problems.
    """
    checker = _Checker(names, current, lenient=warnings is not None)
    checker.infer(node)
    if warnings is not None:
        found = dict.fromkeys(one_line(warning) for warning in checker.warnings)
        warnings.extend(warning for warning in found if warning not in warnings)
    # Literals quoted in messages may hold newlines or control characters; a message is one line.
    return list(dict.fromkeys(one_line(problem) for problem in checker.problems))


class _Checker:
    def __init__(self, names: Mapping[str, ValueType], current: ValueType, lenient: bool) -> None:
        self.names = names
        self.current = current
        self.problems: list[str] = []
        self.lenient = lenient
        self.warnings: list[str] = []

    def odk_runs(self, problem: str, how: str) -> None:
        """A pattern ODK runs: a warning, `problem` followed by `how` it runs, or (strict) a
        problem."""
        if self.lenient:
            self.warnings.append(f"{problem}{how}")
        else:
            self.problems.append(problem)

    def infer(self, node: Node) -> ValueType:
        if isinstance(node, Number):
            return ValueType.NUMBER
        if isinstance(node, String):
            return ValueType.TEXT
        if isinstance(node, Current):
            return self.current
        if isinstance(node, Ref):
            return self.reference(node.name)
        if isinstance(node, Negate):
            self.arithmetic_operand(node.operand, self.infer(node.operand), "-")
            return ValueType.NUMBER
        if isinstance(node, Binary):
            return self.binary(node)
        return self.call(node)

    def reference(self, name: str) -> ValueType:
        if name not in self.names:
            close = difflib.get_close_matches(name, list(self.names), n=1, cutoff=0.8)
            hint = f" (did you mean ${{{close[0]}}}?)" if close else ""
            self.problems.append(f"unknown name ${{{shorten(name)}}}{hint}")
            return ValueType.ANY
        try:
            return ValueType(self.names[name])
        except ValueError:
            return ValueType.ANY

    def binary(self, node: Binary) -> ValueType:
        left = self.infer(node.left)
        right = self.infer(node.right)
        op = node.op
        if op in LOGICAL_OPS:
            return ValueType.BOOLEAN
        if op in ARITHMETIC_OPS:
            self.arithmetic_operand(node.left, left, op)
            self.arithmetic_operand(node.right, right, op)
            return ValueType.NUMBER
        if op in RELATIONAL_OPS:
            self.ordered_operand(node.left, left, right, op)
            self.ordered_operand(node.right, right, left, op)
        else:
            self.equality(node, left, right)
        return ValueType.BOOLEAN

    def arithmetic_operand(self, node: Node, kind: ValueType, op: str) -> None:
        if kind == ValueType.SELECT_MULTIPLE:
            self.problems.append(f"{_is_select_multiple(node)} and cannot be used with '{op}'")
        elif isinstance(node, String) and math.isnan(str_to_number(node.value)):
            self.problems.append(
                f"{to_source(node)} is not a number and cannot be used with '{op}'"
            )

    def ordered_operand(self, node: Node, kind: ValueType, other: ValueType, op: str) -> None:
        if kind == ValueType.SELECT_MULTIPLE:
            self.problems.append(f"{_is_select_multiple(node)} and cannot be compared with '{op}'")
        if not isinstance(node, String) or not math.isnan(str_to_number(node.value)):
            return
        is_date = parse_date(node.value) is not None
        if other == ValueType.DATE and not is_date:
            self.problems.append(_not_a_date(node))
        elif not is_date:
            self.problems.append(
                f"'{op}' compares numbers or dates, but {to_source(node)} is neither, "
                "so the comparison is always false"
            )
        elif other not in (ValueType.DATE, ValueType.ANY):
            # Text that looks like a date is read as one only against a date.
            self.problems.append(
                f"{to_source(node)} is a date, but the other side of '{op}' is not, "
                "so the comparison is always false"
            )

    def equality(self, node: Binary, left: ValueType, right: ValueType) -> None:
        for side, kind, other in ((node.left, left, node.right), (node.right, right, node.left)):
            if not isinstance(other, String):
                continue
            text = other.value
            if kind == ValueType.SELECT_MULTIPLE and text:
                # ODK compares the stored answer ('a b') with the text: runs, but rarely meant.
                self.odk_runs(
                    f"{to_source(node)} is only true when {to_source(other)} is the only choice "
                    f"selected; use selected({to_source(side)}, {to_source(other)})",
                    " unless that is meant (it runs as in ODK, comparing the whole answer)",
                )
            elif kind == ValueType.DATE and text and parse_date(text) is None:
                self.problems.append(_not_a_date(other))
            elif kind == ValueType.BOOLEAN:
                self.problems.append(
                    f"{to_source(node)} compares a true/false value with text, and any non-empty "
                    "text counts as true; use true() or false()"
                )

    def call(self, node: Call) -> ValueType:
        kinds = [self.infer(arg) for arg in node.args]
        problem = call_problem(node.name, len(node.args))
        if problem is not None:
            if node.name not in FUNCTIONS:
                close = difflib.get_close_matches(node.name, list(FUNCTIONS), n=1, cutoff=0.75)
                problem += f" (did you mean {close[0]}()?)" if close else ""
            self.problems.append(problem)
            spec = FUNCTIONS.get(node.name)
            return spec.returns if spec is not None else ValueType.ANY
        name = node.name
        if name == "selected":
            self.select_argument(node, kinds[0], _SELECTS, "a select question")
        elif name in ("count-selected", "selected-at"):
            self.select_argument(node, kinds[0], _MULTI, "a select_multiple question")
        elif name == "regex" and isinstance(node.args[1], String):
            try:
                compile_pattern(node.args[1].value)
            except ExpressionError as exc:
                self.problems.append(f"{exc.message} in regex()")
        elif name == "date" and isinstance(node.args[0], String):
            text = node.args[0].value
            if text and parse_date(text) is None and math.isnan(str_to_number(text)):
                self.problems.append(_not_a_date(node.args[0]))
        if name == "if":
            return _common(kinds[1], kinds[2])
        if name == "coalesce":
            return _common(kinds[0], kinds[1])
        return FUNCTIONS[name].returns

    def select_argument(
        self, node: Call, kind: ValueType, allowed: frozenset[ValueType], wanted: str
    ) -> None:
        first = node.args[0]
        if isinstance(first, (Ref, Current)):
            if kind not in allowed:
                # ODK reads any value as space-separated choice names: runs, but rarely meant.
                self.odk_runs(
                    f"{node.name}() expects {wanted} as its first argument, "
                    f"but {_subject(first)} is a {_KIND_WORDS[kind]} question",
                    "; it runs as in ODK, reading the answer as space-separated words",
                )
        elif kind in _SCALARS:
            self.problems.append(
                f"{node.name}() expects {wanted} as its first argument, not a {_KIND_WORDS[kind]}"
            )


def _subject(node: Node) -> str:
    return "'.'" if isinstance(node, Current) else to_source(node)


def _is_select_multiple(node: Node) -> str:
    noun = "question" if isinstance(node, (Ref, Current)) else "value"
    return f"{_subject(node)} is a select_multiple {noun}"


def _not_a_date(node: String) -> str:
    return f"{to_source(node)} is not a date (write dates as YYYY-MM-DD)"


def _common(first: ValueType, second: ValueType) -> ValueType:
    return first if first == second else ValueType.ANY
