"""Registering a laptop's new device key with the hub (docs/protocol.md, "Device key rotation").

Removing a user and restoring a backup give the laptop a new key at once
(screening/vault/devicekey.py); the hub learns of it here, at the start of the next sync or
straight after the change when the hub can be reached. For each waiting rotation, oldest
first, under the key it replaces:

1. push the envelopes sealed before it (they are signed by that key);
2. send the rotation statement, signed by both keys (screening/sync/rotation.py);
3. record it and erase the old key.

If the hub says the key was already replaced by another one, a copy of this vault (kept by
someone from before the change) got there first: the laptop stops syncing for good and says
so; the coordinator sees an alert for the device. The same happens when the hub refuses the
key in use as retired.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from typing import Any

import httpx

from screening.org import keys
from screening.org.orgfile import OrgPublic
from screening.sync import laptop, protocol, state
from screening.sync.errors import SyncError
from screening.sync.protocol import ProtocolError
from screening.sync.report import Progress, SyncReport
from screening.sync.rotation import make_rotation
from screening.sync.transport import HubSession, RetryPolicy, require
from screening.vault import Vault, audit

log = logging.getLogger("screening.sync")

META_REPLACED = "sync_device_replaced_at"
REPLACED_CODE = "device_key_replaced"
_REPLACED_CODES = ("key_rotated", "key_rotated_elsewhere")


@dataclass(frozen=True, slots=True)
class PendingRotation:
    id: int
    old_private: bytes
    old_key_id: str
    new_key_id: str
    first_seq: int


def pending(vault: Vault) -> list[PendingRotation]:
    rows = vault.connection().execute(
        "SELECT id, old_private_key, old_key_id, new_key_id, first_seq FROM sync_key_rotations"
        " WHERE registered_at IS NULL AND refused_at IS NULL ORDER BY id"
    )
    return [PendingRotation(int(r[0]), bytes(r[1]), r[2], r[3], int(r[4])) for r in rows]


def replaced_error(device_id: str | None) -> SyncError:
    return SyncError(
        f"The hub says this laptop's device key was already replaced by someone else: another "
        f"copy of this vault (kept from before a user was removed or a backup was restored) "
        f"holds it. This laptop stopped syncing; nothing was sent or lost. Ask the coordinator "
        f"to revoke device {device_id} and give you a new enrolment code, then enrol this "
        f"laptop again with a new vault (docs/sync.md, section 8).",
        code=REPLACED_CODE,
        exit_code=2,
    )


def check_not_replaced(vault: Vault) -> None:
    """Refuse to sync a laptop whose key the hub gave to another copy of its vault."""
    if state.get_meta(vault, META_REPLACED) is not None:
        identity = state.device_identity(vault)
        raise replaced_error(None if identity is None else identity.device_id)


def mark_replaced(vault: Vault, rotation_id: int | None, code: str) -> SyncError:
    """Record that another copy holds this laptop's key; the error to stop the run with."""
    now = audit.now_iso()
    identity = state.device_identity(vault)
    device_id = None if identity is None else identity.device_id
    with vault.transaction() as tx:
        state.set_meta(tx, META_REPLACED, now)
        if rotation_id is not None:
            tx.execute(
                "UPDATE sync_key_rotations SET refused_at = ? WHERE id = ?", (now, rotation_id)
            )
        audit.append(tx, vault.user, "device_key_replaced", device_id, code)
    log.info("device key replaced elsewhere: %s (%s)", device_id, code)
    return replaced_error(device_id)


def register_pending(
    vault: Vault,
    org: OrgPublic,
    identity: state.DeviceIdentity,
    report: SyncReport,
    *,
    policy: RetryPolicy | None = None,
    transport: httpx.BaseTransport | None = None,
    progress: Progress | None = None,
) -> int:
    """Register every waiting rotation with the hub, oldest first; how many were registered."""
    done = 0
    for rotation in pending(vault):
        old_key = keys.load_ed25519_private(rotation.old_private)
        old_identity = dataclasses.replace(
            identity, key_id=rotation.old_key_id, _private=rotation.old_private
        )
        with HubSession(
            org.hub_url, org.hub_ca_pem, old_key, policy=policy, transport=transport
        ) as session:
            try:
                laptop.push(
                    vault, session, old_identity, report, progress, below=rotation.first_seq
                )
            except ProtocolError as exc:
                # key_rotated: the hub has a rotation of this key already, ours (an answer
                # lost) or another copy's; the rotation request below tells which.
                if exc.code != "key_rotated":
                    raise
            try:
                _register(vault, session, identity, rotation, old_key)
            except ProtocolError as exc:
                if exc.code in _REPLACED_CODES:
                    raise mark_replaced(vault, rotation.id, exc.code) from None
                if exc.code == "sequence_fork":
                    raise laptop.diverged(
                        "The hub holds more envelopes from this laptop than it had sealed when "
                        "its key was replaced."
                    ) from None
                raise
        done += 1
    return done


def _register(
    vault: Vault,
    session: HubSession,
    identity: state.DeviceIdentity,
    pending_rotation: PendingRotation,
    old_key: Any,
) -> None:
    new_key = identity.private_key
    if keys.signing_key_id(new_key) != pending_rotation.new_key_id:
        # A later rotation replaced the key this one moved to: its private key is the next
        # rotation's old key.
        row = (
            vault.connection()
            .execute(
                "SELECT old_private_key FROM sync_key_rotations WHERE old_key_id = ?",
                (pending_rotation.new_key_id,),
            )
            .fetchone()
        )
        if row is None or row[0] is None:
            raise SyncError(
                "This laptop's waiting device key replacements are out of order; nothing was "
                "sent. Contact support.",
                code="rotation_broken",
                exit_code=2,
            )
        new_key = keys.load_ed25519_private(bytes(row[0]))
    assert identity.device_id is not None
    rotation = make_rotation(identity.device_id, old_key, new_key, pending_rotation.first_seq)

    def valid(body: dict[str, Any]) -> None:
        require(body.get("device_id") == identity.device_id, "device")
        require(body.get("key_id") == pending_rotation.new_key_id, "key id")
        require(body.get("first_seq") == pending_rotation.first_seq, "first seq")

    session.call("POST", protocol.PATH_ROTATE_KEY, json_body=rotation.to_json(), validate=valid)
    with vault.transaction() as tx:
        # The hub refuses the old key from now on; nothing needs it any more.
        tx.execute(
            "UPDATE sync_key_rotations SET registered_at = ?, old_private_key = NULL WHERE id = ?",
            (audit.now_iso(), pending_rotation.id),
        )
        audit.append(
            tx,
            vault.user,
            "device_key_registered",
            identity.device_id,
            f"{pending_rotation.old_key_id[:16]} -> {pending_rotation.new_key_id[:16]}",
        )
    log.info("device key rotation registered: %s", identity.device_id)


def register_now(vault: Vault, *, policy: RetryPolicy | None = None) -> str:
    """Right after a user removal or a restore: register the new key if the hub can be
    reached. One sentence saying what happened (never raises for a network problem)."""
    identity = state.device_identity(vault)
    org = state.org_public(vault)
    if identity is None or identity.device_id is None or org is None or not pending(vault):
        return ""
    try:
        check_not_replaced(vault)
        register_pending(
            vault, org, identity, SyncReport(mode="device"),
            policy=policy or RetryPolicy(attempts=1, timeout=10.0, connect_timeout=5.0),
        )  # fmt: skip
    except SyncError as exc:
        if exc.code == REPLACED_CODE:
            return exc.message
        return (
            "The laptop's new device key will be registered with the hub at the next sync "
            f"({exc.message.rstrip('.')})."
        )
    except ProtocolError as exc:
        return (
            "The laptop's new device key will be registered with the hub at the next sync "
            f"(the hub answered {exc.code})."
        )
    return "The laptop's new device key is registered with the hub; its old key is refused."
