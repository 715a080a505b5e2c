"""Rotation statements and key chains: what lets a coordinator follow a device's keys without
trusting the hub (screening/sync/rotation.py)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519

from screening.canonical import canonical_json
from screening.org import keys
from screening.sync.rotation import (
    CONTEXT,
    RotationError,
    key_chain,
    key_for_seq,
    make_rotation,
    parse_rotation,
)

DEVICE = "0b6c2d1e-1111-4222-8333-444455556666"


def _key() -> ed25519.Ed25519PrivateKey:
    return ed25519.Ed25519PrivateKey.generate()


def _raw(key: ed25519.Ed25519PrivateKey) -> bytes:
    return keys.ed25519_public_raw(key)


def _history(
    count: int, first_seqs: list[int] | None = None
) -> tuple[list[ed25519.Ed25519PrivateKey], list[dict[str, Any]]]:
    ks = [_key() for _ in range(count + 1)]
    seqs = first_seqs or [3 * (i + 1) for i in range(count)]
    listed = [
        {**make_rotation(DEVICE, ks[i], ks[i + 1], seqs[i]).to_json(), "rotated_at": "x"}
        for i in range(count)
    ]
    return ks, listed


def test_a_statement_is_deterministic_and_round_trips() -> None:
    old, new = _key(), _key()
    one, two = make_rotation(DEVICE, old, new, 5), make_rotation(DEVICE, old, new, 5)
    assert canonical_json(one.to_json()) == canonical_json(two.to_json())
    parsed = parse_rotation(copy.deepcopy(one.to_json()))
    assert (parsed.old_public_key, parsed.new_public_key, parsed.first_seq) == (
        _raw(old),
        _raw(new),
        5,
    )
    assert parsed.new_key_id == keys.signing_key_id(new)


@pytest.mark.parametrize(
    "field,value",
    [
        ("device_id", "another-device"),
        ("first_seq", 6),
        ("old_public_key", keys.b64encode(_raw(ed25519.Ed25519PrivateKey.generate()))),
        ("new_public_key", keys.b64encode(_raw(ed25519.Ed25519PrivateKey.generate()))),
        ("version", 2),
        ("format", "screening-desk/other"),
    ],
)
def test_every_field_of_a_statement_is_signed(field: str, value: Any) -> None:
    body = copy.deepcopy(make_rotation(DEVICE, _key(), _key(), 5).to_json())
    body["statement"][field] = value
    with pytest.raises(RotationError):
        parse_rotation(body)


def test_both_keys_must_sign() -> None:
    old, new, other = _key(), _key(), _key()
    body = make_rotation(DEVICE, old, new, 5).to_json()
    message = CONTEXT + canonical_json(body["statement"])
    for name, signer in (("old_signature", other), ("new_signature", other)):
        forged = {**body, name: keys.b64encode(signer.sign(message))}
        with pytest.raises(RotationError, match=name):
            parse_rotation(forged)
    # A signature made without the context string is not a rotation signature.
    bare = canonical_json(body["statement"])
    with pytest.raises(RotationError):
        parse_rotation({**body, "old_signature": keys.b64encode(old.sign(bare))})


@pytest.mark.parametrize(
    "body",
    [None, [], {}, {"statement": {}, "old_signature": "", "new_signature": ""}, {"x": 1}],
)
def test_malformed_bodies_are_rotation_errors(body: Any) -> None:
    with pytest.raises(RotationError):
        parse_rotation(body)


def test_the_chain_runs_from_the_enrolled_key_to_the_current_one() -> None:
    ks, listed = _history(2)
    enrolled, chain = key_chain(DEVICE, _raw(ks[2]), listed)
    assert enrolled == _raw(ks[0])
    assert chain == ((1, _raw(ks[0])), (3, _raw(ks[1])), (6, _raw(ks[2])))
    assert [key_for_seq(chain, s) for s in (1, 2, 3, 5, 6, 99)] == [
        _raw(ks[0]), _raw(ks[0]), _raw(ks[1]), _raw(ks[1]), _raw(ks[2]), _raw(ks[2]),
    ]  # fmt: skip
    assert key_chain(DEVICE, _raw(ks[0]), []) == (_raw(ks[0]), ((1, _raw(ks[0])),))


def test_two_rotations_before_any_envelope_use_the_last_key() -> None:
    ks, listed = _history(2, first_seqs=[4, 4])
    _, chain = key_chain(DEVICE, _raw(ks[2]), listed)
    assert key_for_seq(chain, 4) == _raw(ks[2]) and key_for_seq(chain, 3) == _raw(ks[0])


def _forged(old: ed25519.Ed25519PrivateKey, new: ed25519.Ed25519PrivateKey) -> dict[str, Any]:
    """A rotation from `old` to `new` signed by `new` twice (the hub has no old key)."""
    body = copy.deepcopy(make_rotation(DEVICE, _key(), new, 9).to_json())
    body["statement"]["old_public_key"] = keys.b64encode(_raw(old))
    message = CONTEXT + canonical_json(body["statement"])
    body["old_signature"] = body["new_signature"] = keys.b64encode(new.sign(message))
    return body


def test_a_hub_cannot_invent_drop_or_reorder_rotations() -> None:
    ks, listed = _history(2)
    current = _raw(ks[2])
    mallory = _key()
    back_keys, going_back = _history(2, first_seqs=[6, 3])
    cases = {
        "dropped last": (current, listed[:1]),
        "reordered": (current, listed[::-1]),
        # The hub moves the device onto a key of its own: it cannot sign as the old key.
        "invented": (
            _raw(mallory),
            [*listed, _forged(ks[2], mallory)],
        ),
        "listed key not the chain's end": (_raw(mallory), listed),
        "another device's": (
            current,
            [listed[0], make_rotation("other", ks[1], ks[2], 6).to_json()],
        ),
        "going back": (_raw(back_keys[2]), going_back),
    }
    for name, (key, rotations) in cases.items():
        with pytest.raises(RotationError):
            key_chain(DEVICE, key, rotations)
        assert name
    # Dropping the first rotation leaves a chain that verifies, but from a key the enrolment
    # code never attested: the attestation check is what refuses that one.
    enrolled, _ = key_chain(DEVICE, current, listed[1:])
    assert enrolled == _raw(ks[1]) != _raw(ks[0])
