"""Replaying a scripted list of answers through a session (CLI, demo data, tests)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from screening.engine.instances import format_path, parse_path
from screening.engine.session import AnswerResult, InterviewSession
from screening.engine.values import Special

Step = tuple[str, object]


@dataclass(frozen=True)
class Rejected:
    name: str
    value: object
    error: str

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "value": self.value, "error": self.error}


def special_of(value: object) -> Special | None:
    """`{"special": "declined"}` → Special.DECLINED; anything else → None."""
    if isinstance(value, dict) and set(value) == {"special"}:
        try:
            return Special(value["special"])
        except ValueError:
            return None
    return None


def apply_step(session: InterviewSession, name: str, value: object) -> AnswerResult:
    """Apply one answer; the repeat instances its key names are added on the way, outer
    repeats first (`age[2][3]` adds up to the 2nd outer and the 3rd inner instance)."""
    try:
        question, path = parse_path(name)
    except ValueError as exc:
        return AnswerResult(False, str(name), str(exc))
    node = session.form.nodes.get(question)
    chain: list[str] = []
    holder = node.repeat if node is not None else None
    while holder is not None:
        chain.insert(0, holder)
        holder = session.form.nodes[holder].repeat
    if chain and len(path) == len(chain):
        for depth, repeat in enumerate(chain):
            outer = path[:depth]
            if not session.is_relevant(format_path(repeat, outer)):
                return AnswerResult(False, name, f"{repeat} is not visible now")
            try:
                while session.instance_count(repeat, outer) < path[depth]:
                    session.add_instance(repeat, outer)
            except ValueError as exc:
                return AnswerResult(False, name, str(exc))
    if isinstance(value, dict):
        special = special_of(value)
        if special is Special.DECLINED:
            return session.decline(name)
        if special is Special.DONT_KNOW:
            return session.dont_know(name)
        return AnswerResult(False, name, 'an answer object must be {"special": ...}')
    return session.answer(name, value)


def replay(
    session: InterviewSession,
    steps: Iterable[Step],
    on_accepted: Callable[[str], None] | None = None,
) -> list[Rejected]:
    """Apply answers in order; each accepted one is reported to `on_accepted` (to save it)."""
    rejected: list[Rejected] = []
    for name, value in steps:
        result = apply_step(session, name, value)
        if result.ok:
            if on_accepted is not None:
                on_accepted(result.key)
        else:
            rejected.append(Rejected(str(name), value, result.error or "rejected"))
    return rejected
