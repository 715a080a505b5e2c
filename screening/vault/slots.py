"""The key slots file (`slots.json`) beside the database.

Design (reasoning in docs/vault.md): every user has an HPKE key pair. The private key is
wrapped with AES-256-GCM under Argon2id(passphrase); the database's data key is sealed with
HPKE to every user's public key (and to the organisation's recovery key when configured).
An admin can therefore re-seal a new data key to everyone after removing a user, without
knowing anyone else's passphrase.

Users appear only as a salted Argon2id hash of their name ("tag"), so a stolen laptop does not
list who works at the centre. The role is bound into both the wrapping and the sealing as
associated data, a SHA-256 checksum catches accidental damage before any key work, and an
HMAC under a key derived from the data key proves (after unlocking) that nobody without the
data key added, removed or changed a slot.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import os
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from screening import jsonio
from screening.vault import keys
from screening.vault.errors import VaultError, VaultTampered, WrongCredentials
from screening.vault.fsutil import atomic_write, zero
from screening.vault.migrations import ROLES
from screening.vault.passphrase import normalise

FORMAT = "screening-desk-vault-slots"
VERSION = 1
SLOTS_NAME = "slots.json"
PENDING_NAME = "slots.json.next"  # written before a rekey; see Vault.remove_user
MAX_NAME = 100


@dataclass(frozen=True, slots=True)
class UserSlot:
    tag: str
    role: str
    kem: str
    public_key: bytes
    kdf: keys.KdfParams
    salt: bytes
    nonce: bytes
    wrapped_private_key: bytes
    sealed_data_key: bytes


@dataclass(frozen=True, slots=True)
class RecoverySlot:
    kem: str
    public_key: bytes
    sealed_data_key: bytes

    @property
    def fingerprint(self) -> str:
        return keys.fingerprint(self.kem, self.public_key)


@dataclass(frozen=True, slots=True)
class SlotFile:
    vault_id: str
    key_epoch: int
    name_salt: bytes
    name_kdf: keys.KdfParams
    users: tuple[UserSlot, ...] = ()
    recovery: RecoverySlot | None = None
    mac: str = field(default="")

    def find(self, tag: str) -> UserSlot | None:
        return next((s for s in self.users if hmac.compare_digest(s.tag, tag)), None)


# ---------------------------------------------------------------------------- names


def display_name(name: str) -> str:
    """Validate a user name as typed; the result is what the audit log shows."""
    cleaned = unicodedata.normalize("NFC", name).strip()
    if not cleaned or len(cleaned) > MAX_NAME:
        raise VaultError(f"A user name must be 1 to {MAX_NAME} characters long.")
    if any(unicodedata.category(ch).startswith("C") for ch in cleaned):
        raise VaultError("A user name cannot contain control characters.")
    return cleaned


def name_tag(name: str, slots: SlotFile) -> str:
    """Case-insensitive, salted, deliberately slow hash of a user name."""
    folded = unicodedata.normalize("NFC", display_name(name).casefold())
    return keys.derive(folded.encode("utf-8"), slots.name_salt, slots.name_kdf).hex()


# ------------------------------------------------------------------ associated data


def _canonical(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def _wrap_aad(
    vault_id: str, tag: str, role: str, kem: str, public_key: bytes, kdf: keys.KdfParams
) -> bytes:
    return _canonical(
        {
            "purpose": "screening-desk/user-private-key/v1",
            "vault": vault_id,
            "tag": tag,
            "role": role,
            "kem": kem,
            "public_key_sha256": hashlib.sha256(public_key).hexdigest(),
            "kdf": kdf.to_json(),
        }
    )


def _seal_info(vault_id: str, epoch: int, tag: str | None, role: str | None) -> bytes:
    purpose = "recovery" if tag is None else "user"
    return _canonical(
        {
            "purpose": f"screening-desk/data-key/{purpose}/v1",
            "vault": vault_id,
            "epoch": epoch,
            "tag": tag,
            "role": role,
        }
    )


# ---------------------------------------------------------------------- operations


def new_file(vault_id: str, name_kdf: keys.KdfParams) -> SlotFile:
    return SlotFile(vault_id=vault_id, key_epoch=1, name_salt=keys.random_salt(), name_kdf=name_kdf)


def make_user_slot(
    slots: SlotFile,
    tag: str,
    role: str,
    passphrase: str,
    data_key: bytearray,
    kdf: keys.KdfParams,
    kem: str | None = None,
) -> UserSlot:
    if role not in ROLES:
        raise VaultError(f"Unknown role {role!r}: use one of {', '.join(ROLES)}.")
    kem = kem or keys.default_user_kem()
    private, public = keys.generate_keypair(kem)
    try:
        return _wrap(slots, tag, role, kem, public, private, passphrase, kdf, data_key=data_key)
    finally:
        zero(private)


def _wrap(
    slots: SlotFile,
    tag: str,
    role: str,
    kem: str,
    public: bytes,
    private: bytearray,
    passphrase: str,
    kdf: keys.KdfParams,
    *,
    data_key: bytearray | None = None,
    sealed: bytes | None = None,
) -> UserSlot:
    salt = keys.random_salt()
    kek = keys.derive(normalise(passphrase), salt, kdf)
    try:
        nonce, wrapped = keys.aead_seal(
            kek, private, _wrap_aad(slots.vault_id, tag, role, kem, public, kdf)
        )
    finally:
        zero(kek)
    if sealed is None:
        assert data_key is not None
        sealed = keys.seal(
            kem, public, data_key, _seal_info(slots.vault_id, slots.key_epoch, tag, role)
        )
    return UserSlot(tag, role, kem, public, kdf, salt, nonce, wrapped, sealed)


def unwrap_private(slots: SlotFile, slot: UserSlot, passphrase: str) -> bytearray:
    """Return the user's raw private key, or raise WrongCredentials."""
    kek = keys.derive(normalise(passphrase), slot.salt, slot.kdf)
    try:
        aad = _wrap_aad(slots.vault_id, slot.tag, slot.role, slot.kem, slot.public_key, slot.kdf)
        return keys.aead_open(kek, slot.nonce, slot.wrapped_private_key, aad)
    except keys.InvalidTag:
        raise WrongCredentials("The user name or passphrase is wrong.") from None
    finally:
        zero(kek)


def open_data_key(slots: SlotFile, slot: UserSlot, private: bytearray) -> bytearray:
    """Unseal the data key with a private key that was already proven by its passphrase."""
    try:
        key = keys.load_private(slot.kem, private)
        info = _seal_info(slots.vault_id, slots.key_epoch, slot.tag, slot.role)
        data_key = keys.open_sealed(slot.kem, key, slot.sealed_data_key, info)
    except (keys.InvalidTag, ValueError):
        raise VaultTampered(
            "The key slots file was modified: this user's sealed vault key does not open."
        ) from None
    if len(data_key) != keys.KEY_BYTES:
        raise VaultTampered("The key slots file was modified: the vault key has the wrong size.")
    return data_key


def open_recovery(slots: SlotFile, private_key: Any) -> bytearray:
    if slots.recovery is None:
        raise VaultError("This vault has no recovery slot.")
    kem = keys.private_key_kem(private_key)
    if kem != slots.recovery.kem:
        raise WrongCredentials(
            f"The recovery slot needs a {slots.recovery.kem} key, not a {kem} key."
        )
    try:
        info = _seal_info(slots.vault_id, slots.key_epoch, None, None)
        return keys.open_sealed(kem, private_key, slots.recovery.sealed_data_key, info)
    except keys.InvalidTag:
        raise WrongCredentials(
            "This organisation key does not open the vault's recovery slot."
        ) from None


def rewrap(
    slots: SlotFile,
    slot: UserSlot,
    private: bytearray,
    passphrase: str,
    kdf: keys.KdfParams,
) -> UserSlot:
    """Same key pair and sealed data key, new passphrase (fresh salt, nonce and `kdf` cost)."""
    return _wrap(
        slots,
        slot.tag,
        slot.role,
        slot.kem,
        slot.public_key,
        private,
        passphrase,
        kdf,
        sealed=slot.sealed_data_key,
    )


def make_recovery(
    slots: SlotFile, public_key: bytes, kem: str, data_key: bytearray
) -> RecoverySlot:
    kem = keys.normalise_kem(kem)
    keys.load_public(kem, public_key)  # refuse malformed keys now, not at recovery time
    sealed = keys.seal(
        kem, public_key, data_key, _seal_info(slots.vault_id, slots.key_epoch, None, None)
    )
    return RecoverySlot(kem, public_key, sealed)


def reseal_all(slots: SlotFile, new_key: bytearray) -> SlotFile:
    """A new epoch: the new data key sealed to every remaining user and the recovery key."""
    epoch = slots.key_epoch + 1
    users = tuple(
        replace(
            s,
            sealed_data_key=keys.seal(
                s.kem, s.public_key, new_key, _seal_info(slots.vault_id, epoch, s.tag, s.role)
            ),
        )
        for s in slots.users
    )
    recovery = slots.recovery
    if recovery is not None:
        info = _seal_info(slots.vault_id, epoch, None, None)
        recovery = replace(
            recovery, sealed_data_key=keys.seal(recovery.kem, recovery.public_key, new_key, info)
        )
    return replace(slots, key_epoch=epoch, users=users, recovery=recovery, mac="")


# -------------------------------------------------------------------- integrity


def _mac_key(data_key: bytearray) -> bytes:
    return HKDF(hashes.SHA256(), 32, salt=None, info=b"screening-desk/slots-mac/v1").derive(
        bytes(data_key)
    )


def _body(slots: SlotFile) -> dict[str, Any]:
    def b64(data: bytes) -> str:
        return base64.b64encode(data).decode("ascii")

    return {
        "format": FORMAT,
        "version": VERSION,
        "vault_id": slots.vault_id,
        "key_epoch": slots.key_epoch,
        "name_salt": b64(slots.name_salt),
        "name_kdf": slots.name_kdf.to_json(),
        "users": [
            {
                "tag": s.tag,
                "role": s.role,
                "kem": s.kem,
                "public_key": b64(s.public_key),
                "kdf": s.kdf.to_json(),
                "salt": b64(s.salt),
                "nonce": b64(s.nonce),
                "wrapped_private_key": b64(s.wrapped_private_key),
                "sealed_data_key": b64(s.sealed_data_key),
            }
            for s in slots.users
        ],
        "recovery": None
        if slots.recovery is None
        else {
            "kem": slots.recovery.kem,
            "public_key": b64(slots.recovery.public_key),
            "sealed_data_key": b64(slots.recovery.sealed_data_key),
        },
    }


def sign(slots: SlotFile, data_key: bytearray) -> SlotFile:
    mac = hmac.new(_mac_key(data_key), _canonical(_body(slots)), hashlib.sha256).hexdigest()
    return replace(slots, mac=mac)


def verify_mac(slots: SlotFile, data_key: bytearray) -> None:
    expected = hmac.new(_mac_key(data_key), _canonical(_body(slots)), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, slots.mac):
        raise VaultTampered(
            "The key slots file was modified outside Screening Desk (its seal does not match)."
        )


def dumps(slots: SlotFile) -> bytes:
    body = _body(slots)
    body["mac"] = slots.mac
    body["checksum"] = hashlib.sha256(_canonical(body)).hexdigest()
    return json.dumps(body, indent=1, sort_keys=True).encode("utf-8") + b"\n"


def loads(data: bytes) -> SlotFile:
    damaged = VaultTampered("The key slots file is damaged or was modified; it cannot be read.")
    try:
        body = jsonio.loads(data)
        if not isinstance(body, dict):
            raise damaged
        checksum = body.pop("checksum", None)
        if not isinstance(checksum, str) or not hmac.compare_digest(
            checksum, hashlib.sha256(_canonical(body)).hexdigest()
        ):
            raise damaged
        if body.get("format") != FORMAT:
            raise damaged
        if body.get("version") != VERSION:
            raise VaultError("The key slots file was written by a different Screening Desk.")

        def unb64(value: Any) -> bytes:
            return base64.b64decode(value, validate=True)

        users = tuple(
            UserSlot(
                tag=str(u["tag"]),
                role=_role(u["role"]),
                kem=keys.normalise_kem(u["kem"]),
                public_key=unb64(u["public_key"]),
                kdf=keys.KdfParams.from_json(u["kdf"]),
                salt=unb64(u["salt"]),
                nonce=unb64(u["nonce"]),
                wrapped_private_key=unb64(u["wrapped_private_key"]),
                sealed_data_key=unb64(u["sealed_data_key"]),
            )
            for u in body["users"]
        )
        rec = body.get("recovery")
        recovery = None
        if rec is not None:
            recovery = RecoverySlot(
                keys.normalise_kem(rec["kem"]),
                unb64(rec["public_key"]),
                unb64(rec["sealed_data_key"]),
            )
        return SlotFile(
            vault_id=str(body["vault_id"]),
            key_epoch=int(body["key_epoch"]),
            name_salt=unb64(body["name_salt"]),
            name_kdf=keys.KdfParams.from_json(body["name_kdf"]),
            users=users,
            recovery=recovery,
            mac=str(body["mac"]),
        )
    except VaultError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
        raise damaged from None


def _role(value: Any) -> str:
    if value not in ROLES:
        raise ValueError("unknown role")
    return str(value)


def load(path: Path) -> SlotFile:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise VaultTampered(f"The key slots file {path.name} is missing.") from None
    return loads(data)


def save(path: Path, slots: SlotFile) -> None:
    if not slots.mac:
        raise ValueError("slots must be signed before saving")
    atomic_write(path, dumps(slots))


def discard(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
