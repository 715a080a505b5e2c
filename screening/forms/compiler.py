"""Turn a validated `Form` into a `CompiledForm`: flat nodes, parsed expressions, a checked
dependency graph. Every problem is collected and reported with the file and question name."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from screening import jsonio
from screening.expressions import Call, Expression, ExpressionError, String, ValueType, check
from screening.expressions.errors import shorten
from screening.expressions.nodes import walk
from screening.forms.choice_filter import CHOICE_PREFIX, choice_columns, choice_filter_source
from screening.forms.graph import DependencyGraph, GraphCycleError, Target, build_graph
from screening.forms.indicators import catalogue
from screening.forms.model import (
    Form,
    Group,
    IndicatorTag,
    LocalizedText,
    Question,
    Section,
)
from screening.forms.nodes import NON_ANSWERABLE, Node
from screening.forms.problems import FormError, FormProblem, FormWarning
from screening.forms.variants import form_texts, markup_problems, resolve, variant_keys

_VALUE_TYPES = {
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
CHOICE_KINDS = frozenset({"select_one", "select_multiple", "rank"})


_TRIGGER = re.compile(r"\$\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}")


@dataclass(eq=False)
class CompiledForm:
    form: Form
    source_name: str
    nodes: dict[str, Node]
    graph: DependencyGraph
    form_hash: str
    instance_name: Expression | None = None
    # What ODK runs but is often a mistake; each runs with ODK's meaning (docs/forms.md).
    warnings: tuple[FormWarning, ...] = ()

    @property
    def id(self) -> str:
        return self.form.id

    @property
    def version(self) -> str:
        return self.form.version

    def questions(self) -> Iterator[Node]:
        return (node for node in self.nodes.values() if node.is_question)

    def sections(self) -> list[Node]:
        return [node for node in self.nodes.values() if node.kind == "section"]

    def allows_declined(self, node: Node) -> bool:
        own = node.question.allow_declined
        return self.form.allow_declined if own is None else own

    def allows_dont_know(self, node: Node) -> bool:
        own = node.question.allow_dont_know
        return self.form.allow_dont_know if own is None else own

    def text(
        self, text: LocalizedText | None, language: str | None = None, variant: str | None = None
    ) -> str:
        """The text in `language`, falling back to the form's default language, with its
        gendered wording for `variant` (all alternatives paired when None)."""
        if not text:
            return ""
        lang = language or self.form.default_language
        chosen = text.get(lang) or text.get(self.form.default_language) or next(iter(text.values()))
        return resolve(chosen, variant)


# Fields added to the format after forms were recorded with it: left out of the hash while
# unset, so that a form that does not use them keeps the hash its interviews were stored with.
_LATER_FIELDS = frozenset(
    {
        "choice_filter",
        "default",
        "calculate_on",
        "properties",
        "instance_name",
        "data_files",
        "missing_files",
        "appearance",
        "text_variants",
        # The indicator catalogue and the rules that read answers (docs/scoring.md).
        "strength",
        "acts",
        "catalogue",
        "age_question",
        "age_at_recruitment_question",
        "sexual_exploitation_answers",
        "labour_exploitation_answers",
        "unaccompanied_answers",
        "exploitation_answers",
        "child_exploitation_answers",
    }
)


# Later fields whose default is a value: left out while they hold it.
_LATER_DEFAULTS = {"review": "not_reviewed"}


def _without_unset_later_fields(value: object) -> object:
    if isinstance(value, dict):
        return {
            key: _without_unset_later_fields(item)
            for key, item in value.items()
            if not (key in _LATER_FIELDS and item in (None, {}, []))
            and not (key in _LATER_DEFAULTS and item == _LATER_DEFAULTS[key])
        }
    if isinstance(value, list):
        return [_without_unset_later_fields(item) for item in value]
    return value


def form_hash(form: Form) -> str:
    """SHA-256 of the canonical JSON of the form: the same definition, the same hash."""
    canonical = json.dumps(
        _without_unset_later_fields(form.model_dump(mode="json")),
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def load_form(path: str | Path, *, strict: bool = False) -> CompiledForm:
    """Read, validate and compile one form file; raises FormError naming every problem (and,
    when `strict`, every warning as a problem)."""
    path = Path(path)
    source = str(path)
    try:
        raw_text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FormError([FormProblem(source, None, "file not found")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise FormError([FormProblem(source, None, f"cannot be read ({exc})")]) from None
    return compile_json(raw_text, source, strict=strict)


def compile_json(raw_text: str, source: str, *, strict: bool = False) -> CompiledForm:
    try:
        data = jsonio.loads(raw_text)
    except jsonio.JSONInputError as exc:
        raise FormError([FormProblem(source, None, exc.detail)]) from None
    return compile_data(data, source, strict=strict)


def compile_data(data: object, source: str, *, strict: bool = False) -> CompiledForm:
    try:
        form = Form.model_validate(data)
    except ValidationError as exc:
        raise FormError(list(_pydantic_problems(exc, data, source))) from None
    return compile_form(form, source, strict=strict)


def awaiting_files(compiled: CompiledForm) -> str:
    """Why a valid form cannot be used yet, or "": files its XLSForm named that were not beside
    it, so some questions offer no choices. The definition is sound, so validation passes;
    publishing and starting an interview refuse it (docs/forms.md)."""
    missing = compiled.form.missing_files
    if not missing:
        return ""
    names = ", ".join(sorted(missing))
    return (
        f"{names} {'was' if len(missing) == 1 else 'were'} not beside"
        " the XLSForm, so its questions offer no choices yet; put the file(s) there and import"
        " again"
    )


def compile_form(form: Form, source: str = "<form>", *, strict: bool = False) -> CompiledForm:
    """Compile a validated form; raises FormError naming every problem. Warnings do not refuse
    the form unless `strict` (this project's own forms are held to it), where they are
    problems."""
    builder = _Builder(form, source, strict)
    builder.build()
    warnings = builder.warnings
    if builder.problems:
        raise FormError(builder.problems, warnings)
    try:
        graph = build_graph(builder.nodes)
    except GraphCycleError as exc:
        cycle = FormProblem(source, exc.names[0], str(exc))
        raise FormError([cycle], warnings) from None
    return CompiledForm(
        form,
        source,
        builder.nodes,
        graph,
        form_hash(form),
        builder.instance_name,
        tuple(warnings),
    )


class _Builder:
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
            current = _VALUE_TYPES.get(self.nodes[question].kind, ValueType.ANY)
        warnings: list[str] | None = None if self.strict else []
        problems = check(expr.node, types, current=current, warnings=warnings)
        for warning in warnings or ():
            found = FormWarning(self.source, question, f"{what}: {warning}")
            if found not in self.warnings:
                self.warnings.append(found)
        return problems

    def build(self) -> None:
        form = self.form
        if len(set(self.languages)) != len(self.languages):
            self.problem(None, "a language is declared twice")
        if form.default_language not in self.languages:
            self.problem(
                None, f"default_language {form.default_language!r} is not among the languages"
            )
        self.texts(None, "title", form.title)
        self.texts(None, "description", form.description)
        for list_name, choices in form.choice_lists.items():
            seen: set[str] = set()
            for choice in choices:
                if choice.name in seen:
                    self.problem(None, f"choice list {list_name}: choice {choice.name} is repeated")
                seen.add(choice.name)
                self.texts(
                    None, f"choice list {list_name}: choice {choice.name} label", choice.label
                )
        for section in form.sections:
            self.add(section, "section", section.name, None, None)
            self.walk(section.items, section.name, section.name, None)
        self.check_expressions()
        self.check_scoring()
        self.check_variants()

    def check_variants(self) -> None:
        rule = self.form.text_variants
        keys = variant_keys(self.form)
        if rule is not None:
            node = self.nodes.get(rule.question)
            if node is None or node.kind != "select_one" or node.repeat is not None:
                self.problem(rule.question, "text_variants needs a select_one outside repeats")
        for name, what, text in form_texts(self.form):
            for code, value in text.items():
                for problem in markup_problems(value, keys):
                    self.problem(name, f"{what} ({code}) {problem}")

    def walk(
        self, items: Iterable[Question | Group], section: str, parent: str, repeat: str | None
    ):
        for item in items:
            if isinstance(item, Group):
                # A repeat inside a repeat: its instances are numbered within each outer
                # instance (screening/engine/instances.py).
                kind = item.type
                self.add(item, kind, section, parent, repeat)
                inner_repeat = item.name if item.type == "repeat" else repeat
                self.walk(item.items, section, item.name, inner_repeat)
            else:
                self.add(item, item.type.value, section, parent, repeat)

    def add(self, item: Section | Group | Question, kind: str, section: str, parent, repeat):
        name = item.name
        if name in self.nodes:
            self.problem(
                name, "the name is used more than once (sections, groups and questions share names)"
            )
            return
        node = Node(name, kind, len(self.nodes), section, parent, repeat, item)
        self.nodes[name] = node
        if parent is not None:
            self.nodes[parent].children.append(name)
        label = getattr(item, "label", None)
        if isinstance(item, Question) and item.type.value != "calculate" and not label:
            self.problem(name, "a label is required")
        for attr in ("label", "hint", "constraint_message", "required_message"):
            self.texts(name, attr, getattr(item, attr, None))
        if isinstance(item, Group):
            self.check_group(node, item)
        elif isinstance(item, Question):
            self.check_question(node, item)

    def check_group(self, node: Node, group: Group) -> None:
        if group.type == "group" and (group.repeat_count or group.max_repeat or group.min_repeat):
            self.problem(node.name, "repeat_count, min_repeat and max_repeat need type repeat")
        if group.max_repeat is not None and group.min_repeat > group.max_repeat:
            self.problem(node.name, "min_repeat is larger than max_repeat")

    def check_question(self, node: Node, question: Question) -> None:
        kind = question.type.value
        name = node.name
        if kind in CHOICE_KINDS:
            if not question.choices:
                self.problem(name, f"a {kind} question needs a choice list")
            elif question.choices not in self.form.choice_lists:
                self.problem(name, f"choice list {question.choices!r} does not exist")
            else:
                node.choices = tuple(self.form.choice_lists[question.choices])
                node.choice_names = frozenset(choice.name for choice in node.choices)
        elif question.choices:
            self.problem(name, f"a {kind} question cannot have a choice list")
        if question.choice_filter and kind not in CHOICE_KINDS:
            self.problem(name, f"a {kind} question cannot have a choice_filter")
        if question.default is not None and kind in NON_ANSWERABLE:
            self.problem(name, f"a {kind} cannot have a default")
        if name.startswith(CHOICE_PREFIX):
            self.problem(name, f"names starting with {CHOICE_PREFIX!r} are reserved")
        if kind == "calculate" and not question.calculation:
            self.problem(name, "a calculate question needs a calculation")
        if question.calculation and kind == "note":
            self.problem(name, "a note cannot have a calculation")
        if kind in NON_ANSWERABLE and (question.required is not False or question.constraint):
            self.problem(name, f"a {kind} cannot be required or constrained")
        if question.indicators:
            if kind == "select_multiple":
                self.problem(name, "put indicators of a select_multiple on its choices")
            if kind in NON_ANSWERABLE:
                self.problem(name, f"a {kind} cannot carry indicators")
            if (
                kind == "select_one"
                and node.choice_names
                and (question.indicator_choice not in node.choice_names)
            ):
                self.problem(
                    name, f"indicator_choice {question.indicator_choice!r} is not in its choices"
                )

    def texts(self, question: str | None, what: str, text: LocalizedText | None) -> None:
        if text is None:
            return
        missing = [code for code in self.languages if not (text.get(code) or "").strip()]
        extra = sorted(set(text) - set(self.languages))
        if missing:
            self.problem(question, f"{what} lacks the language(s) {', '.join(missing)}")
        if extra:
            self.problem(question, f"{what} has undeclared language(s) {', '.join(extra)}")

    def check_expressions(self) -> None:
        # A note is readable, as in ODK, where it is a node with no value (expression() warns).
        types = {
            name: _VALUE_TYPES[node.kind] for name, node in self.nodes.items() if node.is_question
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

    def check_scoring(self) -> None:
        scoring = self.form.scoring
        if scoring is None:
            return
        self.texts(None, "scoring note", scoring.note)
        checked = [("referral_question", scoring.referral_question)]
        checked += [("consent_questions", name) for name in scoring.consent_questions]
        for field_name, ref in checked:
            if ref is None:
                continue
            node = self.nodes.get(ref)
            if node is None or node.kind != "select_one":
                self.problem(None, f"scoring: {field_name} {ref!r} is not a select_one question")
            elif "yes" not in node.choice_names:
                self.problem(None, f"scoring: {field_name} {ref!r} has no choice 'yes'")
        for field_name in ("age_question", "age_at_recruitment_question"):
            ref = getattr(scoring, field_name)
            node = self.nodes.get(ref) if ref else None
            if ref is not None and (node is None or node.kind != "integer"):
                self.problem(None, f"scoring: {field_name} {ref!r} is not an integer question")
        for field_name in (
            "sexual_exploitation_answers",
            "labour_exploitation_answers",
            "unaccompanied_answers",
            "exploitation_answers",
            "child_exploitation_answers",
        ):
            for answer in getattr(scoring, field_name):
                node = self.nodes.get(answer.question)
                if node is None or node.kind not in ("select_one", "select_multiple"):
                    self.problem(
                        None, f"scoring: {field_name} names {answer.question!r}, not a select"
                    )
                    continue
                unknown = [c for c in answer.choices if c not in node.choice_names]
                if unknown:
                    self.problem(
                        None,
                        f"scoring: {field_name}: {answer.question!r} has no choice {unknown[0]!r}",
                    )
        self.check_tags(scoring.catalogue is not None)

    def check_tags(self, with_catalogue: bool) -> None:
        """With the catalogue a tag names a catalogue indicator and no strength (one fact,
        one id and one strength in every form); without it (forms written before) every tag
        carries its own strength."""
        known = catalogue()
        tagged: list[tuple[str | None, IndicatorTag]] = []
        for node in self.nodes.values():
            if isinstance(node.source, Question):
                tagged += [(node.name, tag) for tag in node.source.indicators]
        for list_name, choices in self.form.choice_lists.items():
            for choice in choices:
                where = f"choice list {list_name}: choice {choice.name}"
                tagged += [(where, tag) for tag in choice.indicators]
        for where, tag in tagged:
            question = where if where in self.nodes else None
            prefix = "" if question else f"{where}: "
            if not with_catalogue:
                if tag.strength is None:
                    self.problem(
                        question,
                        f"{prefix}indicator {tag.indicator!r} needs a strength, or the form"
                        " needs scoring.catalogue",
                    )
                continue
            if tag.strength is not None:
                self.problem(
                    question,
                    f"{prefix}indicator {tag.indicator!r}: strengths come from the catalogue;"
                    " remove 'strength'",
                )
            if known.find(tag.element, tag.indicator) is None:
                self.problem(
                    question,
                    f"{prefix}{tag.element.value}/{tag.indicator} is not in the indicator"
                    " catalogue",
                )


def _pydantic_problems(exc: ValidationError, data: object, source: str) -> Iterator[FormProblem]:
    for error in exc.errors():
        loc = error["loc"]
        question = _question_at(data, loc)
        where = ".".join(str(part) for part in loc if not _is_tag(part))
        message = error["msg"]
        if error["type"] == "extra_forbidden":
            message = f"unknown field {loc[-1]!r}"
            where = ".".join(str(part) for part in loc[:-1] if not _is_tag(part))
        elif error["type"] == "missing":
            message = f"field {loc[-1]!r} is missing"
            where = ".".join(str(part) for part in loc[:-1] if not _is_tag(part))
        elif error["type"] in ("enum", "literal_error") and "type" in (loc[-1],):
            message = f"unknown type {error.get('input')!r}"
        yield FormProblem(source, question, f"{where}: {message}" if where else message)


def _is_tag(part: object) -> bool:
    return part in ("question", "group")


def _question_at(data: object, loc: tuple) -> str | None:
    """The name of the innermost item on the error's path, to name it in the message."""
    name = None
    current = data
    for part in loc:
        if _is_tag(part):
            continue
        try:
            current = current[part]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(current, dict) and isinstance(current.get("name"), str) and "type" in current:
            name = current["name"]
    return name


__all__ = [
    "CompiledForm",
    "FormError",
    "FormProblem",
    "FormWarning",
    "Node",
    "Target",
    "compile_data",
    "compile_form",
    "compile_json",
    "form_hash",
    "load_form",
]
