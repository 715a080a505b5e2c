"""The hub's device-key operations: listing devices with their key history, and rotating a
device's key (docs/protocol.md, "Device key rotation"). Same rules as hub/ops.py: check
everything first, write last, never echo what was sent.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from hub.context import DEVICE, Context
from hub.ops import _json_object, iso, next_in_chain
from hub.store import RotationRow
from screening.canonical import canonical_json, parse_json
from screening.org import keys
from screening.sync.protocol import ProtocolError
from screening.sync.rotation import RotationError, parse_rotation

if TYPE_CHECKING:
    from hub.store import Tx

log = logging.getLogger("screening.hub")


def list_devices(tx: Tx, ctx: Context) -> tuple[int, dict[str, Any]]:
    by_device: dict[str, list[RotationRow]] = {}
    for r in tx.rotations():
        by_device.setdefault(r.device_id, []).append(r)
    return 200, {
        "devices": [
            {
                "device_id": d.device_id,
                "key_id": d.key_id,
                "public_key": keys.b64encode(d.public_key),
                "code_hash": d.code_hash,
                "attestation": d.attestation,
                "enrolled_at": iso(d.enrolled_at),
                "revoked_at": iso(d.revoked_at),
                "last_seq": d.last_seq,
                "last_hash": d.last_hash,
                **_key_history(by_device.get(d.device_id, [])),
            }
            for d in tx.devices()
        ]
    }


def _key_history(rows: list[RotationRow]) -> dict[str, Any]:
    """A device's rotations (oldest first), refused rotations and uses of retired keys."""

    def entry(r: RotationRow) -> dict[str, Any]:
        return {**parse_json(r.rotation), "rotated_at": iso(r.rotated_at)}

    last_use = max((r.last_retired_use or 0 for r in rows), default=0)
    return {
        "rotations": [entry(r) for r in rows if r.accepted],
        "refused_rotations": [entry(r) for r in rows if not r.accepted],
        "retired_key_uses": sum(r.retired_uses for r in rows),
        "last_retired_key_use": iso(last_use or None),
    }


MAX_REFUSED_ROTATIONS = 20


def rotate_device_key(tx: Tx, ctx: Context) -> tuple[int, dict[str, Any]]:
    """Replace a device's key, on a request signed by the key being replaced.

    The statement in the body is signed by both keys (screening/sync/rotation.py). Rotating a
    key that was rotated already succeeds only as a repeat of that same rotation (a lost
    answer); any other is refused as `key_rotated_elsewhere` and kept, so the coordinator
    sees that two holders of one key exist.
    """
    principal = ctx.principal
    device = principal.device
    assert device is not None
    try:
        rotation = parse_rotation(
            _json_object(ctx.request.body, {"statement", "old_signature", "new_signature"})
        )
    except RotationError as exc:
        raise ProtocolError("bad_rotation", str(exc)) from None
    if rotation.device_id != device.device_id:
        raise ProtocolError("device_mismatch")
    if rotation.old_key_id != principal.key_id:
        raise ProtocolError("bad_rotation", "A rotation must be signed by the key it replaces.")
    row = RotationRow(
        device_id=device.device_id,
        old_key_id=rotation.old_key_id,
        old_public_key=rotation.old_public_key,
        new_key_id=rotation.new_key_id,
        rotation=canonical_json(rotation.to_json()).decode("utf-8"),
        rotated_at=ctx.now,
        accepted=True,
        retired_uses=0,
        last_retired_use=None,
    )
    if principal.role != DEVICE:
        done = tx.retired_key(principal.key_id)
        if done is not None and done.new_key_id == rotation.new_key_id:
            if parse_json(done.rotation) != rotation.to_json():
                raise ProtocolError("bad_rotation", "This rotation was made with other details.")
            return 200, _rotated(
                device.device_id, done.new_key_id, rotation.first_seq, done.rotated_at
            )
        if (
            len([r for r in tx.rotations(device.device_id) if not r.accepted])
            < MAX_REFUSED_ROTATIONS
        ):
            tx.add_rotation(replace(row, accepted=False))
        device_id = device.device_id
        tx.on_commit(lambda: log.warning("conflicting key rotation refused: device %s", device_id))
        raise ProtocolError("key_rotated_elsewhere")
    if tx.key_known(rotation.new_key_id):
        raise ProtocolError("key_already_enrolled")
    # The new key signs from the next envelope on: older ones were all checked against the
    # old key already, so the coordinator can tell which key signs which envelope.
    next_in_chain(device, rotation.first_seq)
    tx.add_rotation(row)
    tx.set_device_key(device.device_id, rotation.new_key_id, rotation.new_public_key)
    hub, old_key_id, device_id = ctx.hub, principal.key_id, device.device_id

    def committed() -> None:
        hub.forget_key(old_key_id)
        log.info("device key rotated: device %s", device_id)

    tx.on_commit(committed)
    return 201, _rotated(device.device_id, rotation.new_key_id, rotation.first_seq, ctx.now)


def _rotated(device_id: str, key_id: str, first_seq: int, when: int) -> dict[str, Any]:
    return {
        "device_id": device_id,
        "key_id": key_id,
        "first_seq": first_seq,
        "rotated_at": iso(when),
    }
