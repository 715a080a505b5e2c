"""The hub protocol's shared half: request signing, enrolment codes, error codes, TLS pinning.

Both the hub and the sync client import this module, so a rule written here is the same rule
on both ends. Importing it loads no HTTP library: `RequestSigner` works as an httpx `auth=`
callable through duck typing, and `hub_client` imports httpx only when called. Every rule here
is documented in docs/protocol.md.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ed25519

from screening import jsonio
from screening.errors import ScreeningError
from screening.org import keys

PROTOCOL_VERSION = 1
API_PREFIX = "/v1"
MAX_SKEW_SECONDS = 300
REQUEST_CONTEXT = b"screening-desk/request/v1\n"

# Endpoints (docs/protocol.md, "Endpoints"); PATH_REVOKE takes .format(device_id=...).
PATH_HEALTH = f"{API_PREFIX}/health"
PATH_ENROL_CODES = f"{API_PREFIX}/enrol-codes"
PATH_DEVICES = f"{API_PREFIX}/devices"
PATH_DEVICE_SELF = f"{API_PREFIX}/devices/self"
PATH_REVOKE = f"{API_PREFIX}/devices/{{device_id}}/revoke"
PATH_ROTATE_KEY = f"{API_PREFIX}/devices/self/rotate-key"
PATH_ENVELOPES = f"{API_PREFIX}/envelopes"
PATH_ACK = f"{API_PREFIX}/envelopes/ack"
PATH_ENVELOPE_BATCH = f"{API_PREFIX}/envelopes/batch"
PATH_FORMS = f"{API_PREFIX}/forms"

HEADER_KEY = "X-SD-Key"
HEADER_TIMESTAMP = "X-SD-Timestamp"
HEADER_NONCE = "X-SD-Nonce"
HEADER_SIGNATURE = "X-SD-Signature"
ENVELOPE_MEDIA_TYPE = "application/vnd.screening-desk.envelope"
ENVELOPE_BATCH_MEDIA_TYPE = "application/vnd.screening-desk.envelope-batch"

_NONCE_RE = re.compile(r"^[0-9a-f]{32}$")
_TIMESTAMP_RE = re.compile(r"^[0-9]{1,12}$")
_TARGET_RE = re.compile(r"^/[\x21-\x7e]*$")
_METHOD_RE = re.compile(r"^[A-Z]{1,10}$")

# ---- error codes ------------------------------------------------------------------------
# code -> (HTTP status, retry?, default message). "retry" tells the client whether sending
# the same thing again later can succeed without a person doing something first.
ERRORS: dict[str, tuple[int, bool, str]] = {
    "bad_request": (400, False, "The request is malformed."),
    "missing_auth": (401, False, "The request is not signed."),
    "stale_timestamp": (401, True, "The request time is more than 5 minutes off the hub's clock."),
    "unknown_key": (401, False, "The hub does not know the key that signed this request."),
    "bad_signature": (401, False, "The request signature does not verify."),
    "replayed_request": (401, True, "This request was already received once (replay)."),
    "forbidden": (403, False, "This key may not make this request."),
    "device_revoked": (403, False, "This device has been revoked by the organisation."),
    "device_mismatch": (403, False, "The envelope names a different device than the signer."),
    "enrol_code_unknown": (403, False, "The enrolment code is not known to the hub."),
    "enrol_code_expired": (403, False, "The enrolment code has expired."),
    "enrol_code_used": (403, False, "The enrolment code was already used by another device."),
    "not_found": (404, False, "There is nothing at this address."),
    "unknown_device": (404, False, "The hub has no device with this id."),
    "method_not_allowed": (405, False, "This address does not accept this method."),
    "key_already_enrolled": (409, False, "This device key is already enrolled."),
    "enrol_code_exists": (409, False, "An enrolment code with this hash already exists."),
    "envelope_conflict": (409, False, "Another envelope with this envelope_id is stored."),
    "sequence_gap": (409, True, "Envelopes before this one are missing: push them first."),
    "sequence_fork": (409, False, "Another envelope already holds this sequence number."),
    "chain_mismatch": (409, False, "prev_hash is not the hash of the device's last envelope."),
    "form_conflict": (409, False, "Another form is published under this id and version."),
    "key_rotated": (
        401,
        False,
        "This device key was replaced by a newer one; it can no longer make requests.",
    ),
    "key_rotated_elsewhere": (
        409,
        False,
        "This device key was already replaced by another new key: another copy of this "
        "laptop's vault holds it.",
    ),
    "bad_rotation": (422, False, "The key rotation is malformed or its signatures do not verify."),
    "request_timeout": (408, True, "The request did not arrive in time; send it again."),
    "body_too_large": (413, False, "The request body is too large."),
    "malformed_envelope": (400, False, "The envelope is malformed."),
    "unsupported_envelope_version": (400, False, "The envelope format version is not supported."),
    "bad_envelope_signature": (422, False, "The envelope's device signature does not verify."),
    "wrong_org_key": (422, False, "The envelope is sealed to another organisation's key."),
    "malformed_document": (400, False, "The signed document is malformed."),
    "bad_document_signature": (422, False, "The document is not signed by the organisation."),
    "internal_error": (500, True, "The hub failed; nothing was stored."),
    "unavailable": (503, True, "The hub cannot reach its database right now."),
}


class ProtocolError(ScreeningError):
    """A request refused by the hub (or a response the client cannot accept), with its code."""

    exit_code = 3

    def __init__(
        self, code: str, message: str | None = None, *, details: Mapping[str, Any] | None = None
    ) -> None:
        status, retry, default = ERRORS.get(code, (500, True, "Unexpected error."))
        super().__init__(message or default)
        self.code = code
        self.status = status
        self.retryable = retry
        self.details: dict[str, Any] = dict(details or {})

    def to_json(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.details:
            error["details"] = self.details
        return {"error": error}

    @classmethod
    def from_response(cls, status: int, body: Any) -> ProtocolError:
        """The error a hub response carries (for the client); tolerant of non-hub replies."""
        error = body.get("error") if isinstance(body, dict) else None
        if isinstance(error, dict) and isinstance(error.get("code"), str):
            details = error.get("details") if isinstance(error.get("details"), dict) else None
            message = error.get("message") if isinstance(error.get("message"), str) else None
            result = cls(error["code"], message, details=details)
        else:
            result = cls(
                "internal_error" if status >= 500 else "bad_request",
                f"The hub answered HTTP {status} without an error code.",
            )
        result.status = status
        return result


def response_json(response: Any) -> Any:
    """The JSON body of a 2xx hub answer (an httpx.Response); ProtocolError otherwise."""
    try:
        body = jsonio.loads(response.content)
    except ValueError:
        body = None
    if 200 <= response.status_code < 300 and body is not None:
        return body
    raise ProtocolError.from_response(response.status_code, body)


# ---- request signing ---------------------------------------------------------------------


def body_digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def canonical_request(
    method: str, target: str, body_sha256: str, timestamp: int, nonce: str, key_id: str
) -> bytes:
    """The bytes a request signature covers: context and one field per line.

    `target` is the path and query exactly as sent on the request line (percent-encoded, with
    `?query` when there is one), so nothing is re-encoded between signer and verifier.
    """
    if not _METHOD_RE.match(method) or not _TARGET_RE.match(target):
        raise ValueError("method or target cannot be signed")
    lines = (method, target, body_sha256, str(timestamp), nonce, key_id)
    return REQUEST_CONTEXT + "\n".join(lines).encode("ascii")


def new_nonce() -> str:
    return secrets.token_hex(16)


def sign_request(
    method: str,
    target: str,
    body: bytes,
    private_key: ed25519.Ed25519PrivateKey,
    *,
    timestamp: int | None = None,
    nonce: str | None = None,
) -> dict[str, str]:
    """The four X-SD-* headers for a request (add them to the request as they are)."""
    kid = keys.signing_key_id(private_key)
    ts = int(time.time()) if timestamp is None else int(timestamp)
    nc = nonce or new_nonce()
    message = canonical_request(method.upper(), target, body_digest(body), ts, nc, kid)
    return {
        HEADER_KEY: kid,
        HEADER_TIMESTAMP: str(ts),
        HEADER_NONCE: nc,
        HEADER_SIGNATURE: base64.b64encode(private_key.sign(message)).decode("ascii"),
    }


class RequestSigner:
    """Signs every request of an httpx client: `httpx.Client(auth=RequestSigner(key))`.

    `clock_offset` (seconds) corrects a laptop clock that is off; take it from the
    `server_time` detail of a `stale_timestamp` error. The nonce and signature still make
    every request unique, so trusting the hub's time costs no replay protection.
    """

    def __init__(
        self,
        private_key: ed25519.Ed25519PrivateKey,
        *,
        clock: Callable[[], float] = time.time,
        clock_offset: float = 0.0,
    ) -> None:
        self.private_key = private_key
        self.key_id = keys.signing_key_id(private_key)
        self.clock = clock
        self.clock_offset = clock_offset

    def __call__(self, request: Any) -> Any:
        target = request.url.raw_path.decode("ascii")
        headers = sign_request(
            request.method,
            target,
            request.content,
            self.private_key,
            timestamp=int(self.clock() + self.clock_offset),
        )
        request.headers.update(headers)
        return request


@dataclass(frozen=True, slots=True)
class AuthHeaders:
    key_id: str
    timestamp: int
    nonce: str
    signature: bytes


def parse_auth_headers(headers: Mapping[str, str]) -> AuthHeaders:
    """The X-SD-* headers, each checked for shape; ProtocolError(missing_auth) otherwise."""
    # HTTP header names are case-insensitive; a plain dict of them may come in any case.
    lowered = {str(name).lower(): value for name, value in headers.items()}
    names = (HEADER_KEY, HEADER_TIMESTAMP, HEADER_NONCE)
    values = {name: lowered.get(name.lower()) for name in names}
    raw_sig = lowered.get(HEADER_SIGNATURE.lower())
    if any(v is None for v in values.values()) or raw_sig is None:
        raise ProtocolError("missing_auth", "The request lacks the X-SD-* signature headers.")
    kid, ts, nonce = values[HEADER_KEY], values[HEADER_TIMESTAMP], values[HEADER_NONCE]
    assert kid is not None and ts is not None and nonce is not None
    if not keys.KEY_ID_RE.match(kid):
        raise ProtocolError("missing_auth", "X-SD-Key must be 32 lower-case hex digits.")
    if not _TIMESTAMP_RE.match(ts):
        raise ProtocolError("missing_auth", "X-SD-Timestamp must be whole seconds since 1970.")
    if not _NONCE_RE.match(nonce):
        raise ProtocolError("missing_auth", "X-SD-Nonce must be 32 lower-case hex digits.")
    try:
        signature = base64.b64decode(raw_sig.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise ProtocolError("missing_auth", "X-SD-Signature must be base64.") from None
    if len(signature) != keys.ED25519_SIGNATURE_BYTES:
        raise ProtocolError("missing_auth", "X-SD-Signature must be a 64-byte Ed25519 signature.")
    return AuthHeaders(key_id=kid, timestamp=int(ts), nonce=nonce, signature=signature)


def check_timestamp(timestamp: int, now: float) -> None:
    if abs(now - timestamp) > MAX_SKEW_SECONDS:
        raise ProtocolError(
            "stale_timestamp",
            "The request time is more than 5 minutes off the hub's clock; check the "
            "computer's date, time and time zone.",
            details={"server_time": int(now)},
        )


def verify_request(
    auth: AuthHeaders,
    method: str,
    target: str,
    body_sha256: str,
    public_key: ed25519.Ed25519PublicKey,
) -> None:
    """ProtocolError(bad_signature) unless `auth.signature` covers this exact request."""
    try:
        message = canonical_request(
            method, target, body_sha256, auth.timestamp, auth.nonce, auth.key_id
        )
        public_key.verify(auth.signature, message)
    except (InvalidSignature, ValueError):
        raise ProtocolError("bad_signature") from None


# ---- enrolment codes ------------------------------------------------------------------------
# The coordinator makes the code and gives the hub only a hash of a hash of it. The device
# proves knowledge of the code with the inner hash, and separately binds its key to the code
# with an HMAC the hub cannot compute: so neither a leaked hub database nor a hostile hub can
# enrol a device, and the coordinator can check every enrolled key with the code it kept.

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CROCKFORD_FIX = str.maketrans({"O": "0", "I": "1", "L": "1"})
ENROL_CODE_CHARS = 20  # 100 bits
PROOF_CONTEXT = b"screening-desk/enrol-proof/v1\x00"
ATTEST_CONTEXT = b"screening-desk/enrol-attest/v1\x00"
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


def new_enrol_code() -> str:
    """A one-time code such as `7K2QF-M9XRD-T4HVA-0BNC8`, to read or type on a laptop."""
    chars = "".join(secrets.choice(_CROCKFORD) for _ in range(ENROL_CODE_CHARS))
    return "-".join(chars[i : i + 5] for i in range(0, ENROL_CODE_CHARS, 5))


def normalise_enrol_code(code: str) -> str:
    """Upper case, dashes and spaces dropped, O/I/L read as 0/1; ValueError when not a code."""
    cleaned = code.strip().upper().replace("-", "").replace(" ", "").translate(_CROCKFORD_FIX)
    if len(cleaned) != ENROL_CODE_CHARS or any(c not in _CROCKFORD for c in cleaned):
        raise ValueError("an enrolment code is 20 letters and digits, e.g. 7K2QF-M9XRD-T4HVA-0BNC8")
    return cleaned


def enrol_code_proof(code: str) -> str:
    """What the device sends at enrolment (hex)."""
    return hashlib.sha256(PROOF_CONTEXT + normalise_enrol_code(code).encode("ascii")).hexdigest()


def enrol_code_hash_from_proof(proof: str) -> str:
    if not _HEX64.match(proof):
        raise ValueError("an enrolment proof is 64 lower-case hex digits")
    return hashlib.sha256(bytes.fromhex(proof)).hexdigest()


def enrol_code_hash(code: str) -> str:
    """What the coordinator registers at the hub, and what the hub stores (hex)."""
    return enrol_code_hash_from_proof(enrol_code_proof(code))


def device_attestation(code: str, device_public_raw: bytes) -> str:
    """HMAC binding a device key to the code (hex); only code holders can make or check it."""
    mac_key = hashlib.sha256(ATTEST_CONTEXT + normalise_enrol_code(code).encode("ascii")).digest()
    return hmac.new(mac_key, device_public_raw, hashlib.sha256).hexdigest()


def verify_device_attestation(code: str, device_public_raw: bytes, attestation: str) -> bool:
    """Whether a device key at the hub was really enrolled with `code` (coordinator side)."""
    return hmac.compare_digest(device_attestation(code, device_public_raw), attestation)


# ---- TLS -----------------------------------------------------------------------------------


def pinned_ssl_context(ca_pem: str | None) -> ssl.SSLContext:
    """A client TLS context that trusts only the hub CA from the org file.

    With no CA in the org file the system's trust store is used (a hub with a public
    certificate). Pass the result as `httpx.Client(verify=...)`.
    """
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cadata=ca_pem or None)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def hub_client(
    hub_url: str, ca_pem: str | None, private_key: ed25519.Ed25519PrivateKey, **kwargs: Any
) -> Any:
    """An httpx.Client for the hub: pinned TLS, every request signed with `private_key`.

    Typically `hub_client(org.hub_url, org.hub_ca_pem, device_key)`. Extra keyword arguments
    go to httpx.Client (timeout, transport for tests).
    """
    import httpx  # here, so that importing the protocol never needs an HTTP library

    kwargs.setdefault("timeout", httpx.Timeout(30.0, connect=10.0))
    return httpx.Client(
        base_url=hub_url,
        verify=pinned_ssl_context(ca_pem),
        auth=RequestSigner(private_key),
        **kwargs,
    )
