"""Batch push (POST /v1/envelopes/batch): envelopes stored in order, each checked as a single
push would be; the first refusal stops the batch with everything before it stored and nothing
at or after it; a request refused as a whole stores nothing."""

from __future__ import annotations

import base64
import itertools
import json
import socket
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from screening.envelope import GENESIS_HASH, Envelope, seal
from screening.envelope.wire import MAGIC as ENVELOPE_MAGIC
from screening.org import OrgKeys
from screening.sync import protocol
from screening.sync.batch import MAGIC, MAX_BATCH_BYTES, MAX_BATCH_ENVELOPES, encode_batch
from tests.hub.helpers import Device, HubEnv, error_code, stranger_envelope

PATH = protocol.PATH_ENVELOPE_BATCH
ACK_FIELDS = {"envelope_id", "device_id", "seq", "hash", "cursor", "received_at", "status"}
MARKER = "MARKER-Kp4-batch-victim-answer"


def _answer(response: httpx.Response) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """The acks and the refusal of a batch answer (which is always HTTP 200)."""
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"acks", "refused"}, body
    for ack in body["acks"]:
        assert set(ack) == ACK_FIELDS, ack
    return body["acks"], body["refused"]


def _bodies(hub_env: HubEnv) -> list[bytes]:
    return [row.body for row in hub_env.stored()]


def _assert_acks_match(acks: list[dict[str, Any]], envelopes: list[Envelope], device: Device):
    assert [a["envelope_id"] for a in acks] == [e.envelope_id for e in envelopes]
    assert [a["seq"] for a in acks] == [e.header.seq for e in envelopes]
    assert [a["hash"] for a in acks] == [e.hash() for e in envelopes]
    assert {a["device_id"] for a in acks} <= {device.device_id}


def _whole_refusal(response: httpx.Response, status: int, code: str) -> None:
    assert (response.status_code, error_code(response)) == (status, code), response.text


# ---- accepted batches ------------------------------------------------------------------------


def test_a_batch_is_stored_in_order_and_the_same_batch_again_gets_the_same_acks(
    hub_env: HubEnv,
) -> None:
    device = hub_env.enrol()
    chain = device.seal_chain(5)
    before = hub_env.counts()
    acks, refused = _answer(device.push_batch(chain))
    assert refused is None
    assert [a["status"] for a in acks] == [201] * 5
    _assert_acks_match(acks, chain, device)
    cursors = [a["cursor"] for a in acks]
    assert all(a < b for a, b in itertools.pairwise(cursors))
    assert hub_env.counts()["envelopes"] == before["envelopes"] + 5
    assert _bodies(hub_env) == [e.to_bytes() for e in chain]
    assert [row.cursor for row in hub_env.stored()] == cursors
    assert device.head() == (5, chain[-1].hash())

    # The answer was lost: the laptop sends the same batch again (a fresh signed request).
    stored = hub_env.counts()
    again, refused = _answer(device.push_batch(chain))
    assert refused is None
    assert [a["status"] for a in again] == [200] * 5
    assert [{**a, "status": 201} for a in again] == acks
    assert hub_env.counts() == stored
    assert device.head() == (5, chain[-1].hash())


def test_batch_acks_are_the_single_push_acks_plus_a_status(hub_env: HubEnv) -> None:
    device = hub_env.enrol()
    chain = device.seal_chain(2)
    single = device.push(chain[0])
    assert single.status_code == 201
    acks, refused = _answer(device.push_batch(chain))
    assert refused is None
    assert acks[0] == {**single.json(), "status": 200}
    assert acks[1]["status"] == 201 and acks[1]["cursor"] > acks[0]["cursor"]
    # And the single push of the second one now answers with the batch's ack.
    assert {**device.push(chain[1]).json(), "status": 201} == acks[1]


def test_already_stored_envelopes_followed_by_new_ones(hub_env: HubEnv) -> None:
    device = hub_env.enrol()
    chain = device.seal_chain(5)
    first = [device.push(env) for env in chain[:2]]
    assert [r.status_code for r in first] == [201, 201]
    acks, refused = _answer(device.push_batch(chain))
    assert refused is None
    assert [a["status"] for a in acks] == [200, 200, 201, 201, 201]
    _assert_acks_match(acks, chain, device)
    assert [{k: v for k, v in a.items() if k != "status"} for a in acks[:2]] == [
        r.json() for r in first
    ]
    assert _bodies(hub_env) == [e.to_bytes() for e in chain]
    assert device.head() == (5, chain[-1].hash())


def test_the_same_envelope_twice_in_one_batch_is_stored_once(hub_env: HubEnv) -> None:
    device = hub_env.enrol()
    chain = device.seal_chain(2)
    acks, refused = _answer(device.push_batch([chain[0], chain[0], chain[1]]))
    assert refused is None
    assert [a["status"] for a in acks] == [201, 200, 201]
    assert acks[1] == {**acks[0], "status": 200}
    assert _bodies(hub_env) == [e.to_bytes() for e in chain]


def test_a_full_batch_of_the_largest_count_is_stored(hub_env: HubEnv) -> None:
    device = hub_env.enrol()
    chain = device.seal_chain(MAX_BATCH_ENVELOPES)
    acks, refused = _answer(device.push_batch(chain))
    assert refused is None and len(acks) == MAX_BATCH_ENVELOPES
    assert [a["seq"] for a in acks] == list(range(1, MAX_BATCH_ENVELOPES + 1))
    assert hub_env.counts()["envelopes"] == MAX_BATCH_ENVELOPES
    assert device.head() == (MAX_BATCH_ENVELOPES, chain[-1].hash())


def test_batches_of_two_devices_keep_their_own_chains(hub_env: HubEnv) -> None:
    alice, bob = hub_env.enrol(), hub_env.enrol()
    a_chain, b_chain = alice.seal_chain(3), bob.seal_chain(3)
    assert _answer(alice.push_batch(a_chain[:2]))[1] is None
    assert _answer(bob.push_batch(b_chain))[1] is None
    assert _answer(alice.push_batch(a_chain[2:]))[1] is None
    rows = hub_env.stored()
    assert [(r.device_id, r.seq) for r in rows] == [
        (alice.device_id, 1),
        (alice.device_id, 2),
        (bob.device_id, 1),
        (bob.device_id, 2),
        (bob.device_id, 3),
        (alice.device_id, 3),
    ]
    assert alice.head() == (3, a_chain[-1].hash())
    assert bob.head() == (3, b_chain[-1].hash())


# ---- a refusal inside a batch ----------------------------------------------------------------


def _flip(data: bytes, index: int) -> bytes:
    return data[:index] + bytes([data[index] ^ 0x01]) + data[index + 1 :]


def _fields(env: Envelope, **changes: Any) -> dict[str, Any]:
    header = env.header
    return {
        "device_id": header.device_id,
        "seq": header.seq,
        "prev_hash": header.prev_hash,
        **changes,
    }


_OTHER = {"answers": [["q1", "something else"]]}


def _bad_envelope(
    kind: str, chain: list[Envelope], k: int, device: Device, hub_env: HubEnv, ctx: dict[str, Any]
) -> bytes:
    """What replaces chain[k + 1] at batch index k (chain[0] is already stored)."""
    target = chain[k + 1]
    data = target.to_bytes()
    header_start = len(ENVELOPE_MAGIC) + 1 + 4
    cipher_start = header_start + len(target.header_bytes) + 4
    # The year's last digit: flipped, the header is still valid, no longer the signed one.
    version_at = target.header_bytes.index(b'"created_at":"') + len('"created_at":"') + 3
    org = hub_env.org.public
    if kind == "flipped_header":  # still a valid header, no longer the signed one
        return _flip(data, header_start + version_at)
    if kind == "flipped_ciphertext":
        return _flip(data, cipher_start + len(target.ciphertext) // 2)
    if kind == "flipped_signature":
        return _flip(data, len(data) - 1)
    if kind == "truncated_envelope":
        return data[:-10]
    if kind == "other_organisation":
        other_org: OrgKeys = ctx["other_org"]
        return seal(_OTHER, _fields(target), other_org.public, device.key).to_bytes()
    if kind == "other_device":
        changed = _fields(target, device_id=ctx["bob"].device_id)
        return seal(_OTHER, changed, org, device.key).to_bytes()
    if kind == "sequence_gap":
        return chain[k + 2].to_bytes()
    if kind == "fork_reused_seq":
        return seal(_OTHER, _fields(chain[k]), org, device.key).to_bytes()
    if kind == "fork_wrong_prev_hash":
        return seal(_OTHER, _fields(target, prev_hash="1" * 64), org, device.key).to_bytes()
    if kind == "envelope_id_reused":
        twin = _fields(chain[k], envelope_id=chain[k].envelope_id)
        return seal(_OTHER, twin, org, device.key).to_bytes()
    raise AssertionError(kind)


REFUSALS = {
    "flipped_header": "bad_envelope_signature",
    "flipped_ciphertext": "bad_envelope_signature",
    "flipped_signature": "bad_envelope_signature",
    "truncated_envelope": "malformed_envelope",
    "other_organisation": "wrong_org_key",
    "other_device": "device_mismatch",
    "sequence_gap": "sequence_gap",
    "fork_reused_seq": "sequence_fork",
    "fork_wrong_prev_hash": "chain_mismatch",
    "envelope_id_reused": "envelope_conflict",
}


@pytest.mark.parametrize("k", [0, 2])
@pytest.mark.parametrize("kind", sorted(REFUSALS))
def test_a_refusal_stops_the_batch_with_exactly_its_predecessors_stored(
    hub_env: HubEnv, other_org: OrgKeys, kind: str, k: int
) -> None:
    device, bob = hub_env.enrol(), hub_env.enrol()
    chain = device.seal_chain(6)
    assert device.push(chain[0]).status_code == 201
    bad = _bad_envelope(kind, chain, k, device, hub_env, {"other_org": other_org, "bob": bob})
    good = chain[1 : k + 1]
    # What follows the refused envelope would be accepted on its own: it must not be looked at.
    batch = [*good, bad, chain[k + 1], chain[k + 2]]
    before = hub_env.counts()

    acks, refused = _answer(device.push_batch(batch))

    assert len(acks) == k and [a["status"] for a in acks] == [201] * k
    _assert_acks_match(acks, good, device)
    assert refused is not None and set(refused) == {"index", "error"}, refused
    assert refused["index"] == k
    error = refused["error"]
    assert error["code"] == REFUSALS[kind], error
    assert isinstance(error["message"], str) and error["message"]
    if kind == "sequence_gap":
        predecessor = chain[k]
        assert error["details"] == {
            "expected_seq": predecessor.header.seq + 1,
            "last_seq": predecessor.header.seq,
            "last_hash": predecessor.hash(),
        }
    assert hub_env.counts()["envelopes"] == before["envelopes"] + k
    assert _bodies(hub_env) == [e.to_bytes() for e in chain[: k + 1]]
    assert device.head() == (chain[k].header.seq, chain[k].hash())

    # Nothing of the refused envelope was kept: the rest of the chain now goes through.
    rest, refused = _answer(device.push_batch(chain[k + 1 :]))
    assert refused is None and [a["status"] for a in rest] == [201] * len(chain[k + 1 :])
    assert _bodies(hub_env) == [e.to_bytes() for e in chain]
    assert bob.head() == (0, GENESIS_HASH)


def test_a_refusal_at_index_zero_of_a_new_device_stores_nothing(hub_env: HubEnv) -> None:
    device = hub_env.enrol()
    chain = device.seal_chain(3)
    before = hub_env.counts()
    acks, refused = _answer(device.push_batch([chain[1], chain[0], chain[1], chain[2]]))
    assert acks == []
    assert refused is not None and refused["index"] == 0
    assert refused["error"]["code"] == "sequence_gap"
    assert refused["error"]["details"] == {
        "expected_seq": 1,
        "last_seq": 0,
        "last_hash": GENESIS_HASH,
    }
    assert hub_env.counts() == before
    assert device.head() == (0, GENESIS_HASH)


# ---- requests refused as a whole -------------------------------------------------------------


def test_an_unenrolled_key_is_refused(hub_env: HubEnv) -> None:
    stranger = hub_env.caller()
    env = stranger_envelope(hub_env, stranger)
    before = hub_env.counts()
    response = stranger.call(
        "POST",
        PATH,
        content=encode_batch([env.to_bytes()]),
        headers={"Content-Type": protocol.ENVELOPE_BATCH_MEDIA_TYPE},
    )
    _whole_refusal(response, 401, "unknown_key")
    assert hub_env.counts() == before


def test_a_revoked_device_is_refused(hub_env: HubEnv) -> None:
    device = hub_env.enrol()
    device.push_next()
    revoked = hub_env.coordinator.call("POST", f"/v1/devices/{device.device_id}/revoke", json={})
    assert revoked.status_code == 200
    before = hub_env.counts()
    _whole_refusal(device.push_batch(device.seal_chain(3)), 403, "device_revoked")
    assert hub_env.counts() == before
    assert len(hub_env.stored()) == 1


def test_the_organisation_key_may_not_push_a_batch(hub_env: HubEnv) -> None:
    device = hub_env.enrol()
    chain = device.seal_chain(2)
    before = hub_env.counts()
    response = hub_env.coordinator.call(
        "POST",
        PATH,
        content=encode_batch([e.to_bytes() for e in chain]),
        headers={"Content-Type": protocol.ENVELOPE_BATCH_MEDIA_TYPE},
    )
    _whole_refusal(response, 403, "forbidden")
    assert hub_env.counts() == before


def test_a_replayed_batch_request_is_refused(hub_env: HubEnv) -> None:
    device = hub_env.enrol()
    chain = device.seal_chain(3)
    caller = device.caller
    body = encode_batch([e.to_bytes() for e in chain[:2]])
    media = {"Content-Type": protocol.ENVELOPE_BATCH_MEDIA_TYPE}
    request = caller.sign(caller.build("POST", PATH, content=body, headers=media))
    headers = dict(request.headers)
    acks, refused = _answer(caller.send(request))
    assert refused is None and [a["status"] for a in acks] == [201, 201]
    after_first = hub_env.counts()
    replay = caller.build("POST", PATH, content=body, headers=headers)
    _whole_refusal(caller.send(replay), 401, "replayed_request")
    assert hub_env.counts() == after_first
    # The captured signature cannot carry another body either.
    other = encode_batch([e.to_bytes() for e in chain])
    signed = {k: v for k, v in headers.items() if k.lower().startswith("x-sd-")}
    forged = caller.build("POST", PATH, content=other, headers={**media, **signed})
    _whole_refusal(caller.send(forged), 401, "bad_signature")
    assert hub_env.counts() == after_first
    assert device.head() == (2, chain[1].hash())


def test_a_refused_batch_request_cannot_be_replayed_either(hub_env: HubEnv) -> None:
    device = hub_env.enrol()
    chain = device.seal_chain(2)
    caller = device.caller
    media = {"Content-Type": protocol.ENVELOPE_BATCH_MEDIA_TYPE}
    body = encode_batch([e.to_bytes() for e in chain]) + b"\x00"
    request = caller.sign(caller.build("POST", PATH, content=body, headers=media))
    headers = dict(request.headers)
    _whole_refusal(caller.send(request), 400, "bad_request")
    replay = caller.build("POST", PATH, content=body, headers=headers)
    _whole_refusal(caller.send(replay), 401, "replayed_request")
    # A batch refused part-way is a used request as well.
    body = encode_batch([chain[1].to_bytes()])
    request = caller.sign(caller.build("POST", PATH, content=body, headers=media))
    headers = dict(request.headers)
    refused = _answer(caller.send(request))[1]
    assert refused is not None and refused["error"]["code"] == "sequence_gap"
    replay = caller.build("POST", PATH, content=body, headers=headers)
    _whole_refusal(caller.send(replay), 401, "replayed_request")
    assert hub_env.stored() == []


def _u32(n: int) -> bytes:
    return n.to_bytes(4, "big")


def _frame(*envelopes: bytes) -> bytes:
    return b"".join(_u32(len(e)) + e for e in envelopes)


FRAMINGS: dict[str, Callable[[list[bytes]], bytes]] = {
    "empty": lambda envs: b"",
    "garbage": lambda envs: b"this is not an envelope batch at all",
    "single_envelope": lambda envs: envs[0],
    "marker_only": lambda envs: MAGIC,
    "wrong_version": lambda envs: MAGIC + b"\x02" + _u32(2) + _frame(*envs),
    "truncated_frame": lambda envs: encode_batch(envs)[:-1],
    "truncated_length": lambda envs: MAGIC + b"\x01" + _u32(2) + _frame(envs[0]) + b"\x00\x00",
    "count_says_more": lambda envs: MAGIC + b"\x01" + _u32(3) + _frame(*envs),
    "count_says_fewer": lambda envs: MAGIC + b"\x01" + _u32(1) + _frame(*envs),
    "trailing_bytes": lambda envs: encode_batch(envs) + b"\x00",
    "count_zero": lambda envs: MAGIC + b"\x01" + _u32(0),
    "count_zero_with_frames": lambda envs: MAGIC + b"\x01" + _u32(0) + _frame(*envs),
    "count_over_max": lambda envs: (
        MAGIC + b"\x01" + _u32(MAX_BATCH_ENVELOPES + 1) + _frame(*envs) * 129
    ),
    "empty_envelope": lambda envs: MAGIC + b"\x01" + _u32(2) + _frame(envs[0]) + _u32(0),
}


@pytest.mark.parametrize("framing", sorted(FRAMINGS))
def test_bad_framing_is_refused_and_nothing_is_stored(hub_env: HubEnv, framing: str) -> None:
    device = hub_env.enrol()
    chain = device.seal_chain(2)
    body = FRAMINGS[framing]([e.to_bytes() for e in chain])
    before = hub_env.counts()
    response = device.push_batch_body(body)
    _whole_refusal(response, 400, "bad_request")
    assert hub_env.counts() == before
    assert device.head() == (0, GENESIS_HASH)
    # The same envelopes, framed properly, are still taken.
    acks, refused = _answer(device.push_batch(chain))
    assert refused is None and [a["status"] for a in acks] == [201, 201]


def _raw_request(hub_env: HubEnv, head: bytes) -> tuple[int, dict[str, Any]]:
    """Send a request head (and no body) over TLS; the status and JSON of the answer."""
    url = httpx.URL(hub_env.url)
    assert url.host and url.port
    context = protocol.pinned_ssl_context(hub_env.ca_pem)
    with (
        socket.create_connection((url.host, url.port), timeout=15) as raw,
        context.wrap_socket(raw, server_hostname=url.host) as tls,
    ):
        tls.sendall(head)
        received = b""
        while b"\r\n\r\n" not in received:
            chunk = tls.recv(65536)
            assert chunk, received
            received += chunk
        head_part, _, body = received.partition(b"\r\n\r\n")
        lines = head_part.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        fields = dict(line.lower().split(":", 1) for line in lines[1:])
        length = int(fields["content-length"])
        while len(body) < length:
            chunk = tls.recv(65536)
            assert chunk, body
            body += chunk
    return status, json.loads(body[:length])


def test_a_declared_body_over_the_limit_is_refused_before_it_is_read(hub_env: HubEnv) -> None:
    device = hub_env.enrol()
    url = httpx.URL(hub_env.url)
    # Signed for an empty body: the size is refused before any signature is looked at.
    auth = protocol.sign_request("POST", PATH, b"", device.key, timestamp=int(hub_env.clock()))
    lines = [
        f"POST {PATH} HTTP/1.1",
        f"Host: {url.host}:{url.port}",
        f"Content-Type: {protocol.ENVELOPE_BATCH_MEDIA_TYPE}",
        f"Content-Length: {MAX_BATCH_BYTES + 1}",
        *(f"{name}: {value}" for name, value in auth.items()),
        "Connection: close",
    ]
    before = hub_env.counts()
    status, body = _raw_request(hub_env, ("\r\n".join(lines) + "\r\n\r\n").encode("ascii"))
    assert status == 413 and body["error"]["code"] == "body_too_large", body
    assert body["error"]["details"] == {"limit": MAX_BATCH_BYTES}
    assert hub_env.counts() == before


# ---- privacy ---------------------------------------------------------------------------------


def _windows(text: str, width: int = 24) -> set[str]:
    return {text[i : i + width] for i in range(0, max(1, len(text) - width), width // 2)}


def _traces(data: bytes, opaque: bytes) -> set[str]:
    """Pieces of an envelope as text in every encoding a log line could carry it in.

    `opaque` (ciphertext and signature) is also looked for as it would print raw; the
    header is not, since the device id inside it is rightly logged.
    """
    traces: set[str] = set()
    for start in range(3):  # base64 of any slice lines up with one of three offsets
        traces |= _windows(base64.b64encode(data[start:]).decode("ascii"))
        traces |= _windows(base64.urlsafe_b64encode(data[start:]).decode("ascii"))
    traces |= _windows(data.hex())
    traces |= _windows(repr(opaque)[2:-1])
    traces |= _windows(opaque.decode("latin-1"))
    return traces


def test_the_hub_log_holds_no_envelope_bytes_after_batch_pushes(hub_env: HubEnv) -> None:
    device = hub_env.enrol()
    chain = []
    for n in range(6):
        env = device.seal_next({"answers": [["name", MARKER], ["n", n]]})
        device.accept(env)
        chain.append(env)
    assert _answer(device.push_batch(chain[:3]))[1] is None
    assert _answer(device.push_batch(chain))[1] is None  # three again, three new
    # Refusals, inside a batch and of a whole batch, some with the marker in the clear.
    clear = ENVELOPE_MAGIC + b"\x02" + MARKER.encode() * 10
    response = device.push_batch([clear])
    refused = _answer(response)[1]
    assert refused is not None and refused["error"]["code"] == "malformed_envelope"
    assert MARKER not in response.text
    data = chain[0].to_bytes()
    refused = _answer(device.push_batch([_flip(data, len(data) - 1)]))[1]
    assert refused is not None and refused["error"]["code"] == "bad_envelope_signature"
    framed = MAGIC + b"\x01" + _u32(1) + _u32(len(clear) + 5) + clear
    response = device.push_batch_body(framed)
    _whole_refusal(response, 400, "bad_request")
    assert MARKER not in response.text

    log = hub_env.log_text()
    assert "envelopes stored" in log and "push_batch" in log  # the capture saw the batches
    assert MARKER not in log
    for env in chain:
        opaque = env.ciphertext + env.to_bytes()[-64:]
        assert env.header_bytes.decode("utf-8") not in log
        leaked = [t for t in _traces(env.to_bytes(), opaque) if t in log]
        assert not leaked, leaked
    assert not [t for t in _traces(clear, clear) if t in log]
