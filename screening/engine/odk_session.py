"""XLSForm features the interview engine evaluates on request rather than keeping in its
dependency graph: defaults (once, when an interview starts), choice filters (when a select is
shown or answered) and instance_name (when an interview is listed)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Protocol

from screening.engine.values import Answer, AnswerTypeError, Key, coerce, to_json
from screening.expressions import ExpressionError, NodeSet
from screening.forms.choice_filter import CHOICE_PREFIX
from screening.forms.compiler import CompiledForm, Node
from screening.forms.model import Choice

Lookup = Callable[[str], object]


class InterviewSession(Protocol):
    """What these functions read of `screening.engine.session.InterviewSession`; named here
    so that this module, which the session imports, does not import the session back."""

    form: CompiledForm
    language: str
    today: date | None
    _tables: dict[str, list[dict[str, str]]]

    def _choice_label(self, question: str, choice: str) -> str | None: ...


def default_answers(form: CompiledForm) -> dict[Key, Answer]:
    """Each question's default as its answer, as ODK starts a new interview. Defaults inside
    repeats and defaults that do not fit the question's type are left out."""
    answers: dict[Key, Answer] = {}
    for node in form.questions():
        default = node.question.default
        if default is None or node.repeat is not None or not node.answerable:
            continue
        try:
            answers[(node.name, None)] = Answer(coerce(node, default))
        except AnswerTypeError:
            continue
    return answers


def offered_choices(session: InterviewSession, node: Node, outer: Lookup) -> tuple[Choice, ...]:
    """The choices of `node` its choice_filter passes, with ODK's meaning of bare names: the
    choice's `name`, `label` (in the interview's language) and its other columns ('' for a
    column it lacks)."""
    assert node.choice_filter is not None
    offered: list[Choice] = []
    for choice in node.choices:

        def lookup(ref: str, choice: Choice = choice) -> object:
            if not ref.startswith(CHOICE_PREFIX):
                return outer(ref)
            column = ref[len(CHOICE_PREFIX) :]
            if column == "name":
                return choice.name
            if column == "label":
                return session.form.text(choice.label, session.language)
            # A column this choice lacks reads as '', as in ODK (the compiler warns of a column
            # no choice has).
            return choice.properties.get(column, "")

        try:
            keep = node.choice_filter.evaluate_bool(
                lookup, None, session.today, session._choice_label, session._tables
            )
        except ExpressionError:
            keep = False  # as ODK: a filter that cannot be evaluated passes nothing
        if keep:
            offered.append(choice)
    return tuple(offered)


def instance_name(session: InterviewSession, lookup: Lookup) -> str | None:
    expression = session.form.instance_name
    if expression is None:
        return None
    try:
        value = expression.evaluate(
            lookup, None, session.today, session._choice_label, session._tables
        )
    except ExpressionError:
        return None
    text = to_json(value)
    if isinstance(text, list):
        text = " ".join(text)
    return None if text is None or text == "" else str(text)


_OUTPUT = re.compile(r"\$\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}")


def fill_text(text: str, lookup: Lookup, known: Callable[[str], bool]) -> str:
    """A label or hint with each ${name} replaced by that answer as text, as ODK shows it
    (a choice by its name, several choices space-separated, a date as YYYY-MM-DD); an
    unanswered question shows nothing; a name that is not a question is left as written."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if not known(name):
            return match.group(0)
        shown = to_json(_first(lookup(name)))
        if isinstance(shown, list):
            return " ".join(shown)
        if isinstance(shown, float) and shown.is_integer():
            return str(int(shown))
        return "" if shown is None else str(shown)

    return _OUTPUT.sub(value, text) if "${" in text else text


def _first(value: object) -> object:
    if isinstance(value, NodeSet):
        return value.items[0] if value.items else None
    return value
