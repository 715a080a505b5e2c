"""The result of an interview as plain JSON data: what the CLI prints and the vault keeps."""

from __future__ import annotations

from collections.abc import Sequence

from screening.engine.replay import Rejected
from screening.engine.session import InterviewSession
from screening.engine.values import to_json


def answers_json(session: InterviewSession) -> dict[str, object]:
    return {
        key: {"special": answer.special.value} if answer.special else to_json(answer.value)
        for key, answer in session.relevant_answers().items()
    }


def outcome_of(session: InterviewSession):
    """The scoring result for forms with scoring rules, else None."""
    form = session.form.form
    if form.scoring is None:
        return None
    from screening.scoring import score

    answers: dict[str, object] = {}
    specials: dict[str, str] = {}
    for key, answer in session.relevant_answers().items():
        if answer.special is not None:
            specials[key] = answer.special.value
        else:
            answers[key] = answer.value
    return score(form, answers, specials, session.incomplete_sections(), session.language)


def interview_result(session: InterviewSession, rejected: Sequence[Rejected] = ()) -> dict:
    output: dict[str, object] = {
        "form": session.form.id,
        "version": session.form.version,
        "visible": session.visible_questions(),
        "answers": answers_json(session),
        "rejected": [item.to_json() for item in rejected],
        "missing_required": session.missing_required(),
        "complete": session.complete,
        "calculated": {key: to_json(value) for key, value in session.calculated().items()},
    }
    outcome = outcome_of(session)
    if outcome is not None:
        output["outcome"] = outcome.to_cli_json()
    return output
