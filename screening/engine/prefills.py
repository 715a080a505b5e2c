"""Answerable questions with a calculation: the answer ODK fills in, which the screener may change.

An XLSForm `calculation` on a question that has an input (not `calculate`, not read-only) is
an XForms `calculate` bind on an editable node. ODK's clients compute it when the form
starts and compute it again whenever a value it reads changes, replacing what was typed;
between two such changes the person filling the form may overwrite it (Enketo and Collect
agree on this; getodk/xforms-spec#306 records that Collect also recomputes on finalising,
which Enketo does not, and we follow Enketo: the screener's last word stands until an input
changes). Forms use it for an editable prefill: HOT's mapping forms fill a feature's tags from
the chosen map feature (`instance('toilets')/root/item[id=${existing}]/fee`) for the mapper to
correct.

Here the computed value is the graph target `pre` (see `screening.forms.graph`); when it
changes, the engine writes it as the question's answer, with three rules a screener would
expect:
- A value that does not fit the question (text for a number, a name that is not a choice) is
  not written: the answer stays as it was (ODK would store the invalid text).
- "Declined to answer" and "don't know" stand: a computed value never speaks for the person.
- A question that is not shown is not touched; when it is shown again its computed value is
  written again (ODK computes it then too).
The keys of the answers the engine writes are kept (the session's `engine_writes()`) until the
caller has stored them, so the vault holds what the screen shows (`screening.recording`).
"""

from __future__ import annotations

import math
from datetime import date

from screening.engine.values import Answer, AnswerTypeError, coerce, is_empty
from screening.expressions import NodeSet
from screening.forms.compiler import Node


def computed_answer(node: Node, value: object) -> object:
    """`value` (an expression's result) as an answer to `node`: its typed value, or None when
    empty. AnswerTypeError when it does not fit the question."""
    if isinstance(value, NodeSet):
        value = value.items[0] if value.items else None
    if is_empty(value):
        return None
    if node.kind in ("select_multiple", "rank") and isinstance(value, str):
        return coerce(node, value.split())
    if node.kind == "date" or isinstance(value, str):
        return coerce(node, value)
    return coerce(node, _as_text(value) if node.kind not in ("integer", "decimal") else value)


def _as_text(value: object) -> object:
    # XPath string(): true/false, numbers without a trailing .0, dates as YYYY-MM-DD.
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return str(int(value))
        return "NaN" if math.isnan(value) else repr(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return " ".join(str(item) for item in value)
    return value


def prefilled_answer(
    node: Node, current: Answer | None, value: object, *, first: bool
) -> tuple[bool, Answer | None]:
    """What the answer becomes when the computed value is `value`: (changed, new answer).

    `first`: the value was computed for the first time (a new interview, a new repeat entry),
    when an empty result leaves a default in place rather than clearing it.
    """
    if current is not None and current.special is not None:
        return False, current
    try:
        typed = computed_answer(node, value)
    except AnswerTypeError:
        return False, current
    if typed is None:
        if first or current is None:
            return False, current
        return True, None
    new = Answer(typed)
    return new != current, new
