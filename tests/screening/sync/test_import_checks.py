"""The coordinator's checks before anything is decrypted or imported, envelope by envelope:
the hub's description, the device, its signature, its chain; then the record."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519

from screening.envelope import GENESIS_HASH, Envelope, envelope_hash, seal
from screening.org import KEM_X25519, OrgKeys, keys
from screening.sync import importer
from screening.sync.coordinator import HubDevice
from screening.sync.importer import Importer, Item
from screening.sync.report import SyncReport
from screening.vault import Vault
from screening.vault.interchange import export_record
from tests.screening.sync.rig import (
    ADMIN,
    ADMIN_PASS,
    FAST,
    completed_interview,
    coordinator_vault,
    org_of,
)

DEVICE = "0d3f6a52-8d1e-4f43-a1b5-5a3f1f0f2c11"


class Fleet:
    """A coordinator vault, one laptop's key and records, and a way to make envelopes."""

    def __init__(self, tmp: Path) -> None:
        self.coord = coordinator_vault(tmp / "coord", "https://127.0.0.1:9", None)
        self.org = org_of(self.coord)
        self.key = ed25519.Ed25519PrivateKey.generate()
        self.laptop = Vault.create(tmp / "laptop", ADMIN, ADMIN_PASS, kdf=FAST)
        self.cursor = 0
        self.report = SyncReport(mode="coordinator")
        self.importer = Importer(self.coord, None, self.org, self.report)  # type: ignore[arg-type]
        raw = keys.ed25519_public_raw(self.key)
        self.importer.devices = {DEVICE: _device(raw, trusted=True)}
        self.importer._refreshed = True

    def record(self, n: int) -> dict[str, Any]:
        iid = completed_interview(self.laptop, n)
        return export_record(
            self.laptop.connection(),
            iid,
            source={"vault_id": "v", "sealed_by": ADMIN, "sealed_at": "2025-01-31T09:30:00Z"},
        )

    def envelope(
        self,
        record: dict[str, Any],
        seq: int,
        prev: str,
        *,
        org: OrgKeys | None = None,
        **header: Any,
    ) -> Item:
        fields = {"device_id": DEVICE, "seq": seq, "prev_hash": prev, **header}
        wire = seal(record, fields, (org or self.org).public, self.key).to_bytes()
        self.cursor += 1
        envelope_id = Envelope.from_bytes(wire).header.envelope_id
        return Item(envelope_id, DEVICE, seq, envelope_hash(wire), self.cursor, wire)

    def feed(self, *items: Item) -> SyncReport:
        self.importer.import_items(list(items), cursor=self.cursor)
        return self.report

    def held(self) -> list[tuple[int, str]]:
        return [(h["seq"], h["code"]) for h in importer.rejected_envelopes(self.coord)]

    def close(self) -> None:
        self.coord.lock()
        self.laptop.lock()


def _device(raw: bytes, *, trusted: bool) -> HubDevice:
    return HubDevice(
        device_id=DEVICE,
        key_id=keys.key_id(keys.SIGNING_ALG, raw),
        public_key=raw,
        code_hash="c" * 64,
        enrolled_at=None,
        revoked_at=None,
        last_seq=0,
        last_hash=GENESIS_HASH,
        trusted=trusted,
        problem=None if trusted else "it was enrolled with a code this vault did not make",
    )


@pytest.fixture
def fleet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Fleet]:
    monkeypatch.setattr(importer, "REFETCH_LIMIT", 0)  # no hub here: use the kept bytes
    made = Fleet(tmp_path)
    yield made
    made.close()


def test_a_gap_is_held_until_the_missing_envelope_arrives(fleet: Fleet) -> None:
    first = fleet.envelope(fleet.record(1), 1, GENESIS_HASH)
    second = fleet.envelope(fleet.record(2), 2, first.hash)
    assert fleet.feed(second).rejected == 1
    assert fleet.held() == [(2, "sequence_gap")]
    assert fleet.coord.count_interviews() == 0
    assert fleet.feed(first).imported == 1
    fleet.importer.retry_rejected()
    assert fleet.report.imported == 2 and fleet.held() == []
    assert fleet.coord.count_interviews() == 2


def test_forks_and_broken_links_are_refused(fleet: Fleet) -> None:
    first = fleet.envelope(fleet.record(1), 1, GENESIS_HASH)
    fork = fleet.envelope(fleet.record(2), 1, GENESIS_HASH)
    wrong_link = fleet.envelope(fleet.record(3), 2, "1" * 64)
    fleet.feed(first, fork, wrong_link)
    assert fleet.report.imported == 1
    assert fleet.held() == [(1, "sequence_fork"), (2, "chain_mismatch")]
    assert fleet.coord.count_interviews() == 1


def test_the_same_envelope_twice_is_imported_once(fleet: Fleet) -> None:
    first = fleet.envelope(fleet.record(1), 1, GENESIS_HASH)
    fleet.feed(first)
    fleet.feed(first)
    assert (fleet.report.imported, fleet.report.duplicates, fleet.report.rejected) == (1, 1, 0)


def test_an_interview_already_here_is_recorded_not_imported_again(fleet: Fleet) -> None:
    record = fleet.record(1)
    first = fleet.envelope(record, 1, GENESIS_HASH)
    again = fleet.envelope(record, 2, first.hash)
    fleet.feed(first, again)
    assert (fleet.report.imported, fleet.report.duplicates) == (1, 1)
    rows = fleet.coord.connection().execute("SELECT seq, interview_id FROM sync_imports")
    assert sorted(rows) == [(1, record["interview"]["id"]), (2, record["interview"]["id"])]
    assert [e.action for e in fleet.coord.audit_entries()].count("import_duplicate") == 1


def test_contents_that_cannot_be_used_are_held_but_the_chain_moves_on(fleet: Fleet) -> None:
    other = OrgKeys.generate("Not Us", "https://127.0.0.1:9", kem=KEM_X25519)
    sealed_elsewhere = fleet.envelope(fleet.record(1), 1, GENESIS_HASH, org=other)
    bad_record = fleet.envelope({"not": "a record"}, 2, sealed_elsewhere.hash)
    fine = fleet.envelope(fleet.record(3), 3, bad_record.hash)
    fleet.feed(sealed_elsewhere, bad_record, fine)
    assert fleet.held() == [(1, "wrong_org_key"), (2, "bad_record")]
    assert fleet.report.imported == 1
    # Held for a person; retried on every sync, still refused, never silently dropped.
    fleet.importer.retry_rejected()
    assert len(fleet.held()) == 2 and fleet.report.rejected == 4


def test_the_hubs_description_device_and_signature_are_checked_first(fleet: Fleet) -> None:
    first = fleet.envelope(fleet.record(1), 1, GENESIS_HASH)
    fleet.feed(Item(first.envelope_id, DEVICE, 2, first.hash, first.cursor, first.data))
    unknown = fleet.envelope(fleet.record(2), 1, GENESIS_HASH, device_id="someone-else")
    fleet.feed(Item(unknown.envelope_id, "someone-else", 1, unknown.hash, 2, unknown.data))
    third = fleet.envelope(fleet.record(3), 1, GENESIS_HASH)
    flipped = bytearray(third.data)
    flipped[-1] ^= 1
    fleet.feed(Item(third.envelope_id, DEVICE, 1, envelope_hash(bytes(flipped)), 3, bytes(flipped)))
    assert [code for _, code in fleet.held()] == [
        "hub_mismatch",
        "unknown_device",
        "bad_envelope_signature",
    ]
    fleet.importer.devices[DEVICE] = _device(keys.ed25519_public_raw(fleet.key), trusted=False)
    fleet.feed(fleet.envelope(fleet.record(4), 1, GENESIS_HASH))
    assert "not trusted" in fleet.report.problems[-1]
    assert fleet.coord.count_interviews() == 0
    assert fleet.report.rejected == 4


def _export(fleet: Fleet, iid: str) -> dict[str, Any]:
    return export_record(
        fleet.laptop.connection(),
        iid,
        source={"vault_id": "v", "sealed_by": ADMIN, "sealed_at": "2025-01-31T09:30:00Z"},
    )


def test_an_older_record_after_a_newer_one_rolls_nothing_back(fleet: Fleet) -> None:
    iid = completed_interview(fleet.laptop, 1)
    old = _export(fleet, iid)
    fleet.laptop.correct_answer(iid, "age", 40, reason="misheard")
    new = _export(fleet, iid)
    first = fleet.envelope(old, 1, GENESIS_HASH)
    update = fleet.envelope(new, 2, first.hash)
    stale = fleet.envelope(old, 3, update.hash)  # the old record again, later in the chain
    fleet.feed(first, update, stale)
    assert (fleet.report.imported, fleet.report.updated, fleet.report.duplicates) == (1, 1, 1)
    assert fleet.held() == []
    assert fleet.coord.answers(iid)["age"] == (40, None)
    assert [c.reason for c in fleet.coord.corrections(iid)] == ["misheard"]
    details = [e.detail for e in fleet.coord.audit_entries() if e.action == "import_duplicate"]
    assert details == [f"older than the copy here; envelope 3 from device {DEVICE}"]


def test_an_update_from_another_device_is_refused(fleet: Fleet) -> None:
    iid = completed_interview(fleet.laptop, 1)
    fleet.feed(fleet.envelope(_export(fleet, iid), 1, GENESIS_HASH))
    fleet.laptop.correct_answer(iid, "age", 40, reason="misheard")
    other_key = ed25519.Ed25519PrivateKey.generate()
    other = "5c1e2b9a-0f7d-4c55-9e0b-7a6f3d2c1b00"
    raw = keys.ed25519_public_raw(other_key)
    fleet.importer.devices[other] = dataclasses.replace(_device(raw, trusted=True), device_id=other)
    record = _export(fleet, iid)
    fields = {"device_id": other, "seq": 1, "prev_hash": GENESIS_HASH}
    wire = seal(record, fields, fleet.org.public, other_key).to_bytes()
    envelope_id = Envelope.from_bytes(wire).header.envelope_id
    fleet.cursor += 1
    fleet.feed(Item(envelope_id, other, 1, envelope_hash(wire), fleet.cursor, wire))
    assert fleet.held() == [(1, "update_conflict")]
    assert "came from another device" in fleet.report.problems[-1]
    assert fleet.coord.answers(iid)["age"] == (21, None)


def test_an_update_never_overwrites_a_change_made_here(fleet: Fleet) -> None:
    iid = completed_interview(fleet.laptop, 1)
    first = fleet.envelope(_export(fleet, iid), 1, GENESIS_HASH)
    fleet.feed(first)
    # The coordinator overrides the recommendation on its copy; the laptop corrects an answer.
    fleet.coord.set_override(iid, "refer", "coordinator's own reason")
    fleet.laptop.correct_answer(iid, "age", 40, reason="misheard")
    update = fleet.envelope(_export(fleet, iid), 2, first.hash)
    fleet.feed(update)
    assert fleet.held() == [(2, "update_conflict")]
    assert "changed in this vault since it was imported" in fleet.report.problems[-1]
    record = fleet.coord.get_interview(iid)
    assert record.override is not None and record.override.reason == "coordinator's own reason"
    assert fleet.coord.answers(iid)["age"] == (21, None)
    # Retried on every sync, still held (the chain already moved past it), never dropped.
    fleet.importer.retry_rejected()
    assert fleet.held() == [(2, "update_conflict")]
    attempts = importer.rejected_envelopes(fleet.coord)[0]["attempts"]
    assert attempts == 2


def test_reviewing_a_case_here_does_not_block_an_update(fleet: Fleet) -> None:
    iid = completed_interview(fleet.laptop, 1)
    record = _export(fleet, iid)
    first = fleet.envelope(record, 1, GENESIS_HASH)
    fleet.feed(first)
    fleet.coord.audit("case_viewed", iid)  # what the case page writes when it opens
    fleet.laptop.correct_answer(iid, "age", 40, reason="misheard")
    update = fleet.envelope(_export(fleet, iid), 2, first.hash)
    fleet.feed(update)
    assert fleet.held() == [] and fleet.report.updated == 1
    assert fleet.coord.answers(iid)["age"] == (40, None)


def test_the_same_record_again_after_a_change_here_is_a_duplicate(fleet: Fleet) -> None:
    iid = completed_interview(fleet.laptop, 1)
    record = _export(fleet, iid)
    first = fleet.envelope(record, 1, GENESIS_HASH)
    fleet.feed(first)
    fleet.coord.set_override(iid, "refer", "coordinator's own reason")
    fleet.feed(fleet.envelope(record, 2, first.hash))
    assert fleet.held() == [] and fleet.report.duplicates == 1
    assert fleet.coord.get_interview(iid).override is not None
