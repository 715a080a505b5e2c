"""Key derivation, wrapping and sealing primitives."""

from __future__ import annotations

import pytest

from screening.vault import keys
from screening.vault.keys import DEFAULT_KDF, KdfParams


def test_default_kdf_is_the_production_setting() -> None:
    assert (DEFAULT_KDF.iterations, DEFAULT_KDF.memory_kib, DEFAULT_KDF.lanes) == (3, 65536, 4)
    assert KdfParams() == DEFAULT_KDF


@pytest.mark.parametrize(
    "params",
    [
        {"iterations": 0},
        {"iterations": 65},
        {"lanes": 0},
        {"memory_kib": 4},
        {"memory_kib": 5 * 1024 * 1024},
    ],
)
def test_kdf_bounds(params: dict[str, int]) -> None:
    with pytest.raises(ValueError):
        KdfParams(**params)


def test_kdf_json_round_trip_and_rejects_junk() -> None:
    p = KdfParams(iterations=2, memory_kib=1024, lanes=2)
    assert KdfParams.from_json(p.to_json()) == p
    for junk in (None, {}, {"alg": "pbkdf2"}, {**p.to_json(), "lanes": "2"}):
        with pytest.raises(ValueError):
            KdfParams.from_json(junk)


def test_derive_depends_on_salt_and_params() -> None:
    fast = KdfParams.fast_for_tests()
    a = keys.derive(b"pw", b"s" * 16, fast)
    assert len(a) == 32
    assert keys.derive(b"pw", b"s" * 16, fast) == a
    assert keys.derive(b"pw", b"t" * 16, fast) != a
    assert keys.derive(b"pw", b"s" * 16, KdfParams(iterations=2, memory_kib=64, lanes=1)) != a


def test_aead_binds_associated_data() -> None:
    key = keys.random_key()
    nonce, ct = keys.aead_seal(key, b"secret", b"user=a;role=screener")
    assert keys.aead_open(key, nonce, ct, b"user=a;role=screener") == b"secret"
    with pytest.raises(keys.InvalidTag):
        keys.aead_open(key, nonce, ct, b"user=a;role=admin")


@pytest.mark.parametrize("kem", keys.KEMS)
def test_seal_and_open(kem: str) -> None:
    if kem == keys.KEM_HYBRID and not keys.hybrid_supported():
        pytest.skip("ML-KEM is not available in this OpenSSL")
    private, public = keys.generate_keypair(kem)
    sealed = keys.seal(kem, public, b"k" * 32, b"info")
    key = keys.load_private(kem, private)
    assert keys.open_sealed(kem, key, sealed, b"info") == b"k" * 32
    with pytest.raises(keys.InvalidTag):
        keys.open_sealed(kem, key, sealed, b"other info")
    other, _ = keys.generate_recovery_keypair(kem)
    with pytest.raises(keys.InvalidTag):
        keys.open_sealed(kem, other, sealed, b"info")
    assert keys.private_key_kem(key) == kem


def test_malformed_public_keys_are_refused() -> None:
    with pytest.raises(ValueError):
        keys.load_public(keys.KEM_X25519, b"short")
    with pytest.raises(ValueError):
        keys.load_public(keys.KEM_HYBRID, b"x" * 32)
    with pytest.raises(ValueError):
        keys.normalise_kem("RSA")
    assert keys.normalise_kem("mlkem768-x25519") == keys.KEM_HYBRID


def test_users_get_the_post_quantum_hybrid_when_available() -> None:
    expected = keys.KEM_HYBRID if keys.hybrid_supported() else keys.KEM_X25519
    assert keys.default_user_kem() == expected
