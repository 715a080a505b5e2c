"""A page checked on the thread pool gets exactly the verdicts of one-at-a-time checking.

The importer authenticates and opens envelopes on a thread pool and links the chain on its
own thread in hub order (screening/sync/import_checks.py, `check_all`). A page mixing every kind
of refusal, from two devices interleaved, must come out the same with and without the pool,
and as the import order in docs/protocol.md says.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ed25519

from screening.envelope import BAD_SIGNATURE, GENESIS_HASH, envelope_hash, seal
from screening.org import OrgKeys, keys
from screening.sync.coordinator import HubDevice
from screening.sync.importer import Importer, Item
from screening.sync.report import SyncReport
from screening.vault import KdfParams, Vault
from screening.vault.interchange import export_record
from tests.screening.sync.rig import completed_interview

FAST = KdfParams.fast_for_tests()


def _device(device_id: str, key: ed25519.Ed25519PrivateKey, *, trusted: bool = True) -> HubDevice:
    raw = key.public_key().public_bytes_raw()
    return HubDevice(
        device_id=device_id,
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


class Chain:
    def __init__(self, device_id: str, org: OrgKeys) -> None:
        self.device_id, self.org = device_id, org
        self.key = ed25519.Ed25519PrivateKey.generate()
        self.seq, self.prev = 0, GENESIS_HASH

    def fork(self, *, seq: int, prev: str) -> Chain:
        """The same device's key, continuing from another place in its chain."""
        other = Chain(self.device_id, self.org)
        other.key, other.seq, other.prev = self.key, seq, prev
        return other

    def next(self, record: dict[str, Any]) -> bytes:
        # Envelope format 2: the form's identity travels inside the sealed record only.
        fields = {"device_id": self.device_id, "seq": self.seq + 1, "prev_hash": self.prev}
        wire = seal(record, fields, self.org.public, self.key).to_bytes()
        self.seq, self.prev = self.seq + 1, envelope_hash(wire)
        return wire


def _item(wire: bytes, device_id: str, seq: int, cursor: int) -> Item:
    from screening.envelope import Envelope

    envelope_id = Envelope.from_bytes(wire).header.envelope_id
    return Item(envelope_id, device_id, seq, envelope_hash(wire), cursor, wire)


def test_pool_and_serial_checks_agree_on_a_mixed_page(tmp_path: Path) -> None:
    org = OrgKeys.generate("Test Org", "https://127.0.0.1:1", None)
    laptop = Vault.create(tmp_path / "laptop", "Tomas Ferreira", "copper lantern drizzle wombat",
                          kdf=FAST)  # fmt: skip
    source = {
        "vault_id": laptop.vault_id,
        "sealed_by": laptop.user,
        "sealed_at": "2026-12-04T10:00:00Z",
    }
    records = [
        export_record(laptop.connection(), completed_interview(laptop, n), source=source)
        for n in range(13)
    ]
    laptop.lock()
    a, b, c = Chain("dev-a", org), Chain("dev-b", org), Chain("dev-c", org)
    page: list[tuple[bytes, str, int]] = []
    expected: list[str | None] = []

    def add(chain: Chain, wire: bytes, code: str | None) -> None:
        page.append((wire, chain.device_id, chain.seq))
        expected.append(code)

    first = a.next(records[0])
    add(a, first, None)
    add(b, b.next(records[1]), None)
    forged = bytearray(a.next(records[2]))
    forged[-1] ^= 1  # the signature is the envelope's last bytes
    add(a, bytes(forged), BAD_SIGNATURE)
    add(a, a.next(records[3]), "sequence_gap")  # its 2 was the forged one
    wrong = a.fork(seq=1, prev="1" * 64)
    add(wrong, wrong.next(records[4]), "chain_mismatch")
    b.next(records[5])  # B's envelope 2 never reaches the hub
    add(b, b.next(records[6]), "sequence_gap")
    add(c, c.next(records[7]), "untrusted_device")
    add(a, a.next(records[8]), "hub_mismatch")  # the hub describes it wrongly (below)
    stranger = Chain("dev-x", org)
    add(stranger, stranger.next(records[9]), "unknown_device")
    good = a.fork(seq=1, prev=envelope_hash(first))
    add(good, good.next(records[10]), None)
    broken = {**records[11], "interview": {**records[11]["interview"], "status": "nonsense"}}
    add(good, good.next(broken), "bad_record")
    add(good, good.next(records[12]), None)
    items = [_item(w, d, s, n) for n, (w, d, s) in enumerate(page, start=1)]
    items[7] = Item(items[7].envelope_id, "dev-a", items[7].seq, "0" * 64, 8, items[7].data)

    coordinator = Vault.create(tmp_path / "coordinator", "Leila Okafor",
                               "glacier velvet pumpkin ferry", kdf=FAST)  # fmt: skip
    try:
        results = []
        for pool in (None, ThreadPoolExecutor(max_workers=4)):
            importer = Importer(coordinator, None, org, SyncReport("coordinator"))  # type: ignore[arg-type]
            importer.devices = {
                "dev-a": _device("dev-a", a.key),
                "dev-b": _device("dev-b", b.key),
                "dev-c": _device("dev-c", c.key, trusted=False),
            }
            importer._refreshed = True  # the hub is not asked again in this test
            importer._pool = pool
            verdicts = importer.check_all(items, {}, [False] * len(items))
            if pool is not None:
                pool.shutdown()
            results.append(
                [(v.code, v.message, v.chain_head, v.record is not None) for v in verdicts]
            )
        assert results[0] == results[1]
        assert [code for code, *_ in results[1]] == expected
        # Accepted envelopes carry their record and move their device's chain head; one
        # whose record is refused after its link was checked moves it too.
        heads = [(head, has_record) for _, _, head, has_record in results[1]]
        assert heads[0] == ((1, items[0].hash), True)
        assert heads[1] == ((1, items[1].hash), True)
        assert heads[9:] == [
            ((2, items[9].hash), True),
            ((3, items[10].hash), False),
            ((4, items[11].hash), True),
        ]
        assert all(head is None for head, _ in heads[2:9])
    finally:
        coordinator.lock()
