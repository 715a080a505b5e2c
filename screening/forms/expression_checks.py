"""The builder's checks of a form's expressions: relevance, requirements, constraints,
calculations, repeat counts, choice filters, calculate_on (prefill moments) and instance_name."""

from __future__ import annotations

import re

from screening.expressions import Call, Expression, ExpressionError, String, ValueType
from screening.expressions.errors import shorten
from screening.expressions.nodes import walk
from screening.forms.check_state import VALUE_TYPES, CheckState
from screening.forms.choice_filter import CHOICE_PREFIX, choice_columns, choice_filter_source
from screening.forms.model import Group, Question
from screening.forms.nodes import Node

_TRIGGER = re.compile(r"\$\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}")


class ExpressionChecks(CheckState):
    def check_expressions(self) -> None:
        # A note is readable, as in ODK, where it is a node with no value (expression() warns).
        types = {
            name: VALUE_TYPES[node.kind] for name, node in self.nodes.items() if node.is_question
        }
        # ${repeat} is the repeat's instances, for count(${repeat}).
        types.update({name: ValueType.ANY for name, n in self.nodes.items() if n.kind == "repeat"})
        for node in self.nodes.values():
            item = node.source
            node.relevant = self.expression(node, "relevant", item.relevant, types)
            if isinstance(item, Question):
                if isinstance(item.required, str):
                    node.required = self.expression(node, "required", item.required, types)
                else:
                    node.required = item.required
                node.constraint = self.expression(node, "constraint", item.constraint, types)
                node.calculation = self.expression(node, "calculation", item.calculation, types)
                if item.calculate_on is not None:
                    self.calculate_on(node, item.calculate_on)
                if item.choice_filter and node.choices:
                    node.choice_filter = self.choice_filter(node, item.choice_filter, types)
            elif isinstance(item, Group):
                node.repeat_count = self.expression(node, "repeat_count", item.repeat_count, types)
        self.check_instance_name(types)

    def choice_filter(
        self, node: Node, text: str, types: dict[str, ValueType]
    ) -> Expression | None:
        try:
            source, names = choice_filter_source(text)
        except ExpressionError as exc:
            self.problem(node.name, f"choice_filter {text!r}: {exc.message}")
            return None
        columns = choice_columns(node.choices)
        for unknown in (name for name in names if name not in columns):
            # As in ODK, a column no choice has reads as '' (the engine's offered_choices).
            self.odk_runs(
                node.name,
                f"choice_filter: the choices of list {node.question.choices!r} have no column"
                f" {unknown!r} (they have {', '.join(sorted(columns))})",
                ", so it reads as '' for every choice, as in ODK",
            )
        own = {CHOICE_PREFIX + name: ValueType.TEXT for name in names}
        return self.expression(node, "choice_filter", source, {**types, **own})

    def check_instance_name(self, types: dict[str, ValueType]) -> None:
        text = self.form.instance_name
        if not text or not text.strip():
            return
        try:
            expr = Expression.compile(text)
        except ExpressionError as exc:
            self.problem(None, f"instance_name {text!r}: {exc.message}")
            return
        problems = self.check(None, "instance_name", expr, types)
        for problem in problems:
            self.problem(None, f"instance_name: {problem}")
        inside = sorted(r for r in expr.refs if r in self.nodes and self.nodes[r].repeat)
        for ref in inside:
            self.problem(None, f"instance_name: ${{{ref}}} is inside a repeat")
        if not problems and not inside:
            self.instance_name = expr

    def calculate_on(self, node: Node, text: str) -> None:
        """A prefill's moment: 'start' (ODK's dynamic default) or '${name}' (ODK's trigger)."""
        if not node.answerable or (node.calculation is None and text.strip() == "start"):
            self.problem(
                node.name, "calculate_on needs a calculation on a question that can be answered"
            )
            return
        if text.strip() == "start":
            node.once = True
            return
        match = _TRIGGER.fullmatch(text.strip())
        trigger = self.nodes.get(match.group(1)) if match else None
        if trigger is None or not trigger.is_question or trigger.kind == "note":
            self.problem(
                node.name,
                f"calculate_on {shorten(text)!r} must be 'start' or ${{name}} of a question",
            )
        elif trigger is node:
            self.problem(node.name, "calculate_on cannot name the question itself")
        else:
            node.trigger = trigger.name

    def expression(
        self, node: Node, what: str, text: str | None, types: dict[str, ValueType]
    ) -> Expression | None:
        if text is None or not text.strip():
            return None
        try:
            expr = Expression.compile(text)
        except ExpressionError as exc:
            self.problem(node.name, f"{what} '{shorten(text)}': {exc.message}")
            return None
        for problem in self.check(node.name, what, expr, types):
            self.problem(node.name, f"{what}: {problem}")
        for call in walk(expr.node):
            if (
                isinstance(call, Call)
                and call.name == "pulldata"
                and isinstance(call.args[0], String)
            ):
                table = call.args[0].value.removesuffix(".csv")
                # A file not beside the XLSForm at import: refused at publishing, not here.
                awaited = any(table == file.rsplit(".", 1)[0] for file in self.form.missing_files)
                if table not in self.form.data_files and not awaited:
                    self.problem(node.name, f"{what}: pulldata() reads {table!r}, which the form"
                                 " does not carry (data_files)")  # fmt: skip
        if expr.uses_current and what != "constraint":
            self.problem(
                node.name, f"{what}: '.' (the current value) is only meaningful in a constraint"
            )
        for ref in sorted(expr.refs):
            target = self.nodes.get(ref)
            if target is None or not target.is_question:
                continue  # check() already named unknown names
            if target.kind == "note":
                self.odk_runs(
                    node.name,
                    f"{what}: ${{{ref}}} is a note and has no value",
                    ", so it reads as empty, as in ODK",
                )
            # Inside its repeat ${x} is the same instance's value; from outside it is its value
            # in every instance (a node-set, for count(), sum(), indexed-repeat() ...).
        return expr
