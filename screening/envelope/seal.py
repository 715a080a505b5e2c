"""Sealing, verifying and opening envelopes.

- The record is canonical JSON, padded to one of a few size classes (so the hub learns its
  size only very roughly), then sealed with HPKE (base mode) to the organisation's encryption
  key. The record names its form: the form's identity is sealed, never in the header.
- The HPKE `info` is a context string plus SHA-256 of the header bytes. cryptography's public
  HPKE API has no associated data, and `info` goes into the key schedule, which binds the
  header at least as tightly: the ciphertext opens under its own header and no other.
- The device signs `context ‖ header bytes ‖ SHA-256(ciphertext)` with Ed25519. The hub can
  check it without the organisation's key; the coordinator checks it before decrypting.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives.asymmetric import ed25519

from screening.canonical import CanonicalJSONError, canonical_json, parse_canonical
from screening.envelope.errors import (
    BAD_SIGNATURE,
    DECRYPT_FAILED,
    MALFORMED,
    WRONG_ORG_KEY,
    EnvelopeError,
)
from screening.envelope.header import FORMAT_VERSION, EnvelopeHeader, hour_of, new_envelope_id
from screening.envelope.wire import MAX_CIPHERTEXT_BYTES, Envelope
from screening.kems import hpke_suite
from screening.org import keys
from screening.org.orgfile import OrgPublic
from screening.org.orgkeys import OrgKeys

SIGNATURE_CONTEXT = b"screening-desk/envelope/v1\x00"
HPKE_INFO_CONTEXT = b"screening-desk/envelope/v1/hpke\x00"
_PAD_MARK = b"\x80"
# Few classes, each four times the last. The first holds every interview of the demo data,
# whatever its form (measured 2026-12-04 on 34 seeded interviews: rapid screening 3-13 KB,
# adult 4-47 KB, child 31-41 KB), so a short adult screening and a long child one look the
# same; only records with pages of free text or hundreds of corrections reach the next.
PAD_CLASSES = (64 * 1024, 256 * 1024, 1024 * 1024, 4 * 1024 * 1024)
# The largest plaintext an envelope holds (the ciphertext adds at most the HPKE overhead).
MAX_PLAINTEXT_BYTES = MAX_CIPHERTEXT_BYTES - 2048
_CALLER_FIELDS = {"device_id", "seq", "prev_hash"}
_OPTIONAL_FIELDS = {"envelope_id", "created_at", "org_key_id"}


def padded_size(n: int) -> int:
    """The size class a plaintext of `n` bytes (mark included) is padded to."""
    for size in PAD_CLASSES:
        if n <= size:
            return size
    step = PAD_CLASSES[-1]
    return min(-(-n // step) * step, MAX_PLAINTEXT_BYTES)


def _pad(data: bytes) -> bytes:
    marked = data + _PAD_MARK
    return marked + bytes(padded_size(len(marked)) - len(marked))


def _unpad(data: bytes) -> bytes:
    stripped = data.rstrip(b"\x00")
    if not stripped.endswith(_PAD_MARK):
        raise EnvelopeError("The opened envelope has damaged padding.", code=DECRYPT_FAILED)
    return stripped[:-1]


def _hpke_info(header_bytes: bytes) -> bytes:
    return HPKE_INFO_CONTEXT + hashlib.sha256(header_bytes).digest()


def _signed_message(header_bytes: bytes, ciphertext: bytes) -> bytes:
    return SIGNATURE_CONTEXT + header_bytes + hashlib.sha256(ciphertext).digest()


def _this_hour() -> str:
    return hour_of(datetime.now(UTC))


def seal(
    record: Mapping[str, Any],
    header_fields: Mapping[str, Any],
    org_public: OrgPublic,
    device_private: ed25519.Ed25519PrivateKey,
) -> Envelope:
    """Seal `record` to the organisation and sign it with the device key.

    `header_fields` holds device_id, seq and prev_hash; envelope_id (default: a new UUID4)
    and created_at (default: the current UTC hour; a whole hour) are optional.
    Raises EnvelopeError (code malformed_envelope) for a bad field or a record that is not
    JSON.
    """
    given = set(header_fields)
    if not given >= _CALLER_FIELDS or not given <= _CALLER_FIELDS | _OPTIONAL_FIELDS:
        raise EnvelopeError(
            f"The envelope header needs exactly {sorted(_CALLER_FIELDS)} "
            f"(optionally {sorted(_OPTIONAL_FIELDS)}).",
            code=MALFORMED,
        )
    if (
        header_fields.get("org_key_id", org_public.encryption_key_id)
        != org_public.encryption_key_id
    ):
        raise EnvelopeError(
            "The header names an organisation key other than the one sealed to.",
            code=WRONG_ORG_KEY,
        )
    header = EnvelopeHeader.from_dict(
        {
            **header_fields,
            "v": FORMAT_VERSION,
            "envelope_id": header_fields.get("envelope_id") or new_envelope_id(),
            "created_at": header_fields.get("created_at") or _this_hour(),
            "org_key_id": org_public.encryption_key_id,
            "kem": org_public.kem,
        }
    )
    if not isinstance(record, Mapping):
        raise EnvelopeError("The record to seal must be a JSON object.", code=MALFORMED)
    try:
        encoded = canonical_json(dict(record))
    except CanonicalJSONError as exc:
        raise EnvelopeError(f"The record cannot be sealed: {exc.message}", code=MALFORMED) from None
    if len(encoded) + len(_PAD_MARK) > MAX_PLAINTEXT_BYTES:
        raise EnvelopeError("The record is too large to seal in one envelope.", code=MALFORMED)
    plaintext = _pad(encoded)
    header_bytes = header.to_bytes()
    try:
        ciphertext = hpke_suite(org_public.kem).encrypt(
            plaintext, org_public.encryption_public_key(), info=_hpke_info(header_bytes)
        )
    except ValueError as exc:  # e.g. ML-KEM missing from this OpenSSL build
        raise EnvelopeError(f"The record cannot be sealed here: {exc}.", code=MALFORMED) from None
    signature = device_private.sign(_signed_message(header_bytes, ciphertext))
    return Envelope(header=header, ciphertext=ciphertext, signature=signature)


def _device_key(device_public: ed25519.Ed25519PublicKey | bytes) -> ed25519.Ed25519PublicKey:
    if isinstance(device_public, ed25519.Ed25519PublicKey):
        return device_public
    try:
        return keys.load_ed25519_public(bytes(device_public))
    except ValueError:
        raise EnvelopeError(
            "The device key is not an Ed25519 public key.", code=BAD_SIGNATURE
        ) from None


def verify(envelope: Envelope, device_public: ed25519.Ed25519PublicKey | bytes) -> None:
    """Check the device signature over header and ciphertext; no decryption (the hub's check).

    Raises EnvelopeError with code bad_envelope_signature.
    """
    message = _signed_message(envelope.header_bytes, envelope.ciphertext)
    try:
        _device_key(device_public).verify(envelope.signature, message)
    except InvalidSignature:
        raise EnvelopeError(
            "The envelope's device signature does not verify: it was changed or forged.",
            code=BAD_SIGNATURE,
        ) from None


def open_envelope(
    envelope: Envelope | bytes,
    org_private: OrgKeys,
    device_public: ed25519.Ed25519PublicKey | bytes,
) -> dict[str, Any]:
    """Verify everything, then decrypt: the record as it was sealed.

    Order matters: the signature is checked before any decryption, so a forged envelope is
    never fed to HPKE. Raises EnvelopeError (codes: malformed_envelope,
    bad_envelope_signature, wrong_org_key, envelope_decrypt_failed).
    """
    env = envelope if isinstance(envelope, Envelope) else Envelope.from_bytes(envelope)
    verify(env, device_public)
    return open_verified(env, org_private)


def open_verified(env: Envelope, org_private: OrgKeys) -> dict[str, Any]:
    """Decrypt an envelope whose signature the caller has just checked with `verify` (the
    coordinator's import verifies, checks the chain, then opens); `open_envelope` otherwise.
    """
    if env.header.org_key_id != org_private.encryption_key_id or env.header.kem != org_private.kem:
        raise EnvelopeError(
            "The envelope is sealed to another organisation key; this organisation cannot open it.",
            code=WRONG_ORG_KEY,
        )
    try:
        padded = hpke_suite(org_private.kem).decrypt(
            env.ciphertext, org_private.encryption_private_key, info=_hpke_info(env.header_bytes)
        )
    except (InvalidTag, ValueError):
        raise EnvelopeError(
            "The envelope cannot be decrypted: it is damaged or sealed to another key.",
            code=DECRYPT_FAILED,
        ) from None
    try:
        record = parse_canonical(_unpad(padded))
    except CanonicalJSONError:
        raise EnvelopeError(
            "The opened envelope does not hold a valid record.", code=DECRYPT_FAILED
        ) from None
    if not isinstance(record, dict):
        raise EnvelopeError("The opened envelope does not hold a record.", code=DECRYPT_FAILED)
    return record
