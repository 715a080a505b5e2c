"""Changes after an interview was sent (a correction with a reason, an override) travel as
update envelopes, laptop → real hub (TLS) → coordinator, on SQLite and PostgreSQL: applied
when they extend what the coordinator holds, refused when they do not, never lost to
retention before the hub has them."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from screening.envelope import envelope_hash, seal
from screening.sync import importer, state
from screening.sync.client import sync
from screening.sync.sealing import seal_pending
from screening.vault import Vault, audit
from screening.vault.interchange import export_record, imported_audit
from screening.vault.records import mark_delivered_in
from tests.screening.sync.conftest import Org
from tests.screening.sync.rig import QUICK, completed_interview, enrolled_laptop

REASON = "interpreter corrected the age"


def _outbox(vault: Vault) -> list[tuple[int, str, int, str | None]]:
    rows = vault.connection().execute(
        "SELECT seq, interview_id, audit_seq, acked_at FROM sync_outbox ORDER BY seq"
    )
    return [(int(s), str(i), int(a), t) for s, i, a, t in rows]


def _state(vault: Vault, iid: str) -> tuple[Any, ...]:
    """Everything the coordinator holds of an interview, to show what changed and what did not."""
    conn = vault.connection()
    return (
        vault.get_interview(iid),
        vault.answers(iid),
        vault.answer_revisions(iid),
        vault.corrections(iid),
        imported_audit(conn, iid),
        conn.execute("SELECT count(*) FROM sync_imports WHERE interview_id = ?", (iid,)).fetchone()[
            0
        ],
    )


def _same_interview(coord: Vault, lap: Vault, iid: str) -> None:
    mine, theirs = lap.get_interview(iid), coord.get_interview(iid)
    assert dataclasses.replace(
        theirs, delivered=mine.delivered, delivered_at=mine.delivered_at, resume_page=None,
        instance_counts=None,
    ) == dataclasses.replace(mine, resume_page=None, instance_counts=None)  # fmt: skip
    assert coord.answers(iid) == lap.answers(iid)
    assert coord.answer_revisions(iid) == lap.answer_revisions(iid)
    assert coord.corrections(iid) == lap.corrections(iid)
    # The laptop's audit entries of the interview as far as its newest envelope holds them.
    covered = max(a for _, i, a, _ in _outbox(lap) if i == iid)
    assert [(e.seq, e.action, e.hash) for e in imported_audit(coord.connection(), iid)] == [
        (e.seq, e.action, e.hash)
        for e in lap.audit_entries()
        if e.object_id == iid and e.seq <= covered
    ]


def test_a_correction_after_sync_reaches_the_coordinator(org: Org, tmp_path: Path) -> None:
    lap = enrolled_laptop(tmp_path / "laptop", org.coord)
    iid, other = completed_interview(lap, 1), completed_interview(lap, 2)
    assert sync(lap, policy=QUICK).acknowledged == 2
    assert sync(org.coord, policy=QUICK).imported == 2
    coord = org.coord
    untouched = _state(coord, other)

    revision = lap.correct_answer(iid, "age", 34, reason=REASON)
    lap.set_override(iid, "refer", "the screener's written reason")
    assert not lap.get_interview(iid).delivered  # the hub lacks the change
    assert state.sync_status(lap).waiting_to_seal == 1
    report = sync(lap, policy=QUICK)
    assert (report.sealed, report.pushed, report.acknowledged) == (1, 1, 1)
    assert [i for _, i, _, _ in _outbox(lap)] == [iid, other, iid]
    assert all(acked is not None for *_, acked in _outbox(lap))
    assert lap.get_interview(iid).delivered
    seals = [e.detail for e in lap.audit_entries() if e.action == "seal" and e.object_id == iid]
    assert seals == ["envelope 1", "envelope 3, update"]

    pulled = sync(coord, policy=QUICK)
    assert (pulled.pulled, pulled.imported, pulled.updated, pulled.rejected) == (1, 0, 1, 0)
    assert pulled.acknowledged == 1
    assert coord.answers(iid)["age"] == (34, None)
    assert coord.answer_revisions(iid)["age"] == revision == 2
    [correction] = coord.corrections(iid)
    assert (correction.name, correction.revision, correction.reason) == ("age", 2, REASON)
    assert correction.previous_value == 21
    assert coord.get_interview(iid).override is not None
    trail = imported_audit(coord.connection(), iid)
    assert [e.action for e in trail].count("answer_corrected") == 1
    assert [e.detail for e in trail if e.action == "answer_corrected"] == [
        "question age, revision 2"
    ]
    _same_interview(coord, lap, iid)
    assert _state(coord, other) == untouched
    updates = [e for e in coord.audit_entries() if e.action == "import_update"]
    assert [e.object_id for e in updates] == [iid]
    coord.verify_audit()
    lap.verify_audit()

    # Running sync again changes nothing, on either side.
    before = _state(coord, iid)
    assert sync(lap, policy=QUICK).busy() is False
    again = sync(coord, policy=QUICK)
    assert (again.pulled, again.imported, again.updated, again.rejected) == (0, 0, 0, 0)
    assert _state(coord, iid) == before
    # Even when the hub serves every envelope again (the cursor lost): idempotent by id.
    with coord.transaction() as tx:
        state.set_meta(tx, state.META_ENVELOPE_CURSOR, "0")
    replay = sync(coord, policy=QUICK)
    assert (replay.pulled, replay.duplicates, replay.imported, replay.updated) == (3, 3, 0, 0)
    assert _state(coord, iid)[:5] == before[:5] and _state(coord, other)[:5] == untouched[:5]
    assert all(row.acked_at is not None for row in org.rig.envelopes())
    lap.lock()


def test_an_update_and_its_interview_in_one_page(org: Org, tmp_path: Path) -> None:
    # The coordinator was away: the first envelope and its update arrive together.
    lap = enrolled_laptop(tmp_path / "laptop", org.coord)
    iid = completed_interview(lap, 1)
    sync(lap, policy=QUICK)
    lap.correct_answer(iid, "notes", "answer 1, corrected", reason=REASON)
    sync(lap, policy=QUICK)
    lap.correct_answer(iid, "employer", None, "dont_know", reason="asked again")
    sync(lap, policy=QUICK)
    report = sync(org.coord, policy=QUICK)
    assert (report.pulled, report.imported, report.updated, report.rejected) == (3, 1, 2, 0)
    _same_interview(org.coord, lap, iid)
    assert [c.reason for c in org.coord.corrections(iid)] == [REASON, "asked again"]
    lap.lock()


def _forge_update(lap: Vault, iid: str, change: Any) -> None:
    """Seal a record `change` altered as the laptop's next envelope: what a compromised or
    buggy laptop could send (signed by the real device key, in its chain)."""
    identity, org_public = state.require_device(lap)
    with lap.transaction() as tx:
        device_id, last_seq, last_hash = tx.execute(
            "SELECT device_id, last_seq, last_hash FROM sync_device"
        ).fetchone()
        source = {"vault_id": lap.vault_id, "sealed_by": lap.user, "sealed_at": audit.now_iso()}
        record = export_record(tx, iid, source=source)
        change(record)
        fields = {"device_id": device_id, "seq": last_seq + 1, "prev_hash": last_hash}
        envelope = seal(record, fields, org_public, identity.private_key)
        wire, envelope_id = envelope.to_bytes(), envelope.header.envelope_id
        tx.execute(
            "INSERT INTO sync_outbox (seq, envelope_id, interview_id, hash, data, sealed_at,"
            " audit_seq) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                last_seq + 1,
                envelope_id,
                iid,
                envelope_hash(wire),
                wire,
                source["sealed_at"],
                max(e["seq"] for e in record["audit"]),
            ),
        )
        tx.execute(
            "UPDATE sync_device SET last_seq = ?, last_hash = ?",
            (last_seq + 1, envelope_hash(wire)),
        )


def _rewrite_history(record: dict[str, Any]) -> None:
    # The first audit entry says something else now (its own hash recomputed, so the record
    # itself is well-formed), and an answer is changed to go with it.
    first = record["audit"][0]
    first["detail"] = "form rapid-screening 9.9"
    first["hash"] = audit.entry_hash(
        first["seq"],
        first["prev_hash"],
        first["at"],
        first["actor"],
        first["action"],
        first["object_id"],
        first["detail"],
    )
    for answer in record["answers"]:
        if answer["name"] == "age":
            answer["value"] = "99"


def _drop_history(record: dict[str, Any]) -> None:
    # A fork: the same interview with part of its trail missing.
    record["audit"] = record["audit"][1:]


def test_a_forked_or_altered_update_is_refused_and_the_copy_stays(org: Org, tmp_path: Path) -> None:
    lap = enrolled_laptop(tmp_path / "laptop", org.coord)
    iid = completed_interview(lap, 1)
    sync(lap, policy=QUICK)
    sync(org.coord, policy=QUICK)
    coord = org.coord
    before = _state(coord, iid)

    lap.correct_answer(iid, "notes", "changed", reason=REASON)
    _forge_update(lap, iid, _rewrite_history)
    _forge_update(lap, iid, _drop_history)
    assert sync(lap, policy=QUICK).acknowledged == 2  # the hub cannot tell: it cannot read
    report = sync(coord, policy=QUICK)
    assert (report.imported, report.updated, report.rejected) == (0, 0, 2)
    held = importer.rejected_envelopes(coord)
    assert [(h["seq"], h["code"]) for h in held] == [(2, "update_conflict"), (3, "update_conflict")]
    assert "laptop audit entry" in held[0]["message"] and "differs" in held[0]["message"]
    assert "does not extend" in held[1]["message"] and "missing" in held[1]["message"]
    assert any("does not extend the one imported here" in p for p in report.problems)
    assert coord.answers(iid)["age"] == (21, None)
    assert _state(coord, iid)[:5] == before[:5]
    assert coord.count_interviews() == 1
    # Held, reported again on every run, never acknowledged, never applied.
    assert sync(coord, policy=QUICK).rejected == 2
    acked = {r.envelope_id: r.acked_at for r in org.rig.envelopes()}
    assert [acked[h["envelope_id"]] for h in held] == [None, None]

    # The laptop's own next change travels as usual: its trail extends the imported one.
    lap.correct_answer(iid, "age", 22, reason=REASON)
    assert sync(lap, policy=QUICK).sealed == 1
    fixed = sync(coord, policy=QUICK)
    assert (fixed.updated, fixed.rejected) == (1, 2)
    assert coord.answers(iid)["age"] == (22, None)
    assert coord.answers(iid)["notes"] == ("changed", None)
    _same_interview(coord, lap, iid)
    coord.verify_audit()
    lap.lock()


def test_retention_keeps_an_interview_until_its_update_is_acknowledged(
    org: Org, tmp_path: Path
) -> None:
    admin = enrolled_laptop(tmp_path / "laptop", org.coord, with_screener=False)
    iid = completed_interview(admin, 1)
    assert sync(admin, policy=QUICK).acknowledged == 1
    assert admin.get_interview(iid).delivered

    admin.correct_answer(iid, "notes", "corrected", reason=REASON)
    assert admin.purge(0) == 0  # the correction is on this laptop only
    assert seal_pending(admin) == 1
    # Even a flag set by older code or by hand does not let the unacknowledged update go.
    with admin.transaction() as tx:
        tx.execute("UPDATE interviews SET delivered = 1 WHERE id = ?", (iid,))
    assert admin.purge(0) == 0
    assert admin.answers(iid)["notes"] == ("corrected", None)

    # The first envelope's acknowledgement arriving again does not deliver the interview
    # while its update waits.
    with admin.transaction() as tx:
        tx.execute("UPDATE interviews SET delivered = 0 WHERE id = ?", (iid,))
        assert mark_delivered_in(tx, admin.user, iid) is False
    assert not admin.get_interview(iid).delivered

    report = sync(admin, policy=QUICK)
    assert (report.sealed, report.pushed, report.acknowledged) == (0, 1, 1)
    assert admin.get_interview(iid).delivered
    assert admin.purge(0) == 1
    rows = admin.connection().execute("SELECT seq, data IS NULL FROM sync_outbox ORDER BY seq")
    assert rows.fetchall() == [(1, 1), (2, 1)]
    # And the coordinator got the correction before the laptop let it go.
    sync(org.coord, policy=QUICK)
    assert org.coord.answers(iid)["notes"] == ("corrected", None)
    admin.lock()
