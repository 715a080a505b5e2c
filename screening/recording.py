"""Recording an interview into the vault: each answer is saved the moment the engine accepts it.

The engine stays pure (it knows nothing of storage); this module is the one place where an
accepted answer becomes a committed row, for the app's recorder (app/interview/recorder.py),
the CLI, demo seeding and tests alike. (A continuation into the child interview copies stored
answers that no session of the new form has read yet, so it writes them directly.)

Repeat entries the screener adds or removes are committed here too, before the caller shows
them: the entry counts (`{"household": 2, "member[1]": 3}`, as `instance_counts()` gives
them: an empty entry has no answer to tell of it) and, on removal, the renumbered answers of
the later entries, all in one transaction.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from datetime import datetime

from screening.engine import Answer, InterviewSession, Path, Special, format_path
from screening.engine.replay import Rejected, Step, replay
from screening.engine.session_repeats import REPEAT_PROMPT
from screening.forms.compiler import CompiledForm
from screening.vault import Vault, VaultError


def save_current(vault: Vault, interview_id: str, session: InterviewSession, key: str) -> None:
    """Commit what the session now holds for `key`: a value, a special marker, or nothing;
    with it, in the same transaction, the answers the engine wrote itself (a prefill the
    answer changed, see `screening.engine.prefills`), so the vault holds what the screen shows."""
    written = [k for k in session.engine_writes() if k != key]
    if written:
        vault.save_answers(interview_id, _rows(session, (key, *written)))
        session.engine_writes_stored(written)
        return
    answer = session.get(key)
    if answer is None:
        vault.clear_answer(interview_id, key)
    elif answer.special is not None:
        vault.save_answer(interview_id, key, None, answer.special.value)
    else:
        vault.save_answer(interview_id, key, answer.value)


def save_engine_writes(vault: Vault, interview_id: str, session: InterviewSession) -> list[str]:
    """Commit the answers the engine wrote itself and nobody stored yet: the defaults and
    prefills of a draft opened for the first time. Returns their keys."""
    written = session.engine_writes()
    if written:
        vault.save_answers(interview_id, _rows(session, written))
        session.engine_writes_stored(written)
    return written


def _rows(
    session: InterviewSession, keys: Iterable[str]
) -> dict[str, tuple[object, str | None] | None]:
    """What the session holds for each key, as the vault stores it."""
    return {key: _stored(session.get(key)) for key in keys}


def _stored(answer: Answer | None) -> tuple[object, str | None] | None:
    if answer is None:
        return None
    if answer.special is not None:
        return None, answer.special.value
    return answer.value, None


def prompt_page(repeat: str, outer: Path = ()) -> str:
    """The key of the place where entries of `repeat` (within `outer`) are added."""
    return REPEAT_PROMPT + format_path(repeat, outer)


def add_entry(
    vault: Vault,
    interview_id: str,
    session: InterviewSession,
    repeat: str,
    outer: Path = (),
    *,
    page: str | None = None,
) -> int:
    """Add an entry to `repeat` (within the outer entry `outer`) and commit the new entry
    counts, with `page` (by default the repeat's own page) to resume at; returns its number.

    ValueError: the engine refused. VaultError: the vault did, and the entry is taken back.
    """
    checkpoint = session.entries_checkpoint()
    number = session.add_instance(repeat, outer)
    written = session.engine_writes()  # the new entry's prefills
    try:
        vault.save_repeat_entries(
            interview_id,
            _rows(session, written),
            page=prompt_page(repeat, outer) if page is None else page,
            instance_counts=session.instance_counts(),
        )
    except VaultError:
        session.roll_back_entries(checkpoint)
        raise
    session.engine_writes_stored(written)
    return number


def remove_entry(
    vault: Vault,
    interview_id: str,
    session: InterviewSession,
    repeat: str,
    instance: int,
    outer: Path = (),
    *,
    page: str | None = None,
) -> list[str]:
    """Remove an entry (with the entries nested in it) and commit, in one transaction, the
    answers of the later entries under their new numbers, the entry counts and `page`;
    returns the keys written.

    ValueError: the engine refused. VaultError: the vault did, and the session is put back
    as it was, which is what the vault still holds.
    """
    before = {key: session.get(key) for key in session.answer_keys()}
    checkpoint = session.entries_checkpoint()
    session.remove_instance(repeat, instance, outer)
    moved = sorted(
        key
        for key in set(before) | set(session.answer_keys())
        if session.get(key) != before.get(key)
    )
    try:
        vault.save_repeat_entries(
            interview_id,
            _rows(session, moved),
            page=prompt_page(repeat, outer) if page is None else page,
            instance_counts=session.instance_counts(),
        )
    except VaultError:
        session.roll_back_entries(checkpoint)
        raise
    return moved


def save_position(
    vault: Vault, interview_id: str, session: InterviewSession, page: str | None
) -> None:
    """Where a draft stopped: `page` and the entry counts (no answer values)."""
    vault.save_draft_position(interview_id, page, session.instance_counts())


def stored_answers(vault: Vault, interview_id: str) -> dict[str, Answer]:
    return {
        key: Answer(None if special else value, Special(special) if special else None)
        for key, (value, special) in vault.answers(interview_id).items()
    }


def resume(
    vault: Vault, interview_id: str, form: CompiledForm, language: str
) -> tuple[InterviewSession, list[str], str | None]:
    """A draft as it was left: its answers, its repeat entries (empty ones included) and the
    page it was at; also the stored keys that no longer fit the form."""
    record = vault.get_interview(interview_id)
    session = InterviewSession(form, language=language)
    unusable = session.restore(stored_answers(vault, interview_id), record.instance_counts)
    if record.status == "draft":
        # A refusal here loses nothing: the writes stay pending and go with the next answer.
        with contextlib.suppress(VaultError):
            save_engine_writes(vault, interview_id, session)
    return session, unusable, record.resume_page


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
    save_engine_writes(vault, interview_id, session)
    rejected = replay(
        session, steps, on_accepted=lambda key: save_current(vault, interview_id, session, key)
    )
    save_position(vault, interview_id, session, session.current)
    return interview_id, session, rejected
