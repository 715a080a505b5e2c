"""Property tests: the envelope parser never fails except with EnvelopeError, and round-trips."""

from __future__ import annotations

import contextlib
import struct
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ed25519
from hypothesis import example, given
from hypothesis import strategies as st

from screening.canonical import CanonicalJSONError, canonical_json, parse_canonical, parse_json
from screening.envelope import GENESIS_HASH, Envelope, EnvelopeError, open_envelope, seal, verify
from screening.envelope.wire import MAGIC
from screening.org import KEM_X25519, OrgKeys

ORG = OrgKeys.generate("Org", "https://hub.example.org", None, kem=KEM_X25519)
DEVICE = ed25519.Ed25519PrivateKey.generate()
FIELDS = {
    "device_id": "d-1",
    "seq": 1,
    "prev_hash": GENESIS_HASH,
}
VALID = seal({"answers": [["q", "yes"]]}, FIELDS, ORG.public, DEVICE).to_bytes()


def _parse_all_the_way(data: bytes) -> dict[str, Any] | None:
    """Everything the coordinator would do; returns the record or None after a clean error."""
    try:
        env = Envelope.from_bytes(data)
    except EnvelopeError:
        return None
    assert env.to_bytes() == data  # anything that parses is in its one canonical encoding
    try:
        verify(env, DEVICE.public_key())
        return open_envelope(env, ORG, DEVICE.public_key())
    except EnvelopeError:
        return None


@given(st.binary(max_size=2048))
@example(b"")
@example(MAGIC)
@example(MAGIC + b"\x02")
@example(MAGIC + b"\x02" + struct.pack(">I", 2**32 - 1))
def test_random_bytes_raise_only_envelope_errors(data: bytes) -> None:
    assert _parse_all_the_way(data) is None


@given(st.binary(max_size=600), st.binary(max_size=600), st.binary(min_size=0, max_size=80))
def test_structured_garbage_raises_only_envelope_errors(
    header: bytes, body: bytes, tail: bytes
) -> None:
    data = MAGIC + b"\x02" + struct.pack(">I", len(header)) + header
    data += struct.pack(">I", len(body)) + body + tail
    assert _parse_all_the_way(data) is None


@given(
    st.dictionaries(
        st.sampled_from(["v", "envelope_id", "device_id", "seq", "prev_hash", "created_at", "kem"]),
        st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=40), st.floats()),
    )
)
def test_random_headers_raise_only_envelope_errors(header: dict[str, Any]) -> None:
    try:
        raw = canonical_json(header)
    except CanonicalJSONError:
        return
    data = MAGIC + b"\x02" + struct.pack(">I", len(raw)) + raw + struct.pack(">I", 64) + bytes(128)
    assert _parse_all_the_way(data) is None


@given(st.integers(0, len(VALID) - 1), st.integers(1, 255))
def test_any_corrupted_byte_of_a_valid_envelope_is_refused(index: int, mask: int) -> None:
    data = bytearray(VALID)
    data[index] ^= mask
    assert _parse_all_the_way(bytes(data)) is None


@given(st.integers(0, len(VALID)), st.binary(min_size=1, max_size=8))
def test_inserted_bytes_are_refused(index: int, extra: bytes) -> None:
    assert _parse_all_the_way(VALID[:index] + extra + VALID[index:]) is None


def test_the_valid_envelope_opens() -> None:
    assert _parse_all_the_way(VALID) == {"answers": [["q", "yes"]]}


@given(st.from_regex(r"[A-Za-z0-9_-]{1,64}", fullmatch=True), st.integers(1, 2**53 - 1))
def test_a_parsed_envelope_keeps_exactly_the_header_bytes_it_was_sent(
    device_id: str, seq: int
) -> None:
    # The parser keeps the received header bytes instead of encoding the header again; that
    # is only sound while they are the canonical encoding of the parsed header.
    fields = {**FIELDS, "device_id": device_id, "seq": seq, "prev_hash": "ab" * 32}
    if seq == 1:
        fields["prev_hash"] = "0" * 64
    wire = seal({"answers": []}, fields, ORG.public, DEVICE).to_bytes()
    parsed = Envelope.from_bytes(wire)
    assert parsed.header_bytes == parsed.header.to_bytes()
    assert parsed.to_bytes() == wire
    assert parsed == Envelope(parsed.header, parsed.ciphertext, parsed.signature)


SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(JSON)
def test_canonical_json_round_trips_and_is_unique(value: Any) -> None:
    data = canonical_json(value)
    assert parse_canonical(data) == value or value != value
    assert canonical_json(parse_json(data)) == data


@given(st.binary(max_size=300))
def test_json_parser_raises_only_its_own_error(data: bytes) -> None:
    with contextlib.suppress(CanonicalJSONError):
        parse_json(data)
