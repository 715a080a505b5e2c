"""The envelope batch framing (screening/sync/batch.py): one encoding, and anything else refused
with BatchFormatError, never another exception."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from screening.sync.batch import (
    FORMAT_VERSION,
    MAGIC,
    MAX_BATCH_ENVELOPES,
    MAX_ENVELOPE_BYTES,
    BatchFormatError,
    decode_batch,
    encode_batch,
)

envelope_bytes = st.binary(min_size=1, max_size=48)
envelope_lists = st.lists(envelope_bytes, min_size=1, max_size=12)
PREFIX = MAGIC + bytes([FORMAT_VERSION])


def _u32(n: int) -> bytes:
    return n.to_bytes(4, "big")


@given(envelope_lists)
def test_round_trip(envelopes: list[bytes]) -> None:
    data = encode_batch(envelopes)
    assert decode_batch(data) == envelopes
    assert data.startswith(PREFIX + _u32(len(envelopes)))
    assert len(data) == len(PREFIX) + 4 + sum(4 + len(e) for e in envelopes)


# Random bytes, and random bytes after a valid marker and a plausible count (which get further).
anything = st.one_of(
    st.binary(max_size=200),
    st.builds(
        lambda count, rest: PREFIX + _u32(count) + rest,
        st.integers(0, MAX_BATCH_ENVELOPES + 2),
        st.binary(max_size=200),
    ),
    st.builds(
        lambda count, frames: PREFIX + _u32(count) + b"".join(_u32(len(f)) + f for f in frames),
        st.integers(0, 6),
        st.lists(st.binary(max_size=8), max_size=6),
    ),
)


@settings(max_examples=500)
@given(anything)
def test_decoding_anything_is_a_batch_or_a_batch_format_error(data: bytes) -> None:
    try:
        envelopes = decode_batch(data)
    except BatchFormatError:
        return
    # Whatever decodes has exactly one encoding: the bytes it came from.
    assert 1 <= len(envelopes) <= MAX_BATCH_ENVELOPES
    assert encode_batch(envelopes) == data


@given(envelope_lists)
def test_every_strict_prefix_is_refused(envelopes: list[bytes]) -> None:
    data = encode_batch(envelopes)
    for end in range(len(data)):
        with pytest.raises(BatchFormatError):
            decode_batch(data[:end])


@given(envelope_lists, st.binary(min_size=1, max_size=40))
def test_trailing_bytes_are_refused(envelopes: list[bytes], extra: bytes) -> None:
    with pytest.raises(BatchFormatError):
        decode_batch(encode_batch(envelopes) + extra)


@given(envelope_lists, st.data())
def test_a_changed_length_or_count_is_refused(envelopes: list[bytes], data: st.DataObject) -> None:
    encoded = bytearray(encode_batch(envelopes))
    offsets = [len(PREFIX)]  # the count, then each envelope's length
    pos = len(PREFIX) + 4
    for envelope in envelopes:
        offsets.append(pos)
        pos += 4 + len(envelope)
    at = data.draw(st.sampled_from(offsets))
    old = int.from_bytes(encoded[at : at + 4], "big")
    new = data.draw(st.integers(0, 2**32 - 1).filter(lambda n: n != old))
    encoded[at : at + 4] = _u32(new)
    with pytest.raises(BatchFormatError):
        decode_batch(bytes(encoded))


def test_the_count_must_be_from_one_to_the_maximum() -> None:
    with pytest.raises(BatchFormatError):
        encode_batch([])
    with pytest.raises(BatchFormatError):
        encode_batch([b"x"] * (MAX_BATCH_ENVELOPES + 1))
    full = [bytes([n % 256]) for n in range(MAX_BATCH_ENVELOPES)]
    assert decode_batch(encode_batch(full)) == full
    for count in (0, MAX_BATCH_ENVELOPES + 1, 2**32 - 1):
        frames = _u32(1) + b"x"
        with pytest.raises(BatchFormatError):
            decode_batch(PREFIX + _u32(count) + frames * max(1, min(count, 300)))


def test_empty_and_oversized_envelopes_are_refused() -> None:
    with pytest.raises(BatchFormatError):
        encode_batch([b"a", b""])
    with pytest.raises(BatchFormatError):
        decode_batch(PREFIX + _u32(2) + _u32(1) + b"a" + _u32(0))
    # An oversized length is refused from the length alone, whatever follows it.
    with pytest.raises(BatchFormatError, match="too large"):
        decode_batch(PREFIX + _u32(1) + _u32(MAX_ENVELOPE_BYTES + 1) + b"x")


@pytest.mark.parametrize("version", [0, 2, 255])
def test_other_format_versions_are_refused(version: int) -> None:
    data = bytearray(encode_batch([b"envelope"]))
    data[len(MAGIC)] = version
    with pytest.raises(BatchFormatError):
        decode_batch(bytes(data))
