"""The envelope header: everything about an interview the hub may see, and nothing more.

The header is readable by the hub because the hub needs it to route, order and deduplicate
envelopes. It therefore carries only what routing needs: ids, a counter, the chain hash, the
organisation key and the hour the envelope was sealed. Which form an interview used (a child
screening form tells the reader the person is a minor) travels inside the sealed record, and
the creation time is cut to the hour so that it cannot be matched to a visit at a centre.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from screening.canonical import CanonicalJSONError, canonical_json, parse_canonical
from screening.envelope.errors import MALFORMED, UNSUPPORTED_VERSION, EnvelopeError
from screening.org import keys
from screening.org.orgfile import is_utc_iso

# Version 2 (issue #13): the form's identity left the header and created_at is whole hours.
FORMAT_VERSION = 2
GENESIS_HASH = "0" * 64
MAX_SEQ = 2**53 - 1  # stays exact in every JSON parser, including JavaScript's
MAX_HEADER_BYTES = 4096

_UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
_DEVICE_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_HOUR = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:00:00Z$")
# Exactly what the hub can read about an envelope (docs/protocol.md, "What the hub can see").
FIELDS = (
    "v",
    "envelope_id",
    "device_id",
    "seq",
    "prev_hash",
    "created_at",
    "org_key_id",
    "kem",
)


def _bad(message: str) -> EnvelopeError:
    return EnvelopeError(f"The envelope header is invalid: {message}.", code=MALFORMED)


@dataclass(frozen=True, slots=True)
class EnvelopeHeader:
    """A validated header. Construct through `EnvelopeHeader.from_dict`, which checks it."""

    v: int
    envelope_id: str
    device_id: str
    seq: int
    prev_hash: str
    created_at: str
    org_key_id: str
    kem: str

    @classmethod
    def from_dict(cls, data: Any) -> EnvelopeHeader:
        if not isinstance(data, dict):
            raise _bad("it is not a JSON object")
        if set(data) != set(FIELDS):
            extra, missing = sorted(set(data) - set(FIELDS)), sorted(set(FIELDS) - set(data))
            raise _bad(f"unexpected fields {extra}" if extra else f"missing fields {missing}")
        if data["v"] != FORMAT_VERSION or isinstance(data["v"], bool):
            raise EnvelopeError(
                f"The envelope has format version {data['v']!r}; this app reads version "
                f"{FORMAT_VERSION}.",
                code=UNSUPPORTED_VERSION,
            )
        if not isinstance(data["envelope_id"], str) or not _UUID4.match(data["envelope_id"]):
            raise _bad("envelope_id must be a lower-case UUID4")
        if not isinstance(data["device_id"], str) or not _DEVICE_ID.match(data["device_id"]):
            raise _bad("device_id must be 1 to 64 letters, digits, '-' or '_'")
        seq = data["seq"]
        if not isinstance(seq, int) or isinstance(seq, bool) or not 1 <= seq <= MAX_SEQ:
            raise _bad("seq must be a whole number from 1")
        if not isinstance(data["prev_hash"], str) or not _HEX64.match(data["prev_hash"]):
            raise _bad("prev_hash must be 64 lower-case hex digits")
        # The first envelope of a device is the only one that may point at "nothing".
        if (seq == 1) != (data["prev_hash"] == GENESIS_HASH):
            raise _bad("prev_hash must be 64 zeros exactly when seq is 1")
        created = data["created_at"]
        if not is_utc_iso(created) or not _HOUR.match(created):
            raise _bad("created_at must be a whole UTC hour like 2025-01-31T09:00:00Z")
        if not isinstance(data["org_key_id"], str) or not keys.KEY_ID_RE.match(data["org_key_id"]):
            raise _bad("org_key_id must be 32 lower-case hex digits")
        if data["kem"] not in keys.KEMS:
            raise _bad(f"kem must be one of {', '.join(keys.KEMS)}")
        return cls(**{name: data[name] for name in FIELDS})

    @classmethod
    def from_bytes(cls, data: bytes) -> EnvelopeHeader:
        if len(data) > MAX_HEADER_BYTES:
            raise _bad("it is too long")
        try:
            return cls.from_dict(parse_canonical(data))
        except CanonicalJSONError as exc:
            raise _bad(exc.message.rstrip(".")) from None

    def to_dict(self) -> dict[str, Any]:
        # Every field is a str or int: no deep copy needed (asdict's was a tenth of a push).
        return {name: getattr(self, name) for name in FIELDS}

    def to_bytes(self) -> bytes:
        return canonical_json(self.to_dict())


def new_envelope_id() -> str:
    return str(uuid.uuid4())


def hour_of(moment: datetime) -> str:
    """`moment` cut down to its UTC hour, as headers carry it."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:00:00Z")
