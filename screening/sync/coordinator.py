"""The coordinator's half of sync: organisation keys, enrolment codes, forms, devices.

Pulling and importing envelopes is in screening/sync/importer.py. Import order for every
envelope (docs/protocol.md, "The sync client"): the hub's description
must match the envelope; the device must be listed by the hub *and* its key attested with an
enrolment code this vault made; the device signature must verify; the envelope must extend
that device's verified chain (sequence and previous hash). Only then is it decrypted, and
the record checked and imported, idempotently by envelope id and interview id, in one
transaction per page together with the new cursor. Acknowledgements follow the commit.

An envelope of an interview already here is a laptop's update (a correction, an override
made after the interview was sent): it replaces the copy here only when it comes from the
same device and its audit trail extends the one imported, and is refused (`update_conflict`)
otherwise; an older one changes nothing (screening/vault/recordupdate.py).

An envelope that cannot be imported is never acknowledged and never skipped silently: it is
kept (ciphertext only) in `sync_rejected`, reported, and tried again on every sync.
"""

from __future__ import annotations

import binascii
import logging
import time
from dataclasses import dataclass
from typing import Any

import httpx

from screening.forms.compiler import awaiting_files, compile_data
from screening.forms.problems import FormError
from screening.org import keys
from screening.org.documents import DocumentError, form_hash, form_identity, sign_form
from screening.org.orgkeys import OrgKeys
from screening.sync import protocol, rotation, state
from screening.sync.errors import SyncError
from screening.sync.transport import HubSession, RetryPolicy, is_hex64, is_int, require
from screening.vault import PermissionDenied, Vault, audit

log = logging.getLogger("screening.sync")

MAX_CODE_DAYS = 30


def _iso(ts: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


def coordinator_session(
    org: OrgKeys,
    *,
    policy: RetryPolicy | None = None,
    transport: httpx.BaseTransport | None = None,
) -> HubSession:
    return HubSession(
        org.public.hub_url,
        org.public.hub_ca_pem,
        org.signing_private_key,
        policy=policy,
        transport=transport,
    )


# ------------------------------------------------------------------------ organisation


def init_org(vault: Vault, name: str, hub_url: str, hub_ca_pem: str | None) -> OrgKeys:
    """Create the organisation's keys inside this (coordinator's) vault.

    The organisation's encryption key also becomes this vault's recovery key, as on every
    enrolled laptop. Returns the keys; write `keys.public.to_json_bytes()` to hand out.
    """
    if vault.role != "admin":
        raise PermissionDenied(
            "Only admin users can create the organisation keys: they also become this "
            "vault's recovery key."
        )
    org = OrgKeys.generate(name, hub_url, hub_ca_pem)
    state.store_org_keys(vault, org)
    vault.set_recovery_key(org.public.encryption_key, org.kem)
    return org


# ------------------------------------------------------------------------- enrol codes


def create_enrol_code(
    vault: Vault,
    *,
    days: int = 7,
    policy: RetryPolicy | None = None,
    transport: httpx.BaseTransport | None = None,
) -> tuple[str, str]:
    """A one-time enrolment code, registered at the hub by its hash; (code, expiry time)."""
    org = state.require_org_keys(vault, "create enrolment codes")
    if not 1 <= days <= MAX_CODE_DAYS:
        raise SyncError("An enrolment code can be valid for 1 to 30 days.", exit_code=2)
    code = protocol.new_enrol_code()
    code_hash = protocol.enrol_code_hash(code)
    # A minute short of the limit, so a hub clock slightly behind still accepts 30 days.
    expires_at = int(time.time()) + days * 86400 - 60
    # Kept before it is registered: with it this vault can check the device it enrols.
    state.remember_enrol_code(vault, code, code_hash, _iso(expires_at))

    def valid(body: dict[str, Any]) -> None:
        require(body.get("code_hash") == code_hash, "code hash")

    with coordinator_session(org, policy=policy, transport=transport) as session:
        session.call(
            "POST",
            protocol.PATH_ENROL_CODES,
            json_body={"code_hash": code_hash, "expires_at": expires_at},
            validate=valid,
        )
    return code, _iso(expires_at)


# --------------------------------------------------------------------------------- forms


def publish_form(
    vault: Vault,
    form: dict[str, Any],
    *,
    policy: RetryPolicy | None = None,
    transport: httpx.BaseTransport | None = None,
) -> tuple[int, dict[str, Any]]:
    """Sign a form with the organisation key and publish it; (HTTP status, hub answer)."""
    org = state.require_org_keys(vault, "publish forms")
    try:
        form_id, version = form_identity(form)
        awaiting = awaiting_files(compile_data(form, "the form"))
    except DocumentError as exc:
        raise SyncError(exc.message, exit_code=2) from None
    except FormError as exc:
        first = exc.problems[0] if exc.problems else "unknown problem"
        more = f" and {len(exc.problems) - 1} more" if len(exc.problems) > 1 else ""
        raise SyncError(
            f"The form does not validate ({first}{more}); it was not published.", exit_code=2
        ) from None
    if awaiting:
        # Laptops would refuse it too (screening/forms/library.py); refused here, nothing is sent.
        raise SyncError(f"The form was not published: {awaiting}.", exit_code=2)
    document = sign_form(org, form)
    digest = form_hash(form)

    def valid(body: dict[str, Any]) -> None:
        require(body.get("form_id") == form_id and body.get("version") == version, "form")
        require(body.get("form_hash") == digest, "hash")
        require(is_int(body.get("cursor"), 1), "cursor")

    with coordinator_session(org, policy=policy, transport=transport) as session:
        status, answer = session.call(
            "POST", protocol.PATH_FORMS, json_body=document, validate=valid
        )
    # The coordinator keeps what it published, as a laptop keeps what it installs: its case
    # pages then show the questions' texts for interviews recorded with the form.
    with vault.transaction() as tx:
        state.keep_form(tx, form_id, version, digest, document, answer["cursor"])
        audit.append(tx, vault.user, "form_published", form_id[:100], version[:50])
    return status, answer


# ------------------------------------------------------------------------------- devices


@dataclass(frozen=True, slots=True)
class HubDevice:
    """A device as the hub lists it, with this vault's verdict on whether to trust it."""

    device_id: str
    key_id: str
    public_key: bytes
    code_hash: str
    enrolled_at: str | None
    revoked_at: str | None
    last_seq: int
    last_hash: str
    trusted: bool
    problem: str | None
    # (first seq, public key) from the enrolled key on: which key signs which envelope.
    key_chain: tuple[tuple[int, bytes], ...] = ()
    # Sentences for the coordinator: a second rotation of one key, uses of a retired key.
    alerts: tuple[str, ...] = ()

    def key_for_seq(self, seq: int) -> bytes:
        return rotation.key_for_seq(self.key_chain, seq) if self.key_chain else self.public_key

    def to_json(self) -> dict[str, Any]:
        return {
            "device_id": self.device_id,
            "key_id": self.key_id,
            "enrolled_at": self.enrolled_at,
            "revoked_at": self.revoked_at,
            "last_seq": self.last_seq,
            "trusted": self.trusted,
            "problem": self.problem,
            "key_rotations": max(len(self.key_chain) - 1, 0),
            "alerts": list(self.alerts),
        }


def _valid_devices(body: dict[str, Any]) -> None:
    devices = body.get("devices")
    require(isinstance(devices, list), "devices")
    for d in devices:
        require(isinstance(d, dict), "device")
        for name in ("device_id", "key_id", "public_key", "code_hash", "attestation"):
            require(isinstance(d.get(name), str), name)
        require(is_int(d.get("last_seq")), "seq")
        require(is_hex64(d.get("last_hash")), "hash")


def fetch_devices(vault: Vault, session: HubSession) -> dict[str, HubDevice]:
    """The hub's device list, each key checked against the codes this vault made."""
    codes = state.enrol_codes(vault)
    _, body = session.call("GET", protocol.PATH_DEVICES, validate=_valid_devices)
    result: dict[str, HubDevice] = {}
    for d in body["devices"]:
        problem: str | None = None
        try:
            raw = keys.b64decode(d["public_key"], max_bytes=64)
            keys.load_ed25519_public(raw)
        except (ValueError, binascii.Error):
            raw, problem = b"", "the hub lists a malformed key"
        if problem is None and keys.key_id(keys.SIGNING_ALG, raw) != d["key_id"]:
            problem = "the hub lists a key id that does not match the key"
        # The enrolment code attests the device's first key; every later key must be
        # reachable from it through rotations signed by the key before.
        enrolled, chain = raw, ((1, raw),)
        if problem is None:
            try:
                enrolled, chain = rotation.key_chain(d["device_id"], raw, d.get("rotations") or [])
            except rotation.RotationError as exc:
                problem = f"its key rotations do not hold ({str(exc).rstrip('.')})"
        code = codes.get(d["code_hash"])
        if problem is None and code is None:
            problem = "it was enrolled with a code this vault did not make"
        elif problem is None and not protocol.verify_device_attestation(
            code or "", enrolled, d["attestation"]
        ):
            problem = "its key is not the one enrolled with the code (the hub may be tampered)"
        alerts = _alerts(d)
        if problem is None and d.get("refused_rotations"):
            # Two holders of one key each made a new one: either may be the real laptop.
            problem = (
                "its key was replaced twice from the same key, so a copy of its vault is in "
                "other hands; revoke it and enrol the laptop again"
            )
        result[d["device_id"]] = HubDevice(
            device_id=d["device_id"],
            key_id=d["key_id"],
            public_key=raw,
            code_hash=d["code_hash"],
            enrolled_at=d.get("enrolled_at"),
            revoked_at=d.get("revoked_at"),
            last_seq=d["last_seq"],
            last_hash=d["last_hash"],
            trusted=problem is None,
            problem=problem,
            key_chain=chain,
            alerts=alerts,
        )
    return result


def _alerts(d: dict[str, Any]) -> tuple[str, ...]:
    """What a coordinator must hear about a device's keys (the hub's counts; ids only)."""
    alerts = []
    refused = d.get("refused_rotations")
    if isinstance(refused, list) and refused:
        alerts.append(
            f"Device {d['device_id']}: the hub refused {len(refused)} attempt(s) to replace an "
            "already replaced key: another copy of this laptop's vault exists. Its envelopes "
            "are held; revoke the device and enrol the laptop again."
        )
    uses = d.get("retired_key_uses")
    if is_int(uses) and uses > 0:
        last = d.get("last_retired_key_use")
        alerts.append(
            f"Device {d['device_id']}: its replaced key was used {uses} time(s) since"
            f"{f' (last {last})' if isinstance(last, str) else ''}; the hub refused it. Someone "
            "kept a copy of the laptop's vault from before a user was removed or a backup "
            "restored."
        )
    return tuple(alerts)


def list_devices(
    vault: Vault,
    *,
    policy: RetryPolicy | None = None,
    transport: httpx.BaseTransport | None = None,
) -> list[HubDevice]:
    org = state.require_org_keys(vault, "list devices")
    with coordinator_session(org, policy=policy, transport=transport) as session:
        return list(fetch_devices(vault, session).values())


def revoke_device(
    vault: Vault,
    device_id: str,
    *,
    policy: RetryPolicy | None = None,
    transport: httpx.BaseTransport | None = None,
) -> str:
    """Revoke a device at the hub (idempotent); returns the revocation time."""
    org = state.require_org_keys(vault, "revoke devices")
    if not device_id or len(device_id) > 64 or not all(c.isalnum() or c in "-_" for c in device_id):
        raise SyncError("A device id is 1 to 64 letters, digits, '-' or '_'.", exit_code=2)

    def valid(body: dict[str, Any]) -> None:
        require(body.get("device_id") == device_id, "device")
        require(isinstance(body.get("revoked_at"), str), "time")

    with coordinator_session(org, policy=policy, transport=transport) as session:
        _, body = session.call(
            "POST", protocol.PATH_REVOKE.format(device_id=device_id), json_body={}, validate=valid
        )
    vault.audit("device_revoked", device_id)
    return str(body["revoked_at"])
