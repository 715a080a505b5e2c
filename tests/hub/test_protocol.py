"""The shared protocol module: request canonical form, signing, codes, enrolment helpers."""

from __future__ import annotations

import base64
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519
from hypothesis import given
from hypothesis import strategies as st

from screening.org import signing_key_id
from screening.sync import protocol
from screening.sync.protocol import ProtocolError

DOCS = Path(__file__).resolve().parents[2] / "docs" / "protocol.md"
KEY = ed25519.Ed25519PrivateKey.from_private_bytes(bytes(range(32)))


def test_canonical_request_is_one_field_per_line_after_a_context() -> None:
    message = protocol.canonical_request(
        "POST", "/v1/envelopes?x=1", "ab" * 32, 1700000000, "0" * 32, "1" * 32
    )
    assert message == (
        b"screening-desk/request/v1\nPOST\n/v1/envelopes?x=1\n" + b"ab" * 32 + b"\n1700000000\n"
        + b"0" * 32 + b"\n" + b"1" * 32
    )  # fmt: skip
    with pytest.raises(ValueError):
        protocol.canonical_request("POST", "/v1/a\nb", "", 1, "", "")


def _verify(headers: dict[str, str], method: str, target: str, body: bytes) -> None:
    auth = protocol.parse_auth_headers(headers)
    protocol.verify_request(auth, method, target, protocol.body_digest(body), KEY.public_key())


def test_signature_covers_method_target_body_time_nonce_and_key() -> None:
    headers = protocol.sign_request("POST", "/v1/forms", b"{}", KEY, timestamp=1000, nonce="a" * 32)
    assert headers[protocol.HEADER_KEY] == signing_key_id(KEY)
    _verify(headers, "POST", "/v1/forms", b"{}")
    for method, target, body in (
        ("PUT", "/v1/forms", b"{}"),
        ("POST", "/v1/form", b"{}"),
        ("POST", "/v1/forms", b"{ }"),
    ):
        with pytest.raises(ProtocolError) as err:
            _verify(headers, method, target, body)
        assert err.value.code == "bad_signature"
    for name, value in ((protocol.HEADER_TIMESTAMP, "1001"), (protocol.HEADER_NONCE, "b" * 32)):
        with pytest.raises(ProtocolError) as err:
            _verify({**headers, name: value}, "POST", "/v1/forms", b"{}")
        assert err.value.code == "bad_signature"


@given(st.binary(max_size=64), st.integers(min_value=0, max_value=63), st.integers(1, 255))
def test_any_flipped_signature_bit_fails(body: bytes, index: int, mask: int) -> None:
    headers = protocol.sign_request("POST", "/v1/envelopes", body, KEY, timestamp=5, nonce="c" * 32)
    signature = bytearray(base64.b64decode(headers[protocol.HEADER_SIGNATURE]))
    signature[index] ^= mask
    headers[protocol.HEADER_SIGNATURE] = base64.b64encode(bytes(signature)).decode()
    with pytest.raises(ProtocolError) as err:
        _verify(headers, "POST", "/v1/envelopes", body)
    assert err.value.code == "bad_signature"


def test_timestamp_window_is_five_minutes_either_way() -> None:
    protocol.check_timestamp(1000, 1300)
    protocol.check_timestamp(1300, 1000)
    for ts in (1000, 1602):
        with pytest.raises(ProtocolError) as err:
            protocol.check_timestamp(ts, 1301)
        assert err.value.code == "stale_timestamp" and err.value.details == {"server_time": 1301}


def test_request_signer_works_as_httpx_auth() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={})

    signer = protocol.RequestSigner(KEY, clock=lambda: 1234.9)
    with httpx.Client(transport=httpx.MockTransport(handler), auth=signer) as client:
        client.post("https://hub.example/v1/envelopes/ack?x=%20y", json={"envelope_ids": []})
    request = seen[0]
    assert request.headers[protocol.HEADER_TIMESTAMP] == "1234"
    _verify(dict(request.headers), "POST", "/v1/envelopes/ack?x=%20y", request.content)


def test_every_error_code_has_a_status_and_is_documented() -> None:
    text = DOCS.read_text()
    for code, (status, retry, message) in protocol.ERRORS.items():
        assert 400 <= status < 600 and isinstance(retry, bool) and message.endswith(".")
        assert f"`{code}`" in text, f"{code} is missing from docs/protocol.md"


def test_protocol_error_round_trips_through_json() -> None:
    error = ProtocolError("sequence_gap", details={"expected_seq": 4})
    again = ProtocolError.from_response(409, error.to_json())
    assert (again.code, again.status, again.retryable, again.details) == (
        "sequence_gap", 409, True, {"expected_seq": 4}
    )  # fmt: skip
    stranger = ProtocolError.from_response(502, "<html>bad gateway</html>")
    assert (stranger.code, stranger.status, stranger.retryable) == ("internal_error", 502, True)


def test_enrolment_codes_normalise_and_bind_keys() -> None:
    code = protocol.new_enrol_code()
    assert len(code) == 23 and code.count("-") == 3
    typed = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert protocol.enrol_code_proof(typed) == protocol.enrol_code_proof(code)
    assert protocol.enrol_code_hash(code) == protocol.enrol_code_hash_from_proof(
        protocol.enrol_code_proof(code)
    )
    # The hub stores the hash, sees the proof; neither yields the attestation key.
    assert protocol.enrol_code_hash(code) != protocol.enrol_code_proof(code)
    raw = KEY.public_key().public_bytes_raw()
    assert protocol.verify_device_attestation(typed, raw, protocol.device_attestation(code, raw))
    for bad in ("", "ABC", "U" * 20, code + "A"):
        with pytest.raises(ValueError):
            protocol.normalise_enrol_code(bad)


def test_pinned_context_trusts_only_the_given_ca() -> None:
    from hub.devcert import make_dev_cert

    context = protocol.pinned_ssl_context(make_dev_cert().ca_pem)
    assert len(context.get_ca_certs()) == 1
