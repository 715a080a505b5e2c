"""Sealing, verifying and opening envelopes: every byte is protected, opening checks first."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519

from screening.canonical import parse_canonical
from screening.envelope import (
    GENESIS_HASH,
    Envelope,
    EnvelopeError,
    EnvelopeHeader,
    envelope_hash,
    open_envelope,
    seal,
    verify,
)
from screening.envelope.header import FORMAT_VERSION, hour_of
from screening.envelope.seal import (
    MAX_PLAINTEXT_BYTES,
    PAD_CLASSES,
    _hpke_info,
    _signed_message,
    padded_size,
)
from screening.org import KEM_HYBRID, KEM_X25519, OrgKeys, hybrid_supported
from screening.org import keys as orgkeys

KEMS = [KEM_X25519, KEM_HYBRID] if hybrid_supported() else [KEM_X25519]
DEVICE = ed25519.Ed25519PrivateKey.generate()
RECORD = {
    "interview": {"id": "i-1", "started_at": "2025-01-31T09:30:00Z", "score": 0.5},
    "answers": [["name", "Amara"], ["age", 17], ["languages", ["ti", "ar"]], ["note", "ሰላም"]],
    "audit": [{"action": "completed", "hash": "ab" * 32}],
}


@pytest.fixture(scope="module", params=KEMS)
def org(request: pytest.FixtureRequest) -> OrgKeys:
    return OrgKeys.generate("Org", "https://hub.example.org", None, kem=request.param)


def _fields(**extra: object) -> dict[str, object]:
    return {
        "device_id": "d-1",
        "seq": 1,
        "prev_hash": GENESIS_HASH,
        **extra,
    }


def test_seal_open_round_trip(org: OrgKeys) -> None:
    env = seal(RECORD, _fields(), org.public, DEVICE)
    wire = env.to_bytes()
    parsed = Envelope.from_bytes(wire)
    assert parsed == env and parsed.to_bytes() == wire
    verify(parsed, DEVICE.public_key())
    verify(parsed, DEVICE.public_key().public_bytes_raw())
    assert open_envelope(wire, org, DEVICE.public_key()) == RECORD
    header = env.header
    assert (header.v, header.org_key_id, header.kem) == (
        FORMAT_VERSION,
        org.encryption_key_id,
        org.kem,
    )
    assert header.created_at.endswith(":00:00Z") and len(header.envelope_id) == 36


def test_the_header_holds_exactly_what_the_hub_may_see(org: OrgKeys) -> None:
    # docs/protocol.md, "What the hub can see": the header is all the hub reads of an
    # envelope. Version 1 also carried form_id/form_version/form_hash (a child screening form
    # told the hub the person is a minor) and created_at to the microsecond.
    record = {**RECORD, "interview": {"form_id": "screening-child", "form_version": "3.1"}}
    env = seal(record, _fields(), org.public, DEVICE)
    header = parse_canonical(env.header_bytes)
    assert sorted(header) == sorted(
        ["v", "envelope_id", "device_id", "seq", "prev_hash", "created_at", "org_key_id", "kem"]
    )
    assert header["v"] == FORMAT_VERSION == 2
    wire = env.to_bytes()
    for secret in (b"screening-child", b"3.1", b"form"):
        assert secret not in wire
    assert open_envelope(wire, org, DEVICE.public_key())["interview"]["form_id"] == (
        "screening-child"
    )


def test_header_times_are_whole_hours(org: OrgKeys) -> None:
    moment = datetime(2025, 1, 31, 9, 47, 13, 512_000, tzinfo=UTC)
    assert hour_of(moment) == "2025-01-31T09:00:00Z"
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:00:00Z",
        seal(RECORD, _fields(), org.public, DEVICE).header.created_at,
    )
    for finer in ("2025-01-31T09:47:00Z", "2025-01-31T09:00:13Z", "2025-01-31T09:00:00.000001Z"):
        with pytest.raises(EnvelopeError, match="whole UTC hour"):
            seal(RECORD, _fields(created_at=finer), org.public, DEVICE)


def test_chain_links_each_envelope_to_the_previous_one(org: OrgKeys) -> None:
    first = seal(RECORD, _fields(), org.public, DEVICE)
    second = seal(RECORD, _fields(seq=2, prev_hash=envelope_hash(first)), org.public, DEVICE)
    assert second.header.prev_hash == first.hash() == envelope_hash(first.to_bytes())
    assert first.envelope_id != second.envelope_id


def test_the_hub_sees_only_a_rounded_size(org: OrgKeys) -> None:
    # Version 1 padded to powers of two from 1 KiB: a 4 KB rapid screening, a 12 KB adult one
    # and a 35 KB child one fell in three classes. Every record up to 64 KiB now looks the same.
    sizes = {len(seal({"a": "x" * n}, _fields(), org.public, DEVICE).ciphertext)
             for n in (1, 3_000, 12_000, 35_000, 60_000)}  # fmt: skip
    assert len(sizes) == 1
    big = seal({"a": "x" * 70_000}, _fields(), org.public, DEVICE)
    assert len(big.ciphertext) - sizes.pop() == 256 * 1024 - 64 * 1024


def test_there_are_few_size_classes() -> None:
    classes = {padded_size(n) for n in range(1, 20 * 1024 * 1024, 4099)}
    assert sorted(classes)[:4] == list(PAD_CLASSES) == [4**k * 64 * 1024 for k in range(4)]
    # Beyond 4 MiB: steps of 4 MiB up to the largest envelope.
    assert len(classes) == 7 and max(classes) == MAX_PLAINTEXT_BYTES


def test_every_single_byte_flip_is_caught(org: OrgKeys) -> None:
    env = seal({"a": 1}, _fields(), org.public, DEVICE)
    wire = env.to_bytes()
    # Every byte outside the ciphertext's middle (prefix, header, lengths, HPKE encapsulated
    # key, the first and last 4 KiB of the AEAD output, the signature) and every 61st byte of
    # the middle: since padding became 64 KiB, flipping all of it takes seconds and checks
    # the same signature path each time (the property tests add random positions).
    cipher_start = len(wire) - len(env.signature) - len(env.ciphertext)
    middle = range(cipher_start + 6 * 1024, len(wire) - 64 - 4 * 1024)
    indexes = [i for i in range(len(wire)) if i not in middle or (i - middle.start) % 61 == 0]
    assert len(indexes) > 10_000
    for index in indexes:
        flipped = wire[:index] + bytes([wire[index] ^ 0x20]) + wire[index + 1 :]
        with pytest.raises(EnvelopeError):
            open_envelope(flipped, org, DEVICE.public_key())


def test_truncation_and_extension_are_caught(org: OrgKeys) -> None:
    wire = seal({"a": 1}, _fields(), org.public, DEVICE).to_bytes()
    for data in (wire[:-1], wire + b"\x00", wire[:10], b""):
        with pytest.raises(EnvelopeError) as err:
            Envelope.from_bytes(data)
        assert err.value.code == "malformed_envelope"


def test_wrong_device_key_fails_before_decryption(org: OrgKeys) -> None:
    env = seal(RECORD, _fields(), org.public, DEVICE)
    other = ed25519.Ed25519PrivateKey.generate().public_key()
    with pytest.raises(EnvelopeError) as err:
        verify(env, other)
    assert err.value.code == "bad_envelope_signature"
    with pytest.raises(EnvelopeError) as err:
        open_envelope(env, org, other)
    assert err.value.code == "bad_envelope_signature"


def test_envelope_for_another_organisation(org: OrgKeys) -> None:
    other = OrgKeys.generate("Other", "https://hub.example.org", None, kem=KEM_X25519)
    env = seal(RECORD, _fields(), other.public, DEVICE)
    with pytest.raises(EnvelopeError) as err:
        open_envelope(env, org, DEVICE.public_key())
    assert err.value.code == "wrong_org_key"


def test_ciphertext_is_bound_to_its_header(org: OrgKeys) -> None:
    # A (compromised) device key re-signs the ciphertext under a different header: the
    # signature now verifies, but HPKE's info binds the header, so decryption fails.
    env = seal(RECORD, _fields(), org.public, DEVICE)
    moved = EnvelopeHeader.from_dict({**env.header.to_dict(), "device_id": "another-device"})
    signature = DEVICE.sign(_signed_message(moved.to_bytes(), env.ciphertext))
    swapped = Envelope(header=moved, ciphertext=env.ciphertext, signature=signature)
    verify(swapped, DEVICE.public_key())
    with pytest.raises(EnvelopeError) as err:
        open_envelope(swapped, org, DEVICE.public_key())
    assert err.value.code == "envelope_decrypt_failed"
    assert _hpke_info(moved.to_bytes()) != _hpke_info(env.header_bytes)


def test_header_claiming_the_org_key_with_a_foreign_ciphertext(org: OrgKeys) -> None:
    other = OrgKeys.generate("Other", "https://hub.example.org", None, kem=org.kem)
    foreign = seal(RECORD, _fields(), other.public, DEVICE)
    header = EnvelopeHeader.from_dict(
        {**foreign.header.to_dict(), "org_key_id": org.encryption_key_id}
    )
    signature = DEVICE.sign(_signed_message(header.to_bytes(), foreign.ciphertext))
    with pytest.raises(EnvelopeError) as err:
        open_envelope(Envelope(header, foreign.ciphertext, signature), org, DEVICE.public_key())
    assert err.value.code == "envelope_decrypt_failed"


@pytest.mark.parametrize(
    "change",
    [
        {"seq": 0},
        {"seq": True},
        {"seq": 2},  # seq 2 with the genesis hash
        {"prev_hash": "1" * 64},  # seq 1 with a non-genesis hash
        {"prev_hash": "A" * 64},
        {"device_id": "has space"},
        {"device_id": ""},
        {"envelope_id": "not-a-uuid"},
        {"envelope_id": "0f8fad5b-d9cb-169f-a165-70867728950e"},  # UUID version 1
        {"created_at": "2025-01-31 09:30:00"},
        {"created_at": "2025-02-30T09:30:00Z"},
        {"created_at": "2025-01-31T09:30:00Z"},  # finer than the hour
        {"form_id": "screening-child"},  # the form's identity is sealed, never in the header
        {"colour": "red"},
    ],
)
def test_bad_header_fields_are_refused_when_sealing(
    org: OrgKeys, change: dict[str, object]
) -> None:
    with pytest.raises(EnvelopeError) as err:
        seal(RECORD, _fields(**change), org.public, DEVICE)
    assert err.value.code == "malformed_envelope"


@pytest.mark.parametrize(
    "record", [{"a": float("nan")}, {"a": b"bytes"}, {1: "int key"}, {"a": {"b": {1, 2}}}]
)
def test_records_that_are_not_json_are_refused(org: OrgKeys, record: dict) -> None:  # type: ignore[type-arg]
    with pytest.raises(EnvelopeError, match="cannot be sealed"):
        seal(record, _fields(), org.public, DEVICE)


def test_header_org_key_must_match_the_key_sealed_to(org: OrgKeys) -> None:
    with pytest.raises(EnvelopeError) as err:
        seal(RECORD, _fields(org_key_id="0" * 32), org.public, DEVICE)
    assert err.value.code == "wrong_org_key"


def test_newer_format_versions_are_named() -> None:
    with pytest.raises(EnvelopeError) as err:
        Envelope.from_bytes(b"SDENV\x03" + b"\x00" * 100)
    assert err.value.code == "unsupported_envelope_version"
    header = {
        **seal(
            RECORD,
            _fields(),
            OrgKeys.generate("O", "https://h.example", None, kem=KEM_X25519).public,
            DEVICE,
        ).header.to_dict(),
        "v": 3,
    }
    with pytest.raises(EnvelopeError) as err:
        EnvelopeHeader.from_dict(header)
    assert err.value.code == "unsupported_envelope_version"


def test_non_canonical_header_bytes_are_refused(org: OrgKeys) -> None:
    env = seal(RECORD, _fields(), org.public, DEVICE)
    spaced = env.header_bytes.replace(b'","', b'", "', 1)
    data = b"SDENV\x02" + len(spaced).to_bytes(4, "big") + spaced
    data += len(env.ciphertext).to_bytes(4, "big") + env.ciphertext + env.signature
    with pytest.raises(EnvelopeError, match="canonical"):
        Envelope.from_bytes(data)


def test_device_key_must_be_ed25519(org: OrgKeys) -> None:
    env = seal(RECORD, _fields(), org.public, DEVICE)
    with pytest.raises(EnvelopeError):
        verify(env, b"short")
    assert len(env.signature) == orgkeys.ED25519_SIGNATURE_BYTES
