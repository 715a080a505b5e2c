"""Talking to the hub: pinned TLS, signed requests, retries, and strict reading of answers.

Every request the client makes is safe to repeat (the hub is idempotent on envelope ids,
enrolment codes, form hashes and acknowledgements), so a request that failed on the way (a
dropped connection, a timeout, a 5xx, a replayed nonce) is simply sent again as a new signed
request. Answers are checked before they are believed: an answer that does not fit the
question (garbled, truncated, or meant for another request) counts as a failed attempt.
"""

from __future__ import annotations

import logging
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
from cryptography.hazmat.primitives.asymmetric import ed25519

from screening import jsonio
from screening.sync import protocol
from screening.sync.errors import HubUnreachable, SyncError
from screening.sync.protocol import ProtocolError

log = logging.getLogger("screening.sync")

# What each hub refusal means for the person at the laptop or the coordinator's desk; the
# hub's own message is used for everything else.
_EXPLAINED = {
    "device_revoked": "The organisation revoked this laptop at the hub, so it cannot sync any "
    "more; its interviews stay in the vault (ask a coordinator).",
    "unknown_key": "The hub does not know this key: the laptop is not enrolled there (enrol it "
    "with a new code), or the hub belongs to another organisation.",
    "bad_signature": "The hub refused the request signature; check that the organisation file "
    "and the hub belong together.",
    "forbidden": "The hub does not allow this key to do that.",
    "stale_timestamp": "This computer's clock is more than 5 minutes off the hub's; correct "
    "the date, time and time zone.",
}


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How hard one request is tried before sync gives up until next time."""

    attempts: int = 4
    base_delay: float = 0.25
    max_delay: float = 4.0
    timeout: float = 30.0
    connect_timeout: float = 10.0


class BadAnswer(ValueError):
    """An answer that does not fit the request it came back for."""


Validator = Callable[[dict[str, Any]], None]


def _certificate_problem(exc: BaseException) -> bool:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ssl.SSLCertVerificationError):
            return True
        if "CERTIFICATE_VERIFY_FAILED" in str(current):
            return True
        current = current.__cause__ or current.__context__
    return False


class HubSession:
    """One connection pool to the hub, every request signed by one key."""

    def __init__(
        self,
        hub_url: str,
        ca_pem: str | None,
        key: ed25519.Ed25519PrivateKey,
        *,
        policy: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.hub_url = hub_url
        self.policy = policy or RetryPolicy()
        self._sleep = sleep
        self.signer = protocol.RequestSigner(key)
        extra: dict[str, Any] = {} if transport is None else {"transport": transport}
        self.client = httpx.Client(
            base_url=hub_url,
            verify=protocol.pinned_ssl_context(ca_pem),
            auth=self.signer,
            timeout=httpx.Timeout(self.policy.timeout, connect=self.policy.connect_timeout),
            follow_redirects=False,
            **extra,
        )
        self.requests = 0

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> HubSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------------------ core

    def call(
        self,
        method: str,
        path: str,
        *,
        query: dict[str, int] | None = None,
        json_body: Any = None,
        content: bytes | None = None,
        content_type: str | None = None,
        validate: Validator | None = None,
    ) -> tuple[int, dict[str, Any]]:
        """Send until a valid 2xx answer comes back; ProtocolError for a refusal that
        retrying cannot fix; HubUnreachable when every attempt failed on the way."""
        target = path + ("?" + urlencode(query) if query else "")
        headers = {"Accept": "application/json"}
        if content_type:
            headers["Content-Type"] = content_type
        problem = "no attempt was made"
        attempt = 0
        clock_fixed = False
        while attempt < self.policy.attempts:
            attempt += 1
            self.requests += 1
            try:
                response = self.client.request(
                    method, target, json=json_body, content=content, headers=headers
                )
                body: Any
                try:
                    body = jsonio.loads(response.content)
                except ValueError:
                    body = None
            except httpx.TransportError as exc:
                if _certificate_problem(exc):
                    raise SyncError(
                        f"The hub at {self.hub_url} did not show the certificate named in the "
                        "organisation file; the connection was refused.",
                        code="hub_certificate",
                    ) from None
                problem = _network_problem(exc)
                self._pause(attempt)
                continue
            status = response.status_code
            if 200 <= status < 300:
                if isinstance(body, dict):
                    try:
                        if validate is not None:
                            validate(body)
                        return status, body
                    except (BadAnswer, KeyError, TypeError, ValueError):
                        pass
                problem = "its answer could not be read"
                self._pause(attempt)
                continue
            error = ProtocolError.from_response(status, body)
            if error.code == "stale_timestamp":
                if clock_fixed or not self._adopt_hub_clock(error):
                    raise _explained(error)
                # Not a failed attempt: the next request carries the hub's time.
                clock_fixed = True
                attempt -= 1
                continue
            if not error.retryable:
                raise _explained(error)
            problem = f"it answered {status} ({error.code})"
            self._pause(attempt)
        raise HubUnreachable(
            f"The hub at {self.hub_url} could not be reached ({problem}); nothing was lost, "
            "try again later."
        )

    def _adopt_hub_clock(self, error: ProtocolError) -> bool:
        server_time = error.details.get("server_time")
        if not isinstance(server_time, int) or isinstance(server_time, bool):
            return False
        offset = server_time - time.time()
        if abs(offset - self.signer.clock_offset) < 1:
            return False  # already using the hub's clock: something else is wrong
        self.signer.clock_offset = offset
        log.info("hub clock differs by %.0f s; requests now use the hub's time", offset)
        return True

    def _pause(self, attempt: int) -> None:
        if attempt >= self.policy.attempts:
            return
        delay = min(self.policy.max_delay, self.policy.base_delay * (2 ** (attempt - 1)))
        self._sleep(delay)

    # ------------------------------------------------------------------------ endpoints

    def health(self) -> bool:
        try:
            response = self.client.get(protocol.PATH_HEALTH, auth=None)
        except httpx.TransportError:
            return False
        return response.status_code == 200


def _network_problem(exc: httpx.TransportError) -> str:
    if isinstance(exc, httpx.ConnectTimeout):
        return "the connection timed out"
    if isinstance(exc, httpx.TimeoutException):
        return "it did not answer in time"
    if isinstance(exc, httpx.ConnectError):
        return "the connection was refused or the network is down"
    return "the connection broke"


def _explained(error: ProtocolError) -> ProtocolError:
    message = _EXPLAINED.get(error.code)
    if message is None:
        return error
    explained = ProtocolError(error.code, message, details=error.details)
    explained.status = error.status
    return explained


# ------------------------------------------------------------------------------ validators


def require(condition: bool, what: str) -> None:
    if not condition:
        raise BadAnswer(what)


def is_int(value: Any, low: int = 0) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= low


def page_items(body: dict[str, Any], key: str, after: int) -> list[dict[str, Any]]:
    """The items of one page of a cursor-paged answer (`{key: [...], "next_cursor": n,
    "more": bool}`, for a request for what came after cursor `after`): each an object whose
    own cursor is after `after` and not after `next_cursor`. The caller checks the rest."""
    items = body.get(key)
    require(isinstance(items, list), key)
    require(is_int(body.get("next_cursor")) and body["next_cursor"] >= after, "cursor")
    require(isinstance(body.get("more"), bool), "more")
    for item in items:
        require(isinstance(item, dict), "item")
        require(is_int(item.get("cursor"), after + 1), "cursor")
        require(item["cursor"] <= body["next_cursor"], "cursor order")
    return items


def is_hex64(value: Any) -> bool:
    return (
        isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value)
    )
