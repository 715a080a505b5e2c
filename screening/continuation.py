"""Continuing an interview in another questionnaire: a rapid screening or an adult interview
whose person turns out to be under 18 goes on in the child screening interview.

The new draft gets the first interview's language, screener language, interpreter and centre,
and every answer whose question exists in the new form with the same name and type and whose
value that form accepts (consent and the facts already given), so the person is not asked
twice. The first interview is stopped with a reason naming the new one; both carry an audit
row pointing at the other (ids only, never values).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from screening.engine import parse_path
from screening.forms.compiler import CompiledForm, Node

if TYPE_CHECKING:
    from screening.vault import Vault

CHILD_FORM = "screening-child"
AGE_QUESTION = "age"
ADULT_AGE = 18


def is_child(answers: dict[str, tuple[object, str | None]], form_id: str) -> bool:
    """True when the person gave an age under 18 in a form that is not the child interview."""
    if form_id == CHILD_FORM:
        return False
    value, special = answers.get(AGE_QUESTION, (None, None))
    if special is not None or isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return 0 <= value < ADULT_AGE


def _accepts(node: Node, value: object) -> bool:
    names = {choice.name for choice in node.choices}
    if node.kind == "select_one":
        return isinstance(value, str) and value in names
    if node.kind == "select_multiple":
        return isinstance(value, list) and all(isinstance(v, str) and v in names for v in value)
    return True  # typed answers: the engine checks them again when the page is shown


def carried_answers(
    source: CompiledForm, target: CompiledForm, answers: dict[str, tuple[object, str | None]]
) -> dict[str, tuple[object, str | None]]:
    """The answers the target form can take over unchanged (no repeat entries)."""
    carried = {}
    for key, (value, special) in answers.items():
        name, instance = parse_path(key)
        here, there = source.nodes.get(name), target.nodes.get(name)
        if instance or here is None or there is None:
            continue
        if not there.answerable or here.kind != there.kind:
            continue
        if special is not None:
            allowed = (
                target.allows_declined(there)
                if special == "declined"
                else (target.allows_dont_know(there))
            )
            if allowed:
                carried[key] = (None, special)
            continue
        if _accepts(there, value):
            carried[key] = (value, None)
    return carried


def continue_in(vault: Vault, interview_id: str, target: CompiledForm, source: CompiledForm) -> str:
    """Start `target` for the same person with what is known; stop the first. Returns the id."""
    record = vault.get_interview(interview_id)
    carried = carried_answers(source, target, vault.answers(interview_id))
    new = vault.create_interview(
        form_id=target.id,
        form_version=target.version,
        form_hash=target.form_hash,
        language=record.language,
        screener_language=record.screener_language,
        interpreter_used=record.interpreter_used,
        location=record.location,
    )
    # Stored answers copied as they are, not `recording.save_current`: no session has
    # accepted them in the new form yet (the engine checks each again when its page shows).
    for key, (value, special) in carried.items():
        vault.save_answer(new, key, value, special)
    vault.audit("continued_from", new, f"interview {interview_id}")
    vault.audit("continued_as", interview_id, f"interview {new}")
    vault.stop_interview(interview_id, f"other: continued in the child interview {new[:8]}")
    return new
