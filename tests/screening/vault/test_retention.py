"""Retention purges only delivered, completed interviews, leaving a tombstone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from screening.vault import Vault, VaultError, retention

from .conftest import new_interview


def _age(vault: Vault, interview_id: str, days: int) -> None:
    when = (datetime.now(UTC) - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    with vault.transaction() as conn:
        conn.execute("UPDATE interviews SET completed_at = ? WHERE id = ?", (when, interview_id))


def test_purge_rules_and_tombstones(vault: Vault) -> None:
    def finished(days: int, delivered: bool, stop: bool = False) -> str:
        iid = new_interview(vault, location="Centre Sud")
        vault.save_answer(iid, "name", "someone")
        if stop:
            vault.stop_interview(iid, "left")
        else:
            vault.complete_interview(iid, {"r": 1})
            vault.set_override(iid, "refer", "reason")
        if delivered:
            vault.mark_delivered(iid)
        _age(vault, iid, days)
        return iid

    old_delivered = finished(40, True)
    old_undelivered = finished(40, False)
    recent_delivered = finished(5, True)
    old_stopped = finished(40, True, stop=True)
    draft = new_interview(vault)
    vault.save_answer(draft, "q", 1)

    assert vault.purge(30) == 1
    tomb = vault.get_interview(old_delivered)
    assert tomb.status == "purged" and tomb.purged_at is not None
    assert (tomb.form_id, tomb.created_at) != (None, None)
    assert tomb.location is None and tomb.outcome is None and tomb.override is None
    assert vault.answers(old_delivered) == {}
    for kept in (old_undelivered, recent_delivered, old_stopped, draft):
        assert vault.answers(kept), kept
    conn = vault.connection()
    assert conn.execute(
        "SELECT count(*) FROM answers WHERE interview_id = ?", (old_delivered,)
    ).fetchone() == (0,)
    with pytest.raises(VaultError, match="purged"):
        vault.correct_answer(old_delivered, "name", "x", reason="r")
    assert vault.count_interviews(status="purged") == 1
    assert vault.purge(30) == 0
    assert vault.check() == []
    actions = [(e.action, e.object_id) for e in vault.audit_entries()]
    assert ("purge", old_delivered) in actions


def test_purge_argument_checks(vault: Vault) -> None:
    with pytest.raises(VaultError):
        vault.purge(-1)
    with pytest.raises(VaultError):
        vault.purge(True)  # type: ignore[arg-type]


def test_purge_in_chunks(vault: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(retention, "_CHUNK", 3)
    ids = []
    for _ in range(7):
        iid = new_interview(vault)
        vault.save_answer(iid, "q", 1)
        vault.complete_interview(iid)
        vault.mark_delivered(iid)
        _age(vault, iid, 10)
        ids.append(iid)
    assert vault.purge(1) == 7
    assert vault.count_interviews(status="purged") == 7


def _envelope(vault: Vault, interview_id: str, seq: int, *, acked: bool) -> None:
    """An outbox row as the sync client writes it, covering the interview's audit so far."""
    with vault.transaction() as conn:
        covered = conn.execute(
            "SELECT coalesce(max(seq), 0) FROM audit WHERE object_id = ?", (interview_id,)
        ).fetchone()[0]
        conn.execute(
            "INSERT INTO sync_outbox (seq, envelope_id, interview_id, hash, data, sealed_at,"
            " acked_at, audit_seq) VALUES (?, ?, ?, 'h', x'01', 'now', ?, ?)",
            (seq, f"e{seq}", interview_id, "now" if acked else None, covered),
        )


def test_a_change_after_delivery_is_kept_until_it_is_delivered(vault: Vault) -> None:
    iid = new_interview(vault)
    vault.save_answer(iid, "name", "someone")
    vault.complete_interview(iid)
    _envelope(vault, iid, 1, acked=True)
    vault.mark_delivered(iid)
    assert vault.get_interview(iid).delivered
    _age(vault, iid, 40)

    # A correction after delivery: the organisation's copy lacks it, so it is not delivered
    # any more, and marking it delivered again does nothing until an envelope holds it.
    vault.correct_answer(iid, "name", "someone else", reason="misheard")
    assert not vault.get_interview(iid).delivered
    vault.mark_delivered(iid)
    assert not vault.get_interview(iid).delivered
    # Even with the flag forced on (a vault from before updates existed), it is kept.
    with vault.transaction() as conn:
        conn.execute("UPDATE interviews SET delivered = 1 WHERE id = ?", (iid,))
    assert vault.purge(30) == 0

    # Sealed as an update but not acknowledged: still kept, whatever the flag says.
    _envelope(vault, iid, 2, acked=False)
    assert vault.purge(30) == 0
    assert vault.answers(iid) == {"name": ("someone else", None)}
    vault.mark_delivered(iid)  # no: envelope 2 waits
    with vault.transaction() as conn:
        conn.execute("UPDATE sync_outbox SET acked_at = 'now' WHERE seq = 2")
    vault.mark_delivered(iid)
    assert vault.get_interview(iid).delivered
    assert vault.purge(30) == 1
    assert vault.get_interview(iid).status == "purged"


def test_an_override_or_outcome_after_delivery_undelivers(vault: Vault) -> None:
    for change in ("override", "outcome"):
        iid = new_interview(vault)
        vault.complete_interview(iid, {"r": 1})
        vault.mark_delivered(iid)
        _age(vault, iid, 40)
        if change == "override":
            vault.set_override(iid, "refer", "reason")
        else:
            vault.set_outcome(iid, {"r": 2})
        assert not vault.get_interview(iid).delivered, change
    assert vault.purge(30) == 0
