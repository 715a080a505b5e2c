"""The envelope batch: several envelopes in one signed push (docs/protocol.md, "Batches").

    offset  size  field
    0       5     magic "SDBAT"
    5       1     format version (0x01)
    6       4     count N (unsigned, big-endian), 1 ≤ N ≤ MAX_BATCH_ENVELOPES
    then N times:
            4     length L (unsigned, big-endian)
            L     one envelope's wire bytes, unchanged
    (nothing after)

Why batches exist: a laptop back from a week without network may hold hundreds of
interviews, and over a mobile or satellite link each request costs a round trip; at the hub,
one request signature and one durable commit then serve many envelopes. Each envelope inside
keeps its own device signature and is checked exactly as a single push is, so a batch changes
nothing about what the hub or the coordinator trusts.

Like the envelope itself, a batch has exactly one encoding: lengths must add up and nothing
may follow the last envelope.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence

from screening.envelope.header import MAX_HEADER_BYTES
from screening.envelope.wire import MAX_CIPHERTEXT_BYTES

MAGIC = b"SDBAT"
FORMAT_VERSION = 1
MAX_BATCH_ENVELOPES = 256
# One envelope of the largest size always fits, so no interview is too big to travel.
MAX_ENVELOPE_BYTES = MAX_CIPHERTEXT_BYTES + MAX_HEADER_BYTES + 1024
MAX_BATCH_BYTES = MAX_ENVELOPE_BYTES + 8 * 1024 * 1024
_U32 = struct.Struct(">I")
_PREFIX = len(MAGIC) + 1 + _U32.size


class BatchFormatError(ValueError):
    """The bytes are not a version 1 envelope batch; the message says where it went wrong."""


def encode_batch(envelopes: Sequence[bytes]) -> bytes:
    if not 1 <= len(envelopes) <= MAX_BATCH_ENVELOPES:
        raise BatchFormatError(f"a batch holds 1 to {MAX_BATCH_ENVELOPES} envelopes")
    parts = [MAGIC, bytes([FORMAT_VERSION]), _U32.pack(len(envelopes))]
    for envelope in envelopes:
        if not envelope or len(envelope) > MAX_ENVELOPE_BYTES:
            raise BatchFormatError("an envelope in the batch is empty or too large")
        parts += [_U32.pack(len(envelope)), bytes(envelope)]
    return b"".join(parts)


def decode_batch(data: bytes) -> list[bytes]:
    """The envelopes' wire bytes, in order; BatchFormatError for anything else.

    Only the framing is checked here: each envelope is parsed and verified on its own.
    """
    if len(data) < _PREFIX or data[: len(MAGIC)] != MAGIC:
        raise BatchFormatError("it does not start with the batch marker")
    if data[len(MAGIC)] != FORMAT_VERSION:
        raise BatchFormatError(f"it has format version {data[len(MAGIC)]}, not {FORMAT_VERSION}")
    (count,) = _U32.unpack_from(data, len(MAGIC) + 1)
    if not 1 <= count <= MAX_BATCH_ENVELOPES:
        raise BatchFormatError(f"it must hold 1 to {MAX_BATCH_ENVELOPES} envelopes")
    envelopes: list[bytes] = []
    pos = _PREFIX
    for index in range(count):
        if len(data) < pos + _U32.size:
            raise BatchFormatError(f"it ends before the length of envelope {index + 1}")
        (length,) = _U32.unpack_from(data, pos)
        pos += _U32.size
        if not 0 < length <= MAX_ENVELOPE_BYTES:
            raise BatchFormatError(f"envelope {index + 1} is empty or too large")
        if len(data) < pos + length:
            raise BatchFormatError(f"it ends inside envelope {index + 1}")
        envelopes.append(data[pos : pos + length])
        pos += length
    if pos != len(data):
        raise BatchFormatError("bytes follow the last envelope")
    return envelopes
