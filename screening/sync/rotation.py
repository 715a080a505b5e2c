"""Device key rotation statements: how a laptop replaces its key, provably, for hub and
coordinator alike (docs/protocol.md, "Device key rotation").

A statement names the device, its old and new public keys and the first envelope sequence
number the new key signs. Both keys sign it: the old key consents (only the holder of the
key the hub trusts can retire it) and the new key proves it is held (nobody can rotate a
device onto a key they do not have). The hub keeps every statement and lists them, so a
coordinator can follow a device's keys from the one its enrolment code attested to the one in
use now without trusting the hub.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ed25519

from screening.canonical import canonical_json
from screening.envelope.header import MAX_SEQ
from screening.org import keys

FORMAT = "screening-desk/key-rotation"
VERSION = 1
CONTEXT = b"screening-desk/key-rotation/v1\x00"
_FIELDS = {"format", "version", "device_id", "old_public_key", "new_public_key", "first_seq"}
_BODY_FIELDS = {"statement", "old_signature", "new_signature"}


class RotationError(ValueError):
    """A statement that is malformed or whose signatures do not verify (one sentence)."""


@dataclass(frozen=True, slots=True)
class Rotation:
    """A checked rotation: `new_public_key` signs the device's envelopes from `first_seq`."""

    device_id: str
    old_public_key: bytes
    new_public_key: bytes
    first_seq: int
    statement: dict[str, Any]
    old_signature: str
    new_signature: str

    @property
    def old_key_id(self) -> str:
        return keys.key_id(keys.SIGNING_ALG, self.old_public_key)

    @property
    def new_key_id(self) -> str:
        return keys.key_id(keys.SIGNING_ALG, self.new_public_key)

    def to_json(self) -> dict[str, Any]:
        """The request body (and the hub's listing entry, without its time)."""
        return {
            "statement": self.statement,
            "old_signature": self.old_signature,
            "new_signature": self.new_signature,
        }


def _message(statement: dict[str, Any]) -> bytes:
    return CONTEXT + canonical_json(statement)


def make_rotation(
    device_id: str,
    old_private: ed25519.Ed25519PrivateKey,
    new_private: ed25519.Ed25519PrivateKey,
    first_seq: int,
) -> Rotation:
    """Build and sign a statement. Deterministic: the same inputs give the same bytes, so a
    retried registration is recognised by the hub as the same one."""
    statement = {
        "format": FORMAT,
        "version": VERSION,
        "device_id": device_id,
        "old_public_key": keys.b64encode(keys.ed25519_public_raw(old_private)),
        "new_public_key": keys.b64encode(keys.ed25519_public_raw(new_private)),
        "first_seq": first_seq,
    }
    message = _message(statement)
    return parse_rotation(
        {
            "statement": statement,
            "old_signature": keys.b64encode(old_private.sign(message)),
            "new_signature": keys.b64encode(new_private.sign(message)),
        }
    )


def _public(value: Any, name: str) -> bytes:
    try:
        raw = keys.b64decode(value, max_bytes=64)
        keys.load_ed25519_public(raw)
    except ValueError:
        raise RotationError(f"{name} is not a base64 Ed25519 public key.") from None
    return raw


def _signature(value: Any, name: str) -> bytes:
    try:
        raw = keys.b64decode(value, max_bytes=64)
    except ValueError:
        raise RotationError(f"{name} is not a base64 signature.") from None
    if len(raw) != keys.ED25519_SIGNATURE_BYTES:
        raise RotationError(f"{name} is not an Ed25519 signature.")
    return raw


def parse_rotation(data: Any) -> Rotation:
    """Check a rotation (request body or hub listing entry): fields, then both signatures."""
    if not isinstance(data, dict) or not _BODY_FIELDS <= set(data) <= _BODY_FIELDS | {"rotated_at"}:
        raise RotationError(f"A key rotation is a JSON object with {sorted(_BODY_FIELDS)}.")
    statement = data["statement"]
    if not isinstance(statement, dict) or set(statement) != _FIELDS:
        raise RotationError(f"A rotation statement has exactly the fields {sorted(_FIELDS)}.")
    if statement["format"] != FORMAT or statement["version"] != VERSION:
        raise RotationError("The rotation statement has another format or version.")
    device_id = statement["device_id"]
    if not isinstance(device_id, str) or not 0 < len(device_id) <= 64:
        raise RotationError("The rotation statement's device_id is not a device id.")
    first_seq = statement["first_seq"]
    if (
        not isinstance(first_seq, int)
        or isinstance(first_seq, bool)
        or not 1 <= first_seq <= MAX_SEQ
    ):
        raise RotationError("The rotation statement's first_seq is not a sequence number.")
    old_raw = _public(statement["old_public_key"], "old_public_key")
    new_raw = _public(statement["new_public_key"], "new_public_key")
    if old_raw == new_raw:
        raise RotationError("A rotation must change the key.")
    message = _message(statement)
    for raw, name in ((old_raw, "old_signature"), (new_raw, "new_signature")):
        try:
            keys.load_ed25519_public(raw).verify(_signature(data[name], name), message)
        except InvalidSignature:
            raise RotationError(f"The rotation's {name} does not verify.") from None
    return Rotation(
        device_id=device_id,
        old_public_key=old_raw,
        new_public_key=new_raw,
        first_seq=first_seq,
        statement=dict(statement),
        old_signature=data["old_signature"],
        new_signature=data["new_signature"],
    )


def key_chain(
    device_id: str, current_key: bytes, rotations: list[Any]
) -> tuple[bytes, tuple[tuple[int, bytes], ...]]:
    """Follow a device's rotations, as the hub lists them (oldest first), from its enrolled
    key to `current_key`: (enrolled key, ((first seq, key), ...) in order).

    RotationError when any statement does not verify, names another device, does not start
    from the key before it, does not move forward in the chain, or the chain does not end at
    the key in use — a hub that invents or drops a rotation is caught here.
    """
    parsed = [parse_rotation(r) for r in rotations]
    if not parsed:
        return current_key, ((1, current_key),)
    enrolled = parsed[0].old_public_key
    chain: list[tuple[int, bytes]] = [(1, enrolled)]
    for rotation in parsed:
        if rotation.device_id != device_id:
            raise RotationError("A key rotation the hub lists names another device.")
        if rotation.old_public_key != chain[-1][1]:
            raise RotationError("A key rotation the hub lists does not start from the key before.")
        if rotation.first_seq < chain[-1][0]:
            raise RotationError("A key rotation the hub lists goes back in the device's chain.")
        chain.append((rotation.first_seq, rotation.new_public_key))
    if chain[-1][1] != current_key:
        raise RotationError("The hub's key rotations do not end at the device's listed key.")
    return enrolled, tuple(chain)


def key_for_seq(chain: tuple[tuple[int, bytes], ...], seq: int) -> bytes:
    """The key that signs envelope `seq`: the newest whose first seq is at most `seq`."""
    chosen = chain[0][1]
    for first_seq, key in chain:
        if first_seq <= seq:
            chosen = key
    return chosen
