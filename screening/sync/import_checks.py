"""The checks of a page of envelopes at the coordinator, in the order each must pass
(docs/protocol.md, "Coordinator"): authenticate (the hub's description, the device, its
signature), the chain link, then open and check the record. `Importer`
(screening/sync/importer.py) runs them on each page it pulls or retries."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ed25519

from screening.envelope import (
    GENESIS_HASH,
    Envelope,
    EnvelopeError,
    envelope_hash,
    open_verified,
    verify,
)
from screening.org import keys
from screening.sync.coordinator import HubDevice, fetch_devices
from screening.sync.transport import HubSession
from screening.vault import Vault
from screening.vault.interchange import RecordError, check_record


@dataclass(frozen=True, slots=True)
class Item:
    """One envelope as the hub described it, with its bytes."""

    envelope_id: str
    device_id: str
    seq: int
    hash: str
    cursor: int
    data: bytes


@dataclass
class Verdict:
    item: Item
    code: str | None = None  # None: accepted
    message: str = ""
    record: dict[str, Any] | None = None
    chain_head: tuple[int, str] | None = None  # the device's head after this envelope
    signer: bytes | None = None  # the device key its signature verified with

    @property
    def accepted(self) -> bool:
        return self.code is None


@dataclass(frozen=True, slots=True)
class Opener:
    """What `open_envelope` reads from OrgKeys, with the private key loaded once per run
    instead of once per envelope."""

    kem: str
    encryption_key_id: str
    encryption_private_key: Any


class EnvelopeChecks:
    """The checking half of `Importer`: the devices the hub lists, their keys, the
    organisation's opening key and the pool the checks run on."""

    vault: Vault
    session: HubSession
    devices: dict[str, HubDevice]
    _refreshed: bool
    _opener: Opener
    _device_keys: dict[bytes, ed25519.Ed25519PublicKey]
    _pool: ThreadPoolExecutor | None

    # ---- devices ------------------------------------------------------------------------

    def device(self, device_id: str) -> HubDevice | None:
        if device_id not in self.devices and not self._refreshed:
            # Enrolled since the list was fetched: ask once more in this run.
            self.devices = fetch_devices(self.vault, self.session)
            self._refreshed = True
        return self.devices.get(device_id)

    # ---- checking envelopes ---------------------------------------------------------------

    def check_all(
        self, items: list[Item], heads: dict[str, tuple[int, str]], chained: list[bool]
    ) -> list[Verdict]:
        """Check a page in three steps, in the order every envelope's checks must run:
        authenticate (parse, the hub's description, the device, the signature), then the
        chain link (in hub order, on this thread: each link depends on the one before), then
        open (decrypt, check the record). The first and last run on a thread pool:
        cryptography's signature check and HPKE release the GIL, so they overlap with each
        other and with the Python around them."""
        for item in items:
            self.device(item.device_id)  # here, not on the pool: a refresh asks the hub
        first = list(self._map(self.authenticate, items))
        for (verdict, env, _), is_chained in zip(first, chained, strict=True):
            if verdict.accepted and env is not None and not is_chained:
                self.link(verdict, env, heads)
        return list(self._map(self.unseal, first))

    def _map(self, fn: Any, values: list[Any]) -> Any:
        if self._pool is None or len(values) < 2:
            return map(fn, values)
        return self._pool.map(fn, values)

    def authenticate(
        self, item: Item
    ) -> tuple[Verdict, Envelope | None, ed25519.Ed25519PublicKey | None]:
        verdict = Verdict(item)

        def reject(code: str, message: str) -> tuple[Verdict, None, None]:
            verdict.code, verdict.message = code, message
            return verdict, None, None

        try:
            env = Envelope.from_bytes(item.data)
        except EnvelopeError as exc:
            return reject(exc.code, "it is not a valid envelope")
        header = env.header
        if (
            envelope_hash(item.data) != item.hash
            or header.envelope_id != item.envelope_id
            or header.device_id != item.device_id
            or header.seq != item.seq
        ):
            return reject("hub_mismatch", "the hub's description does not match the envelope")
        device = self.devices.get(header.device_id)
        if device is None:
            return reject("unknown_device", "the hub does not list its device")
        if not device.trusted:
            return reject("untrusted_device", f"its device is not trusted: {device.problem}")
        raw_key = device.key_for_seq(header.seq)  # the key that signed it (after rotations)
        public_key = self._device_keys.get(raw_key)
        if public_key is None:
            public_key = keys.load_ed25519_public(raw_key)
            self._device_keys[raw_key] = public_key
        try:
            verify(env, public_key)
        except EnvelopeError as exc:
            return reject(exc.code, "its device signature does not verify")
        verdict.signer = raw_key
        return verdict, env, public_key

    @staticmethod
    def link(verdict: Verdict, env: Envelope, heads: dict[str, tuple[int, str]]) -> None:
        """The chain check: the envelope must be the next one of its device's chain."""
        header = env.header
        last_seq, last_hash = heads.get(header.device_id, (0, GENESIS_HASH))
        if header.seq > last_seq + 1:
            verdict.code = "sequence_gap"
            verdict.message = f"envelopes {last_seq + 1} to {header.seq - 1} are missing"
        elif header.seq <= last_seq:
            verdict.code = "sequence_fork"
            verdict.message = "another envelope holds its place in the chain"
        elif header.prev_hash != last_hash:
            verdict.code = "chain_mismatch"
            verdict.message = "it does not follow the device's last envelope"
        else:
            verdict.chain_head = (header.seq, verdict.item.hash)
            heads[header.device_id] = verdict.chain_head

    def unseal(
        self, checked: tuple[Verdict, Envelope | None, ed25519.Ed25519PublicKey | None]
    ) -> Verdict:
        """Decrypt and check the record of an envelope authenticated and in its place."""
        verdict, env, _ = checked
        if not verdict.accepted or env is None:
            return verdict
        try:
            record = open_verified(env, self._opener)  # type: ignore[arg-type]
        except EnvelopeError as exc:
            verdict.code = exc.code
            verdict.message = "it cannot be opened with the organisation's key"
            return verdict
        try:
            check_record(record)
        except RecordError as exc:
            verdict.code, verdict.message = "bad_record", exc.message.rstrip(".")
            return verdict
        verdict.record = record
        return verdict
