"""Answers the engine writes itself reach the vault: defaults and prefills (answerable
questions with a calculation, screening/engine/prefills.py) are stored when a draft is first
opened, and a prefill an answer changed is stored in the same transaction as that answer, so
the vault holds what the screen showed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from screening import recording
from screening.engine import InterviewSession
from screening.vault import KdfParams, Vault, VaultError
from tests.screening.formbuilder import compiled, group, q

USER = "Amira Haddad"
PASSPHRASE = "violet kettle marathon orbit"

FORM = compiled(
    q("integer", "adults", default="2"),
    q("integer", "people", calculation="${adults} + 1"),
    group(
        "member", q("integer", "age"), q("text", "band", calculation="${age} div 10"), repeat=True
    ),
)


@pytest.fixture
def vault(tmp_path: Path) -> Iterator[Vault]:
    v = Vault.create(tmp_path / "vault", USER, PASSPHRASE, kdf=KdfParams.fast_for_tests())
    yield v
    v.lock()


def stored(vault: Vault, interview: str) -> dict[str, object]:
    return {k: v for k, (v, _) in vault.answers(interview).items()}


def test_a_draft_opened_for_the_first_time_stores_its_start_values(vault: Vault) -> None:
    interview = recording.start_interview(vault, FORM, "en")
    session, unusable, _ = recording.resume(vault, interview, FORM, "en")
    assert unusable == [] and session.engine_writes() == []
    assert stored(vault, interview) == {"adults": 2, "people": 3}
    # Reopened: what is stored stands, nothing is written again.
    again, _, _ = recording.resume(vault, interview, FORM, "en")
    assert again.engine_writes() == [] and again.get("people").value == 3


def test_an_answer_and_the_prefill_it_changed_are_stored_together(vault: Vault) -> None:
    interview = recording.start_interview(vault, FORM, "en")
    session, _, _ = recording.resume(vault, interview, FORM, "en")
    assert session.answer("people", 10).ok  # typed over the computed 3
    recording.save_current(vault, interview, session, "people")
    assert stored(vault, interview)["people"] == 10
    assert session.answer("adults", 5).ok
    recording.save_current(vault, interview, session, "adults")
    assert stored(vault, interview) == {"adults": 5, "people": 6}
    trail = [e for e in vault.audit_entries() if e.action == "answer_changed"]
    assert [e.detail for e in trail[-2:]] == ["question adults", "question people"]


def test_a_new_repeat_entry_stores_its_prefill_with_the_entry(vault: Vault) -> None:
    interview = recording.start_interview(vault, FORM, "en")
    session, _, _ = recording.resume(vault, interview, FORM, "en")
    recording.add_entry(vault, interview, session, "member")
    assert session.answer("age[1]", 34).ok
    recording.save_current(vault, interview, session, "age[1]")
    assert stored(vault, interview)["band[1]"] == "3.4"
    resumed, _, _ = recording.resume(vault, interview, FORM, "en")
    assert resumed.get("band[1]").value == "3.4" and resumed.instance_count("member") == 1


def test_a_refused_save_keeps_the_computed_answers_pending(vault: Vault) -> None:
    interview = recording.start_interview(vault, FORM, "en")
    session, _, _ = recording.resume(vault, interview, FORM, "en")
    vault.stop_interview(interview, "the person asked to stop")
    assert session.answer("adults", 7).ok
    with pytest.raises(VaultError):
        recording.save_current(vault, interview, session, "adults")
    assert stored(vault, interview) == {"adults": 2, "people": 3}  # nothing half-written
    assert "people" in session.engine_writes()  # not lost: still waiting to be stored


def test_a_received_interview_is_read_as_stored(vault: Vault) -> None:
    session = InterviewSession(FORM)
    session.restore({}, exact=True)
    assert session.get("adults") is None and session.get("people") is None
