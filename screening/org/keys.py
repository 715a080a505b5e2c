"""Raw key formats, key ids and the HPKE suite shared by org files, envelopes and the hub.

Raw formats match `screening.vault.keys` on purpose, so the organisation's public encryption
key can be handed to `Vault.set_recovery_key(public_key, kem)` unchanged:

- X25519: 32-byte private key, 32-byte public key;
- MLKEM768_X25519: ML-KEM-768 seed (64) ‖ X25519 private (32), and ML-KEM-768 encapsulation
  key (1184) ‖ X25519 public (32).

This module does not import the vault: the hub imports it and must never import the vault.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from typing import Any

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric import ed25519, mlkem, x25519

from screening.kems import KEM_HYBRID, KEM_X25519, KEMS, hybrid_supported

KDF_NAME = "HKDF_SHA256"
AEAD_NAME = "AES_256_GCM"
SIGNING_ALG = "Ed25519"

_MLKEM_PUBLIC = 1184
_MLKEM_SEED = 64
_RAW_32 = 32
ED25519_SIGNATURE_BYTES = 64

KEY_ID_HEX = 32
KEY_ID_RE = re.compile(r"^[0-9a-f]{32}$")


def default_kem() -> str:
    # The post-quantum hybrid when available: sealed interviews sit on the hub and on backups
    # for years, long enough for "harvest now, decrypt later" to matter.
    return KEM_HYBRID if hybrid_supported() else KEM_X25519


def key_id(alg: str, raw_public: bytes) -> str:
    """A short, stable name for a public key: SHA-256 over `alg:raw`, first 128 bits in hex.

    The algorithm name is hashed in so an X25519 key and an Ed25519 key with the same 32
    bytes never share an id. The full digest equals the vault's recovery-key fingerprint
    (`screening.vault.keys.fingerprint`), so a coordinator can compare the two by eye.
    """
    return hashlib.sha256(alg.encode("ascii") + b":" + raw_public).hexdigest()[:KEY_ID_HEX]


def generate_encryption_key(kem: str) -> tuple[bytes, bytes]:
    """(raw private, raw public) for `kem`; raises ValueError when `kem` is not usable here."""
    if kem not in KEMS:
        raise ValueError(f"unknown KEM {kem!r}; expected one of {', '.join(KEMS)}")
    if kem == KEM_HYBRID and not hybrid_supported():
        raise ValueError("this OpenSSL build has no ML-KEM; use X25519")
    xk = x25519.X25519PrivateKey.generate()
    x_private, x_public = xk.private_bytes_raw(), xk.public_key().public_bytes_raw()
    if kem == KEM_X25519:
        return x_private, x_public
    mk = mlkem.MLKEM768PrivateKey.generate()
    return mk.private_bytes_raw() + x_private, mk.public_key().public_bytes_raw() + x_public


def load_encryption_private(kem: str, raw: bytes) -> Any:
    """The HPKE private key object; ValueError when the bytes do not fit `kem`."""
    try:
        if kem == KEM_X25519 and len(raw) == _RAW_32:
            return x25519.X25519PrivateKey.from_private_bytes(raw)
        if kem == KEM_HYBRID and len(raw) == _MLKEM_SEED + _RAW_32:
            return hpke.MLKEM768X25519PrivateKey(
                mlkem.MLKEM768PrivateKey.from_seed_bytes(raw[:_MLKEM_SEED]),
                x25519.X25519PrivateKey.from_private_bytes(raw[_MLKEM_SEED:]),
            )
    except UnsupportedAlgorithm:
        raise ValueError("this OpenSSL build has no ML-KEM") from None
    raise ValueError(f"not a raw {kem} private key")


def load_encryption_public(kem: str, raw: bytes) -> Any:
    """The HPKE public key object; ValueError when the bytes do not fit `kem`."""
    try:
        if kem == KEM_X25519 and len(raw) == _RAW_32:
            return x25519.X25519PublicKey.from_public_bytes(raw)
        if kem == KEM_HYBRID and len(raw) == _MLKEM_PUBLIC + _RAW_32:
            return hpke.MLKEM768X25519PublicKey(
                mlkem.MLKEM768PublicKey.from_public_bytes(raw[:_MLKEM_PUBLIC]),
                x25519.X25519PublicKey.from_public_bytes(raw[_MLKEM_PUBLIC:]),
            )
    except UnsupportedAlgorithm:
        raise ValueError("this OpenSSL build has no ML-KEM") from None
    raise ValueError(f"not a raw {kem} public key")


def encryption_public_from_private(kem: str, raw_private: bytes) -> bytes:
    if kem == KEM_X25519:
        return (
            x25519.X25519PrivateKey.from_private_bytes(raw_private).public_key().public_bytes_raw()
        )
    if kem == KEM_HYBRID:
        mk = mlkem.MLKEM768PrivateKey.from_seed_bytes(raw_private[:_MLKEM_SEED])
        xk = x25519.X25519PrivateKey.from_private_bytes(raw_private[_MLKEM_SEED:])
        return mk.public_key().public_bytes_raw() + xk.public_key().public_bytes_raw()
    raise ValueError(f"unknown KEM {kem!r}")


def ed25519_public_raw(key: ed25519.Ed25519PrivateKey | ed25519.Ed25519PublicKey) -> bytes:
    public = key.public_key() if isinstance(key, ed25519.Ed25519PrivateKey) else key
    return public.public_bytes_raw()


def signing_key_id(key: ed25519.Ed25519PrivateKey | ed25519.Ed25519PublicKey) -> str:
    """The key id of an Ed25519 key (org signing key or device key)."""
    return key_id(SIGNING_ALG, ed25519_public_raw(key))


def load_ed25519_public(raw: bytes) -> ed25519.Ed25519PublicKey:
    if len(raw) != _RAW_32:
        raise ValueError("an Ed25519 public key is 32 bytes")
    return ed25519.Ed25519PublicKey.from_public_bytes(raw)


def load_ed25519_private(raw: bytes) -> ed25519.Ed25519PrivateKey:
    if len(raw) != _RAW_32:
        raise ValueError("an Ed25519 private key is 32 bytes")
    return ed25519.Ed25519PrivateKey.from_private_bytes(raw)


def b64encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def b64decode(text: object, *, max_bytes: int = 1 << 24) -> bytes:
    """Strict standard base64: no whitespace, correct padding, canonical trailing bits.

    ValueError otherwise. Canonical-only matters: two spellings of the same bytes would give
    two different signed documents for one key.
    """
    if not isinstance(text, str) or len(text) > (max_bytes // 3 + 1) * 4:
        raise ValueError("not base64 text of an acceptable length")
    try:
        data = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise ValueError("not valid base64") from None
    if base64.b64encode(data).decode("ascii") != text:
        raise ValueError("base64 is not in canonical form")
    return data
