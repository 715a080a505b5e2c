"""Paused/stopped state read from the audit log, and the interviewee's language changed."""

from __future__ import annotations

import pytest

from screening.vault import ReadOnlyInterview, Vault, VaultError
from screening.vault.language import change_interview_language
from screening.vault.pauses import PAUSE_REASON, PAUSED, pause_detail, pause_state, pause_states


def _draft(vault: Vault, language: str = "en") -> str:
    return vault.create_interview(
        form_id="rapid-screening",
        form_version="1.0",
        form_hash="ab" * 32,
        language=language,
        location="T-1",
    )


def test_a_pause_lasts_until_the_next_answer(vault: Vault) -> None:
    iid = _draft(vault)
    assert pause_state(vault.connection(), iid) is None
    vault.audit(PAUSED, iid)
    pause = pause_state(vault.connection(), iid)
    assert pause is not None and pause.by == vault.user and pause.reason is None
    assert not pause.stopped
    vault.audit(PAUSE_REASON, iid, pause_detail("distress"))
    assert pause_state(vault.connection(), iid).reason == "distress"
    vault.save_answer(iid, "age", 30)
    assert pause_state(vault.connection(), iid) is None


def test_stop_is_reported_with_who_and_when(vault: Vault) -> None:
    stopped, plain = _draft(vault), _draft(vault)
    vault.audit(PAUSED, stopped)
    vault.stop_interview(stopped, "consent_withdrawn")
    states = pause_states(vault.connection(), [stopped, plain])
    assert set(states) == {stopped} and states[stopped].stopped
    assert states[stopped].by == vault.user and states[stopped].at.endswith("Z")


def test_pause_reasons_are_categories_only() -> None:
    assert pause_detail(None) is None
    with pytest.raises(ValueError):
        pause_detail("she said she was afraid of X")  # free text never reaches the audit log


def test_language_change_is_audited_and_only_for_drafts(vault: Vault) -> None:
    iid = _draft(vault)
    with vault.transaction() as conn:
        change_interview_language(conn, vault.user, iid, "ar")
    assert vault.get_interview(iid).language == "ar"
    details = [e.detail for e in vault.audit_entries() if e.action == "language_changed"]
    assert details == ["language en to ar"]
    with pytest.raises(VaultError), vault.transaction() as conn:
        change_interview_language(conn, vault.user, iid, "not a code; DROP")
    vault.stop_interview(iid, "distress")
    with pytest.raises(ReadOnlyInterview), vault.transaction() as conn:
        change_interview_language(conn, vault.user, iid, "fr")
    assert vault.get_interview(iid).language == "ar"
