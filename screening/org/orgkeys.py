"""The organisation's private keys: created once by a coordinator, kept in the coordinator's vault.

`OrgKeys.private_bundle()` is the one blob the vault stores (encrypted under its data key);
everything else, including the signed public file, is rebuilt from it. Ed25519 signatures
are deterministic, so the rebuilt public file is byte-for-byte the one handed out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ed25519

from screening.canonical import CanonicalJSONError, canonical_json, parse_json
from screening.org import keys
from screening.org.orgfile import (
    MAX_NAME,
    ORG_FILE_CONTEXT,
    OrgFileError,
    OrgPublic,
    check_ca_pem,
    check_hub_url,
    is_utc_iso,
    utc_now_iso,
)

PRIVATE_FORMAT = "screening-desk/org-private"
PRIVATE_VERSION = 1
_PRIVATE_FIELDS = {
    "format",
    "version",
    "name",
    "created_at",
    "kem",
    "encryption_private",
    "encryption_key_id",
    "signing_private",
    "signing_key_id",
    "hub_url",
    "hub_ca_pem",
}


@dataclass(frozen=True, slots=True)
class OrgKeys:
    """Both organisation key pairs and the signed public file they produce."""

    public: OrgPublic
    _encryption_private: bytes = field(repr=False)
    _signing_private: bytes = field(repr=False)

    # ---- creation -------------------------------------------------------------------------

    @classmethod
    def generate(
        cls,
        name: str,
        hub_url: str,
        hub_ca_pem: str | None = None,
        *,
        kem: str | None = None,
        created_at: str | None = None,
    ) -> OrgKeys:
        """New organisation keys. `kem` defaults to the hybrid KEM when OpenSSL has ML-KEM.

        Raises OrgFileError for a bad name, hub URL or CA certificate.
        """
        chosen = kem or keys.default_kem()
        try:
            enc_private, _ = keys.generate_encryption_key(chosen)
        except ValueError as exc:
            raise OrgFileError(f"The organisation key cannot be created: {exc}.") from None
        signing = ed25519.Ed25519PrivateKey.generate().private_bytes_raw()
        return cls._build(
            name=name,
            created_at=created_at or utc_now_iso(),
            kem=chosen,
            enc_private=enc_private,
            sig_private=signing,
            hub_url=hub_url.rstrip("/") if isinstance(hub_url, str) else hub_url,
            hub_ca_pem=hub_ca_pem,
        )

    @classmethod
    def _build(
        cls,
        *,
        name: str,
        created_at: str,
        kem: str,
        enc_private: bytes,
        sig_private: bytes,
        hub_url: str,
        hub_ca_pem: str | None,
    ) -> OrgKeys:
        if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME:
            raise OrgFileError("The organisation name must be text of 1 to 200 characters.")
        if not is_utc_iso(created_at):
            raise OrgFileError("The organisation creation time is not a UTC ISO time.")
        check_hub_url(hub_url)
        check_ca_pem(hub_ca_pem)
        try:
            enc_public = keys.encryption_public_from_private(kem, enc_private)
            signer = keys.load_ed25519_private(sig_private)
        except ValueError as exc:
            raise OrgFileError(f"The organisation private key is not usable: {exc}.") from None
        sig_public = keys.ed25519_public_raw(signer)
        unsigned = OrgPublic(
            name=name,
            created_at=created_at,
            kem=kem,
            encryption_key=enc_public,
            encryption_key_id=keys.key_id(kem, enc_public),
            signing_key=sig_public,
            signing_key_id=keys.key_id(keys.SIGNING_ALG, sig_public),
            hub_url=hub_url,
            hub_ca_pem=hub_ca_pem,
            signature=b"",
        )
        signature = signer.sign(ORG_FILE_CONTEXT + canonical_json(unsigned.unsigned_dict()))
        public = replace(unsigned, signature=signature)
        return cls(public=public, _encryption_private=enc_private, _signing_private=sig_private)

    def with_hub(self, hub_url: str, hub_ca_pem: str | None) -> OrgKeys:
        """The same keys with a new hub address or CA (a moved hub, a renewed certificate)."""
        return self._build(
            name=self.public.name,
            created_at=self.public.created_at,
            kem=self.public.kem,
            enc_private=self._encryption_private,
            sig_private=self._signing_private,
            hub_url=hub_url.rstrip("/"),
            hub_ca_pem=hub_ca_pem,
        )

    # ---- storage --------------------------------------------------------------------------

    def private_bundle(self) -> bytes:
        """Everything needed to rebuild these keys, as canonical JSON bytes. SECRET.

        Store it only inside an encrypted vault; it is returned as `bytes`, which Python cannot
        wipe, so drop the reference as soon as it is stored.
        """
        return canonical_json(
            {
                "format": PRIVATE_FORMAT,
                "version": PRIVATE_VERSION,
                "name": self.public.name,
                "created_at": self.public.created_at,
                "kem": self.public.kem,
                "encryption_private": keys.b64encode(self._encryption_private),
                "encryption_key_id": self.public.encryption_key_id,
                "signing_private": keys.b64encode(self._signing_private),
                "signing_key_id": self.public.signing_key_id,
                "hub_url": self.public.hub_url,
                "hub_ca_pem": self.public.hub_ca_pem,
            }
        )

    @classmethod
    def from_private_bundle(cls, data: bytes | bytearray | str | Mapping[str, Any]) -> OrgKeys:
        """Rebuild from `private_bundle()` output; OrgFileError when it is damaged."""
        try:
            doc = dict(data) if isinstance(data, Mapping) else parse_json(data)
        except CanonicalJSONError:
            raise OrgFileError("The organisation private keys are not valid JSON.") from None
        if not isinstance(doc, dict) or set(doc) != _PRIVATE_FIELDS:
            raise OrgFileError("The organisation private keys have the wrong fields.")
        if doc["format"] != PRIVATE_FORMAT or doc["version"] != PRIVATE_VERSION:
            raise OrgFileError("The organisation private keys are in an unknown format.")
        if doc["kem"] not in keys.KEMS:
            raise OrgFileError("The organisation private keys name an unknown KEM.")
        try:
            enc_private = keys.b64decode(doc["encryption_private"], max_bytes=4096)
            sig_private = keys.b64decode(doc["signing_private"], max_bytes=4096)
        except ValueError:
            raise OrgFileError("The organisation private keys are not valid base64.") from None
        built = cls._build(
            name=doc["name"],
            created_at=doc["created_at"],
            kem=doc["kem"],
            enc_private=enc_private,
            sig_private=sig_private,
            hub_url=doc["hub_url"],
            hub_ca_pem=doc["hub_ca_pem"],
        )
        # The stored ids catch a bundle whose key bytes were damaged in a way that still
        # yields a valid key: a different key would silently fail to open every envelope.
        if (
            built.public.encryption_key_id != doc["encryption_key_id"]
            or built.public.signing_key_id != doc["signing_key_id"]
        ):
            raise OrgFileError("The organisation private keys do not match their key ids.")
        return built

    def public_file(self) -> dict[str, Any]:
        """The signed public organisation file as a JSON object (write it with json.dump)."""
        return self.public.to_dict()

    # ---- use ------------------------------------------------------------------------------

    @property
    def kem(self) -> str:
        return self.public.kem

    @property
    def encryption_key_id(self) -> str:
        return self.public.encryption_key_id

    @property
    def signing_key_id(self) -> str:
        return self.public.signing_key_id

    @property
    def encryption_private_key(self) -> Any:
        """The HPKE private key object (opens envelopes)."""
        return keys.load_encryption_private(self.public.kem, self._encryption_private)

    @property
    def signing_private_key(self) -> ed25519.Ed25519PrivateKey:
        """The Ed25519 key that signs requests, forms and the org file."""
        return keys.load_ed25519_private(self._signing_private)

    def sign(self, context: bytes, message: bytes) -> bytes:
        return self.signing_private_key.sign(context + message)
