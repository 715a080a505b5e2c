"""Recording an interview into the vault: each answer is saved the moment the engine accepts it.

The engine stays pure (it knows nothing of storage); this module is the one place where an
accepted answer becomes a committed row, for the app's recorder (app/interview/recorder.py),
the CLI and tests alike. (Demo seeding writes the answers of sessions it has already run, and
a continuation copies stored answers: neither goes through the engine answer by answer.)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from screening.engine import InterviewSession
from screening.engine.replay import Rejected, Step, replay
from screening.forms.compiler import CompiledForm
from screening.vault import Vault


def save_current(vault: Vault, interview_id: str, session: InterviewSession, key: str) -> None:
    """Commit what the session now holds for `key`: a value, a special marker, or nothing."""
    answer = session.get(key)
    if answer is None:
        vault.clear_answer(interview_id, key)
    elif answer.special is not None:
        vault.save_answer(interview_id, key, None, answer.special.value)
    else:
        vault.save_answer(interview_id, key, answer.value)


def start_interview(
    vault: Vault,
    form: CompiledForm,
    language: str,
    *,
    screener_language: str | None = None,
    interpreter_used: bool = False,
    location: str | None = None,
    started_at: datetime | None = None,
) -> str:
    return vault.create_interview(
        form_id=form.id,
        form_version=form.version,
        form_hash=form.form_hash,
        language=language,
        screener_language=screener_language,
        interpreter_used=interpreter_used,
        location=location,
        started_at=started_at,
    )


def store_replay(
    vault: Vault,
    form: CompiledForm,
    language: str,
    steps: Iterable[Step],
    *,
    location: str | None = None,
) -> tuple[str, InterviewSession, list[Rejected]]:
    """Create an interview and replay `steps` into it, saving each accepted answer at once."""
    interview_id = start_interview(vault, form, language, location=location)
    session = InterviewSession(form, language=language)
    rejected = replay(
        session, steps, on_accepted=lambda key: save_current(vault, interview_id, session, key)
    )
    vault.save_draft_position(interview_id, session.current, session.instance_counts())
    return interview_id, session, rejected
