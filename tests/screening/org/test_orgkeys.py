"""Organisation keys and the signed public organisation file."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519

from hub.devcert import make_dev_cert
from screening.canonical import canonical_json
from screening.org import (
    KEM_HYBRID,
    KEM_X25519,
    OrgFileError,
    OrgKeys,
    hybrid_supported,
    load_org_file,
    parse_org_file,
)
from screening.org import keys as orgkeys
from screening.org.orgfile import ORG_FILE_CONTEXT

CA = make_dev_cert().ca_pem
KEMS = [KEM_X25519, KEM_HYBRID] if hybrid_supported() else [KEM_X25519]


@pytest.fixture(scope="module", params=KEMS)
def org(request: pytest.FixtureRequest) -> OrgKeys:
    return OrgKeys.generate("Example Org", "https://hub.example.org/", CA, kem=request.param)


def test_default_kem_is_the_hybrid_when_openssl_has_ml_kem() -> None:
    made = OrgKeys.generate("Org", "https://hub.example.org", None)
    assert made.kem == (KEM_HYBRID if hybrid_supported() else KEM_X25519)


def test_public_file_verifies_and_records_the_scheme(org: OrgKeys, tmp_path: Path) -> None:
    path = tmp_path / "org.json"
    path.write_bytes(org.public.to_json_bytes())
    loaded = load_org_file(path)
    assert loaded == org.public
    doc = json.loads(path.read_text())
    assert doc["encryption_key"]["kem"] == org.kem
    assert doc["encryption_key"]["kdf"] == "HKDF_SHA256"
    assert doc["hub"] == {"url": "https://hub.example.org", "ca_pem": CA}
    assert doc["signing_key"]["key_id"] == loaded.signing_key_id
    assert len(loaded.fingerprint) == 39


def test_private_bundle_rebuilds_the_same_keys_and_file(org: OrgKeys) -> None:
    bundle = org.private_bundle()
    rebuilt = OrgKeys.from_private_bundle(bundle)
    assert rebuilt.public.to_json_bytes() == org.public.to_json_bytes()
    assert OrgKeys.from_private_bundle(json.loads(bundle)).public == org.public
    message = b"hello"
    assert org.public.verify(b"ctx", message, rebuilt.sign(b"ctx", message))
    secret = json.loads(bundle)["signing_private"]
    assert "_signing_private" not in repr(org) and secret not in repr(org)


def test_damaged_private_bundle_is_refused(org: OrgKeys) -> None:
    doc = json.loads(org.private_bundle())
    other = json.loads(
        OrgKeys.generate("Example Org", "https://hub.example.org", CA, kem=org.kem).private_bundle()
    )
    for change in (
        {"signing_private": other["signing_private"]},
        {"encryption_private": other["encryption_private"]},
        {"kem": "RSA"},
        {"version": 2},
        {"extra": 1},
    ):
        with pytest.raises(OrgFileError):
            OrgKeys.from_private_bundle({**doc, **change})
    with pytest.raises(OrgFileError):
        OrgKeys.from_private_bundle(b"{not json")


def _paths(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(doc, dict):
        return [p for k, v in doc.items() for p in _paths(v, (*prefix, k))]
    return [prefix]


def _set(doc: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(doc)
    target = changed
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return changed


def _tweak(value: Any) -> Any:
    if isinstance(value, str) and value:
        # Flip one character in the middle, keeping base64/hex/PEM shape where possible.
        i = len(value) // 2
        replacement = "A" if value[i] != "A" else "B"
        return value[:i] + replacement + value[i + 1 :]
    if isinstance(value, int):
        return value + 1
    return "x"


def test_every_field_of_the_org_file_is_protected(org: OrgKeys) -> None:
    doc = org.public_file()
    paths = _paths(doc)
    assert len(paths) >= 15
    for path in paths:
        with pytest.raises(OrgFileError) as err:
            parse_org_file(json.dumps(_set(doc, path, _tweak(_get(doc, path)))).encode())
        assert err.value.exit_code == 2, path


def _get(doc: dict[str, Any], path: tuple[Any, ...]) -> Any:
    for key in path:
        doc = doc[key]
    return doc


def test_tampered_name_gets_the_tamper_message(org: OrgKeys) -> None:
    doc = org.public_file()
    doc["name"] = "Someone Else"
    with pytest.raises(OrgFileError, match="signature does not verify"):
        parse_org_file(json.dumps(doc))


def test_a_file_resigned_with_another_key_is_caught_only_by_pinning(org: OrgKeys) -> None:
    # Replacing both keys and re-signing makes a valid file of a different organisation:
    # no signature can tell, which is why laptops pin the fingerprint they were given.
    attacker = OrgKeys.generate(org.public.name, org.public.hub_url, CA, kem=org.kem)
    parse_org_file(attacker.public_file())
    with pytest.raises(OrgFileError, match="different organisation key"):
        parse_org_file(attacker.public_file(), expected_signing_key_id=org.signing_key_id)
    # Swapping only the encryption key (to read future envelopes) breaks the signature.
    doc = org.public_file()
    doc["encryption_key"] = attacker.public_file()["encryption_key"]
    with pytest.raises(OrgFileError, match="signature does not verify"):
        parse_org_file(doc)
    # Swapping the key and its id, then signing with an unrelated key, is refused too.
    forged = copy.deepcopy(doc)
    forger = ed25519.Ed25519PrivateKey.generate()
    unsigned = {k: v for k, v in forged.items() if k != "signature"}
    forged["signature"]["value"] = orgkeys.b64encode(
        forger.sign(ORG_FILE_CONTEXT + canonical_json(unsigned))
    )
    with pytest.raises(OrgFileError, match="signature does not verify"):
        parse_org_file(forged)


def test_key_id_mismatch_is_named(org: OrgKeys) -> None:
    doc = org.public_file()
    doc["encryption_key"]["key_id"] = "0" * 32
    with pytest.raises(OrgFileError, match="encryption key id does not match"):
        parse_org_file(doc)


@pytest.mark.parametrize(
    "data",
    [b"", b"[]", b"{", b'{"format": "screening-desk/org"}', b"\xff\xfe", b"{" * 10_000],
)
def test_malformed_files_give_one_clear_error(data: bytes) -> None:
    with pytest.raises(OrgFileError):
        parse_org_file(data)


def test_missing_and_huge_files(tmp_path: Path) -> None:
    with pytest.raises(OrgFileError, match="no organisation file"):
        load_org_file(tmp_path / "missing.json")
    (tmp_path / "big.json").write_bytes(b" " * (2 << 20))
    with pytest.raises(OrgFileError, match="too large"):
        load_org_file(tmp_path / "big.json")


def test_newer_version_asks_for_an_update(org: OrgKeys) -> None:
    doc = org.public_file()
    doc["version"] = 2
    with pytest.raises(OrgFileError, match="Update Screening Desk"):
        parse_org_file(doc)


@pytest.mark.parametrize(
    "url",
    ["http://hub.example.org", "ftp://hub", "https://", "https://u:p@hub.example", "hub.example"],
)
def test_hub_url_must_be_https_or_loopback(url: str) -> None:
    with pytest.raises(OrgFileError, match="hub URL"):
        OrgKeys.generate("Org", url, None, kem=KEM_X25519)


def test_loopback_http_and_bad_ca() -> None:
    OrgKeys.generate("Org", "http://127.0.0.1:8080", None, kem=KEM_X25519)
    with pytest.raises(OrgFileError, match="CA certificate"):
        OrgKeys.generate("Org", "https://hub.example", "not a pem", kem=KEM_X25519)
    with pytest.raises(OrgFileError, match="name"):
        OrgKeys.generate(" ", "https://hub.example", None, kem=KEM_X25519)


def test_with_hub_keeps_the_keys(org: OrgKeys) -> None:
    moved = org.with_hub("https://new-hub.example.org", None)
    assert moved.signing_key_id == org.signing_key_id
    assert moved.encryption_key_id == org.encryption_key_id
    assert parse_org_file(moved.public_file()).hub_url == "https://new-hub.example.org"


def test_encryption_key_is_usable_as_the_vault_recovery_key(org: OrgKeys) -> None:
    """Interop contract: the vault's recovery slot takes the org key in the same raw format."""
    from screening.vault import keys as vault_keys

    public = vault_keys.load_public(org.kem, org.public.encryption_key)
    assert public is not None
    fingerprint = vault_keys.fingerprint(org.kem, org.public.encryption_key)
    assert fingerprint.startswith(org.encryption_key_id)
    sealed = vault_keys.seal(org.kem, org.public.encryption_key, b"data key", b"info")
    assert (
        vault_keys.open_sealed(org.kem, org.encryption_private_key, sealed, b"info") == b"data key"
    )
