"""Sealed, signed envelopes: how a completed interview travels from a laptop to the organisation.

    env = seal(record, {"device_id": ..., "seq": n, "prev_hash": h}, org_public, device_key)
    wire = env.to_bytes()                      # push this; keep envelope_hash(env) for n+1
    verify(Envelope.from_bytes(wire), device_public)           # the hub: no decryption
    record = open_envelope(wire, org_keys, device_public)      # the coordinator

The format is versioned and documented in docs/protocol.md.
"""

from screening.envelope.errors import (
    BAD_SIGNATURE,
    DECRYPT_FAILED,
    MALFORMED,
    UNSUPPORTED_VERSION,
    WRONG_ORG_KEY,
    EnvelopeError,
)
from screening.envelope.header import FORMAT_VERSION, GENESIS_HASH, EnvelopeHeader
from screening.envelope.seal import open_envelope, open_verified, seal, verify
from screening.envelope.wire import Envelope, envelope_hash

__all__ = [
    "BAD_SIGNATURE",
    "DECRYPT_FAILED",
    "FORMAT_VERSION",
    "GENESIS_HASH",
    "MALFORMED",
    "UNSUPPORTED_VERSION",
    "WRONG_ORG_KEY",
    "Envelope",
    "EnvelopeError",
    "EnvelopeHeader",
    "envelope_hash",
    "open_envelope",
    "open_verified",
    "seal",
    "verify",
]
