"""The envelope wire format (version 2): one byte string, parsed strictly.

    offset  size  field
    0       5     magic "SDENV"
    5       1     format version (0x02)
    6       4     header length H (unsigned, big-endian)
    10      H     header: canonical JSON (see header.py)
    10+H    4     ciphertext length C (unsigned, big-endian)
    14+H    C     ciphertext: HPKE enc ‖ AEAD ciphertext
    14+H+C  64    Ed25519 device signature
    (nothing after)

Binary rather than JSON-with-base64: a third smaller on the wire and at rest, and a parser
of a dozen lines with no ambiguity. The header stays JSON so people and the hub can read it.
Exactly one encoding exists for each envelope (the header must be canonical, lengths must
add up, no trailing bytes), so the SHA-256 of the bytes identifies the envelope.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass, field

from screening.envelope.errors import MALFORMED, UNSUPPORTED_VERSION, EnvelopeError
from screening.envelope.header import FORMAT_VERSION, MAX_HEADER_BYTES, EnvelopeHeader
from screening.org.keys import ED25519_SIGNATURE_BYTES

MAGIC = b"SDENV"
MAX_CIPHERTEXT_BYTES = 16 * 1024 * 1024
# HPKE output is at least the encapsulated key (32 bytes for X25519) plus a 16-byte tag.
MIN_CIPHERTEXT_BYTES = 48
_LEN = struct.Struct(">I")
_PREFIX = len(MAGIC) + 1


def _malformed(why: str) -> EnvelopeError:
    return EnvelopeError(f"The data is not a valid envelope: {why}.", code=MALFORMED)


@dataclass(frozen=True, slots=True)
class Envelope:
    """A sealed, signed envelope. `header_bytes` is exactly what was signed."""

    header: EnvelopeHeader
    ciphertext: bytes = field(repr=False)
    signature: bytes = field(repr=False)
    # The canonical header bytes, computed once: signing, verifying, hashing and HPKE all
    # need them, and the hub parses thousands of envelopes a minute.
    header_bytes: bytes = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "header_bytes", self.header.to_bytes())

    @property
    def envelope_id(self) -> str:
        return self.header.envelope_id

    def to_bytes(self) -> bytes:
        header = self.header_bytes
        return b"".join(
            (
                MAGIC,
                bytes([FORMAT_VERSION]),
                _LEN.pack(len(header)),
                header,
                _LEN.pack(len(self.ciphertext)),
                self.ciphertext,
                self.signature,
            )
        )

    @classmethod
    def from_bytes(cls, data: bytes | bytearray | memoryview) -> Envelope:
        """Parse the wire format; EnvelopeError (code malformed_envelope) for anything else.

        Only the structure is checked here: `verify` checks the signature, `open_envelope`
        everything.
        """
        data = bytes(data)
        if len(data) < _PREFIX or data[: len(MAGIC)] != MAGIC:
            raise _malformed("it does not start with the envelope marker")
        if data[len(MAGIC)] != FORMAT_VERSION:
            raise EnvelopeError(
                f"The envelope has format version {data[len(MAGIC)]}; this app reads version "
                f"{FORMAT_VERSION}.",
                code=UNSUPPORTED_VERSION,
            )
        pos = _PREFIX
        header_bytes, pos = _chunk(data, pos, MAX_HEADER_BYTES, "header")
        ciphertext, pos = _chunk(data, pos, MAX_CIPHERTEXT_BYTES, "ciphertext")
        if len(ciphertext) < MIN_CIPHERTEXT_BYTES:
            raise _malformed("the ciphertext is too short")
        signature = data[pos:]
        if len(signature) != ED25519_SIGNATURE_BYTES:
            raise _malformed("the signature is missing, truncated or followed by extra bytes")
        header = EnvelopeHeader.from_bytes(header_bytes)
        envelope = cls.__new__(cls)
        # The header bytes were just proven canonical, so they are what to_bytes() would
        # give: keeping them saves encoding the header again for every envelope the hub takes.
        for name, value in (
            ("header", header),
            ("ciphertext", ciphertext),
            ("signature", signature),
            ("header_bytes", header_bytes),
        ):
            object.__setattr__(envelope, name, value)
        return envelope

    def hash(self) -> str:
        return envelope_hash(self)


def _chunk(data: bytes, pos: int, limit: int, what: str) -> tuple[bytes, int]:
    if len(data) < pos + _LEN.size:
        raise _malformed(f"it ends before the {what} length")
    (length,) = _LEN.unpack_from(data, pos)
    pos += _LEN.size
    if length > limit:
        raise _malformed(f"the {what} is longer than {limit} bytes")
    if len(data) < pos + length:
        raise _malformed(f"it ends inside the {what}")
    return data[pos : pos + length], pos + length


def envelope_hash(envelope: Envelope | bytes) -> str:
    """SHA-256 (hex) of the envelope's wire bytes: what the next envelope's prev_hash holds."""
    data = envelope.to_bytes() if isinstance(envelope, Envelope) else bytes(envelope)
    return hashlib.sha256(data).hexdigest()
