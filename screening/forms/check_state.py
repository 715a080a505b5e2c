"""What a form's checks share while the builder runs: the nodes built so far, the problems and
warnings found, and how a warning becomes a problem under `strict` (forms/form_builder.py)."""

from __future__ import annotations

from screening.expressions import Expression, ValueType, check
from screening.forms.model import Form, LocalizedText
from screening.forms.nodes import Node
from screening.forms.problems import FormProblem, FormWarning

VALUE_TYPES = {
    "text": ValueType.TEXT,
    "integer": ValueType.NUMBER,
    "decimal": ValueType.NUMBER,
    "date": ValueType.DATE,
    "select_one": ValueType.SELECT_ONE,
    "select_multiple": ValueType.SELECT_MULTIPLE,
    "note": ValueType.TEXT,
    "calculate": ValueType.ANY,
    "time": ValueType.TEXT,
    "datetime": ValueType.TEXT,
    "geopoint": ValueType.TEXT,
    "geotrace": ValueType.TEXT,
    "geoshape": ValueType.TEXT,
    # Text in ODK ("b a c"), read with selected-at() as well as compared as text.
    "rank": ValueType.ANY,
}


class CheckState:
    def __init__(self, form: Form, source: str, strict: bool) -> None:
        self.form = form
        self.source = source
        self.strict = strict
        self.nodes: dict[str, Node] = {}
        self.problems: list[FormProblem] = []
        self.warnings: list[FormWarning] = []
        self.languages = [lang.code for lang in form.languages]
        self.instance_name: Expression | None = None

    def problem(self, question: str | None, message: str) -> None:
        self.problems.append(FormProblem(self.source, question, message))

    def odk_runs(self, question: str | None, problem: str, how: str) -> None:
        """What ODK runs but is often a mistake: a warning, `problem` followed by `how` it
        runs; under `strict`, a problem."""
        if self.strict:
            self.problem(question, problem)
            return
        warning = FormWarning(self.source, question, f"{problem}{how}")
        if warning not in self.warnings:
            self.warnings.append(warning)

    def check(
        self, question: str | None, what: str, expr: Expression, types: dict[str, ValueType]
    ) -> list[str]:
        """check() of the expression: its problems, and its warnings added as warnings (or,
        under `strict`, among the problems)."""
        current = ValueType.ANY
        if what == "constraint" and question is not None:
            current = VALUE_TYPES.get(self.nodes[question].kind, ValueType.ANY)
        warnings: list[str] | None = None if self.strict else []
        problems = check(expr.node, types, current=current, warnings=warnings)
        for warning in warnings or ():
            found = FormWarning(self.source, question, f"{what}: {warning}")
            if found not in self.warnings:
                self.warnings.append(found)
        return problems

    def texts(self, question: str | None, what: str, text: LocalizedText | None) -> None:
        if text is None:
            return
        missing = [code for code in self.languages if not (text.get(code) or "").strip()]
        extra = sorted(set(text) - set(self.languages))
        if missing:
            self.problem(question, f"{what} lacks the language(s) {', '.join(missing)}")
        if extra:
            self.problem(question, f"{what} has undeclared language(s) {', '.join(extra)}")
