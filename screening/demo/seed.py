"""Writing generated demo interviews into a vault, answer by answer, as a screener would.

Through the same calls as an interview (`recording.save_current` for each answer), but
committed in batches (`Vault.batch`): durability per answer is for people being interviewed,
and demo data that a crash cut short is simply seeded again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from screening.demo.generator import DemoGenerator, DemoInterview
from screening.engine.results import outcome_of
from screening.forms.catalog import shipped_form_files, shipped_form_text
from screening.forms.compiler import CompiledForm, compile_json
from screening.recording import save_current, save_engine_writes, start_interview
from screening.vault import Vault

BATCH = 50  # interviews per commit: a few hundred ms of work, so progress still moves


def shipped_compiled_forms() -> list[CompiledForm]:
    return [compile_json(shipped_form_text(name), f"forms/{name}") for name in shipped_form_files()]


def seed_vault(
    vault: Vault,
    count: int,
    seed: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Counter[str]:
    """Add `count` synthetic interviews; returns how many ended in each status/outcome."""
    generator = DemoGenerator(shipped_compiled_forms(), seed)
    tally: Counter[str] = Counter()
    interviews = generator.interviews(count)
    for first in range(0, count, BATCH):
        last = min(count, first + BATCH)
        with vault.batch():
            for _ in range(first, last):
                tally[store(vault, next(interviews))] += 1
        if progress is not None:
            progress(last, count)
    vault.audit("demo_seed", None, f"{count} synthetic interviews")
    return tally


def store(vault: Vault, interview: DemoInterview) -> str:
    session = interview.session
    assert session is not None
    form = session.form
    interview_id = start_interview(
        vault,
        form,
        interview.language,
        screener_language=interview.screener_language,
        interpreter_used=interview.interpreter_used,
        location=interview.location,
        started_at=interview.started_at,
    )
    saved: set[str] = set()
    for key, _value in interview.steps:
        # The session has run every step (the generator's answers replay without a rejection)
        # and holds the typed value (a date, an int) or the marker each step gave.
        save_current(vault, interview_id, session, key)
        saved.add(key)
    save_engine_writes(vault, interview_id, session)  # defaults no step touched
    if interview.status == "draft":
        pages = session.pages()
        last = next((p for p in reversed(pages) if p in saved), pages[0] if pages else None)
        vault.save_draft_position(interview_id, last, session.instance_counts())
        return "draft"
    outcome = outcome_of(session)
    if outcome is not None:
        vault.set_outcome(interview_id, outcome.model_dump(mode="json"))
    if interview.status == "stopped":
        vault.stop_interview(interview_id, interview.stop_reason or "other")
        return "stopped"
    vault.complete_interview(
        interview_id, outcome=None if outcome is None else outcome.model_dump(mode="json")
    )
    return f"completed: {outcome.result if outcome else 'no scoring'}"
