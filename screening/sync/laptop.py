"""The laptop's half of sync: enrol, seal finished interviews (and later changes), push them,
pull forms.

Rules (docs/protocol.md, "Rules for clients" and "The sync client"):

- Every envelope is sealed exactly once. The envelope bytes go into the vault's outbox in the
  same transaction that takes the next sequence number and moves the chain head, before
  anything is sent; after that only those bytes are ever sent. A finished interview that
  changes later (a correction, an override) gets an update envelope (sealing.py).
- Envelopes are pushed in sequence order, in batches (one signed request, one commit at the
  hub for up to PUSH_BATCH envelopes). The hub's acknowledgement of an envelope is what
  counts: the outbox row and the interview's `delivered` flag change together.
- Every push session starts by asking the hub where this device's chain stands, so a crash
  between sending and recording the answer costs nothing: what the hub holds is marked
  acknowledged, and the rest is sent again (same bytes, same answer).
- Forms from the hub are installed only when the organisation's signature verifies and the
  form compiles.
"""

from __future__ import annotations

import base64
import contextlib
import logging
from typing import Any

import httpx

from screening.forms.compiler import compile_data
from screening.forms.problems import FormError
from screening.org.documents import (
    DocumentError,
    form_hash,
    form_identity,
    verify_signed_form,
)
from screening.org.orgfile import OrgPublic
from screening.sync import protocol, state
from screening.sync.batch import encode_batch
from screening.sync.errors import SyncError
from screening.sync.protocol import ProtocolError
from screening.sync.report import Progress, SyncReport

# Sealing lives in sealing.py; these names stay importable from here (client, coordinator).
from screening.sync.sealing import SEAL_BATCH, seal_pending  # noqa: F401
from screening.sync.transport import HubSession, RetryPolicy, is_hex64, is_int, page_items, require
from screening.vault import PermissionDenied, Vault, audit
from screening.vault.records import mark_delivered_in

log = logging.getLogger("screening.sync")

FORMS_PAGE = 100
# Envelopes per push request: one signed request and one commit at the hub for many
# envelopes. Bounded in bytes too, so a slow link still finishes a request in reasonable time.
PUSH_BATCH = 64
PUSH_BATCH_BYTES = 4 * 1024 * 1024
_FORK_CODES = ("sequence_fork", "chain_mismatch", "envelope_conflict")
_FINISHED = ("completed", "stopped")


# ---------------------------------------------------------------------------- enrolment


def enrol_device(
    vault: Vault,
    org: OrgPublic,
    code: str,
    *,
    policy: RetryPolicy | None = None,
    transport: httpx.BaseTransport | None = None,
) -> state.DeviceIdentity:
    """Make this laptop's key (kept in the vault), enrol it at the hub with a one-time code,
    and make the organisation's key this vault's recovery key. Safe to run again after an
    interruption: the same key and code get the same answer."""
    if vault.role != "admin":
        raise PermissionDenied(
            "Only admin users can enrol this laptop: enrolment also sets the vault's "
            "recovery key to the organisation's key."
        )
    try:
        proof = protocol.enrol_code_proof(code)
    except ValueError as exc:
        raise SyncError(f"The enrolment code is not valid: {exc}.", exit_code=2) from None
    identity = state.prepare_device(vault, org)
    if vault.recovery_fingerprint != _recovery_fingerprint(org):
        vault.set_recovery_key(org.encryption_key, org.kem)
    public_raw = identity.public_raw
    body = {
        "code_proof": proof,
        "public_key": base64.b64encode(public_raw).decode("ascii"),
        "attestation": protocol.device_attestation(code, public_raw),
    }

    def valid(answer: dict[str, Any]) -> None:
        require(isinstance(answer.get("device_id"), str) and answer["device_id"] != "", "id")
        require(answer.get("key_id") == identity.key_id, "key id")
        require(isinstance(answer.get("enrolled_at"), str), "time")
        require(isinstance(answer.get("org_signing_key_id"), str), "org key")
        require(isinstance(answer.get("org_encryption_key_id"), str), "org key")

    with HubSession(
        org.hub_url, org.hub_ca_pem, identity.private_key, policy=policy, transport=transport
    ) as session:
        _, answer = session.call("POST", protocol.PATH_DEVICES, json_body=body, validate=valid)
    if (
        answer["org_signing_key_id"] != org.signing_key_id
        or answer["org_encryption_key_id"] != org.encryption_key_id
    ):
        raise SyncError(
            f"The hub at {org.hub_url} serves another organisation than the one in the "
            "organisation file; this laptop was not enrolled.",
            code="wrong_organisation",
        )
    state.set_enrolled(vault, answer["device_id"], answer["enrolled_at"])
    enrolled = state.device_identity(vault)
    assert enrolled is not None
    log.info("device enrolled: %s", enrolled.device_id)
    return enrolled


def _recovery_fingerprint(org: OrgPublic) -> str:
    from screening.vault import keys as vault_keys

    return vault_keys.fingerprint(org.kem, org.encryption_key)


# ------------------------------------------------------------------------------- pushing


def _device_head(session: HubSession, identity: state.DeviceIdentity) -> tuple[int, str]:
    def valid(body: dict[str, Any]) -> None:
        require(body.get("device_id") == identity.device_id, "device")
        require(body.get("key_id") == identity.key_id, "key")
        require(is_int(body.get("last_seq")), "seq")
        require(is_hex64(body.get("last_hash")), "hash")

    _, body = session.call("GET", protocol.PATH_DEVICE_SELF, validate=valid)
    return int(body["last_seq"]), str(body["last_hash"])


def diverged(message: str, code: str = "chain_diverged") -> SyncError:
    return SyncError(
        f"{message} Nothing was changed or lost; a person must look (the laptop may have been "
        "restored from an old backup, or its key used elsewhere).",
        code=code,
    )


def _acknowledge_through(vault: Vault, last_seq: int, last_hash: str, report: SyncReport) -> None:
    """Mark every envelope up to the hub's chain head acknowledged (after checking it is ours)."""
    with vault.transaction() as tx:
        local_seq = int(tx.execute("SELECT last_seq FROM sync_device").fetchone()[0])
        if last_seq > local_seq:
            raise diverged(
                f"The hub holds {last_seq} envelopes from this laptop, but the laptop sealed "
                f"only {local_seq}."
            )
        if last_seq > 0:
            row = tx.execute("SELECT hash FROM sync_outbox WHERE seq = ?", (last_seq,)).fetchone()
            if row is None or row[0] != last_hash:
                raise diverged(
                    f"The hub's envelope {last_seq} from this laptop is not the one the laptop "
                    "sealed."
                )
        rows = tx.execute(
            "SELECT seq, interview_id FROM sync_outbox WHERE acked_at IS NULL AND seq <= ?"
            " ORDER BY seq",
            (last_seq,),
        ).fetchall()
        now = audit.now_iso()
        for seq, interview_id in rows:
            tx.execute("UPDATE sync_outbox SET acked_at = ? WHERE seq = ?", (now, seq))
            _deliver(tx, vault.user, interview_id)
            report.acknowledged += 1


def _deliver(tx: Any, actor: str, interview_id: str) -> None:
    status = tx.execute("SELECT status FROM interviews WHERE id = ?", (interview_id,)).fetchone()
    if status is not None and status[0] in _FINISHED:
        mark_delivered_in(tx, actor, interview_id)


def _record_acks(vault: Vault, acks: list[tuple[int, str, int]], report: SyncReport) -> None:
    """Record acknowledgements (seq, interview id, hub cursor) and deliver their interviews.

    Recording them a few at a time is safe: an acknowledgement lost in a crash is found
    again at the next sync, when the hub's chain head shows the envelope is stored.
    """
    if not acks:
        return
    with vault.transaction() as tx:
        now = audit.now_iso()
        for seq, interview_id, cursor in acks:
            changed = tx.execute(
                "UPDATE sync_outbox SET acked_at = ?, hub_cursor = ? WHERE seq = ?"
                " AND acked_at IS NULL",
                (now, cursor, seq),
            ).rowcount
            if changed:
                report.acknowledged += 1
            else:
                tx.execute("UPDATE sync_outbox SET hub_cursor = ? WHERE seq = ?", (cursor, seq))
            _deliver(tx, vault.user, interview_id)
    acks.clear()


def push(
    vault: Vault,
    session: HubSession,
    identity: state.DeviceIdentity,
    report: SyncReport,
    progress: Progress | None = None,
    *,
    below: int | None = None,
) -> None:
    """Push what the hub does not hold yet, in order, until the outbox is acknowledged.

    `progress(sent, total)` is called after each batch the hub answered. `below`: only the
    envelopes before this sequence number (those a replaced device key signed).
    """
    resyncs = 0
    while True:
        last_seq, last_hash = _device_head(session, identity)
        _acknowledge_through(vault, last_seq, last_hash, report)
        # Everything after the hub's head is sent, acknowledged here or not: a hub restored
        # from a backup may have lost envelopes it once acknowledged.
        todo = (
            vault.connection()
            .execute(
                "SELECT seq, envelope_id, interview_id, hash, length(data) FROM sync_outbox"
                " WHERE seq > ? AND seq < ? ORDER BY seq",
                (last_seq, below if below is not None else 2**63 - 1),
            )
            .fetchall()
        )
        if not todo:
            return
        acks: list[tuple[int, str, int]] = []
        sent = 0
        try:
            for batch in _batches(todo):
                cursors, refusal = _push_batch(vault, session, identity, batch, report)
                acks += [(row[0], row[2], c) for row, c in zip(batch, cursors, strict=False)]
                _record_acks(vault, acks, report)
                sent += len(cursors)
                if progress is not None:
                    progress(sent, len(todo))
                if refusal is not None:
                    raise refusal
            return
        except ProtocolError as exc:
            _record_acks(vault, acks, report)
            if exc.code == "sequence_gap" and resyncs < 3:
                resyncs += 1
                continue
            if exc.code in _FORK_CODES:
                raise diverged(
                    f"The hub refused an envelope as a fork of this laptop's chain ({exc.code}).",
                    exc.code,
                ) from None
            raise
        except BaseException:
            with contextlib.suppress(Exception):
                _record_acks(vault, acks, report)
            raise


def _batches(todo: list[Any]) -> list[list[Any]]:
    """Outbox rows in sequence order, cut into batches of bounded count and size."""
    batches: list[list[Any]] = []
    current: list[Any] = []
    size = 0
    for row in todo:
        length = int(row[4] or 0)
        if current and (len(current) >= PUSH_BATCH or size + length > PUSH_BATCH_BYTES):
            batches.append(current)
            current, size = [], 0
        current.append(row)
        size += length
    if current:
        batches.append(current)
    return batches


def _push_batch(
    vault: Vault,
    session: HubSession,
    identity: state.DeviceIdentity,
    batch: list[Any],
    report: SyncReport,
) -> tuple[list[int], ProtocolError | None]:
    """Send one batch: the hub's cursor for each envelope it stored, in order, and the
    refusal that stopped it (the envelopes after a refused one were not looked at)."""
    seqs = [row[0] for row in batch]
    marks = ",".join("?" * len(seqs))
    stored = dict(
        vault.connection()
        .execute(f"SELECT seq, data FROM sync_outbox WHERE seq IN ({marks})", seqs)
        .fetchall()
    )
    envelopes: list[bytes] = []
    for seq in seqs:
        data = stored.get(seq)
        if data is None:
            raise diverged(
                f"The hub needs envelope {seq} again, but the laptop no longer holds it (its "
                "interview was purged after delivery)."
            )
        envelopes.append(bytes(data))

    def valid(body: dict[str, Any]) -> None:
        acks, refused = body["acks"], body.get("refused")
        require(isinstance(acks, list) and len(acks) <= len(batch), "acks")
        # An answer for other envelopes (or from a confused proxy) is no acknowledgement.
        for ack, (seq, envelope_id, _, digest, _) in zip(acks, batch, strict=False):
            require(isinstance(ack, dict), "ack")
            require(ack.get("envelope_id") == envelope_id, "envelope id")
            require(ack.get("device_id") == identity.device_id, "device")
            require(ack.get("seq") == seq, "seq")
            require(ack.get("hash") == digest, "hash")
            require(is_int(ack.get("cursor"), 1), "cursor")
        if refused is None:
            require(len(acks) == len(batch), "every envelope answered")
        else:
            require(isinstance(refused, dict) and refused.get("index") == len(acks), "refusal")
            error = refused.get("error")
            require(isinstance(error, dict) and isinstance(error.get("code"), str), "refusal")

    report.pushed += len(batch)
    _, answer = session.call(
        "POST",
        protocol.PATH_ENVELOPE_BATCH,
        content=encode_batch(envelopes),
        content_type=protocol.ENVELOPE_BATCH_MEDIA_TYPE,
        validate=valid,
    )
    cursors = [int(ack["cursor"]) for ack in answer["acks"]]
    refused = answer["refused"]
    if refused is None:
        return cursors, None
    error = refused["error"]
    message, details = error.get("message"), error.get("details")
    return cursors, ProtocolError(
        error["code"],
        message if isinstance(message, str) else None,
        details=details if isinstance(details, dict) else None,
    )


# --------------------------------------------------------------------------------- forms


def _forms_page_validator(after: int) -> Any:
    def valid(body: dict[str, Any]) -> None:
        for item in page_items(body, "forms", after):
            require(isinstance(item.get("form_id"), str), "form id")
            require(isinstance(item.get("version"), str), "version")
            require(is_hex64(item.get("form_hash")), "hash")
            require(isinstance(item.get("document"), dict), "document")

    return valid


def pull_forms(vault: Vault, session: HubSession, org: OrgPublic, report: SyncReport) -> None:
    """Install every form published since the last pull whose organisation signature holds."""
    cursor = state.get_cursor(vault, state.META_FORMS_CURSOR)
    while True:
        _, page = session.call(
            "GET",
            protocol.PATH_FORMS,
            query={"after": cursor, "limit": FORMS_PAGE},
            validate=_forms_page_validator(cursor),
        )
        for item in page["forms"]:
            report.pulled += 1
            _install_form(vault, org, item, report)
        # A refused form never becomes good by asking again: the cursor moves past it.
        with vault.transaction() as tx:
            state.set_meta(tx, state.META_FORMS_CURSOR, str(page["next_cursor"]))
        cursor = page["next_cursor"]
        if not page["more"]:
            return


def _install_form(vault: Vault, org: OrgPublic, item: dict[str, Any], report: SyncReport) -> None:
    label = f"{item['form_id'][:100]} {item['version'][:50]}"
    problem: str | None = None
    form: dict[str, Any] = {}
    try:
        form = verify_signed_form(item["document"], org)
        if (
            form_identity(form) != (item["form_id"], item["version"])
            or form_hash(form) != item["form_hash"]
        ):
            problem = "the hub's description does not match the signed form"
        else:
            compile_data(form, f"form {label} from the hub")
    except DocumentError as exc:
        problem = (
            "it is not signed by this organisation's key"
            if exc.code == "bad_document_signature"
            else "it is not a valid signed form"
        )
    except FormError as exc:
        problem = f"it does not compile ({len(exc.problems)} problem(s))"
    with vault.transaction() as tx:
        if problem is None:
            existing = tx.execute(
                "SELECT form_hash FROM sync_forms WHERE form_id = ? AND version = ?",
                (item["form_id"], item["version"]),
            ).fetchone()
            if existing is not None and existing[0] != item["form_hash"]:
                problem = "another form is installed under the same id and version"
            elif existing is not None:
                return  # installed already
        if problem is not None:
            report.rejected += 1
            report.problem(f"The form {label} from the hub was refused: {problem}.")
            audit.append(tx, vault.user, "form_refused", item["form_id"][:100], problem)
            log.warning("form refused: %s (%s)", label, problem)
            return
        state.keep_form(
            tx,
            item["form_id"],
            item["version"],
            item["form_hash"],
            item["document"],
            item["cursor"],
        )
        audit.append(tx, vault.user, "form_installed", item["form_id"], item["version"])
    report.imported += 1


def installed_forms(vault: Vault) -> list[dict[str, Any]]:
    """Forms installed from the hub (signature verified on arrival and again here)."""
    org = state.org_public(vault)
    if org is None:
        return []
    return [verify_signed_form(d, org) for d in state.installed_documents(vault.connection())]
