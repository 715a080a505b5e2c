"""Enrolment codes and device enrolment: only the organisation makes codes; each works once."""

from __future__ import annotations

import base64

from cryptography.hazmat.primitives.asymmetric import ed25519

from screening.sync import protocol
from tests.hub.helpers import HubEnv, error_code


def test_enrol_returns_a_device_id_and_the_coordinator_can_check_the_key(hub_env: HubEnv) -> None:
    code = hub_env.new_code()
    device = hub_env.enrol(code)
    listed = hub_env.coordinator.call("GET", "/v1/devices").json()["devices"]
    assert [d["device_id"] for d in listed] == [device.device_id]
    entry = listed[0]
    raw = base64.b64decode(entry["public_key"])
    assert raw == device.key.public_key().public_bytes_raw()
    assert entry["code_hash"] == protocol.enrol_code_hash(code)
    # The hub never saw the code, only hashes: the attestation proves the key came from
    # whoever held the code, which is what the coordinator checks.
    assert protocol.verify_device_attestation(code, raw, entry["attestation"])
    wrong_code = protocol.new_enrol_code()
    assert not protocol.verify_device_attestation(wrong_code, raw, entry["attestation"])
    me = device.caller.call("GET", "/v1/devices/self").json()
    assert me["device_id"] == device.device_id and me["last_seq"] == 0


def test_enrolment_code_is_one_time(hub_env: HubEnv) -> None:
    code = hub_env.new_code()
    hub_env.enrol(code)
    before = hub_env.counts()
    response = hub_env.enrol_request(hub_env.caller(), code)
    assert response.status_code == 403
    assert error_code(response) == "enrol_code_used"
    assert hub_env.counts() == before


def test_lost_enrolment_answer_can_be_fetched_again_by_the_same_key(hub_env: HubEnv) -> None:
    code = hub_env.new_code()
    caller = hub_env.caller()
    first = hub_env.enrol_request(caller, code)
    again = hub_env.enrol_request(caller, code)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert hub_env.counts()["devices"] == 1


def test_expired_and_unknown_codes_are_refused(hub_env: HubEnv) -> None:
    code = hub_env.new_code(ttl=120)
    hub_env.clock.advance(121)
    response = hub_env.enrol_request(hub_env.caller(), code)
    assert (response.status_code, error_code(response)) == (403, "enrol_code_expired")
    response = hub_env.enrol_request(hub_env.caller(), protocol.new_enrol_code())
    assert (response.status_code, error_code(response)) == (403, "enrol_code_unknown")
    assert hub_env.counts()["devices"] == 0


def test_only_the_organisation_key_creates_codes(hub_env: HubEnv) -> None:
    device = hub_env.enrol()
    body = {"code_hash": "a" * 64, "expires_at": int(hub_env.clock()) + 600}
    response = device.caller.call("POST", "/v1/enrol-codes", json=body)
    assert (response.status_code, error_code(response)) == (403, "forbidden")
    stranger = hub_env.caller()  # a key the hub has never seen
    response = stranger.call("POST", "/v1/enrol-codes", json=body)
    assert (response.status_code, error_code(response)) == (401, "unknown_key")
    assert hub_env.counts()["enrol_codes"] == 1  # the one code used by the device


def test_forged_organisation_signature_on_code_creation_is_refused(hub_env: HubEnv) -> None:
    forger = hub_env.caller()
    body = {"code_hash": "b" * 64, "expires_at": int(hub_env.clock()) + 600}
    request = forger.sign(forger.build("POST", "/v1/enrol-codes", json=body))
    # Claim to be the organisation, keep the forger's signature.
    request.headers[protocol.HEADER_KEY] = hub_env.org.signing_key_id
    response = forger.send(request)
    assert (response.status_code, error_code(response)) == (401, "bad_signature")
    assert hub_env.counts()["enrol_codes"] == 0


def test_code_lifetime_is_bounded(hub_env: HubEnv) -> None:
    for expires in (int(hub_env.clock()) - 1, int(hub_env.clock()) + 31 * 24 * 3600):
        response = hub_env.coordinator.call(
            "POST", "/v1/enrol-codes", json={"code_hash": "c" * 64, "expires_at": expires}
        )
        assert (response.status_code, error_code(response)) == (400, "bad_request")


def test_registering_a_code_twice_is_idempotent_but_not_overwritable(hub_env: HubEnv) -> None:
    body = {"code_hash": "d" * 64, "expires_at": int(hub_env.clock()) + 600}
    first = hub_env.coordinator.call("POST", "/v1/enrol-codes", json=body)
    again = hub_env.coordinator.call("POST", "/v1/enrol-codes", json=body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    changed = hub_env.coordinator.call(
        "POST", "/v1/enrol-codes", json={**body, "expires_at": body["expires_at"] + 60}
    )
    assert (changed.status_code, error_code(changed)) == (409, "enrol_code_exists")


def test_enrolment_must_be_signed_by_the_enrolled_key(hub_env: HubEnv) -> None:
    code = hub_env.new_code()
    signer = hub_env.caller()
    other = ed25519.Ed25519PrivateKey.generate().public_key().public_bytes_raw()
    response = signer.call(
        "POST",
        "/v1/devices",
        json={
            "code_proof": protocol.enrol_code_proof(code),
            "public_key": base64.b64encode(other).decode(),
            "attestation": protocol.device_attestation(code, other),
        },
    )
    assert (response.status_code, error_code(response)) == (401, "bad_signature")
    # The code was not spent by the failed attempt.
    assert hub_env.enrol_request(hub_env.caller(), code).status_code == 201


def test_a_key_enrols_once(hub_env: HubEnv) -> None:
    device = hub_env.enrol()
    response = hub_env.enrol_request(device.caller, hub_env.new_code())
    assert (response.status_code, error_code(response)) == (409, "key_already_enrolled")
    assert hub_env.counts()["devices"] == 1


def test_the_organisation_key_cannot_enrol_as_a_device(hub_env: HubEnv) -> None:
    response = hub_env.enrol_request(hub_env.coordinator, hub_env.new_code())
    assert (response.status_code, error_code(response)) == (403, "forbidden")
