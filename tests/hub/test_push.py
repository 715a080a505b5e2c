"""Envelope push: idempotent, chained per device, and every forgery refused with nothing stored."""

from __future__ import annotations

import threading

import pytest

from screening.envelope import GENESIS_HASH, Envelope, seal
from screening.envelope.wire import MAGIC
from screening.sync.protocol import ProtocolError
from tests.hub.helpers import HubEnv, error_code, stranger_envelope


def test_push_is_acknowledged_and_a_repush_gets_the_same_ack(hub_env: HubEnv) -> None:
    device = hub_env.enrol()
    env = device.seal_next()
    first = device.push(env)
    again = device.push(env)  # a crash between send and ack: the laptop sends again
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    ack = first.json()
    assert ack["envelope_id"] == env.envelope_id and ack["seq"] == 1
    assert ack["hash"] == env.hash()
    assert hub_env.counts()["envelopes"] == 1


def test_chain_of_pushes_advances_the_device_head(hub_env: HubEnv) -> None:
    device = hub_env.enrol()
    for _ in range(5):
        device.push_next()
    me = device.caller.call("GET", "/v1/devices/self").json()
    assert (me["last_seq"], me["last_hash"]) == (5, device.last_hash)
    # An old envelope pushed again (it was acked before but the laptop lost the ack).
    response = device.push(device.sent[1])
    assert response.status_code == 200 and response.json()["seq"] == 2


def _refused(hub_env: HubEnv, response, status: int, code: str, before: dict) -> None:  # type: ignore[no-untyped-def]
    assert (response.status_code, error_code(response)) == (status, code), response.text
    assert hub_env.counts() == before


def test_sequence_gap_is_refused_and_says_what_is_expected(hub_env: HubEnv) -> None:
    device = hub_env.enrol()
    device.push_next()
    skipped = device.seal_next(seq=3)
    before = hub_env.counts()
    response = device.push(skipped)
    _refused(hub_env, response, 409, "sequence_gap", before)
    details = response.json()["error"]["details"]
    assert details == {"expected_seq": 2, "last_seq": 1, "last_hash": device.last_hash}


def test_fork_with_a_reused_sequence_number_is_refused(hub_env: HubEnv) -> None:
    device = hub_env.enrol()
    device.push_next()
    device.push_next()
    rival = device.seal_next(seq=2, prev_hash=device.sent[0].hash())
    before = hub_env.counts()
    _refused(hub_env, device.push(rival), 409, "sequence_fork", before)


def test_fork_with_a_wrong_previous_hash_is_refused(hub_env: HubEnv) -> None:
    device = hub_env.enrol()
    device.push_next()
    forked = device.seal_next(prev_hash="1" * 64)
    before = hub_env.counts()
    _refused(hub_env, device.push(forked), 409, "chain_mismatch", before)
    # The first envelope of a device must point at nothing; anything else is a fork too.
    fresh = hub_env.enrol()
    bad_start = fresh.seal_next(seq=2, prev_hash=device.last_hash)
    before = hub_env.counts()
    _refused(hub_env, fresh.push(bad_start), 409, "sequence_gap", before)


def test_same_envelope_id_with_other_bytes_is_a_conflict(hub_env: HubEnv) -> None:
    device = hub_env.enrol()
    env = device.seal_next()
    device.push(env)
    device.accept(env)
    twin = device.seal_next(envelope_id=env.envelope_id, seq=1, prev_hash=GENESIS_HASH)
    before = hub_env.counts()
    _refused(hub_env, device.push(twin), 409, "envelope_conflict", before)


def _flip(data: bytes, index: int) -> bytes:
    return data[:index] + bytes([data[index] ^ 0x01]) + data[index + 1 :]


@pytest.mark.parametrize("region", ["header", "ciphertext", "signature"])
def test_flipped_bytes_are_refused(hub_env: HubEnv, region: str) -> None:
    device = hub_env.enrol()
    env = device.seal_next()
    data = env.to_bytes()
    header_start = len(MAGIC) + 1 + 4
    header_end = header_start + len(env.header_bytes)
    cipher_start = header_end + 4
    span = {
        "header": range(header_start, header_end),
        "ciphertext": range(cipher_start, cipher_start + len(env.ciphertext)),
        "signature": range(len(data) - 64, len(data)),
    }[region]
    before = hub_env.counts()
    positions = sorted({*list(span)[:: max(1, len(span) // 12)], span[-1]})
    for index in positions:
        response = device.push(_flip(data, index))
        assert response.status_code in (400, 403, 422), (index, response.text)
        # A flip that keeps the header valid JSON is caught by the device signature.
        assert error_code(response) in (
            "malformed_envelope",
            "unsupported_envelope_version",
            "bad_envelope_signature",
            "wrong_org_key",
            "device_mismatch",
        )
    assert hub_env.counts() == before
    # One flip per region that parses cleanly, to pin the exact code.
    clean = {
        # The year's last digit flips (2026 becomes 2027): still a valid header, no longer
        # the signed one.
        "header": header_start
        + env.header_bytes.index(b'"created_at":"')
        + len('"created_at":"')
        + 3,
        "ciphertext": cipher_start + 100,
        "signature": len(data) - 1,
    }[region]
    _refused(hub_env, device.push(_flip(data, clean)), 422, "bad_envelope_signature", before)
    assert device.push(data).status_code == 201  # the original still goes through


def test_garbage_is_a_malformed_envelope(hub_env: HubEnv) -> None:
    device = hub_env.enrol()
    before = hub_env.counts()
    for body in (b"", b"not an envelope", MAGIC + b"\x02" + b"\xff" * 8, MAGIC + b"\x03"):
        response = device.push(body)
        assert response.status_code == 400
        assert error_code(response) in ("malformed_envelope", "unsupported_envelope_version")
    assert hub_env.counts() == before


def test_envelope_sealed_to_another_organisation_is_refused(hub_env: HubEnv, other_org) -> None:  # type: ignore[no-untyped-def]
    device = hub_env.enrol()
    fields = {
        "device_id": device.device_id,
        "seq": 1,
        "prev_hash": GENESIS_HASH,
    }
    foreign = seal({"answers": []}, fields, other_org.public, device.key)
    before = hub_env.counts()
    _refused(hub_env, device.push(foreign), 422, "wrong_org_key", before)


def test_envelope_naming_another_device_is_refused(hub_env: HubEnv) -> None:
    alice, bob = hub_env.enrol(), hub_env.enrol()
    impostor = alice.seal_next(device_id=bob.device_id)
    before = hub_env.counts()
    _refused(hub_env, alice.push(impostor), 403, "device_mismatch", before)


def test_envelope_signed_by_another_key_is_refused(hub_env: HubEnv) -> None:
    alice, mallory = hub_env.enrol(), hub_env.enrol()
    # Mallory seals in Alice's name with Mallory's key and sends it over Alice's connection:
    # the request signature is Alice's, the envelope signature is not.
    forged = seal(
        {"answers": []},
        {
            "device_id": alice.device_id,
            "seq": 1,
            "prev_hash": GENESIS_HASH,
        },
        hub_env.org.public,
        mallory.key,
    )
    before = hub_env.counts()
    _refused(hub_env, alice.push(forged), 422, "bad_envelope_signature", before)


def test_unenrolled_device_is_refused(hub_env: HubEnv) -> None:
    stranger = hub_env.caller()
    env = stranger_envelope(hub_env, stranger)
    before = hub_env.counts()
    response = stranger.call("POST", "/v1/envelopes", content=env.to_bytes())
    _refused(hub_env, response, 401, "unknown_key", before)


def test_revoked_device_is_refused(hub_env: HubEnv) -> None:
    device = hub_env.enrol()
    device.push_next()
    revoked = hub_env.coordinator.call("POST", f"/v1/devices/{device.device_id}/revoke", json={})
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    before = hub_env.counts()
    _refused(hub_env, device.push(device.seal_next()), 403, "device_revoked", before)
    response = device.caller.call("GET", "/v1/forms")
    assert error_code(response) == "device_revoked"
    # Revoking again changes nothing and answers the same.
    again = hub_env.coordinator.call("POST", f"/v1/devices/{device.device_id}/revoke", json={})
    assert again.json() == revoked.json()


def test_revocation_needs_the_organisation_signature(hub_env: HubEnv) -> None:
    victim, other = hub_env.enrol(), hub_env.enrol()
    path = f"/v1/devices/{victim.device_id}/revoke"
    response = other.caller.call("POST", path, json={})
    assert (response.status_code, error_code(response)) == (403, "forbidden")
    forger = hub_env.caller()
    request = forger.sign(forger.build("POST", path, json={}))
    request.headers["X-SD-Key"] = hub_env.org.signing_key_id
    response = forger.send(request)
    assert (response.status_code, error_code(response)) == (401, "bad_signature")
    assert victim.push_next().status_code == 201  # still enrolled
    unknown = hub_env.coordinator.call("POST", "/v1/devices/no-such-device/revoke", json={})
    assert (unknown.status_code, error_code(unknown)) == (404, "unknown_device")


def test_concurrent_pushes_keep_chains_and_cursor_order(hub_env: HubEnv) -> None:
    devices = [hub_env.enrol() for _ in range(4)]
    envelopes: dict[str, list[Envelope]] = {}
    for device in devices:
        chain = []
        for _ in range(10):
            env = device.seal_next()
            device.accept(env)
            chain.append(env)
        envelopes[device.device_id] = chain
    errors: list[str] = []

    def run(device) -> None:  # type: ignore[no-untyped-def]
        for env in envelopes[device.device_id]:
            response = device.push(env)
            if response.status_code != 201:
                errors.append(response.text)

    threads = [threading.Thread(target=run, args=(d,)) for d in devices]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    pulled = hub_env.coordinator.call("GET", "/v1/envelopes", params={"limit": 500}).json()
    cursors = [e["cursor"] for e in pulled["envelopes"]]
    assert cursors == list(range(1, 41))
    for device in devices:
        seqs = [e["seq"] for e in pulled["envelopes"] if e["device_id"] == device.device_id]
        assert seqs == list(range(1, 11))


def test_the_hub_rules_work_without_http(hub_env: HubEnv) -> None:
    """`Hub.handle` is the blocking twin of what the app awaits: same rules, same answers."""
    from hub.app import build_routes
    from hub.service import HubRequest
    from screening.sync import protocol

    device = hub_env.enrol()
    push = next(r for r in build_routes() if r.name == "push")
    env = device.seal_next()
    body = env.to_bytes()

    def request() -> HubRequest:
        headers = protocol.sign_request(
            "POST", push.path, body, device.key, timestamp=int(hub_env.clock())
        )
        return HubRequest("POST", push.path, headers, body)

    status, ack = hub_env.hub.handle(push, request())
    assert status == 201 and ack["envelope_id"] == env.envelope_id
    assert hub_env.hub.handle(push, request()) == (200, ack)
    replay = request()
    hub_env.hub.handle(push, replay)
    with pytest.raises(ProtocolError) as err:
        hub_env.hub.handle(push, replay)
    assert err.value.code == "replayed_request"
