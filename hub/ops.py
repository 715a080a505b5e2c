"""The hub's operations. Each checks everything first and writes last (see service.py).

Error messages never echo what was sent: a body may hold something that must not end up in
a log or on a screen, so messages name the field, not its value.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from hub.context import Context, HubRequest, HubState, Principal
from hub.store import DeviceRow, EnvelopeRow
from screening.canonical import CanonicalJSONError, canonical_json, parse_json
from screening.envelope import GENESIS_HASH, Envelope, EnvelopeError, verify
from screening.envelope.wire import envelope_hash
from screening.org import keys
from screening.org.documents import (
    KIND_FORM,
    DocumentError,
    form_hash,
    form_identity,
    verify_document,
)
from screening.sync import protocol
from screening.sync.batch import BatchFormatError, decode_batch
from screening.sync.protocol import ProtocolError

if TYPE_CHECKING:
    from hub.store import FormRow, Tx

log = logging.getLogger("screening.hub")

MAX_CODE_LIFETIME = 30 * 24 * 3600
MAX_ACK_IDS = 1000
MAX_PAGE = 500
DEFAULT_PAGE = 100
MAX_PAGE_BYTES = 8 * 1024 * 1024
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def iso(ts: int | None) -> str | None:
    """Hub times in responses: UTC, whole seconds, ISO 8601 with Z."""
    if ts is None:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


def _json_object(
    body: bytes, fields: set[str], optional: frozenset[str] = frozenset()
) -> dict[str, Any]:
    try:
        data = parse_json(body) if body else {}
    except CanonicalJSONError:
        raise ProtocolError("bad_request", "The request body is not valid JSON.") from None
    if not isinstance(data, dict) or not fields <= set(data) <= fields | optional:
        raise ProtocolError(
            "bad_request", f"The request body must be a JSON object with {sorted(fields)}."
        )
    return data


def _hex64(value: Any, name: str) -> str:
    if not isinstance(value, str) or not _HEX64.match(value):
        raise ProtocolError("bad_request", f"{name} must be 64 lower-case hex digits.")
    return value


def _int_param(query: Any, name: str, default: int, low: int, high: int) -> int:
    raw = query.get(name)
    if raw is None:
        return default
    if not re.fullmatch(r"[0-9]{1,18}", raw) or not low <= int(raw) <= high:
        raise ProtocolError("bad_request", f"{name} must be a whole number from {low} to {high}.")
    return int(raw)


# ---- enrolment -------------------------------------------------------------------------------


def create_enrol_code(tx: Tx, ctx: Context) -> tuple[int, dict[str, Any]]:
    data = _json_object(ctx.request.body, {"code_hash", "expires_at"})
    code_hash = _hex64(data["code_hash"], "code_hash")
    expires_at = data["expires_at"]
    if (
        not isinstance(expires_at, int)
        or isinstance(expires_at, bool)
        or not ctx.now < expires_at <= ctx.now + MAX_CODE_LIFETIME
    ):
        raise ProtocolError("bad_request", "expires_at must be within the next 30 days.")
    existing = tx.code(code_hash)
    if existing is not None:
        if existing.expires_at != expires_at:
            raise ProtocolError("enrol_code_exists")
        status, row = 200, existing
    else:
        tx.add_code(code_hash, ctx.now, expires_at)
        status, row = 201, tx.code(code_hash)
        tx.on_commit(lambda: log.info("enrolment code registered (expires %s)", iso(expires_at)))
    assert row is not None
    return status, {
        "code_hash": row.code_hash,
        "created_at": iso(row.created_at),
        "expires_at": iso(row.expires_at),
    }


def enrolment_public_key(body: bytes) -> bytes:
    """The device key an enrolment request carries (needed before its signature is checked)."""
    data = _json_object(body, {"code_proof", "public_key", "attestation"})
    try:
        raw = keys.b64decode(data["public_key"], max_bytes=64)
        keys.load_ed25519_public(raw)
    except ValueError:
        raise ProtocolError("bad_request", "public_key must be a base64 Ed25519 key.") from None
    return raw


def enrol_device(tx: Tx, ctx: Context) -> tuple[int, dict[str, Any]]:
    data = _json_object(ctx.request.body, {"code_proof", "public_key", "attestation"})
    proof = _hex64(data["code_proof"], "code_proof")
    attestation = _hex64(data["attestation"], "attestation")
    public_raw = enrolment_public_key(ctx.request.body)
    code_hash = protocol.enrol_code_hash_from_proof(proof)
    code = tx.code(code_hash)
    if code is None:
        raise ProtocolError("enrol_code_unknown")
    if code.used_at is not None:
        return _code_used(tx, ctx, code.device_id)
    if code.expires_at <= ctx.now:
        raise ProtocolError("enrol_code_expired")
    if tx.device_by_key(ctx.principal.key_id) is not None:
        raise ProtocolError("key_already_enrolled")
    device = DeviceRow(
        device_id=str(uuid.uuid4()),
        key_id=ctx.principal.key_id,
        public_key=public_raw,
        code_hash=code_hash,
        attestation=attestation,
        enrolled_at=ctx.now,
        revoked_at=None,
        last_seq=0,
        last_hash=GENESIS_HASH,
    )
    # The code was unused when read, but another request (on another process) may be spending
    # it right now: the conditional UPDATE lets one of them through, after the other commits.
    if not tx.spend_code(code_hash, device.device_id, ctx.now):
        spent = tx.code(code_hash)  # a fresh read (READ COMMITTED): the winner's row
        return _code_used(tx, ctx, None if spent is None else spent.device_id)
    tx.add_device(device)
    tx.on_commit(lambda: log.info("device enrolled: %s", device.device_id))
    return 201, _enrolled(ctx.hub, device)


def _code_used(tx: Tx, ctx: Context, device_id: str | None) -> tuple[int, dict[str, Any]]:
    device = tx.device(device_id) if device_id else None
    # The same key presenting its own code again: the first answer was lost on the way.
    if device is not None and device.key_id == ctx.principal.key_id:
        return 200, _enrolled(ctx.hub, device)
    raise ProtocolError("enrol_code_used")


def _enrolled(hub: HubState, device: Any) -> dict[str, Any]:
    return {
        "device_id": device.device_id,
        "key_id": device.key_id,
        "enrolled_at": iso(device.enrolled_at),
        "org_signing_key_id": hub.org.signing_key_id,
        "org_encryption_key_id": hub.org.encryption_key_id,
    }


def device_self(tx: Tx, ctx: Context) -> tuple[int, dict[str, Any]]:
    d = ctx.principal.device
    assert d is not None
    return 200, {
        "device_id": d.device_id,
        "key_id": d.key_id,
        "enrolled_at": iso(d.enrolled_at),
        "last_seq": d.last_seq,
        "last_hash": d.last_hash,
    }


def revoke_device(tx: Tx, ctx: Context) -> tuple[int, dict[str, Any]]:
    _json_object(ctx.request.body, set())
    device_id = ctx.request.path_params.get("device_id", "")
    device = tx.device(device_id, lock=True)  # waits for the device's pushes in flight
    if device is None:
        raise ProtocolError("unknown_device")
    if device.revoked_at is None:
        tx.revoke_device(device_id, ctx.now)
        tx.on_commit(lambda: log.info("device revoked: %s", device_id))
        revoked_at = ctx.now
    else:
        revoked_at = device.revoked_at
    return 200, {"device_id": device_id, "revoked_at": iso(revoked_at)}


# ---- envelopes -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PreparedEnvelope:
    envelope: Envelope
    hash: str
    body: bytes


def prepare_envelope(hub: HubState, principal: Principal, request: HubRequest) -> PreparedEnvelope:
    return _prepare_one(hub, principal, request.body)


def _prepare_one(hub: HubState, principal: Principal, body: bytes) -> PreparedEnvelope:
    try:
        env = Envelope.from_bytes(body)
    except EnvelopeError as exc:
        raise ProtocolError(exc.code, exc.message) from None
    header = env.header
    # The hub cannot decrypt, but it can refuse what its organisation could not open either.
    if header.org_key_id != hub.org.encryption_key_id or header.kem != hub.org.kem:
        raise ProtocolError("wrong_org_key")
    assert principal.device is not None
    if header.device_id != principal.device.device_id:
        raise ProtocolError("device_mismatch")
    try:
        verify(env, principal.public_key)
    except EnvelopeError as exc:
        raise ProtocolError(exc.code) from None
    return PreparedEnvelope(env, envelope_hash(body), body)


@dataclass(frozen=True, slots=True)
class PreparedBatch:
    """The envelopes of a batch that passed every check, up to the first that did not."""

    envelopes: list[PreparedEnvelope]
    refusal: ProtocolError | None


def prepare_envelope_batch(
    hub: HubState, principal: Principal, request: HubRequest
) -> PreparedBatch:
    try:
        bodies = decode_batch(request.body)
    except BatchFormatError as exc:
        raise ProtocolError(
            "bad_request", f"The body is not a valid envelope batch: {exc}."
        ) from None
    prepared: list[PreparedEnvelope] = []
    for body in bodies:
        try:
            prepared.append(_prepare_one(hub, principal, body))
        except ProtocolError as exc:
            # What follows a refused envelope would break the chain: it is not looked at.
            return PreparedBatch(prepared, exc)
    return PreparedBatch(prepared, None)


def next_in_chain(device: DeviceRow, seq: int) -> dict[str, Any]:
    """Refuse a `seq` that is not the one after the device's last stored envelope (a gap or a
    fork); returns the chain's head, for the details of the caller's own refusals."""
    chain = {"last_seq": device.last_seq, "last_hash": device.last_hash}
    if seq > device.last_seq + 1:
        raise ProtocolError("sequence_gap", details={**chain, "expected_seq": device.last_seq + 1})
    if seq <= device.last_seq:
        raise ProtocolError("sequence_fork", details=chain)
    return chain


def _ack(row: EnvelopeRow) -> dict[str, Any]:
    return {
        "envelope_id": row.envelope_id,
        "device_id": row.device_id,
        "seq": row.seq,
        "hash": row.hash,
        "cursor": row.cursor,
        "received_at": iso(row.received_at),
    }


def push_envelope(tx: Tx, ctx: Context) -> tuple[int, dict[str, Any]]:
    device = ctx.principal.device
    assert device is not None
    prepared: PreparedEnvelope = ctx.prepared
    header = prepared.envelope.header
    stored = _check_envelope(device, prepared, tx.envelope(header.envelope_id))
    if stored is not None:
        return 200, _ack(stored)
    cursor = tx.add_envelope(
        header.envelope_id, device.device_id, header.seq, prepared.hash, prepared.body, ctx.now
    )
    tx.set_device_head(device.device_id, header.seq, prepared.hash)
    device_id, seq = device.device_id, header.seq
    tx.on_commit(
        lambda: log.info("envelope stored: device %s seq %d cursor %d", device_id, seq, cursor)
    )
    return 201, _ack(_row(device, prepared, ctx.now, cursor))


def push_envelope_batch(tx: Tx, ctx: Context) -> tuple[int, dict[str, Any]]:
    """Store a batch's envelopes in order, stopping at the first one refused.

    Each envelope is checked against the chain head its predecessors left, exactly as if it
    had been pushed alone; those before a refusal are stored and acknowledged. Nothing is
    written for a refused envelope (every check comes before the writes), so the refusal
    needs no rollback. The new envelopes are inserted with one statement and the chain head
    moved once: a batch costs the same few round trips to the database as one envelope.
    """
    batch: PreparedBatch = ctx.prepared
    device = ctx.principal.device
    assert device is not None
    refusal = batch.refusal
    # One lookup for the whole batch; what this batch stores joins it as it goes, so an id
    # repeated inside the batch is judged as if the first one had been pushed alone.
    known = tx.envelopes_by_id([p.envelope.header.envelope_id for p in batch.envelopes])
    outcomes: list[tuple[int, str]] = []
    new: list[EnvelopeRow] = []
    for prepared in batch.envelopes:
        envelope_id = prepared.envelope.header.envelope_id
        try:
            stored = _check_envelope(device, prepared, known.get(envelope_id))
        except ProtocolError as exc:
            refusal = exc
            break
        if stored is not None:
            outcomes.append((200, envelope_id))
            continue
        row = _row(device, prepared, ctx.now, cursor=0)  # its cursor comes with the insert
        known[envelope_id] = row
        new.append(row)
        outcomes.append((201, envelope_id))
        device = replace(device, last_seq=row.seq, last_hash=row.hash)
    if new:
        cursors = tx.add_envelopes(
            [(r.envelope_id, r.device_id, r.seq, r.hash, r.body, r.received_at) for r in new]
        )
        for row in new:
            known[row.envelope_id] = replace(row, cursor=cursors[row.envelope_id])
        tx.set_device_head(device.device_id, device.last_seq, device.last_hash)
        first, last, device_id, count = new[0].seq, new[-1].seq, device.device_id, len(new)
        tx.on_commit(
            lambda: log.info(
                "envelopes stored: device %s, %d new of seq %d-%d", device_id, count, first, last
            )
        )
    acks = [{**_ack(known[envelope_id]), "status": status} for status, envelope_id in outcomes]
    refused = None
    if refusal is not None:
        refused = {"index": len(acks), **refusal.to_json()}
    return 200, {"acks": acks, "refused": refused}


def _row(device: DeviceRow, prepared: PreparedEnvelope, now: int, cursor: int) -> EnvelopeRow:
    header = prepared.envelope.header
    return EnvelopeRow(
        cursor, header.envelope_id, device.device_id, header.seq, prepared.hash, prepared.body,
        now, None,
    )  # fmt: skip


def _check_envelope(
    device: DeviceRow, prepared: PreparedEnvelope, existing: EnvelopeRow | None
) -> EnvelopeRow | None:
    """Check one envelope against the chain rules (the device's head as read under its lock).

    Returns the stored row when the same envelope was stored before, None when it is new and
    extends the chain; raises ProtocolError otherwise. Writes nothing.
    """
    header = prepared.envelope.header
    if existing is not None:
        # At-least-once delivery: the same bytes again get the same acknowledgement.
        if existing.hash == prepared.hash:
            return existing
        raise ProtocolError("envelope_conflict")
    chain = next_in_chain(device, header.seq)
    if header.prev_hash != device.last_hash:
        raise ProtocolError("chain_mismatch", details=chain)
    return None


def pull_envelopes(tx: Tx, ctx: Context) -> tuple[int, dict[str, Any]]:
    after = _int_param(ctx.request.query, "after", 0, 0, 2**62)
    limit = _int_param(ctx.request.query, "limit", DEFAULT_PAGE, 1, MAX_PAGE)
    rows = tx.envelopes_after(after, limit + 1)
    page, size = [], 0
    for row in rows[:limit]:
        if page and size + len(row.body) > MAX_PAGE_BYTES:
            break
        page.append(row)
        size += len(row.body)
    items = [
        {**_ack(r), "acknowledged": r.acked_at is not None, "data": keys.b64encode(r.body)}
        for r in page
    ]
    return 200, {
        "envelopes": items,
        "next_cursor": page[-1].cursor if page else after,
        "more": len(rows) > len(page),
    }


def ack_envelopes(tx: Tx, ctx: Context) -> tuple[int, dict[str, Any]]:
    data = _json_object(ctx.request.body, {"envelope_ids"})
    ids = data["envelope_ids"]
    if (
        not isinstance(ids, list)
        or len(ids) > MAX_ACK_IDS
        or not all(isinstance(i, str) and _UUID4.match(i) for i in ids)
    ):
        raise ProtocolError("bad_request", "envelope_ids must be a list of up to 1000 UUIDs.")
    unknown = tx.ack(list(dict.fromkeys(ids)), ctx.now)
    known = len(set(ids)) - len(unknown)
    tx.on_commit(lambda: log.info("envelopes acknowledged: %d (%d unknown)", known, len(unknown)))
    return 200, {"acknowledged": known, "unknown": unknown}


# ---- forms -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PreparedForm:
    form_id: str
    version: str
    form_hash: str
    document: str


def prepare_form(hub: HubState, principal: Principal, request: HubRequest) -> PreparedForm:
    try:
        doc = parse_json(request.body)
        form = verify_document(doc, kind=KIND_FORM, signing_key=hub.org.signing_key)
        form_id, version = form_identity(form)
    except CanonicalJSONError:
        raise ProtocolError("malformed_document", "The form document is not valid JSON.") from None
    except DocumentError as exc:
        raise ProtocolError(exc.code, exc.message) from None
    return PreparedForm(form_id, version, form_hash(form), canonical_json(doc).decode("utf-8"))


def _form_item(row: FormRow) -> dict[str, Any]:
    return {
        "form_id": row.form_id,
        "version": row.version,
        "form_hash": row.hash,
        "cursor": row.cursor,
        "published_at": iso(row.published_at),
    }


def publish_form(tx: Tx, ctx: Context) -> tuple[int, dict[str, Any]]:
    p: PreparedForm = ctx.prepared
    tx.lock_forms()
    existing = tx.form(p.form_id, p.version)
    if existing is not None:
        if existing.hash == p.form_hash:
            return 200, _form_item(existing)
        raise ProtocolError("form_conflict")
    tx.add_form(p.form_id, p.version, p.form_hash, p.document, ctx.now)
    tx.on_commit(lambda: log.info("form published: %s version %s", p.form_id, p.version))
    row = tx.form(p.form_id, p.version)
    assert row is not None
    return 201, _form_item(row)


def pull_forms(tx: Tx, ctx: Context) -> tuple[int, dict[str, Any]]:
    after = _int_param(ctx.request.query, "after", 0, 0, 2**62)
    limit = _int_param(ctx.request.query, "limit", DEFAULT_PAGE, 1, MAX_PAGE)
    rows = tx.forms_after(after, limit + 1)
    page = rows[:limit]
    return 200, {
        "forms": [{**_form_item(r), "document": parse_json(r.document)} for r in page],
        "next_cursor": page[-1].cursor if page else after,
        "more": len(rows) > limit,
    }
