"""Sync state kept inside the vault (tables from vault migration 5; docs/protocol.md).

Everything here is encrypted at rest with the rest of the vault: the device's private key,
the organisation's private keys on a coordinator, the outbox of sealed envelopes, the
enrolment codes a coordinator made. Reads use `vault.connection()`, writes
`vault.transaction()` with an audit row for every change, as docs/vault.md asks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ed25519

from screening.canonical import canonical_json
from screening.envelope import GENESIS_HASH
from screening.org import keys
from screening.org.orgfile import OrgPublic, parse_org_file
from screening.org.orgkeys import OrgKeys
from screening.sync.errors import NotSetUp, SyncError
from screening.vault import PermissionDenied, Vault, audit
from screening.vault.database import Connection
from screening.vault.delivery import needs_envelope_sql

COORDINATOR_ROLES = ("coordinator", "admin")
META_ENVELOPE_CURSOR = "sync_envelope_cursor"
META_FORMS_CURSOR = "sync_forms_cursor"
META_LAST_SYNC = "sync_last_success_at"


@dataclass(frozen=True, slots=True)
class DeviceIdentity:
    """A laptop's own key and, once enrolled, its hub id and chain head."""

    key_id: str
    device_id: str | None
    enrolled_at: str | None
    last_seq: int
    last_hash: str
    _private: bytes

    @property
    def private_key(self) -> ed25519.Ed25519PrivateKey:
        return keys.load_ed25519_private(self._private)

    @property
    def public_raw(self) -> bytes:
        return keys.ed25519_public_raw(self.private_key)

    def __repr__(self) -> str:  # never the key
        return f"DeviceIdentity(device_id={self.device_id!r}, key_id={self.key_id!r})"


def require_coordinator(vault: Vault, action: str) -> None:
    if vault.role not in COORDINATOR_ROLES:
        raise PermissionDenied(f"Only coordinator or admin users can {action}.")


# ------------------------------------------------------------------------------- meta


def get_meta(vault: Vault, key: str) -> str | None:
    row = vault.connection().execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def set_meta(conn: Any, key: str, value: str) -> None:
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))


def get_cursor(vault: Vault, key: str) -> int:
    value = get_meta(vault, key)
    return int(value) if value and value.isdigit() else 0


# ------------------------------------------------------------------------- organisation


def org_public(vault: Vault) -> OrgPublic | None:
    """The organisation this vault syncs with (verified again on every read)."""
    row = vault.connection().execute("SELECT org_file FROM sync_org WHERE id = 1").fetchone()
    if row is None:
        return None
    return parse_org_file(str(row[0]))


def org_keys(vault: Vault) -> OrgKeys | None:
    """The organisation's private keys, held only by a coordinator's vault."""
    row = vault.connection().execute("SELECT private_bundle FROM sync_org WHERE id = 1").fetchone()
    if row is None or row[0] is None:
        return None
    return OrgKeys.from_private_bundle(str(row[0]))


def require_org_keys(vault: Vault, action: str) -> OrgKeys:
    require_coordinator(vault, action)
    org = org_keys(vault)
    if org is None:
        raise NotSetUp(
            "This vault holds no organisation keys: run 'screening org init' in the "
            "coordinator's vault first."
        )
    return org


def store_org_keys(vault: Vault, org: OrgKeys) -> None:
    """Keep the organisation's private keys (coordinator); refused when any sync identity exists."""
    with vault.transaction() as conn:
        if conn.execute("SELECT 1 FROM sync_org").fetchone() is not None:
            raise SyncError(
                "This vault already belongs to an organisation; its keys were not replaced.",
                exit_code=2,
            )
        if conn.execute("SELECT 1 FROM sync_device").fetchone() is not None:
            raise SyncError(
                "This vault is a laptop enrolled as a device; organisation keys belong in a "
                "coordinator's own vault.",
                exit_code=2,
            )
        conn.execute(
            "INSERT INTO sync_org (id, org_file, private_bundle, signing_key_id,"
            " encryption_key_id, stored_at) VALUES (1, ?, ?, ?, ?, ?)",
            (
                org.public.to_json_bytes().decode("utf-8"),
                org.private_bundle().decode("utf-8"),
                org.signing_key_id,
                org.encryption_key_id,
                audit.now_iso(),
            ),
        )
        audit.append(conn, vault.user, "org_keys_created", org.signing_key_id, org.kem)


# ------------------------------------------------------------------------------- device


def device_identity(vault: Vault) -> DeviceIdentity | None:
    row = (
        vault.connection()
        .execute(
            "SELECT key_id, device_id, enrolled_at, last_seq, last_hash, private_key"
            " FROM sync_device WHERE id = 1"
        )
        .fetchone()
    )
    if row is None:
        return None
    return DeviceIdentity(
        key_id=row[0],
        device_id=row[1],
        enrolled_at=row[2],
        last_seq=int(row[3]),
        last_hash=row[4],
        _private=bytes(row[5]),
    )


def prepare_device(vault: Vault, org: OrgPublic) -> DeviceIdentity:
    """Store the organisation file and make the device key, once; returns the identity.

    Run again after an interrupted enrolment, it keeps the same key, so the hub recognises
    the retry. A vault enrolled already, or one with organisation private keys, is refused.
    """
    with vault.transaction() as conn:
        row = conn.execute("SELECT private_bundle, signing_key_id FROM sync_org").fetchone()
        if row is not None and row[0] is not None:
            raise SyncError(
                "This vault holds the organisation's private keys (a coordinator's vault); "
                "enrol a laptop's own vault instead.",
                exit_code=2,
            )
        device = conn.execute("SELECT device_id FROM sync_device").fetchone()
        replaced = conn.execute(
            "SELECT 1 FROM meta WHERE key = 'sync_device_replaced_at'"
        ).fetchone()
        if device is not None and device[0] is not None and replaced is not None:
            # Its chain and envelopes belong to a device the organisation must revoke.
            raise SyncError(
                f"This vault's device key (device {device[0]}) was taken over by a copy of the "
                "vault, so this vault cannot be enrolled again. Create a new vault on this "
                "laptop and enrol that one with the new code; this vault keeps its interviews "
                "(a coordinator can open it with the organisation's recovery key).",
                exit_code=2,
            )
        if device is not None and device[0] is not None:
            raise SyncError(f"This laptop is already enrolled as device {device[0]}.", exit_code=2)
        if row is not None and row[1] != org.signing_key_id and device is not None:
            # An unfinished enrolment with another organisation: start again cleanly.
            conn.execute("DELETE FROM sync_device")
            device = None
        conn.execute(
            "INSERT OR REPLACE INTO sync_org (id, org_file, private_bundle, signing_key_id,"
            " encryption_key_id, stored_at) VALUES (1, ?, NULL, ?, ?, ?)",
            (
                org.to_json_bytes().decode("utf-8"),
                org.signing_key_id,
                org.encryption_key_id,
                audit.now_iso(),
            ),
        )
        if device is None:
            private = ed25519.Ed25519PrivateKey.generate()
            key_id = keys.signing_key_id(private)
            conn.execute(
                "INSERT INTO sync_device (id, private_key, key_id, last_seq, last_hash,"
                " created_at) VALUES (1, ?, ?, 0, ?, ?)",
                (private.private_bytes_raw(), key_id, GENESIS_HASH, audit.now_iso()),
            )
            audit.append(conn, vault.user, "device_key_created", key_id)
    identity = device_identity(vault)
    assert identity is not None
    return identity


def set_enrolled(vault: Vault, device_id: str, enrolled_at: str) -> None:
    with vault.transaction() as conn:
        conn.execute(
            "UPDATE sync_device SET device_id = ?, enrolled_at = ? WHERE id = 1",
            (device_id, enrolled_at),
        )
        audit.append(conn, vault.user, "device_enrolled", device_id)


def require_device(vault: Vault) -> tuple[DeviceIdentity, OrgPublic]:
    identity = device_identity(vault)
    org = org_public(vault)
    if identity is None or identity.device_id is None or org is None:
        raise NotSetUp(
            "This laptop is not enrolled: run 'screening device enrol' with the organisation "
            "file and a code from a coordinator."
        )
    return identity, org


# ------------------------------------------------------------------------- enrol codes


def remember_enrol_code(vault: Vault, code: str, code_hash: str, expires_at: str) -> None:
    with vault.transaction() as conn:
        conn.execute(
            "INSERT OR IGNORE INTO sync_enrol_codes (code_hash, code, created_at, expires_at)"
            " VALUES (?, ?, ?, ?)",
            (code_hash, code, audit.now_iso(), expires_at),
        )
        audit.append(conn, vault.user, "enrol_code_created", code_hash[:16])


def enrol_codes(vault: Vault) -> dict[str, str]:
    """code hash → code, for checking device attestations."""
    rows = vault.connection().execute("SELECT code_hash, code FROM sync_enrol_codes")
    return {str(h): str(c) for h, c in rows}


# ------------------------------------------------------------------------------ forms


def installed_documents(conn: Connection) -> list[str]:
    """The signed forms kept in the vault (installed from the hub on a laptop, published
    from a coordinator), as stored: the caller verifies each against the organisation key."""
    rows = conn.execute("SELECT document FROM sync_forms ORDER BY form_id, version")
    return [str(document) for (document,) in rows]


def keep_form(
    tx: Connection,
    form_id: str,
    version: str,
    form_hash: str,
    document: dict[str, Any],
    cursor: int,
) -> None:
    """Keep a signed form; one already kept under the same id and version stays as it is."""
    tx.execute(
        "INSERT INTO sync_forms (form_id, version, form_hash, document, signed_at,"
        " hub_cursor, installed_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (form_id, version) DO NOTHING",
        (
            form_id,
            version,
            form_hash,
            canonical_json(document).decode("utf-8"),
            document["signed_at"],
            cursor,
            audit.now_iso(),
        ),
    )


# ---------------------------------------------------------------------------- imports


def record_imports(tx: Connection, rows: list[tuple[Any, ...]]) -> None:
    """Record envelopes as received, each `(envelope_id, device_id, seq, hash, interview_id,
    hub_cursor, imported_at)`: the next sync acknowledges them and never imports them again,
    and none of them is a held rejection any more."""
    tx.executemany(
        "INSERT INTO sync_imports (envelope_id, device_id, seq, hash,"
        " interview_id, hub_cursor, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    tx.executemany("DELETE FROM sync_rejected WHERE envelope_id = ?", [(r[0],) for r in rows])


# ------------------------------------------------------------------------------ status


@dataclass(frozen=True, slots=True)
class SyncStatus:
    """What a status line needs: the role, what waits, what was done, when."""

    mode: str  # "device", "coordinator" or "none"
    organisation: str | None
    device_id: str | None
    waiting_to_seal: int
    waiting_for_ack: int
    delivered: int
    imported: int
    rejected: int
    last_sync_at: str | None


def sync_status(vault: Vault) -> SyncStatus:
    conn = vault.connection()
    identity = device_identity(vault)
    org = org_public(vault)
    has_private = (
        conn.execute("SELECT private_bundle IS NOT NULL FROM sync_org").fetchone() or (0,)
    )[0]
    mode = "coordinator" if has_private else ("device" if identity is not None else "none")

    def count(sql: str) -> int:
        return int(conn.execute(sql).fetchone()[0])

    return SyncStatus(
        mode=mode,
        organisation=None if org is None else org.name,
        device_id=None if identity is None else identity.device_id,
        # First envelopes and updates of interviews changed since their newest envelope.
        waiting_to_seal=count(f"SELECT count(*) FROM interviews WHERE {needs_envelope_sql()}")
        if mode == "device"
        else 0,
        waiting_for_ack=count("SELECT count(*) FROM sync_outbox WHERE acked_at IS NULL"),
        delivered=count("SELECT count(*) FROM sync_outbox WHERE acked_at IS NOT NULL"),
        imported=count("SELECT count(*) FROM sync_imports"),
        rejected=count("SELECT count(*) FROM sync_rejected"),
        last_sync_at=get_meta(vault, META_LAST_SYNC),
    )
