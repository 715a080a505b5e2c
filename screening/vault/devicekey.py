"""Replacing a laptop's device key (issue #13): when a user is removed and when a backup is
restored, whoever kept a copy of the vault from before also kept the key the hub trusts.

The new key is made and stored in the same transaction as the change that calls for it, and
signs every envelope sealed from then on. The old key is kept, with the sequence number the
new key starts at, until the sync client has registered the rotation with the hub
(screening/sync/keyrotation.py): the hub only accepts a rotation signed by the key it knows.
"""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric import ed25519

from screening.org import keys
from screening.vault import audit
from screening.vault.database import Connection

REASON_USER_REMOVED = "user removed"
REASON_RESTORED = "backup restored"


def rotate_device_key(conn: Connection, actor: str, reason: str) -> str | None:
    """Give this laptop a new device key inside the caller's transaction; the new key id, or
    None when the vault is not an enrolled laptop (nothing at a hub trusts its key)."""
    row = conn.execute(
        "SELECT private_key, key_id, device_id, last_seq FROM sync_device WHERE id = 1"
    ).fetchone()
    if row is None or row[2] is None:
        return None
    old_private, old_key_id, _, last_seq = bytes(row[0]), str(row[1]), row[2], int(row[3])
    new = ed25519.Ed25519PrivateKey.generate()
    new_key_id = keys.signing_key_id(new)
    conn.execute(
        "INSERT INTO sync_key_rotations (old_private_key, old_key_id, new_key_id, first_seq,"
        " reason, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        (old_private, old_key_id, new_key_id, last_seq + 1, reason, audit.now_iso()),
    )
    conn.execute(
        "UPDATE sync_device SET private_key = ?, key_id = ? WHERE id = 1",
        (new.private_bytes_raw(), new_key_id),
    )
    audit.append(
        conn, actor, "device_key_rotated", None, f"{reason}; {old_key_id[:16]} -> {new_key_id[:16]}"
    )
    return new_key_id
