"""Request signing at the hub: replays, stale clocks and tampered requests are refused."""

from __future__ import annotations

import sqlite3
import ssl

import httpx
import pytest

from hub.devcert import make_dev_cert
from screening.sync import protocol
from tests.hub.helpers import HubEnv, error_code


def _codes_body(hub_env: HubEnv, fill: str = "a") -> dict[str, object]:
    return {"code_hash": fill * 64, "expires_at": int(hub_env.clock()) + 600}


def test_replayed_request_is_refused(hub_env: HubEnv) -> None:
    coordinator = hub_env.coordinator
    # One body for both sends: a second tick between two expiry computations would change the
    # signed bytes and turn the replay into a bad-signature refusal.
    body = _codes_body(hub_env)
    request = coordinator.sign(coordinator.build("POST", "/v1/enrol-codes", json=body))
    assert coordinator.send(request).status_code == 201
    replay = coordinator.build("POST", "/v1/enrol-codes", json=body)
    replay.headers.update(_auth(request))
    response = coordinator.send(replay)
    assert (response.status_code, error_code(response)) == (401, "replayed_request")


def test_replayed_push_is_refused_even_though_a_fresh_repush_is_acked(hub_env: HubEnv) -> None:
    device = hub_env.enrol()
    env = device.seal_next()
    caller = device.caller
    request = caller.sign(caller.build("POST", "/v1/envelopes", content=env.to_bytes()))
    headers = dict(request.headers)
    assert device.caller.send(request).status_code == 201
    copy = device.caller.build("POST", "/v1/envelopes", content=env.to_bytes(), headers=headers)
    response = device.caller.send(copy)
    assert (response.status_code, error_code(response)) == (401, "replayed_request")
    assert device.push(env).status_code == 200


def test_a_refused_request_cannot_be_replayed_later(hub_env: HubEnv) -> None:
    device = hub_env.enrol()
    early = device.seal_next(seq=2, prev_hash="1" * 64)
    caller = device.caller
    request = caller.sign(caller.build("POST", "/v1/envelopes", content=early.to_bytes()))
    headers = dict(request.headers)
    assert error_code(device.caller.send(request)) == "sequence_gap"
    copy = device.caller.build("POST", "/v1/envelopes", content=early.to_bytes(), headers=headers)
    assert error_code(device.caller.send(copy)) == "replayed_request"


@pytest.mark.parametrize("skew", [-302, 302, -3600])
def test_timestamps_more_than_five_minutes_off_are_refused(hub_env: HubEnv, skew: int) -> None:
    now = int(hub_env.clock())
    response = hub_env.coordinator.call(
        "POST", "/v1/enrol-codes", json=_codes_body(hub_env), timestamp=now + skew
    )
    assert (response.status_code, error_code(response)) == (401, "stale_timestamp")
    server_time = response.json()["error"]["details"]["server_time"]
    assert abs(server_time - now) <= 2
    assert hub_env.counts()["enrol_codes"] == 0


def test_timestamps_within_five_minutes_are_accepted(hub_env: HubEnv) -> None:
    now = int(hub_env.clock())
    for skew, fill in ((-290, "a"), (290, "b")):
        response = hub_env.coordinator.call(
            "POST", "/v1/enrol-codes", json=_codes_body(hub_env, fill), timestamp=now + skew
        )
        assert response.status_code == 201, response.text


def test_clock_offset_from_the_error_fixes_a_wrong_laptop_clock(hub_env: HubEnv) -> None:
    device = hub_env.enrol()
    signer = protocol.RequestSigner(device.key, clock=lambda: hub_env.clock() - 7200)
    with httpx.Client(
        base_url=hub_env.url, verify=protocol.pinned_ssl_context(hub_env.ca_pem), auth=signer
    ) as http:
        response = http.get("/v1/devices/self")
        assert error_code(response) == "stale_timestamp"
        signer.clock_offset = response.json()["error"]["details"]["server_time"] - (
            hub_env.clock() - 7200
        )
        assert http.get("/v1/devices/self").status_code == 200


@pytest.mark.parametrize("part", ["method", "path", "query", "body", "key"])
def test_any_change_to_a_signed_request_breaks_the_signature(hub_env: HubEnv, part: str) -> None:
    coordinator = hub_env.coordinator
    original = coordinator.sign(coordinator.build("GET", "/v1/envelopes?after=0&limit=5"))
    if part == "method":
        changed = coordinator.build("POST", "/v1/envelopes/ack", json={"envelope_ids": []})
        changed.headers.update(_auth(original))
        changed.url = original.url.copy_with(path="/v1/envelopes")
    elif part == "path":
        changed = coordinator.build("GET", "/v1/devices")
        changed.headers.update(_auth(original))
    elif part == "query":
        changed = coordinator.build("GET", "/v1/envelopes?after=1&limit=5")
        changed.headers.update(_auth(original))
    elif part == "body":
        signed = coordinator.sign(
            coordinator.build("POST", "/v1/enrol-codes", json=_codes_body(hub_env))
        )
        changed = coordinator.build("POST", "/v1/enrol-codes", json=_codes_body(hub_env, "b"))
        changed.headers.update(_auth(signed))
    else:
        device = hub_env.enrol()
        changed = coordinator.build("GET", "/v1/envelopes?after=0&limit=5")
        changed.headers.update({**_auth(original), protocol.HEADER_KEY: device.caller.key_id})
    response = coordinator.send(changed)
    assert response.status_code == 401, response.text
    assert error_code(response) in ("bad_signature",)
    assert hub_env.counts()["enrol_codes"] == (1 if part == "key" else 0)


def _auth(request: httpx.Request) -> dict[str, str]:
    names = (
        protocol.HEADER_KEY,
        protocol.HEADER_TIMESTAMP,
        protocol.HEADER_NONCE,
        protocol.HEADER_SIGNATURE,
    )
    return {name: request.headers[name] for name in names}


def test_unsigned_and_badly_formed_auth_headers_are_refused(hub_env: HubEnv) -> None:
    http = hub_env.coordinator.http
    response = http.get("/v1/envelopes")
    assert (response.status_code, error_code(response)) == (401, "missing_auth")
    good = _auth(hub_env.coordinator.sign(hub_env.coordinator.build("GET", "/v1/envelopes")))
    for name, value in (
        (protocol.HEADER_KEY, "XYZ"),
        (protocol.HEADER_TIMESTAMP, "-5"),
        (protocol.HEADER_NONCE, "short"),
        (protocol.HEADER_SIGNATURE, "not base64!"),
        (protocol.HEADER_SIGNATURE, "AAAA"),
    ):
        response = http.get("/v1/envelopes", headers={**good, name: value})
        assert (response.status_code, error_code(response)) == (401, "missing_auth"), name


def test_health_needs_no_signature_and_says_little(hub_env: HubEnv) -> None:
    response = hub_env.coordinator.http.get("/v1/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "protocol": 1}


def test_unknown_addresses_and_methods_answer_json_errors(hub_env: HubEnv) -> None:
    http = hub_env.coordinator.http
    response = http.get("/v1/nothing-here")
    assert (response.status_code, error_code(response)) == (404, "not_found")
    response = http.delete("/v1/envelopes")
    assert (response.status_code, error_code(response)) == (405, "method_not_allowed")


def test_bodies_over_the_limit_are_refused(hub_env: HubEnv) -> None:
    big = {"code_hash": "a" * 64, "expires_at": 1, "padding": "x" * 100_000}
    response = hub_env.coordinator.call("POST", "/v1/enrol-codes", json=big)
    assert (response.status_code, error_code(response)) == (413, "body_too_large")
    assert hub_env.counts()["enrol_codes"] == 0


def test_an_unpinned_certificate_is_not_trusted(hub_env: HubEnv) -> None:
    # The laptop trusts only the CA in the organisation file, not the system store.
    with pytest.raises(httpx.ConnectError):
        httpx.get(hub_env.url + "/v1/health", verify=ssl.create_default_context())
    other_ca = protocol.pinned_ssl_context(make_dev_cert().ca_pem)
    with pytest.raises(httpx.ConnectError):
        httpx.get(hub_env.url + "/v1/health", verify=other_ca)


def test_chunked_bodies_are_counted_as_they_arrive(hub_env: HubEnv) -> None:
    chunks = (b"x" * 16_384 for _ in range(8))  # 128 KiB with no Content-Length
    response = hub_env.coordinator.http.post("/v1/enrol-codes", content=chunks)
    assert (response.status_code, error_code(response)) == (413, "body_too_large")


class _DeadDatabase:
    backend = "sqlite"

    def read(self) -> None:
        raise sqlite3.OperationalError("unable to open database file")

    def run_write(self, fn: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    async def run_write_async(self, fn: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")


def test_a_dead_database_is_reported_plainly(hub_env: HubEnv) -> None:
    device = hub_env.enrol()  # enrolled while the database worked; its key is cached
    store, hub_env.hub.store = hub_env.hub.store, _DeadDatabase()  # type: ignore[assignment]
    try:
        health = hub_env.coordinator.http.get("/v1/health")
        assert health.status_code == 503 and error_code_of(health) == "unavailable"
        response = device.push(device.seal_next())
        assert (response.status_code, error_code(response)) == (503, "unavailable")
    finally:
        hub_env.hub.store = store
    assert hub_env.counts()["envelopes"] == 0
    assert device.push(device.seal_next()).status_code == 201


def error_code_of(response: httpx.Response) -> str:
    return str(response.json()["error"]["code"])


def test_unexpected_failures_answer_internal_error_without_details(hub_env: HubEnv) -> None:
    device = hub_env.enrol()
    secret = "MARKER-secret-in-exception"

    async def explode(fn: object) -> None:
        raise ValueError(secret)

    original = hub_env.hub.store.run_write_async
    hub_env.hub.store.run_write_async = explode  # type: ignore[method-assign]
    try:
        response = device.push(device.seal_next())
    finally:
        hub_env.hub.store.run_write_async = original  # type: ignore[method-assign]
    assert (response.status_code, error_code(response)) == (500, "internal_error")
    assert secret not in response.text
    log = hub_env.log_text()
    assert "internal error: ValueError" in log and secret not in log


def test_hub_client_signs_pins_and_maps_errors(hub_env: HubEnv) -> None:
    device = hub_env.enrol()
    with protocol.hub_client(hub_env.url, hub_env.ca_pem, device.key) as http:
        me = protocol.response_json(http.get(protocol.PATH_DEVICE_SELF))
        assert me["device_id"] == device.device_id
        with pytest.raises(protocol.ProtocolError) as err:
            protocol.response_json(http.get(protocol.PATH_DEVICES))
        assert (err.value.code, err.value.status, err.value.retryable) == ("forbidden", 403, False)
        path = protocol.PATH_REVOKE.format(device_id=device.device_id)
        with pytest.raises(protocol.ProtocolError) as err:
            protocol.response_json(http.post(path, json={}))
        assert err.value.code == "forbidden"
