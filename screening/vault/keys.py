"""Key material: Argon2id key derivation, AES-256-GCM wrapping and HPKE sealing.

Secrets we create are kept in `bytearray`s so `lock()` can overwrite them. Libraries hand
back immutable `bytes` copies (and SQLCipher needs the key as text); those cannot be wiped
from Python and are dropped as soon as possible instead — see docs/vault.md.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric import mlkem, x25519
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from screening.kems import KEM_HYBRID, KEM_X25519, KEMS, hybrid_supported
from screening.kems import hpke_suite as _suite

KEY_BYTES = 32
SALT_BYTES = 16
NONCE_BYTES = 12

_MLKEM_PUBLIC = 1184
_MLKEM_SEED = 64
_X25519_RAW = 32

# Re-exported: callers name the KEMs and the check through this module.
__all__ = ["KEMS", "KEM_HYBRID", "KEM_X25519", "InvalidTag", "hybrid_supported"]


@dataclass(frozen=True, slots=True)
class KdfParams:
    """Argon2id cost. The defaults are the production setting; tests pass cheaper ones."""

    iterations: int = 3
    memory_kib: int = 64 * 1024
    lanes: int = 4

    def __post_init__(self) -> None:
        # Upper bounds matter too: the parameters are read from a file an attacker may edit,
        # and 4 TiB of "memory cost" would be a denial of service rather than a key.
        if not 1 <= self.iterations <= 64:
            raise ValueError("Argon2id iterations must be between 1 and 64")
        if not 1 <= self.lanes <= 64:
            raise ValueError("Argon2id lanes must be between 1 and 64")
        if not 8 * self.lanes <= self.memory_kib <= 4 * 1024 * 1024:
            raise ValueError("Argon2id memory must be between 8 KiB per lane and 4 GiB")

    @classmethod
    def fast_for_tests(cls) -> KdfParams:
        """Deliberately weak, for tests only: no command-line option or setting selects it."""
        return cls(iterations=1, memory_kib=64, lanes=1)

    def weaker_than(self, other: KdfParams) -> bool:
        """Whether guessing a passphrase costs less under these parameters than under `other`.

        Lanes are parallelism, not cost: fewer lanes with the same memory and passes is not
        cheaper to attack, so only memory and passes count.
        """
        return self.memory_kib < other.memory_kib or self.iterations < other.iterations

    def describe(self) -> str:
        passes = "pass" if self.iterations == 1 else "passes"
        return f"{self.memory_kib:,} KiB, {self.iterations} {passes}"

    def cheaper_of(self, other: KdfParams) -> KdfParams:
        return KdfParams(
            iterations=min(self.iterations, other.iterations),
            memory_kib=min(self.memory_kib, other.memory_kib),
            lanes=min(self.lanes, other.lanes),
        )

    def to_json(self) -> dict[str, int | str]:
        return {
            "alg": "argon2id",
            "iterations": self.iterations,
            "memory_kib": self.memory_kib,
            "lanes": self.lanes,
        }

    @classmethod
    def from_json(cls, data: Any) -> KdfParams:
        if not isinstance(data, dict) or data.get("alg") != "argon2id":
            raise ValueError("unknown key derivation")
        values = [data.get(k) for k in ("iterations", "memory_kib", "lanes")]
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            raise ValueError("bad key derivation parameters")
        return cls(iterations=values[0], memory_kib=values[1], lanes=values[2])


DEFAULT_KDF = KdfParams()
# User names are hashed so the slots file does not list who works here; a lighter cost
# (OWASP's minimum Argon2id setting) because it is paid on every unlock on top of the
# passphrase derivation.
NAME_TAG_KDF = KdfParams(iterations=2, memory_kib=19 * 1024, lanes=1)


def random_key() -> bytearray:
    return bytearray(os.urandom(KEY_BYTES))


def random_salt() -> bytes:
    return os.urandom(SALT_BYTES)


def derive(secret: bytes, salt: bytes, params: KdfParams, length: int = KEY_BYTES) -> bytearray:
    kdf = Argon2id(
        salt=salt,
        length=length,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    )
    return bytearray(kdf.derive(secret))


def aead_seal(key: bytearray, plaintext: bytes | bytearray, aad: bytes) -> tuple[bytes, bytes]:
    nonce = os.urandom(NONCE_BYTES)
    return nonce, AESGCM(bytes(key)).encrypt(nonce, bytes(plaintext), aad)


def aead_open(key: bytearray, nonce: bytes, ciphertext: bytes, aad: bytes) -> bytearray:
    """Raises InvalidTag when the key is wrong or any byte (or the associated data) changed."""
    return bytearray(AESGCM(bytes(key)).decrypt(nonce, ciphertext, aad))


def default_user_kem() -> str:
    # Post-quantum hybrid when the OpenSSL build has ML-KEM: the sealed data keys sit in a
    # file anyone holding the laptop can copy and keep for later.
    return KEM_HYBRID if hybrid_supported() else KEM_X25519


def normalise_kem(kem: str) -> str:
    upper = kem.strip().upper().replace("-", "_")
    if upper not in KEMS:
        raise ValueError(f"unknown KEM {kem!r}; expected one of {', '.join(KEMS)}")
    return upper


def generate_keypair(kem: str) -> tuple[bytearray, bytes]:
    """Return (raw private key, raw public key) in the formats `load_private`/`load_public` read.

    Hybrid keys are ML-KEM-768 seed (64 bytes) || X25519 (32 bytes) for the private half and
    ML-KEM-768 encapsulation key (1184 bytes) || X25519 (32 bytes) for the public half.
    """
    xk = x25519.X25519PrivateKey.generate()
    x_private = bytearray(xk.private_bytes_raw())
    x_public = xk.public_key().public_bytes_raw()
    if kem == KEM_X25519:
        return x_private, x_public
    if kem == KEM_HYBRID:
        mk = mlkem.MLKEM768PrivateKey.generate()
        private = bytearray(mk.private_bytes_raw()) + x_private
        return private, mk.public_key().public_bytes_raw() + x_public
    raise ValueError(f"unknown KEM {kem!r}")


def load_private(kem: str, raw: bytes | bytearray) -> Any:
    data = bytes(raw)
    if kem == KEM_X25519 and len(data) == _X25519_RAW:
        return x25519.X25519PrivateKey.from_private_bytes(data)
    if kem == KEM_HYBRID and len(data) == _MLKEM_SEED + _X25519_RAW:
        return hpke.MLKEM768X25519PrivateKey(
            mlkem.MLKEM768PrivateKey.from_seed_bytes(data[:_MLKEM_SEED]),
            x25519.X25519PrivateKey.from_private_bytes(data[_MLKEM_SEED:]),
        )
    raise ValueError("private key does not match its KEM")


def load_public(kem: str, raw: bytes) -> Any:
    if kem == KEM_X25519 and len(raw) == _X25519_RAW:
        return x25519.X25519PublicKey.from_public_bytes(raw)
    if kem == KEM_HYBRID and len(raw) == _MLKEM_PUBLIC + _X25519_RAW:
        return hpke.MLKEM768X25519PublicKey(
            mlkem.MLKEM768PublicKey.from_public_bytes(raw[:_MLKEM_PUBLIC]),
            x25519.X25519PublicKey.from_public_bytes(raw[_MLKEM_PUBLIC:]),
        )
    raise ValueError(f"not a raw {kem} public key")


def private_key_kem(private_key: Any) -> str:
    if isinstance(private_key, x25519.X25519PrivateKey):
        return KEM_X25519
    if isinstance(private_key, hpke.MLKEM768X25519PrivateKey):
        return KEM_HYBRID
    raise TypeError("expected an X25519PrivateKey or an hpke.MLKEM768X25519PrivateKey")


def seal(kem: str, public_key: bytes, plaintext: bytes | bytearray, info: bytes) -> bytes:
    return bytes(_suite(kem).encrypt(bytes(plaintext), load_public(kem, public_key), info=info))


def open_sealed(kem: str, private_key: Any, ciphertext: bytes, info: bytes) -> bytearray:
    """Raises InvalidTag when the private key or `info` does not match, or a byte changed."""
    return bytearray(_suite(kem).decrypt(ciphertext, private_key, info=info))


def fingerprint(kem: str, public_key: bytes) -> str:
    return hashlib.sha256(kem.encode("ascii") + b":" + public_key).hexdigest()


def generate_recovery_keypair(kem: str = KEM_HYBRID) -> tuple[Any, bytes]:
    """An organisation-style key pair: (private key object, raw public bytes), for tests."""
    private, public = generate_keypair(kem)
    key = load_private(kem, private)
    private[:] = bytes(len(private))
    return key, public
