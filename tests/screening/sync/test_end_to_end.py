"""Laptop → hub → coordinator against a real hub (uvicorn, TLS, 127.0.0.1), on SQLite and on
PostgreSQL: enrolment, interviews, sync, import, forms, crashes, a dead hub, revocation."""

from __future__ import annotations

import dataclasses
import json
import logging
import time
from pathlib import Path
from typing import Any

import pytest

from screening.canonical import canonical_json
from screening.demo.seed import seed_vault
from screening.forms.catalog import shipped_form_text
from screening.org import OrgKeys, form_hash, sign_form
from screening.sync import coordinator, importer, laptop, protocol, state
from screening.sync.batch import encode_batch
from screening.sync.client import sync
from screening.sync.errors import HubUnreachable, NotSetUp, SyncError
from screening.sync.offered import form_catalogue
from screening.sync.protocol import ProtocolError
from screening.sync.transport import HubSession
from screening.vault import PermissionDenied, Vault
from screening.vault.interchange import imported_audit
from tests.screening.sync.conftest import Org
from tests.screening.sync.rig import (
    ADMIN,
    ADMIN_PASS,
    FAST,
    QUICK,
    completed_interview,
    enrolled_laptop,
)

MARKER = "ZEBRA-QUOKKA-7731"


def _outbox(vault: Vault) -> list[tuple[int, str, bytes, str | None]]:
    rows = vault.connection().execute(
        "SELECT seq, interview_id, data, acked_at FROM sync_outbox ORDER BY seq"
    )
    return [(int(s), str(i), bytes(d), a) for s, i, d, a in rows]


def _finished(vault: Vault) -> list[str]:
    return sorted(
        s.id for status in ("completed", "stopped") for s in vault.list_interviews(status=status)
    )


def test_interviews_reach_the_coordinator_unchanged(
    org: Org, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    lap = enrolled_laptop(tmp_path / "laptop", org.coord)
    seed_vault(lap, 14, seed=11)
    marked = completed_interview(lap, 1, marker=MARKER)
    lap.set_override(marked, "refer", f"the reason {MARKER}")
    lap.correct_answer(marked, "notes", f"corrected {MARKER}", reason=f"typo {MARKER}")
    drafts = {s.id for s in lap.list_interviews(status="draft")}
    finished = _finished(lap)
    assert len(finished) >= 5 and drafts

    report = sync(lap, policy=QUICK)
    assert (report.sealed, report.pushed, report.acknowledged) == (len(finished),) * 3
    assert report.rejected == 0 and report.problems == []
    assert all(lap.get_interview(i).delivered for i in finished)
    assert not any(lap.get_interview(i).delivered for i in drafts)

    imported = sync(org.coord, policy=QUICK)
    assert (imported.pulled, imported.imported, imported.acknowledged) == (len(finished),) * 3
    assert imported.rejected == 0
    coord = org.coord
    assert _finished(coord) == finished
    for iid in finished:
        mine, theirs = lap.get_interview(iid), coord.get_interview(iid)
        assert dataclasses.replace(
            theirs, delivered=True, delivered_at=mine.delivered_at, resume_page=None,
            instance_counts=None,
        ) == dataclasses.replace(mine, resume_page=None, instance_counts=None)  # fmt: skip
        assert theirs.created_at == mine.created_at and theirs.screener == mine.screener
        assert coord.answers(iid) == lap.answers(iid)
        assert coord.answer_revisions(iid) == lap.answer_revisions(iid)
        assert coord.corrections(iid) == lap.corrections(iid)
        trail = [(e.seq, e.action, e.hash) for e in imported_audit(coord.connection(), iid)]
        # The laptop's audit rows of the interview as they were when it was sealed.
        assert trail == [
            (e.seq, e.action, e.hash)
            for e in lap.audit_entries()
            if e.object_id == iid and e.action not in ("seal", "sync")
        ]
    assert coord.get_interview(marked).override is not None
    imports = [e for e in coord.audit_entries() if e.action == "import"]
    assert sorted(e.object_id for e in imports) == finished
    coord.verify_audit()
    lap.verify_audit()
    assert all(row.acked_at is not None for row in org.rig.envelopes())

    # Nothing more to do, on either side.
    assert sync(lap, policy=QUICK).busy() is False
    again = sync(org.coord, policy=QUICK)
    assert (again.pulled, again.imported, again.acknowledged) == (0, 0, 0)

    # Nothing the interviews hold reached a log line or an audit detail (hub, client, vault).
    assert MARKER not in caplog.text
    for vault in (lap, coord):
        rows = vault.connection().execute("SELECT detail FROM audit WHERE detail IS NOT NULL")
        assert not any(MARKER in str(r[0]) for r in rows)
    lap.lock()


def test_a_form_awaiting_its_choices_file_is_not_published(org: Org) -> None:
    # Imported from an XLSForm whose CSV was not beside it: the definition compiles, but a
    # question offers no choices, so laptops would refuse it. Nothing is signed or sent.
    form = json.loads(shipped_form_text("rapid-screening.json"))
    form["version"] = "2.1"
    form["choice_lists"]["documents_holder"] = []
    form["missing_files"] = {"holders.csv": "documents_holder"}
    with pytest.raises(SyncError) as caught:
        coordinator.publish_form(org.coord, form, policy=QUICK)
    assert caught.value.message == (
        "The form was not published: holders.csv was not beside the XLSForm, so its questions"
        " offer no choices yet; put the file(s) there and import again."
    )
    with org.rig.read() as tx:
        assert tx.counts()["forms"] == 0
    assert [e for e in org.coord.audit_entries() if e.action == "form_published"] == []


def test_a_published_form_is_installed_and_forged_ones_are_refused(
    org: Org, tmp_path: Path
) -> None:
    lap = enrolled_laptop(tmp_path / "laptop", org.coord)
    form = json.loads(shipped_form_text("rapid-screening.json"))
    form["version"] = "2.0"
    status, answer = coordinator.publish_form(org.coord, form, policy=QUICK)
    assert status == 201 and answer["form_hash"] == form_hash(form)
    assert coordinator.publish_form(org.coord, form, policy=QUICK)[0] == 200
    # The coordinator keeps what it published (once), so its case pages can show the form.
    published = form_catalogue(org.coord).find("rapid-screening", "2.0")
    assert published is not None and published.origin == "organisation"
    assert [(e.action, e.detail) for e in org.coord.audit_entries()].count(
        ("form_published", "2.0")
    ) == 2

    # A hostile hub (or a hub database edited behind its back) serves two more forms: one
    # signed by another organisation's key, one signed properly that does not compile.
    other = OrgKeys.generate("Not Us", org.rig.url, org.rig.ca_pem)
    forged = {**form, "version": "3.0"}
    broken = {**form, "version": "4.0", "sections": [{"kind": "nonsense"}]}
    for doc, payload in ((sign_form(other, forged), forged), (sign_form(org.keys, broken), broken)):
        org.rig.write(
            lambda tx, d=doc, p=payload: tx.add_form(
                p["id"], p["version"], form_hash(p), canonical_json(d).decode(), int(time.time())
            )
        )

    report = sync(lap, policy=QUICK)
    assert (report.pulled, report.imported, report.rejected) == (3, 1, 2)
    assert any("not signed by this organisation" in p for p in report.problems)
    assert any("does not compile" in p for p in report.problems)
    assert laptop.installed_forms(lap) == [form]
    refused = [e for e in lap.audit_entries() if e.action == "form_refused"]
    assert len(refused) == 2
    # The refused forms are not offered again; the installed one is not installed twice.
    again = sync(lap, policy=QUICK)
    assert (again.pulled, again.imported, again.rejected) == (0, 0, 0)
    lap.lock()


def test_a_crash_between_send_and_ack_resends_and_gets_the_same_ack(
    org: Org, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lap = enrolled_laptop(tmp_path / "laptop", org.coord)
    ids = [completed_interview(lap, n) for n in range(3)]

    sent = laptop._push_batch

    def power_cut(*args: Any, **kwargs: Any) -> Any:
        sent(*args, **kwargs)
        raise RuntimeError("power cut after the hub stored the batch")

    monkeypatch.setattr(laptop, "_push_batch", power_cut)
    with pytest.raises(RuntimeError):
        sync(lap, policy=QUICK)
    monkeypatch.undo()
    stored = org.rig.envelopes()
    outbox = _outbox(lap)
    assert len(stored) == 3 and len(outbox) == 3
    assert [e.body for e in stored] == [row[2] for row in outbox]
    assert all(row[3] is None for row in outbox)
    assert not any(lap.get_interview(i).delivered for i in ids)

    # The same bytes sent again, alone or as a batch, get the same acknowledgements.
    identity, org_public = state.require_device(lap)
    with HubSession(org_public.hub_url, org_public.hub_ca_pem, identity.private_key) as s:
        status, ack = s.call(
            "POST",
            protocol.PATH_ENVELOPES,
            content=outbox[0][2],
            content_type=protocol.ENVELOPE_MEDIA_TYPE,
        )
        _, again = s.call(
            "POST",
            protocol.PATH_ENVELOPE_BATCH,
            content=encode_batch([row[2] for row in outbox]),
            content_type=protocol.ENVELOPE_BATCH_MEDIA_TYPE,
        )
    assert status == 200
    assert (ack["envelope_id"], ack["cursor"], ack["seq"]) == (
        stored[0].envelope_id,
        stored[0].cursor,
        1,
    )
    assert again["refused"] is None
    assert [(a["status"], a["cursor"], a["envelope_id"]) for a in again["acks"]] == [
        (200, e.cursor, e.envelope_id) for e in stored
    ]

    # The next sync learns from the hub's chain head that all three arrived: nothing is sent.
    report = sync(lap, policy=QUICK)
    assert report.sealed == 0 and report.acknowledged == 3 and report.pushed == 0
    assert [e.body for e in org.rig.envelopes()] == [row[2] for row in _outbox(lap)]
    assert all(lap.get_interview(i).delivered for i in ids)
    lap.lock()


def test_progress_follows_the_batches_the_hub_acknowledged(
    org: Org, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lap = enrolled_laptop(tmp_path / "laptop", org.coord)
    for n in range(5):
        completed_interview(lap, n)
    monkeypatch.setattr(laptop, "PUSH_BATCH", 2)
    seen: list[tuple[int, int]] = []
    report = sync(lap, policy=QUICK, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(2, 5), (4, 5), (5, 5)]
    assert report.acknowledged == 5 and len(org.rig.envelopes()) == 5
    lap.lock()

    # The coordinator cannot know how many will come: it counts what it received.
    monkeypatch.setattr(importer, "PAGE", 2)
    seen.clear()
    report = sync(org.coord, policy=QUICK, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(2, 0), (4, 0), (5, 0)] and report.imported == 5


def test_a_dead_hub_costs_nothing_and_a_later_sync_delivers(org: Org, tmp_path: Path) -> None:
    lap = enrolled_laptop(tmp_path / "laptop", org.coord)
    ids = [completed_interview(lap, n) for n in range(3)]
    org.rig.stop()
    with pytest.raises(HubUnreachable) as failed:
        sync(lap, policy=QUICK)
    assert "could not be reached" in failed.value.message
    assert failed.value.message.endswith("try again later.")
    assert failed.value.report.sealed == 3  # type: ignore[attr-defined]
    sealed = _outbox(lap)
    with pytest.raises(HubUnreachable):
        sync(lap, policy=QUICK)
    assert _outbox(lap) == sealed  # sealed once: the same bytes wait for the hub
    with pytest.raises(HubUnreachable):
        sync(org.coord, policy=QUICK)

    org.rig.start()
    report = sync(lap, policy=QUICK)
    assert (report.sealed, report.pushed, report.acknowledged) == (0, 3, 3)
    assert [e.body for e in org.rig.envelopes()] == [row[2] for row in sealed]
    assert sync(org.coord, policy=QUICK).imported == 3
    assert sorted(ids) == _finished(org.coord)
    lap.lock()


def test_a_revoked_laptop_stops_and_keeps_its_interviews(org: Org, tmp_path: Path) -> None:
    lap = enrolled_laptop(tmp_path / "laptop", org.coord)
    first = completed_interview(lap, 1)
    assert sync(lap, policy=QUICK).acknowledged == 1
    identity, _ = state.require_device(lap)
    assert identity.device_id is not None
    revoked_at = coordinator.revoke_device(org.coord, identity.device_id, policy=QUICK)
    devices = coordinator.list_devices(org.coord, policy=QUICK)
    assert [(d.device_id, d.revoked_at, d.trusted) for d in devices] == [
        (identity.device_id, revoked_at, True)
    ]
    second = completed_interview(lap, 2)
    with pytest.raises(ProtocolError) as refused:
        sync(lap, policy=QUICK)
    assert refused.value.code == "device_revoked"
    assert "revoked this laptop" in refused.value.message
    assert [row[1] for row in _outbox(lap)] == [first, second]  # kept, sealed
    # What it delivered before the revocation is still imported.
    assert sync(org.coord, policy=QUICK).imported == 1
    lap.lock()


def test_roles_and_setup_are_checked(org: Org, tmp_path: Path) -> None:
    org.coord.add_user("Sam Screener", "copper lantern drizzle wombat", role="screener", kdf=FAST)
    screener = Vault.unlock(org.coord.directory, "Sam Screener", "copper lantern drizzle wombat")
    with pytest.raises(PermissionDenied, match="coordinator or admin"):
        sync(screener, policy=QUICK)
    with pytest.raises(PermissionDenied):
        coordinator.create_enrol_code(screener, policy=QUICK)
    with pytest.raises(PermissionDenied):
        coordinator.revoke_device(screener, "abc", policy=QUICK)
    screener.lock()

    fresh = Vault.create(tmp_path / "fresh", ADMIN, ADMIN_PASS, kdf=FAST)
    with pytest.raises(NotSetUp, match="not set up for sync"):
        sync(fresh)
    with pytest.raises(NotSetUp):
        coordinator.create_enrol_code(fresh)
    fresh.add_user("Sam Screener", "copper lantern drizzle wombat", role="screener", kdf=FAST)
    fresh.lock()
    screener = Vault.unlock(tmp_path / "fresh", "Sam Screener", "copper lantern drizzle wombat")
    with pytest.raises(PermissionDenied, match="admin"):
        laptop.enrol_device(screener, org.keys.public, protocol.new_enrol_code())
    with pytest.raises(PermissionDenied, match="admin"):
        coordinator.init_org(screener, "X", org.rig.url, None)
    screener.lock()

    # A coordinator's vault is not a laptop, and a code is used once.
    code, _ = coordinator.create_enrol_code(org.coord, policy=QUICK)
    with pytest.raises(Exception, match="coordinator's vault"):
        laptop.enrol_device(org.coord, org.keys.public, code, policy=QUICK)
    enrolled_laptop(tmp_path / "one", org.coord).lock()
    other = Vault.create(tmp_path / "two", ADMIN, ADMIN_PASS, kdf=FAST)
    first_code, _ = coordinator.create_enrol_code(org.coord, policy=QUICK)
    laptop.enrol_device(other, org.keys.public, first_code, policy=QUICK)
    third = Vault.create(tmp_path / "three", ADMIN, ADMIN_PASS, kdf=FAST)
    with pytest.raises(ProtocolError) as used:
        laptop.enrol_device(third, org.keys.public, first_code, policy=QUICK)
    assert used.value.code == "enrol_code_used"
    assert state.device_identity(third) is not None  # key kept for a retry with a new code
    assert state.device_identity(third).device_id is None  # type: ignore[union-attr]
    # Enrolling sets the organisation's key as the laptop's recovery key.
    assert other.recovery_fingerprint == org.coord.recovery_fingerprint is not None
    other.lock()
    third.lock()


def test_enrolment_retried_after_a_lost_answer_gets_the_same_device(
    org: Org, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _ = coordinator.create_enrol_code(org.coord, policy=QUICK)
    admin = Vault.create(tmp_path / "laptop", ADMIN, ADMIN_PASS, kdf=FAST)

    def lost(*args: object, **kwargs: object) -> None:
        raise HubUnreachable("the answer was lost")

    monkeypatch.setattr(state, "set_enrolled", lost)
    with pytest.raises(HubUnreachable):
        laptop.enrol_device(admin, org.keys.public, code, policy=QUICK)
    monkeypatch.undo()
    identity = laptop.enrol_device(admin, org.keys.public, code, policy=QUICK)
    devices = coordinator.list_devices(org.coord, policy=QUICK)
    assert [d.device_id for d in devices] == [identity.device_id]
    assert devices[0].trusted
    admin.lock()


def test_untrusted_and_tampered_envelopes_are_held_reported_and_retried(
    org: Org, tmp_path: Path
) -> None:
    lap = enrolled_laptop(tmp_path / "laptop", org.coord)
    good = [completed_interview(lap, n) for n in range(3)]
    assert sync(lap, policy=QUICK).acknowledged == 3

    # A device enrolled with a code the coordinator's vault did not make (the hub's operator
    # registered it with a stolen copy of the org key, say): its envelopes are not trusted.
    code = protocol.new_enrol_code()
    with HubSession(org.rig.url, org.rig.ca_pem, org.keys.signing_private_key) as s:
        s.call(
            "POST",
            protocol.PATH_ENROL_CODES,
            json_body={
                "code_hash": protocol.enrol_code_hash(code),
                "expires_at": int(time.time()) + 3600,
            },
        )
    stranger = Vault.create(tmp_path / "stranger", ADMIN, ADMIN_PASS, kdf=FAST)
    laptop.enrol_device(stranger, org.keys.public, code, policy=QUICK)
    theirs = completed_interview(stranger, 9)
    assert sync(stranger, policy=QUICK).acknowledged == 1

    # And one stored envelope is altered at the hub, its hash column adjusted to match.
    rows = org.rig.envelopes()
    victim = rows[1]
    flipped = bytearray(victim.body)
    flipped[-100] ^= 0x01
    from screening.envelope import envelope_hash

    def tamper(tx, body=bytes(flipped)):  # type: ignore[no-untyped-def]
        tx._x(
            "UPDATE envelopes SET body = ?, hash = ? WHERE envelope_id = ?",
            (body, envelope_hash(body), victim.envelope_id),
        )

    org.rig.write(tamper)
    report = sync(org.coord, policy=QUICK)
    # Envelope 2 is forged, so envelope 3 cannot be shown to follow it: both wait.
    assert report.imported == 1 and report.rejected == 3
    problems = " ".join(report.problems)
    assert "device signature does not verify" in problems
    assert "envelopes 2 to 2 are missing" in problems
    assert "not trusted" in problems
    held = importer.rejected_envelopes(org.coord)
    assert [h["code"] for h in held] == [
        "bad_envelope_signature",
        "sequence_gap",
        "untrusted_device",
    ]
    acked = {r.envelope_id: r.acked_at for r in org.rig.envelopes()}
    assert [acked[h["envelope_id"]] for h in held] == [None, None, None]
    assert _finished(org.coord) == good[:1] or _finished(org.coord) == sorted(good[:1])
    assert sync(org.coord, policy=QUICK).rejected == 3  # held, reported again, not skipped

    # The hub serves the original bytes again: the held envelopes are fetched anew and the
    # chain moves on. The stranger's stays held until its code is known to this vault.
    org.rig.write(
        lambda tx: tx._x(
            "UPDATE envelopes SET body = ?, hash = ? WHERE envelope_id = ?",
            (victim.body, victim.hash, victim.envelope_id),
        )
    )
    fixed = sync(org.coord, policy=QUICK)
    assert (fixed.imported, fixed.rejected) == (2, 1)
    assert _finished(org.coord) == sorted(good)
    state.remember_enrol_code(
        org.coord, code, protocol.enrol_code_hash(code), "2099-01-01T00:00:00Z"
    )
    final = sync(org.coord, policy=QUICK)
    assert (final.imported, final.rejected) == (1, 0)
    assert _finished(org.coord) == sorted([*good, theirs])
    assert importer.rejected_envelopes(org.coord) == []
    assert all(r.acked_at is not None for r in org.rig.envelopes())
    lap.lock()
    stranger.lock()


def test_retention_drops_the_sealed_copy_of_a_purged_interview(org: Org, tmp_path: Path) -> None:
    admin = enrolled_laptop(tmp_path / "laptop", org.coord, with_screener=False)
    kept, purged = completed_interview(admin, 1), completed_interview(admin, 2)
    assert sync(admin, policy=QUICK).acknowledged == 2
    with admin.transaction() as tx:  # as if `kept` had been completed today
        tx.execute(
            "UPDATE interviews SET completed_at = '2999-01-01T00:00:00.000000Z' WHERE id = ?",
            (kept,),
        )
    assert admin.purge(0) == 1
    rows = admin.connection().execute("SELECT interview_id, data IS NULL FROM sync_outbox")
    assert dict(rows.fetchall()) == {kept: 0, purged: 1}
    admin.lock()
