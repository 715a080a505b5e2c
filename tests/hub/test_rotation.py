"""Device key rotation at the hub (issue #13, item 1).

The attack: a user removed from a laptop kept a copy of its vault, with the device key. The
laptop rotates its key; from then on the hub refuses the old key, and a second rotation of
the same key (the copy rotating too) is refused and kept for the coordinator's alert.
"""

from __future__ import annotations

import base64
import copy
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519

from screening.canonical import canonical_json
from screening.envelope import Envelope, EnvelopeError, verify
from screening.org import keys
from screening.sync import protocol
from screening.sync.rotation import CONTEXT, Rotation, key_chain, key_for_seq, make_rotation
from tests.hub.helpers import Caller, Device, HubEnv, error_code


def _rotation(
    device: Device, new: ed25519.Ed25519PrivateKey, first_seq: int | None = None
) -> Rotation:
    return make_rotation(
        device.device_id, device.key, new, device.seq + 1 if first_seq is None else first_seq
    )


def _send(caller: Caller, body: Any) -> httpx.Response:
    return caller.call("POST", protocol.PATH_ROTATE_KEY, json=body)


def _rotate(device: Device, new: ed25519.Ed25519PrivateKey) -> tuple[httpx.Response, Rotation]:
    rotation = _rotation(device, new)
    return _send(device.caller, rotation.to_json()), rotation


def _listed(hub_env: HubEnv, device_id: str) -> dict[str, Any]:
    response = hub_env.coordinator.call("GET", protocol.PATH_DEVICES)
    assert response.status_code == 200
    (found,) = [d for d in response.json()["devices"] if d["device_id"] == device_id]
    return dict(found)


def _moved_to(hub_env: HubEnv, device: Device, new: ed25519.Ed25519PrivateKey) -> Device:
    return Device(
        caller=hub_env.caller(new), device_id=device.device_id, org=device.org,
        seq=device.seq, last_hash=device.last_hash,
    )  # fmt: skip


def test_after_a_rotation_only_the_new_key_is_accepted(hub_env: HubEnv) -> None:
    laptop = hub_env.enrol()
    for _ in range(2):
        laptop.push_next()
    new = ed25519.Ed25519PrivateKey.generate()
    response, rotation = _rotate(laptop, new)
    assert response.status_code == 201, response.text
    assert response.json()["key_id"] == keys.signing_key_id(new)
    assert response.json()["first_seq"] == 3

    # The removed user's copy still holds the old key: everything it tries is refused and
    # nothing is stored. Before the fix the hub accepted it and the real laptop forked.
    before = hub_env.counts()
    stale = laptop.seal_next()
    for attempt in (
        lambda: laptop.push(stale),
        lambda: laptop.caller.call("GET", protocol.PATH_DEVICE_SELF),
        lambda: laptop.caller.call("GET", protocol.PATH_FORMS),
    ):
        refused = attempt()
        assert (refused.status_code, error_code(refused)) == (401, "key_rotated")
    assert hub_env.counts() == before

    moved = _moved_to(hub_env, laptop, new)
    assert moved.head() == (2, laptop.last_hash)
    # An envelope signed by the old key is refused even over the new key's connection.
    refused = moved.push(stale)
    assert error_code(refused) == "bad_envelope_signature"
    moved.push_next()
    assert moved.head()[0] == 3

    listed = _listed(hub_env, laptop.device_id)
    assert listed["key_id"] == keys.signing_key_id(new)
    assert listed["retired_key_uses"] == 3 and listed["last_retired_key_use"] is not None
    assert listed["refused_rotations"] == []
    (entry,) = listed["rotations"]
    assert {k: v for k, v in entry.items() if k != "rotated_at"} == rotation.to_json()
    # The coordinator follows the keys from the enrolled one to the current one.
    enrolled, chain = key_chain(
        laptop.device_id, keys.b64decode(listed["public_key"]), listed["rotations"]
    )
    assert enrolled == keys.ed25519_public_raw(laptop.key)
    assert [seq for seq, _ in chain] == [1, 3]


def test_the_same_rotation_sent_again_gets_the_same_answer(hub_env: HubEnv) -> None:
    laptop = hub_env.enrol()
    laptop.push_next()
    new = ed25519.Ed25519PrivateKey.generate()
    first, rotation = _rotate(laptop, new)
    assert first.status_code == 201
    before = hub_env.counts()
    again = _send(laptop.caller, rotation.to_json())  # the answer was lost on the way
    assert again.status_code == 200
    assert again.json()["key_id"] == first.json()["key_id"]
    assert hub_env.counts() == before


def test_a_second_rotation_of_the_same_key_is_refused_and_kept(hub_env: HubEnv) -> None:
    laptop = hub_env.enrol()
    laptop.push_next()
    # The copy rotates first (a restore or a user removal on the copy): it wins the race.
    copy_key, real_key = ed25519.Ed25519PrivateKey.generate(), ed25519.Ed25519PrivateKey.generate()
    assert _rotate(laptop, copy_key)[0].status_code == 201
    refused, rotation = _rotate(laptop, real_key)
    assert (refused.status_code, error_code(refused)) == (409, "key_rotated_elsewhere")
    listed = _listed(hub_env, laptop.device_id)
    assert listed["key_id"] == keys.signing_key_id(copy_key)
    (kept,) = listed["refused_rotations"]
    assert kept["statement"] == rotation.statement
    # The real laptop's new key is not enrolled by that refusal.
    response = hub_env.caller(real_key).call("GET", protocol.PATH_DEVICE_SELF)
    assert error_code(response) == "unknown_key"


def _flip_b64(value: str) -> str:
    raw = bytearray(base64.b64decode(value))
    raw[0] ^= 1
    return base64.b64encode(bytes(raw)).decode("ascii")


def _resign(
    body: dict[str, Any], old: ed25519.Ed25519PrivateKey, new: ed25519.Ed25519PrivateKey
) -> None:
    message = CONTEXT + canonical_json(body["statement"])
    body["old_signature"] = keys.b64encode(old.sign(message))
    body["new_signature"] = keys.b64encode(new.sign(message))


Tamper = Callable[[dict[str, Any], Device, ed25519.Ed25519PrivateKey, dict[str, Any]], None]

TAMPERS: dict[str, tuple[Tamper, str]] = {
    "first_seq_changed_after_signing": (
        lambda b, d, n, x: b["statement"].update(first_seq=9), "bad_rotation"),
    "new_key_swapped_after_signing": (
        lambda b, d, n, x: b["statement"].update(new_public_key=x["stranger_pub"]), "bad_rotation"),
    "old_signature_flipped": (
        lambda b, d, n, x: b.update(old_signature=_flip_b64(b["old_signature"])), "bad_rotation"),
    "new_signature_flipped": (
        lambda b, d, n, x: b.update(new_signature=_flip_b64(b["new_signature"])), "bad_rotation"),
    "new_key_not_proven": (  # the new signature made by the old key
        lambda b, d, n, x: b.update(new_signature=b["old_signature"]), "bad_rotation"),
    "statement_for_another_device": (
        lambda b, d, n, x: (b["statement"].update(device_id=x["other_id"]), _resign(b, d.key, n)),
        "device_mismatch"),
    "old_key_of_another_device": (
        lambda b, d, n, x: (b["statement"].update(old_public_key=x["other_pub"]),
                            _resign(b, x["other_key"], n)),
        "bad_rotation"),
    "new_key_is_another_devices": (
        lambda b, d, n, x: (b["statement"].update(new_public_key=x["other_pub"]),
                            _resign(b, d.key, x["other_key"])),
        "key_already_enrolled"),
    "first_seq_in_the_past": (
        lambda b, d, n, x: (b["statement"].update(first_seq=1), _resign(b, d.key, n)),
        "sequence_fork"),
    "first_seq_too_far": (
        lambda b, d, n, x: (b["statement"].update(first_seq=5), _resign(b, d.key, n)),
        "sequence_gap"),
    "same_key": (
        lambda b, d, n, x: (b["statement"].update(new_public_key=b["statement"]["old_public_key"]),
                            _resign(b, d.key, d.key)),
        "bad_rotation"),
    "extra_field": (
        lambda b, d, n, x: (b["statement"].update(note="x"), _resign(b, d.key, n)), "bad_rotation"),
    "not_json": (lambda b, d, n, x: b.clear(), "bad_request"),
}  # fmt: skip


@pytest.mark.parametrize("kind", sorted(TAMPERS))
def test_tampered_rotations_are_refused_and_change_nothing(hub_env: HubEnv, kind: str) -> None:
    laptop, other = hub_env.enrol(), hub_env.enrol()
    laptop.push_next()
    new = ed25519.Ed25519PrivateKey.generate()
    body = copy.deepcopy(_rotation(laptop, new).to_json())
    extra = {
        "other_id": other.device_id,
        "other_key": other.key,
        "other_pub": keys.b64encode(keys.ed25519_public_raw(other.key)),
        "stranger_pub": keys.b64encode(
            keys.ed25519_public_raw(ed25519.Ed25519PrivateKey.generate())
        ),
    }
    tamper, code = TAMPERS[kind]
    tamper(body, laptop, new, extra)
    before = hub_env.counts()
    response = _send(laptop.caller, body)
    assert error_code(response) == code
    assert hub_env.counts() == before
    assert laptop.head() == (1, laptop.last_hash)  # the old key still works: nothing rotated
    assert _listed(hub_env, laptop.device_id)["rotations"] == []


def test_the_rotation_request_itself_is_signed(hub_env: HubEnv) -> None:
    laptop = hub_env.enrol()
    new = ed25519.Ed25519PrivateKey.generate()
    body = _rotation(laptop, new).to_json()
    before = hub_env.counts()
    # Signed by the new key (not yet enrolled), by the organisation, by a revoked device.
    assert error_code(_send(hub_env.caller(new), body)) == "unknown_key"
    assert error_code(_send(hub_env.coordinator, body)) == "forbidden"
    request = laptop.caller.sign(laptop.caller.build("POST", protocol.PATH_ROTATE_KEY, json=body))
    request.headers[protocol.HEADER_NONCE] = "0" * 32  # changed after signing
    assert error_code(laptop.caller.send(request)) == "bad_signature"
    signed = laptop.caller.sign(laptop.caller.build("POST", protocol.PATH_ROTATE_KEY, json=body))
    replay = laptop.caller.build("POST", protocol.PATH_ROTATE_KEY, json=body)
    replay.headers.update(
        {k: v for k, v in signed.headers.items() if k.lower().startswith("x-sd-")}
    )
    assert laptop.caller.send(signed).status_code == 201
    assert error_code(laptop.caller.send(replay)) == "replayed_request"
    assert hub_env.counts()["key_rotations"] == before["key_rotations"] + 1


def test_a_revoked_device_cannot_rotate(hub_env: HubEnv) -> None:
    laptop = hub_env.enrol()
    revoked = hub_env.coordinator.call(
        "POST", protocol.PATH_REVOKE.format(device_id=laptop.device_id), json={}
    )
    assert revoked.status_code == 200
    response, _ = _rotate(laptop, ed25519.Ed25519PrivateKey.generate())
    assert error_code(response) == "device_revoked"


def test_envelopes_before_the_rotation_verify_with_the_old_key(hub_env: HubEnv) -> None:
    # What the coordinator relies on: the hub's listing names the key for every envelope.
    laptop = hub_env.enrol()
    laptop.push_next()
    new = ed25519.Ed25519PrivateKey.generate()
    assert _rotate(laptop, new)[0].status_code == 201
    moved = _moved_to(hub_env, laptop, new)
    moved.push_next()
    listed = _listed(hub_env, laptop.device_id)
    _, chain = key_chain(
        laptop.device_id, keys.b64decode(listed["public_key"]), listed["rotations"]
    )
    stored = hub_env.stored()
    assert [row.seq for row in stored] == [1, 2]
    for row in stored:
        env = Envelope.from_bytes(row.body)
        verify(env, key_for_seq(chain, env.header.seq))
    with pytest.raises(EnvelopeError):
        verify(Envelope.from_bytes(stored[0].body), new.public_key())
