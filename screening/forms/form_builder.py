"""The builder of a compiled form: flat nodes from the form's sections, groups and questions,
with the structural checks of each; the expression and scoring checks are its bases
(forms/expression_checks.py, forms/scoring_checks.py)."""

from __future__ import annotations

from collections.abc import Iterable

from screening.forms.choice_filter import CHOICE_PREFIX
from screening.forms.expression_checks import ExpressionChecks
from screening.forms.model import Group, Question, Section
from screening.forms.nodes import NON_ANSWERABLE, Node
from screening.forms.scoring_checks import ScoringChecks
from screening.forms.variants import form_texts, markup_problems, variant_keys

CHOICE_KINDS = frozenset({"select_one", "select_multiple", "rank"})


class FormBuilder(ExpressionChecks, ScoringChecks):
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
