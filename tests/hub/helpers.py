"""Test clients for the hub: a coordinator and devices that sign their requests like the app."""

from __future__ import annotations

import base64
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric import ed25519

from hub.service import Hub
from hub.store.tx import EnvelopeRow
from screening.envelope import GENESIS_HASH, Envelope, envelope_hash, seal
from screening.org import OrgKeys
from screening.sync import protocol
from screening.sync.batch import encode_batch

FORM_HASH = "f" * 64


class FakeClock:
    """The hub's and the clients' clock; tests move it to expire codes and age requests."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds


class Caller:
    """An httpx client that signs every request with one key (as the sync client will)."""

    def __init__(
        self, base_url: str, ca_pem: str, key: ed25519.Ed25519PrivateKey, clock: FakeClock
    ) -> None:
        self.key = key
        self.key_id = protocol.RequestSigner(key).key_id
        self.clock = clock
        self.http = httpx.Client(
            base_url=base_url, verify=protocol.pinned_ssl_context(ca_pem), timeout=30
        )

    def build(self, method: str, path: str, **kwargs: Any) -> httpx.Request:
        return self.http.build_request(method, path, **kwargs)

    def sign(
        self, request: httpx.Request, *, timestamp: int | None = None, nonce: str | None = None
    ) -> httpx.Request:
        headers = protocol.sign_request(
            request.method,
            request.url.raw_path.decode("ascii"),
            request.content,
            self.key,
            timestamp=int(self.clock()) if timestamp is None else timestamp,
            nonce=nonce,
        )
        request.headers.update(headers)
        return request

    def send(self, request: httpx.Request) -> httpx.Response:
        return self.http.send(request)

    def call(
        self,
        method: str,
        path: str,
        *,
        timestamp: int | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        return self.send(self.sign(self.build(method, path, **kwargs), timestamp=timestamp))

    def close(self) -> None:
        self.http.close()


def error_code(response: httpx.Response) -> str:
    body = response.json()
    assert set(body) == {"error"}, body
    return str(body["error"]["code"])


@dataclass
class Device:
    """An enrolled laptop: its key, its hub id, and where its chain stands."""

    caller: Caller
    device_id: str
    org: OrgKeys
    seq: int = 0
    last_hash: str = GENESIS_HASH
    sent: list[Envelope] = field(default_factory=list)

    @property
    def key(self) -> ed25519.Ed25519PrivateKey:
        return self.caller.key

    def seal_next(self, record: dict[str, Any] | None = None, **header: Any) -> Envelope:
        fields = {
            "device_id": self.device_id,
            "seq": self.seq + 1,
            "prev_hash": self.last_hash,
            **header,
        }
        return seal(record or {"answers": [["q1", "yes"]]}, fields, self.org.public, self.key)

    def push(self, env: Envelope | bytes) -> httpx.Response:
        data = env.to_bytes() if isinstance(env, Envelope) else env
        return self.caller.call(
            "POST",
            "/v1/envelopes",
            content=data,
            headers={"Content-Type": protocol.ENVELOPE_MEDIA_TYPE},
        )

    def push_batch(self, items: Sequence[Envelope | bytes]) -> httpx.Response:
        """Push envelopes (or raw envelope bytes) as one batch, framed by encode_batch."""
        return self.push_batch_body(
            encode_batch([e.to_bytes() if isinstance(e, Envelope) else e for e in items])
        )

    def push_batch_body(self, body: bytes) -> httpx.Response:
        """Push a batch body as given (framing included), signed by this device."""
        return self.caller.call(
            "POST",
            protocol.PATH_ENVELOPE_BATCH,
            content=body,
            headers={"Content-Type": protocol.ENVELOPE_BATCH_MEDIA_TYPE},
        )

    def seal_chain(self, count: int) -> list[Envelope]:
        """The next `count` envelopes of this device's chain, sealed and taken as sent."""
        chain = []
        for n in range(count):
            env = self.seal_next({"answers": [["q1", f"answer {self.seq + 1}"]], "n": n})
            self.accept(env)
            chain.append(env)
        return chain

    def head(self) -> tuple[int, str]:
        """The hub's chain head for this device (GET /v1/devices/self)."""
        response = self.caller.call("GET", protocol.PATH_DEVICE_SELF)
        assert response.status_code == 200, response.text
        me = response.json()
        return me["last_seq"], me["last_hash"]

    def push_next(self, record: dict[str, Any] | None = None) -> httpx.Response:
        env = self.seal_next(record)
        response = self.push(env)
        assert response.status_code == 201, response.text
        self.accept(env)
        return response

    def accept(self, env: Envelope) -> None:
        self.seq = env.header.seq
        self.last_hash = envelope_hash(env)
        self.sent.append(env)


@dataclass
class HubEnv:
    """A running hub over TLS and the parties that talk to it."""

    url: str
    hub: Hub
    org: OrgKeys
    ca_pem: str
    clock: FakeClock
    coordinator: Caller
    callers: list[Caller] = field(default_factory=list)
    log_text: Callable[[], str] = lambda: ""

    def caller(self, key: ed25519.Ed25519PrivateKey | None = None) -> Caller:
        made = Caller(
            self.url, self.ca_pem, key or ed25519.Ed25519PrivateKey.generate(), self.clock
        )
        self.callers.append(made)
        return made

    def new_code(self, *, ttl: int = 3600) -> str:
        code = protocol.new_enrol_code()
        response = self.coordinator.call(
            "POST",
            "/v1/enrol-codes",
            json={
                "code_hash": protocol.enrol_code_hash(code),
                "expires_at": int(self.clock()) + ttl,
            },
        )
        assert response.status_code == 201, response.text
        return code

    def enrol_request(self, caller: Caller, code: str) -> httpx.Response:
        raw = caller.key.public_key().public_bytes_raw()
        return caller.call(
            "POST",
            "/v1/devices",
            json={
                "code_proof": protocol.enrol_code_proof(code),
                "public_key": base64.b64encode(raw).decode("ascii"),
                "attestation": protocol.device_attestation(code, raw),
            },
        )

    def enrol(self, code: str | None = None) -> Device:
        caller = self.caller()
        response = self.enrol_request(caller, code or self.new_code())
        assert response.status_code == 201, response.text
        return Device(caller=caller, device_id=response.json()["device_id"], org=self.org)

    def counts(self) -> dict[str, int]:
        with self.hub.store.read() as tx:
            counts = tx.counts()
        counts.pop("nonces")  # bookkeeping, not state: refused requests still use a nonce
        return counts

    def stored(self) -> list[EnvelopeRow]:
        """Every envelope the hub holds, in cursor order (read straight from its store)."""
        with self.hub.store.read() as tx:
            return tx.envelopes_after(0, 100_000)

    def close(self) -> None:
        for caller in [self.coordinator, *self.callers]:
            caller.close()


def stranger_envelope(hub_env: HubEnv, stranger: Caller) -> Envelope:
    """A well-formed first envelope signed by a key the hub never enrolled."""
    fields = {
        "device_id": "a1b2c3",
        "seq": 1,
        "prev_hash": GENESIS_HASH,
    }
    return seal({"answers": []}, fields, hub_env.org.public, stranger.key)
