"""Demo data: deterministic, every interview valid for its form, every outcome represented."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from screening.demo.generator import DemoGenerator
from screening.demo.seed import seed_vault, shipped_compiled_forms
from screening.engine import InterviewSession
from screening.engine.replay import replay, special_of
from screening.engine.results import outcome_of
from screening.vault import KdfParams, Vault

PASSPHRASE = "correct horse battery staple 42"


def test_same_seed_same_interviews() -> None:
    forms = shipped_compiled_forms()
    first = [(i.form_id, i.status, i.steps) for i in DemoGenerator(forms, 11).interviews(30)]
    second = [(i.form_id, i.status, i.steps) for i in DemoGenerator(forms, 11).interviews(30)]
    other = [(i.form_id, i.status, i.steps) for i in DemoGenerator(forms, 12).interviews(30)]
    assert first == second and first != other


def test_generated_answers_replay_without_rejection_and_cover_outcomes() -> None:
    forms = {form.id: form for form in shipped_compiled_forms()}
    outcomes: Counter[str] = Counter()
    for interview in DemoGenerator(list(forms.values()), 5).interviews(250):
        session = InterviewSession(forms[interview.form_id], today=interview.started_at.date())
        session.restore({}, interview.instance_counts)
        assert replay(session, interview.steps) == []
        if interview.status == "completed":
            assert session.complete
            outcome = outcome_of(session)
            outcomes[outcome.result] += 1
    assert {"likely_trafficked", "possible_trafficking", "no_indication", "incomplete"} <= set(
        outcomes
    ), outcomes


def test_seed_writes_interviews_into_the_vault(tmp_path: Path) -> None:
    vault = Vault.create(tmp_path / "v", "amira", PASSPHRASE, kdf=KdfParams.fast_for_tests())
    try:
        tally = seed_vault(vault, 25, seed=2)
        assert sum(tally.values()) == 25
        rows = vault.list_interviews()
        assert len(rows) == 25
        assert len({row.created_at[:10] for row in rows}) > 5  # spread over the year
        completed = [row for row in rows if row.status == "completed"]
        assert completed and all(row.outcome for row in completed)
        drafts = [row for row in rows if row.status == "draft"]
        for row in drafts:
            record = vault.get_interview(row.id)
            assert record.resume_page is not None
            assert vault.answers(row.id)
        assert not vault.check()
    finally:
        vault.lock()


def test_seeded_answers_are_what_each_generated_session_holds(tmp_path: Path) -> None:
    # Seeding commits through `recording.save_current`: a step whose session holds no answer
    # would be cleared instead of written, so every step must leave one of its own kind.
    forms = shipped_compiled_forms()
    expected = []
    for interview in DemoGenerator(forms, 3).interviews(40):
        session = interview.session
        assert session is not None
        held = {}
        for key, value in interview.steps:
            answer = session.get(key)
            assert answer is not None
            assert (answer.special is None) == (special_of(value) is None)
            held[key] = "" if answer.special is None else answer.special.value
        expected.append(sorted(held.items()))
    vault = Vault.create(tmp_path / "v", "amira", PASSPHRASE, kdf=KdfParams.fast_for_tests())
    try:
        seed_vault(vault, 40, seed=3)
        stored = [
            sorted((key, special or "") for key, (_value, special) in vault.answers(row.id).items())
            for row in vault.list_interviews()
        ]
        assert sorted(stored) == sorted(expected)
    finally:
        vault.lock()


def test_no_forms_is_one_sentence_not_a_traceback() -> None:
    import pytest

    from screening.demo.generator import DemoGenerator
    from screening.errors import ScreeningError

    with pytest.raises(ScreeningError, match="No shipped forms were found"):
        DemoGenerator([], 1)
