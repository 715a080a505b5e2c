"""The hub's rules, independent of HTTP: authenticate, authorise, then one operation.

Every request goes through `Hub.handle`:

1. the X-SD-* headers are parsed and the timestamp checked (±5 minutes);
2. the signing key is found: the organisation's, an enrolled device's, or (enrolment only)
   the new device key carried in the body; the signature must cover method, target, body
   hash, timestamp, nonce and key id;
3. in one write transaction the nonce is recorded (a replay is refused by the primary key,
   whichever process sees it first), a device's row is re-read (and, for a write, locked, so
   that its chain head moves one request at a time), the key's role is checked and the
   operation runs.

Operations check everything before they write, and raise ProtocolError only before their first
write: the store commits a refused request's transaction so that its nonce stays used.
Nothing here logs a request body, a code or a key: only ids, counts and error codes.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import anyio
from cryptography.hazmat.primitives.asymmetric import ed25519

from hub import ops
from hub.context import DEVICE, ENROLLING, ORG, RETIRED, Context, HubRequest, Principal
from hub.store import DeviceRow, Store, Tx
from screening.org import keys
from screening.org.orgfile import OrgPublic
from screening.sync import protocol
from screening.sync.protocol import ProtocolError

log = logging.getLogger("screening.hub")

NONCE_PURGE_SECONDS = 60
DEVICE_CACHE_SIZE = 10_000
MAX_SKEW = protocol.MAX_SKEW_SECONDS


@dataclass(frozen=True, slots=True)
class Route:
    """One endpoint: who may call it, how big its body may be, and what it does."""

    name: str
    method: str
    path: str
    roles: frozenset[str]
    max_body: int
    op: Callable[..., tuple[int, dict[str, Any]]]
    # prepare(hub, principal, request) runs before the transaction (parsing, signature checks
    # on envelopes and forms) so the writer lock is held only for the database work.
    prepare: Callable[..., Any] | None = None
    readonly: bool = False
    # A batch's preparation checks up to 256 signatures (tens of milliseconds): done on a
    # worker thread, so that the event loop keeps answering everyone else meanwhile.
    offload: bool = False
    # Reads envelopes after a cursor: only up to where no writer is still in flight.
    settled: bool = False


@dataclass(frozen=True, slots=True)
class _Step:
    """What authentication established, carried into the transaction."""

    now: float
    auth: protocol.AuthHeaders
    principal: Principal
    prepared: Any
    deferred: ProtocolError | None


class Hub:
    def __init__(
        self, store: Store, org: OrgPublic, *, clock: Callable[[], float] = time.time
    ) -> None:
        self.store = store
        self.org = org
        self.clock = clock
        self._org_key = org.signing_public_key()
        self._last_purge = 0.0
        self._devices: dict[str, tuple[DeviceRow, ed25519.Ed25519PublicKey]] = {}

    def handle(self, route: Route, request: HubRequest) -> tuple[int, dict[str, Any]]:
        """Authenticate, authorise and run one request (blocking; see `handle_async`)."""
        step = self._authenticate(route, request, lookup=True)
        assert step is not None
        outcome = self.store.run_write(self._write(route, request, step))
        if not isinstance(outcome, Principal):
            return outcome
        return self._read(route, request, step, outcome)

    async def handle_async(self, route: Route, request: HubRequest) -> tuple[int, dict[str, Any]]:
        """The same as `handle`, for the event loop.

        The CPU work (parsing, two signature checks) runs on the loop; only database work leaves
        it: the write goes straight to the writer thread, and a device-key lookup (first
        request of a device) or a read-only operation goes to a worker thread. Every hop between
        threads costs a fraction of a millisecond, which is a large part of a push.
        """
        step = None if route.offload else self._authenticate(route, request, lookup=False)
        if step is None:
            step = await anyio.to_thread.run_sync(self._authenticate, route, request, True)
            assert step is not None
        outcome = await self.store.run_write_async(self._write(route, request, step))
        if not isinstance(outcome, Principal):
            return outcome
        return await anyio.to_thread.run_sync(self._read, route, request, step, outcome)

    def _authenticate(self, route: Route, request: HubRequest, lookup: bool) -> _Step | None:
        """Check headers, time, key and signature; prepare the body. None: a lookup is needed."""
        now = self.clock()
        auth = protocol.parse_auth_headers(request.headers)
        protocol.check_timestamp(auth.timestamp, now)
        principal = self._identify(route, auth, request, lookup)
        if principal is None:
            return None
        protocol.verify_request(
            auth,
            request.method,
            request.target,
            protocol.body_digest(request.body),
            principal.public_key,
        )
        # Refusals found while preparing are raised only after the nonce is recorded, so a
        # refused request cannot be replayed either.
        prepared: Any = None
        deferred: ProtocolError | None = None
        if route.prepare is not None and principal.role in route.roles:
            try:
                prepared = route.prepare(self, principal, request)
            except ProtocolError as exc:
                deferred = exc
        return _Step(now, auth, principal, prepared, deferred)

    def _write(
        self, route: Route, request: HubRequest, step: _Step
    ) -> Callable[[Tx], tuple[int, dict[str, Any]] | Principal]:
        def write(tx: Tx) -> tuple[int, dict[str, Any]] | Principal:
            auth = step.auth
            if not tx.use_nonce(auth.key_id, auth.nonce, auth.timestamp + MAX_SKEW):
                raise ProtocolError("replayed_request")
            if step.now - self._last_purge > NONCE_PURGE_SECONDS:
                self._last_purge = step.now
                tx.purge_nonces(int(step.now))
            authorised = self._authorise(
                tx, route, step.principal, int(step.now), lock=not route.readonly
            )
            if step.deferred is not None:
                raise step.deferred
            if route.readonly:
                return authorised
            return route.op(tx, Context(self, authorised, request, int(step.now), step.prepared))

        return write

    def _read(
        self, route: Route, request: HubRequest, step: _Step, principal: Principal
    ) -> tuple[int, dict[str, Any]]:
        # Reads run outside the writer: a large pull must not hold up everyone's pushes.
        with self.store.read(settled=route.settled) as tx:
            return route.op(tx, Context(self, principal, request, int(step.now), step.prepared))

    def _identify(
        self, route: Route, auth: protocol.AuthHeaders, request: HubRequest, lookup: bool
    ) -> Principal | None:
        if auth.key_id == self.org.signing_key_id:
            return Principal(ORG, auth.key_id, self._org_key)
        if ENROLLING in route.roles:
            raw = ops.enrolment_public_key(request.body)
            if keys.key_id(keys.SIGNING_ALG, raw) != auth.key_id:
                raise ProtocolError(
                    "bad_signature", "An enrolment must be signed by the key being enrolled."
                )
            return Principal(ENROLLING, auth.key_id, keys.load_ed25519_public(raw))
        cached = self._devices.get(auth.key_id)
        if cached is None:
            if not lookup:
                return None
            with self.store.read() as tx:
                device = tx.device_by_key(auth.key_id)
                public_raw = None if device is None else device.public_key
                if device is None:
                    retired = tx.retired_key(auth.key_id)
                    if retired is not None:
                        device = tx.device(retired.device_id)
                        public_raw = retired.old_public_key
            if device is None or public_raw is None:
                raise ProtocolError("unknown_key")
            # A key id always names the same key of the same device, so the pair may be
            # cached; whether the key is still the device's current one (it may have been
            # rotated since), its revocation and its chain head are re-read inside the write
            # transaction.
            if len(self._devices) >= DEVICE_CACHE_SIZE:
                self._devices.clear()
            cached = (device, keys.load_ed25519_public(public_raw))
            self._devices[auth.key_id] = cached
        return Principal(DEVICE, auth.key_id, cached[1], cached[0])

    def _authorise(
        self, tx: Tx, route: Route, principal: Principal, now: int, *, lock: bool
    ) -> Principal:
        if principal.role == DEVICE:
            assert principal.device is not None
            # Re-read inside the transaction: a revocation or a key rotation that committed a
            # moment ago counts. A write locks the row until it commits: another request of the
            # same device (on any process) waits here and then reads the head this one left.
            device = tx.device(principal.device.device_id, lock=lock)
            if device is None:
                raise ProtocolError("unknown_key")
            if device.revoked_at is not None:
                raise ProtocolError("device_revoked")
            role = DEVICE if device.key_id == principal.key_id else RETIRED
            if role == RETIRED and RETIRED not in route.roles:
                # Someone holding a replaced key (a copy of the vault from before a user was
                # removed) tried to use it: refused, and counted for the coordinator's alert.
                # The count commits with the nonce although the request is refused.
                tx.note_retired_use(principal.key_id, now)
                device_id = device.device_id
                tx.on_commit(lambda: log.warning("retired key used: device %s", device_id))
                raise ProtocolError("key_rotated")
            principal = Principal(role, principal.key_id, principal.public_key, device)
        if principal.role not in route.roles:
            raise ProtocolError("forbidden")
        return principal

    def forget_key(self, key_id: str) -> None:
        """Drop a cached device key (after a rotation, so its holder is looked up anew)."""
        self._devices.pop(key_id, None)

    def health(self) -> tuple[int, dict[str, Any]]:
        """Blocking: the app runs it in a worker thread."""
        with self.store.read() as tx:
            tx.ping()
        return 200, {"status": "ok", "protocol": protocol.PROTOCOL_VERSION}
