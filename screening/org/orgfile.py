"""The public organisation file: what a laptop and the hub know about the organisation.

It is self-signed by the organisation's Ed25519 key. The signature proves the file is whole
and was issued by whoever holds that key; it cannot prove *which* key is the real one. That
trust comes from how the file reaches a laptop (from the coordinator, at enrolment), and can be
checked by reading `OrgPublic.fingerprint` aloud. See docs/protocol.md.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ed25519

from screening.canonical import CanonicalJSONError, canonical_json, parse_json
from screening.errors import ScreeningError
from screening.org import keys

ORG_FORMAT = "screening-desk/org"
ORG_VERSION = 1
# Every signature made with an organisation or device key starts with its own context string,
# so a signature made for one purpose (an org file) can never be replayed as another (a form).
ORG_FILE_CONTEXT = b"screening-desk/org-file/v1\x00"
MAX_ORG_FILE_BYTES = 1 << 20
MAX_NAME = 200
MAX_CA_PEM = 64 * 1024
_ISO_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$")
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class OrgFileError(ScreeningError):
    """The organisation file is missing, malformed, or fails its signature or key-id checks."""

    exit_code = 2


def utc_now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def is_utc_iso(text: object) -> bool:
    if not isinstance(text, str) or not _ISO_UTC.match(text):
        return False
    try:
        datetime.fromisoformat(text[:-1])
    except ValueError:
        return False
    return True


def check_hub_url(url: object) -> str:
    """HTTPS, or plain HTTP to loopback only (pilots and tests behind no network at all)."""
    if not isinstance(url, str) or len(url) > 2000:
        raise OrgFileError("The hub URL must be text.")
    parts = urlsplit(url)
    host = parts.hostname or ""
    ok = bool(host) and (parts.scheme == "https" or (parts.scheme == "http" and host in _LOOPBACK))
    if not ok or parts.query or parts.fragment or parts.username or parts.password:
        raise OrgFileError(
            f"The hub URL {url!r} must be https://host[:port][/path] (plain http only to "
            "127.0.0.1 or localhost)."
        )
    return url


def check_ca_pem(pem: object) -> str | None:
    if pem is None:
        return None
    if not isinstance(pem, str) or not pem.strip() or len(pem) > MAX_CA_PEM:
        raise OrgFileError("The hub CA certificate must be PEM text.")
    try:
        certs = x509.load_pem_x509_certificates(pem.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        raise OrgFileError("The hub CA certificate is not a valid PEM certificate.") from None
    if not certs:
        raise OrgFileError("The hub CA certificate is not a valid PEM certificate.")
    return pem


@dataclass(frozen=True, slots=True)
class OrgPublic:
    """The verified public half of an organisation, as read from its signed file."""

    name: str
    created_at: str
    kem: str
    encryption_key: bytes
    encryption_key_id: str
    signing_key: bytes
    signing_key_id: str
    hub_url: str
    hub_ca_pem: str | None
    signature: bytes

    @property
    def fingerprint(self) -> str:
        """The signing key id in groups of four, for reading aloud or comparing by eye."""
        return "-".join(self.signing_key_id[i : i + 4] for i in range(0, 32, 4))

    def encryption_public_key(self) -> Any:
        return keys.load_encryption_public(self.kem, self.encryption_key)

    def signing_public_key(self) -> ed25519.Ed25519PublicKey:
        return keys.load_ed25519_public(self.signing_key)

    def verify(self, context: bytes, message: bytes, signature: bytes) -> bool:
        """Whether `signature` is the organisation's signature over `context ‖ message`."""
        try:
            self.signing_public_key().verify(signature, context + message)
        except InvalidSignature:
            return False
        return True

    def unsigned_dict(self) -> dict[str, Any]:
        return {
            "format": ORG_FORMAT,
            "version": ORG_VERSION,
            "name": self.name,
            "created_at": self.created_at,
            "encryption_key": {
                "kem": self.kem,
                "kdf": keys.KDF_NAME,
                "aead": keys.AEAD_NAME,
                "key_id": self.encryption_key_id,
                "public_key": keys.b64encode(self.encryption_key),
            },
            "signing_key": {
                "alg": keys.SIGNING_ALG,
                "key_id": self.signing_key_id,
                "public_key": keys.b64encode(self.signing_key),
            },
            "hub": {"url": self.hub_url, "ca_pem": self.hub_ca_pem},
        }

    def to_dict(self) -> dict[str, Any]:
        """The signed file as a JSON object."""
        data = self.unsigned_dict()
        data["signature"] = {
            "alg": keys.SIGNING_ALG,
            "key_id": self.signing_key_id,
            "value": keys.b64encode(self.signature),
        }
        return data

    def to_json_bytes(self) -> bytes:
        # Indented for people; the signature covers the canonical form, not these bytes.
        return (json.dumps(self.to_dict(), indent=2, sort_keys=True) + "\n").encode("utf-8")

    def write(self, path: str | Path) -> None:
        Path(path).write_bytes(self.to_json_bytes())


def _obj(data: Any, what: str, fields: set[str]) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise OrgFileError(f"The organisation file's {what} is not a JSON object.")
    if set(data) != fields:
        unexpected = sorted(set(data) - fields)
        missing = sorted(fields - set(data))
        detail = f"unexpected {unexpected}" if unexpected else f"missing {missing}"
        raise OrgFileError(f"The organisation file's {what} has the wrong fields ({detail}).")
    return data


def _b64(data: Any, what: str) -> bytes:
    try:
        return keys.b64decode(data, max_bytes=4096)
    except ValueError:
        raise OrgFileError(f"The organisation file's {what} is not valid base64.") from None


def parse_org_file(
    data: bytes | bytearray | str | dict[str, Any], *, expected_signing_key_id: str | None = None
) -> OrgPublic:
    """Verify and read an organisation file; OrgFileError (exit code 2) when anything is off.

    `expected_signing_key_id` pins the organisation: a file re-signed with another key (which
    its own signature cannot reveal) is then refused too.
    """
    if isinstance(data, dict):
        doc: Any = data
    else:
        if len(data) > MAX_ORG_FILE_BYTES:
            raise OrgFileError("The organisation file is too large to be one.")
        try:
            doc = parse_json(data)
        except CanonicalJSONError as exc:
            raise OrgFileError(f"The organisation file is not valid JSON: {exc.message}") from None
    fields = {"format", "version", "name", "created_at", "encryption_key", "signing_key"}
    top = _obj(doc, "top level", fields | {"hub", "signature"})
    if top["format"] != ORG_FORMAT:
        raise OrgFileError("This is not a Screening Desk organisation file.")
    if top["version"] != ORG_VERSION or isinstance(top["version"], bool):
        raise OrgFileError(
            f"The organisation file has version {top['version']!r}; this app reads version "
            f"{ORG_VERSION}. Update Screening Desk."
        )
    name = top["name"]
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME:
        raise OrgFileError("The organisation name must be text of 1 to 200 characters.")
    if not is_utc_iso(top["created_at"]):
        raise OrgFileError("The organisation file's creation time is not a UTC ISO time.")
    enc = _obj(
        top["encryption_key"], "encryption key", {"kem", "kdf", "aead", "key_id", "public_key"}
    )
    if enc["kem"] not in keys.KEMS or enc["kdf"] != keys.KDF_NAME or enc["aead"] != keys.AEAD_NAME:
        raise OrgFileError(
            "The organisation file names an encryption scheme this app does not use."
        )
    sig_key = _obj(top["signing_key"], "signing key", {"alg", "key_id", "public_key"})
    if sig_key["alg"] != keys.SIGNING_ALG:
        raise OrgFileError("The organisation signing key must be Ed25519.")
    hub = _obj(top["hub"], "hub", {"url", "ca_pem"})
    signature = _obj(top["signature"], "signature", {"alg", "key_id", "value"})
    enc_raw = _b64(enc["public_key"], "encryption key")
    sig_raw = _b64(sig_key["public_key"], "signing key")
    sig_value = _b64(signature["value"], "signature")

    # Key ids are recomputed, never trusted: envelopes and requests name keys by id, so an id
    # that does not match its key would let one key stand in for another.
    if enc["key_id"] != keys.key_id(enc["kem"], enc_raw):
        raise OrgFileError("The organisation file's encryption key id does not match its key.")
    if sig_key["key_id"] != keys.key_id(keys.SIGNING_ALG, sig_raw):
        raise OrgFileError("The organisation file's signing key id does not match its key.")
    if signature["alg"] != keys.SIGNING_ALG or signature["key_id"] != sig_key["key_id"]:
        raise OrgFileError("The organisation file is signed by a key other than its own.")
    try:
        verifier = keys.load_ed25519_public(sig_raw)
    except ValueError:
        raise OrgFileError("The organisation signing key is not an Ed25519 public key.") from None
    unsigned = {k: v for k, v in top.items() if k != "signature"}
    try:
        verifier.verify(sig_value, ORG_FILE_CONTEXT + canonical_json(unsigned))
    except (InvalidSignature, CanonicalJSONError):
        raise OrgFileError(
            "The organisation file's signature does not verify: the file was changed after "
            "it was signed."
        ) from None
    # Checked after the signature so the message for a tampered file is the tamper message.
    try:
        keys.load_encryption_public(enc["kem"], enc_raw)
    except ValueError as exc:
        raise OrgFileError(f"The organisation encryption key cannot be used here: {exc}.") from None
    if expected_signing_key_id is not None and sig_key["key_id"] != expected_signing_key_id:
        raise OrgFileError(
            "The organisation file is signed by a different organisation key than expected."
        )
    return OrgPublic(
        name=name,
        created_at=top["created_at"],
        kem=enc["kem"],
        encryption_key=enc_raw,
        encryption_key_id=enc["key_id"],
        signing_key=sig_raw,
        signing_key_id=sig_key["key_id"],
        hub_url=check_hub_url(hub["url"]),
        hub_ca_pem=check_ca_pem(hub["ca_pem"]),
        signature=sig_value,
    )


def load_org_file(path: str | Path, *, expected_signing_key_id: str | None = None) -> OrgPublic:
    """Read and verify the organisation file at `path` (see `parse_org_file`)."""
    p = Path(path)
    try:
        with p.open("rb") as fh:
            data = fh.read(MAX_ORG_FILE_BYTES + 1)
    except FileNotFoundError:
        raise OrgFileError(f"There is no organisation file at {p}.") from None
    except OSError as exc:
        raise OrgFileError(f"The organisation file {p} cannot be read: {exc.strerror}.") from None
    return parse_org_file(data, expected_signing_key_id=expected_signing_key_id)
