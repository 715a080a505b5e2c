"""A held update_conflict, produced through the real path (laptop → real hub over TLS →
coordinator's SQLCipher vault), shown side by side and resolved each way; a held envelope
altered after it was held is never taken."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from screening.envelope import envelope_hash, seal
from screening.org import KEM_X25519, OrgKeys
from screening.sync import conflicts, importer
from screening.sync.client import sync
from screening.sync.conflicts import ConflictError, open_conflict, resolve_conflict
from screening.vault import PermissionDenied, Vault
from screening.vault.interchange import imported_audit
from tests.hub.conftest import tls  # noqa: F401 (fixture)
from tests.screening.sync.conftest import Org
from tests.screening.sync.rig import (
    QUICK,
    HubRig,
    completed_interview,
    coordinator_vault,
    enrolled_laptop,
    org_of,
)

REASON = "interpreter corrected the age"


@pytest.fixture
def org(tmp_path: Path, tls) -> Iterator[Org]:  # noqa: F811
    # Resolution is offline and the hub's database plays no part: SQLite only.
    rig = HubRig(tmp_path / "hub", tls, None)
    coord = coordinator_vault(tmp_path / "coordinator", rig.url, rig.ca_pem)
    org_file = tmp_path / "org.json"
    org_file.write_bytes(org_of(coord).public.to_json_bytes())
    rig.init(org_file)
    rig.start()
    try:
        yield Org(rig, coord, org_file)
    finally:
        coord.lock()
        rig.stop()


def _conflict(org: Org, tmp_path: Path) -> tuple[Vault, str, str]:
    """Both sides change one interview after it was imported: the coordinator overrides the
    recommendation on its copy, the laptop corrects an answer. The laptop's update is held."""
    lap = enrolled_laptop(tmp_path / "laptop", org.coord)
    iid = completed_interview(lap, 1)
    sync(lap, policy=QUICK)
    assert sync(org.coord, policy=QUICK).imported == 1
    org.coord.set_override(iid, "refer", "coordinator's own reason")
    lap.correct_answer(iid, "age", 40, reason=REASON)
    assert sync(lap, policy=QUICK).sealed == 1
    report = sync(org.coord, policy=QUICK)
    assert (report.updated, report.rejected) == (0, 1)
    [held] = conflicts.held_conflicts(org.coord)
    assert held.seq == 2 and "changed in this vault since it was imported" in held.reason
    return lap, iid, held.envelope_id


def _resolutions(vault: Vault) -> list[tuple[str | None, str]]:
    rows = vault.audit_entries()
    return [(e.object_id, e.detail or "") for e in rows if e.action == "conflict_resolved"]


def test_both_copies_side_by_side(org: Org, tmp_path: Path) -> None:
    lap, iid, envelope_id = _conflict(org, tmp_path)
    seen = open_conflict(org.coord, envelope_id)
    assert (seen.interview_id, seen.seq, seen.envelope_id) == (iid, 2, envelope_id)
    rows = {r.key: r for r in seen.rows}
    assert (rows["age"].local, rows["age"].incoming) == ("21", "40")
    assert rows["age"].differs and not rows["notes"].differs
    assert rows["notes"].local == rows["notes"].incoming == "answer 1"
    assert rows["employer"].local == "(declined)"  # a marker, not a value
    assert [r.key for r in seen.rows if r.differs] == ["age"]
    # The outcome side: the coordinator's override here, none in the laptop's copy.
    assert seen.local.override is not None and seen.local.override[:2] == (
        "refer",
        "coordinator's own reason",
    )
    assert seen.incoming.override is None and seen.outcome_differs
    assert seen.differences == 2
    # Who changed each copy last: the coordinator here, the screener on the laptop.
    assert seen.local.changed_by == org.coord.user
    assert seen.incoming.changed_by == lap.user
    assert seen.incoming.audit_tail[-1].action == "answer_corrected"
    assert {a.source for a in seen.local.audit_tail} == {"device", "vault"}
    assert any(a.action == "override" for a in seen.local.audit_tail)
    assert seen.incoming_allowed and seen.incoming_refused is None
    assert seen.fingerprint == envelope_hash(
        org.coord.connection()
        .execute("SELECT data FROM sync_rejected WHERE envelope_id = ?", (envelope_id,))
        .fetchone()[0]
    )
    # Looking changes nothing: still held, no audit row of a resolution.
    assert [h.envelope_id for h in conflicts.held_conflicts(org.coord)] == [envelope_id]
    assert _resolutions(org.coord) == []
    lap.lock()


def test_keep_the_copy_here(org: Org, tmp_path: Path) -> None:
    lap, iid, envelope_id = _conflict(org, tmp_path)
    coord = org.coord
    seen = open_conflict(coord, envelope_id)
    done = resolve_conflict(coord, envelope_id, "local", fingerprint=seen.fingerprint)
    assert (done.choice, done.interview_id, done.resolved_by) == ("local", iid, coord.user)
    assert coord.answers(iid)["age"] == (21, None)
    override = coord.get_interview(iid).override
    assert override is not None and override.reason == "coordinator's own reason"
    assert conflicts.held_conflicts(coord) == [] and importer.rejected_envelopes(coord) == []
    assert _resolutions(coord) == [
        (iid, f"kept the copy here; envelope 2 from device {seen.device_id} ({envelope_id})")
    ]
    # The copy not chosen is kept and can be read back: the laptop's corrected record.
    aside = conflicts.set_aside_copy(coord, envelope_id)
    assert {a["name"]: a["value"] for a in aside["answers"]}["age"] == "40"
    # Resolving twice, or an unknown id: one sentence, nothing changed.
    with pytest.raises(ConflictError, match="resolved already"):
        resolve_conflict(coord, envelope_id, "incoming")
    with pytest.raises(ConflictError, match="No envelope nope is held"):
        resolve_conflict(coord, "nope", "local")
    # The next sync acknowledges it to the hub and does not hold it again.
    again = sync(coord, policy=QUICK)
    assert (again.rejected, again.updated) == (0, 0)
    acked = {r.envelope_id: r.acked_at for r in org.rig.envelopes()}
    assert acked[envelope_id] is not None
    assert coord.answers(iid)["age"] == (21, None)
    coord.verify_audit()
    lap.lock()


def test_take_the_incoming_copy(org: Org, tmp_path: Path) -> None:
    lap, iid, envelope_id = _conflict(org, tmp_path)
    coord = org.coord
    with pytest.raises(ConflictError, match="Choose which copy"):
        resolve_conflict(coord, envelope_id, "both")
    seen = open_conflict(coord, envelope_id)
    done = resolve_conflict(coord, envelope_id, "incoming", fingerprint=seen.fingerprint)
    assert done.choice == "incoming"
    assert coord.answers(iid)["age"] == (40, None)
    assert [c.reason for c in coord.corrections(iid)] == [REASON]
    assert coord.get_interview(iid).override is None  # the laptop's copy, as sent
    # The laptop's audit trail as far as the update holds it.
    covered = lap.connection().execute("SELECT audit_seq FROM sync_outbox WHERE seq = 2")
    last = covered.fetchone()[0]
    laptop_trail = [
        (e.seq, e.hash) for e in lap.audit_entries() if e.object_id == iid and e.seq <= last
    ]
    assert "answer_corrected" in [e.action for e in imported_audit(coord.connection(), iid)]
    assert [(e.seq, e.hash) for e in imported_audit(coord.connection(), iid)] == laptop_trail
    assert conflicts.held_conflicts(coord) == []
    [(object_id, detail)] = _resolutions(coord)
    assert object_id == iid and detail.startswith("took the incoming copy; envelope 2")
    assert envelope_id in detail
    updates = [e.detail or "" for e in coord.audit_entries() if e.action == "import_update"]
    assert updates and "chosen over the copy here" in updates[-1]
    # The copy replaced here (with the coordinator's override) is kept, readable.
    aside = conflicts.set_aside_copy(coord, envelope_id)
    assert aside["interview"]["override"]["reason"] == "coordinator's own reason"
    assert {a["name"]: a["value"] for a in aside["answers"]}["age"] == "21"
    # The laptop's next change applies as an ordinary update now.
    lap.correct_answer(iid, "notes", "asked again", reason="clarified")
    sync(lap, policy=QUICK)
    after = sync(coord, policy=QUICK)
    assert (after.updated, after.rejected) == (1, 0)
    assert coord.answers(iid)["notes"] == ("asked again", None)
    coord.verify_audit()
    lap.lock()


def _held_data(vault: Vault, envelope_id: str) -> bytes:
    row = vault.connection().execute(
        "SELECT data FROM sync_rejected WHERE envelope_id = ?", (envelope_id,)
    )
    return bytes(row.fetchone()[0])


def _replace_held(vault: Vault, envelope_id: str, data: bytes) -> None:
    with vault.transaction() as tx:
        tx.execute("UPDATE sync_rejected SET data = ? WHERE envelope_id = ?", (data, envelope_id))


def test_a_held_envelope_altered_after_it_was_held_is_never_taken(org: Org, tmp_path: Path) -> None:
    lap, iid, envelope_id = _conflict(org, tmp_path)
    coord = org.coord
    genuine = _held_data(coord, envelope_id)
    seen = open_conflict(coord, envelope_id)

    def refused(data: bytes, what: str) -> None:
        _replace_held(coord, envelope_id, data)
        for keep in ("incoming", "local"):
            with pytest.raises(ConflictError, match=what) as caught:
                resolve_conflict(coord, envelope_id, keep)
            assert caught.value.code == "held_envelope_altered"
        with pytest.raises(ConflictError, match=what):
            open_conflict(coord, envelope_id)
        assert coord.answers(iid)["age"] == (21, None)
        assert [h.envelope_id for h in conflicts.held_conflicts(coord)] == [envelope_id]
        assert _resolutions(coord) == []

    # One byte of the ciphertext flipped.
    flipped = bytearray(genuine)
    flipped[-5] ^= 0x01
    refused(bytes(flipped), "signature does not verify")
    # A record sealed again with a key that is not the device's, under the same header.
    other = OrgKeys.generate("Not Us", org.rig.url, org.rig.ca_pem, kem=KEM_X25519)
    from cryptography.hazmat.primitives.asymmetric import ed25519

    from screening.envelope import Envelope

    header = Envelope.from_bytes(genuine).header
    forged = seal(
        {"forged": True},
        {
            "device_id": header.device_id,
            "seq": header.seq,
            "prev_hash": header.prev_hash,
            "envelope_id": envelope_id,
        },
        other.public,
        ed25519.Ed25519PrivateKey.generate(),
    )
    refused(forged.to_bytes(), "signature does not verify")
    # Another genuine envelope of the same device in its place (the first one, replayed).
    first = next(r for r in org.rig.envelopes() if r.seq == 1)
    refused(bytes(first.body), "header names another envelope")

    # Back as it was held, but a copy shown earlier is not what is held now: refused too.
    _replace_held(coord, envelope_id, genuine)
    with pytest.raises(ConflictError, match="changed since it was shown"):
        resolve_conflict(coord, envelope_id, "incoming", fingerprint="0" * 64)
    # The next sync fetches the hub's copy again; then it can be resolved.
    _replace_held(coord, envelope_id, bytes(flipped))
    sync(coord, policy=QUICK)
    assert _held_data(coord, envelope_id) == genuine
    resolve_conflict(coord, envelope_id, "incoming", fingerprint=seen.fingerprint)
    assert coord.answers(iid)["age"] == (40, None)
    lap.lock()


def test_an_altered_history_can_only_be_kept_out(org: Org, tmp_path: Path) -> None:
    # A laptop (compromised or buggy) sends its interview with the first audit entry rewritten:
    # held, and the incoming copy can never be taken, whoever asks.
    from tests.screening.sync.test_updates import _forge_update, _rewrite_history

    lap = enrolled_laptop(tmp_path / "laptop", org.coord)
    iid = completed_interview(lap, 1)
    sync(lap, policy=QUICK)
    sync(org.coord, policy=QUICK)
    _forge_update(lap, iid, _rewrite_history)
    sync(lap, policy=QUICK)
    sync(org.coord, policy=QUICK)
    [held] = conflicts.held_conflicts(org.coord)
    seen = open_conflict(org.coord, held.envelope_id)
    assert not seen.incoming_allowed
    assert seen.incoming_refused is not None and "does not extend" in seen.incoming_refused
    with pytest.raises(ConflictError, match="cannot replace the copy here") as caught:
        resolve_conflict(org.coord, held.envelope_id, "incoming")
    assert caught.value.code == "incoming_refused"
    assert org.coord.answers(iid)["age"] == (21, None)
    resolve_conflict(org.coord, held.envelope_id, "local")
    assert conflicts.held_conflicts(org.coord) == []
    aside = conflicts.set_aside_copy(org.coord, held.envelope_id)
    assert {a["name"]: a["value"] for a in aside["answers"]}["age"] == "99"
    lap.lock()


def test_only_a_coordinator_resolves(org: Org, tmp_path: Path) -> None:
    lap, _, envelope_id = _conflict(org, tmp_path)
    with pytest.raises(PermissionDenied):
        conflicts.held_conflicts(lap)
    with pytest.raises(PermissionDenied):
        resolve_conflict(lap, envelope_id, "local")
    assert [h.envelope_id for h in conflicts.held_conflicts(org.coord)] == [envelope_id]
    lap.lock()


def test_a_conflict_held_before_keys_were_kept_needs_one_more_sync(
    org: Org, tmp_path: Path
) -> None:
    # Held by a version without migration 11's signer key: refused with one sentence until a
    # sync checks the envelope again (fetched anew from the hub) and keeps the key.
    lap, iid, envelope_id = _conflict(org, tmp_path)
    coord = org.coord
    with coord.transaction() as tx:
        tx.execute(
            "UPDATE sync_rejected SET signer_key = NULL WHERE envelope_id = ?", (envelope_id,)
        )
    with pytest.raises(ConflictError, match="run sync once more") as caught:
        open_conflict(coord, envelope_id)
    assert caught.value.code == "sync_first"
    with pytest.raises(ConflictError, match="run sync once more"):
        resolve_conflict(coord, envelope_id, "incoming")
    assert sync(coord, policy=QUICK).rejected == 1
    resolve_conflict(coord, envelope_id, "incoming")
    assert coord.answers(iid)["age"] == (40, None)
    lap.lock()
