"""Documents signed by the organisation: published forms travel from coordinator to laptops.

The hub checks the signature before it stores a form (so a forged form never reaches a
laptop through it) and the laptop checks it again before installing (so the hub does not have
to be trusted with forms either).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature

from screening.canonical import CanonicalJSONError, canonical_json, parse_json, sha256_hex
from screening.errors import ScreeningError
from screening.org import keys
from screening.org.orgfile import OrgPublic, is_utc_iso
from screening.org.orgkeys import OrgKeys

DOCUMENT_FORMAT = "screening-desk/signed"
DOCUMENT_VERSION = 1
DOCUMENT_CONTEXT = b"screening-desk/signed-document/v1\x00"
KIND_FORM = "form"
MAX_DOCUMENT_BYTES = 2 * 1024 * 1024
_FIELDS = {"format", "version", "kind", "signed_at", "key_id", "payload", "signature"}


class DocumentError(ScreeningError):
    """A signed document is malformed or its organisation signature does not verify."""

    exit_code = 2

    def __init__(self, message: str, *, code: str = "malformed_document") -> None:
        super().__init__(message)
        self.code = code


def sign_document(
    org: OrgKeys, kind: str, payload: dict[str, Any], *, signed_at: str | None = None
) -> dict[str, Any]:
    """`payload` wrapped with the organisation's signature over its canonical JSON."""
    doc = {
        "format": DOCUMENT_FORMAT,
        "version": DOCUMENT_VERSION,
        "kind": kind,
        "signed_at": signed_at or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "key_id": org.signing_key_id,
        "payload": payload,
    }
    doc["signature"] = keys.b64encode(org.sign(DOCUMENT_CONTEXT, canonical_json(doc)))
    return doc


def verify_document(
    doc: Any, *, kind: str, org: OrgPublic | None = None, signing_key: bytes | None = None
) -> dict[str, Any]:
    """The payload of a signed document after checking its form and signature.

    Pass the organisation (`org`) or, on the hub, just its raw Ed25519 key (`signing_key`).
    Raises DocumentError: code `malformed_document` or `bad_document_signature`.
    """
    if isinstance(doc, bytes | bytearray | str):
        if len(doc) > MAX_DOCUMENT_BYTES:
            raise DocumentError("The signed document is too large.")
        try:
            doc = parse_json(doc)
        except CanonicalJSONError as exc:
            raise DocumentError(f"The signed document is not valid JSON: {exc.message}") from None
    if not isinstance(doc, dict) or set(doc) != _FIELDS:
        raise DocumentError("The signed document does not have the expected fields.")
    if doc["format"] != DOCUMENT_FORMAT or doc["version"] != DOCUMENT_VERSION:
        raise DocumentError("The signed document is in an unknown format or version.")
    if doc["kind"] != kind:
        raise DocumentError(f"The signed document is a {doc['kind']!r}, not a {kind!r}.")
    if not is_utc_iso(doc["signed_at"]) or not isinstance(doc["payload"], dict):
        raise DocumentError("The signed document has a bad signing time or payload.")
    raw_key = org.signing_key if org is not None else signing_key
    if raw_key is None:
        raise TypeError("verify_document needs org or signing_key")
    expected_id = keys.key_id(keys.SIGNING_ALG, raw_key)
    bad = DocumentError(
        "The document is not signed by this organisation's key.", code="bad_document_signature"
    )
    if doc["key_id"] != expected_id:
        raise bad
    try:
        signature = keys.b64decode(doc["signature"], max_bytes=128)
        unsigned = canonical_json({k: v for k, v in doc.items() if k != "signature"})
        keys.load_ed25519_public(raw_key).verify(signature, DOCUMENT_CONTEXT + unsigned)
    except (InvalidSignature, ValueError, CanonicalJSONError):
        # A bad signature, bad base64 or unsignable payload all mean "not signed by us".
        raise bad from None
    return doc["payload"]


def sign_form(
    org: OrgKeys, form: dict[str, Any], *, signed_at: str | None = None
) -> dict[str, Any]:
    """A form JSON object signed for publication through the hub."""
    form_identity(form)
    return sign_document(org, KIND_FORM, form, signed_at=signed_at)


def verify_signed_form(doc: Any, org: OrgPublic) -> dict[str, Any]:
    """The form JSON object inside a signed form document; DocumentError when unsigned/forged."""
    form = verify_document(doc, kind=KIND_FORM, org=org)
    form_identity(form)
    return form


def form_identity(form: Any) -> tuple[str, str]:
    """(form id, version) of a form object: the keys the hub stores forms under."""
    if not isinstance(form, dict):
        raise DocumentError("A form must be a JSON object.")
    form_id, version = form.get("id"), form.get("version")
    for value, what in ((form_id, "id"), (version, "version")):
        if not isinstance(value, str) or not 0 < len(value) <= 200:
            raise DocumentError(f"The form's {what} must be text of 1 to 200 characters.")
    return form_id, version  # type: ignore[return-value]


def form_hash(form: dict[str, Any]) -> str:
    """SHA-256 (hex) of the form's canonical JSON: the `form_hash` envelope headers carry."""
    return sha256_hex(canonical_json(form))
