"""The HPKE key-encapsulation choices shared by the vault's key slots and the organisation keys.

One place decides which KEMs exist and whether this OpenSSL build has ML-KEM, so the vault
and the sync envelopes can never disagree about a key's algorithm.
"""

from __future__ import annotations

import functools
from typing import Any

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric import mlkem

KEM_X25519 = "X25519"
KEM_HYBRID = "MLKEM768_X25519"
KEMS = (KEM_X25519, KEM_HYBRID)


@functools.cache
def hybrid_supported() -> bool:
    """Whether the installed OpenSSL has ML-KEM (checked once, by trying)."""
    try:
        mlkem.MLKEM768PrivateKey.generate()
    except UnsupportedAlgorithm:
        return False
    return True


def hpke_suite(kem: str) -> Any:
    """The HPKE suite for `kem`: HKDF-SHA256 and AES-256-GCM with either KEM."""
    kem_id = {KEM_X25519: hpke.KEM.X25519, KEM_HYBRID: hpke.KEM.MLKEM768_X25519}.get(kem)
    if kem_id is None:
        raise ValueError(f"unknown KEM {kem!r}; expected one of {', '.join(KEMS)}")
    return hpke.Suite(kem_id, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)
