"""HubSession: what is retried, what is not, and how a failure reads."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519

from screening.sync import protocol
from screening.sync.errors import HubUnreachable
from screening.sync.protocol import ProtocolError
from screening.sync.transport import BadAnswer, HubSession, RetryPolicy

POLICY = RetryPolicy(attempts=3, base_delay=0.0, max_delay=0.0)
URL = "https://hub.example.org"


def _session(answers: Iterator[Callable[[httpx.Request], httpx.Response]]) -> HubSession:
    def handler(request: httpx.Request) -> httpx.Response:
        return next(answers)(request)

    return HubSession(
        URL,
        None,
        ed25519.Ed25519PrivateKey.generate(),
        policy=POLICY,
        transport=httpx.MockTransport(handler),
        sleep=lambda _: None,
    )


def _error(code: str, **details: object) -> Callable[[httpx.Request], httpx.Response]:
    status = protocol.ERRORS[code][0]
    body = {"error": {"code": code, "message": "m", "details": details}}
    return lambda request: httpx.Response(status, json=body)


def _ok(body: dict[str, object]) -> Callable[[httpx.Request], httpx.Response]:
    return lambda request: httpx.Response(200, json=body)


def _broken(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("connection refused", request=request)


def test_transient_failures_are_retried_with_a_new_signed_request() -> None:
    nonces: list[str] = []

    def remember(request: httpx.Request) -> httpx.Response:
        nonces.append(request.headers[protocol.HEADER_NONCE])
        return httpx.Response(200, json={"ok": True})

    answers = iter([_broken, _error("unavailable"), remember])
    with _session(answers) as session:
        assert session.call("GET", "/v1/devices/self") == (200, {"ok": True})
        assert session.requests == 3
    assert len(nonces) == 1 and len(nonces[0]) == 32


def test_an_answer_that_does_not_fit_is_not_believed() -> None:
    def valid(body: dict[str, object]) -> None:
        if body.get("seq") != 2:
            raise BadAnswer("another envelope")

    answers = iter(
        [
            _ok({"seq": 1}),
            lambda r: httpx.Response(200, content=b"<html>"),
            _ok({"seq": 2}),
        ]
    )
    with _session(answers) as session:
        assert session.call("POST", "/v1/envelopes", content=b"x", validate=valid)[1] == {"seq": 2}


def test_refusals_that_retrying_cannot_fix_stop_at_once() -> None:
    with _session(iter([_error("device_revoked")])) as session, pytest.raises(ProtocolError) as e:
        session.call("GET", "/v1/devices/self")
    assert e.value.code == "device_revoked"
    assert "revoked this laptop" in e.value.message
    assert session.requests == 1


def test_a_dead_network_is_one_sentence_after_every_attempt() -> None:
    with _session(iter([_broken] * 3)) as session, pytest.raises(HubUnreachable) as e:
        session.call("GET", "/v1/devices/self")
    assert e.value.message == (
        f"The hub at {URL} could not be reached (the connection was refused or the network "
        "is down); nothing was lost, try again later."
    )
    assert e.value.retryable and e.value.exit_code == 3


def test_a_clock_that_is_off_adopts_the_hubs_time_once() -> None:
    hub_time = int(time.time()) + 3600
    seen: list[int] = []

    def check(request: httpx.Request) -> httpx.Response:
        seen.append(int(request.headers[protocol.HEADER_TIMESTAMP]))
        return httpx.Response(200, json={"ok": True})

    answers = iter([_error("stale_timestamp", server_time=hub_time), check])
    with _session(answers) as session:
        session.call("GET", "/v1/devices/self")
    assert abs(seen[0] - hub_time) <= 2
    stale_forever = iter([_error("stale_timestamp", server_time=hub_time)] * 5)
    with _session(stale_forever) as session, pytest.raises(ProtocolError) as e:
        session.call("GET", "/v1/devices/self")
    assert "clock is more than 5 minutes off" in e.value.message
    assert session.requests == 2


def test_a_page_of_a_cursor_paged_answer_is_checked_in_one_place() -> None:
    from screening.sync.transport import page_items

    good = {"forms": [{"cursor": 6}, {"cursor": 8}], "next_cursor": 8, "more": False}
    assert page_items(good, "forms", 5) == good["forms"]
    assert page_items({"forms": [], "next_cursor": 5, "more": False}, "forms", 5) == []
    bad = [
        ({"envelopes": [], "next_cursor": 8, "more": False}, "forms"),  # another key
        ({"forms": [], "next_cursor": 4, "more": False}, "cursor"),  # back before `after`
        ({"forms": [], "next_cursor": True, "more": False}, "cursor"),
        ({"forms": [], "next_cursor": 8, "more": "no"}, "more"),
        ({"forms": ["x"], "next_cursor": 8, "more": False}, "item"),
        ({"forms": [{"cursor": 5}], "next_cursor": 8, "more": False}, "cursor"),  # not after
        ({"forms": [{"cursor": 9}], "next_cursor": 8, "more": False}, "cursor order"),
    ]
    for body, what in bad:
        with pytest.raises(BadAnswer) as caught:
            page_items(body, "forms", 5)
        assert str(caught.value) == what, body
