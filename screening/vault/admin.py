"""User and key administration half of `Vault`: adding, removing, passphrases, recovery.

Every change re-reads the slots file first (another program may have changed it), writes
the database change and its audit row, then replaces the slots file atomically.
Removing a user also rekeys the database; the crash-safe order is explained in
`remove_user`.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from screening.vault import audit, database, keys, migrations, slots, upgrade
from screening.vault.database import Connection, transaction
from screening.vault.devicekey import REASON_USER_REMOVED, rotate_device_key
from screening.vault.errors import VaultError, WrongCredentials
from screening.vault.fsutil import zero
from screening.vault.passphrase import check_strength
from screening.vault.unlocking import DB_NAME

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class UserInfo:
    name: str
    role: str
    added_at: str
    added_by: str | None


class AdminApi:
    """Mixed into `Vault`; uses its lock, connection, key and slots."""

    directory: Path
    user: str
    role: str
    _tag: str | None
    _slots: slots.SlotFile
    _lock: threading.RLock
    _conn: Connection | None

    def _locked_conn(self) -> contextlib.AbstractContextManager[Connection]:  # pragma: no cover
        raise NotImplementedError

    def _run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:  # pragma: no cover
        raise NotImplementedError

    def _require(self, *roles: str, action: str) -> None:  # pragma: no cover
        raise NotImplementedError

    def lock(self, *, audited: bool = True) -> None:  # pragma: no cover
        raise NotImplementedError

    def _data_key(self) -> bytearray:  # pragma: no cover
        raise NotImplementedError

    def _fresh_slots(self) -> slots.SlotFile:  # pragma: no cover
        raise NotImplementedError

    def users(self) -> list[UserInfo]:
        rows = self._run(
            lambda c: c.execute(
                "SELECT name, role, added_at, added_by FROM users WHERE removed_at IS NULL"
                " ORDER BY name"
            ).fetchall()
        )
        return [UserInfo(*row) for row in rows]

    def add_user(
        self,
        user: str,
        passphrase: str,
        *,
        role: str = "screener",
        kdf: keys.KdfParams | None = None,
    ) -> None:
        """Give a new user a slot (admins only). The new passphrase must be strong."""
        self._require("admin", action="add users")
        name = slots.display_name(user)
        if role not in migrations.ROLES:
            raise VaultError(f"Unknown role {role!r}: use one of {', '.join(migrations.ROLES)}.")
        check_strength(passphrase, user=name)
        with self._lock:
            sf = self._fresh_slots()
            tag = slots.name_tag(name, sf)
            if sf.find(tag) is not None:
                raise VaultError(f"User {name} already has access to this vault.")
            slot = slots.make_user_slot(
                sf, tag, role, passphrase, self._data_key(), kdf or keys.DEFAULT_KDF
            )
            new = slots.sign(replace(sf, users=(*sf.users, slot)), self._data_key())
            with self._locked_conn() as conn, transaction(conn):
                conn.execute(
                    "INSERT INTO users (tag, name, role, added_at, added_by) VALUES (?, ?, ?, ?, ?)"
                    " ON CONFLICT (tag) DO UPDATE SET name = excluded.name, role = excluded.role,"
                    " added_at = excluded.added_at, added_by = excluded.added_by,"
                    " removed_at = NULL",
                    (tag, name, role, audit.now_iso(), self.user),
                )
                audit.append(conn, self.user, "user_added", None, f"{name} ({role})")
            slots.save(self.directory / slots.SLOTS_NAME, new)
            self._slots = new

    def remove_user(self, user: str) -> None:
        """Remove a user's slot and rekey the database so their old key is useless (admins)."""
        self._require("admin", action="remove users")
        with self._lock:
            sf = self._fresh_slots()
            tag = slots.name_tag(user, sf)
            target = sf.find(tag)
            if target is None:
                raise VaultError(f"User {slots.display_name(user)} has no access to this vault.")
            if tag == self._tag:
                raise VaultError("You cannot remove yourself; ask another admin.")
            remaining = tuple(s for s in sf.users if s.tag != tag)
            if not any(s.role == "admin" for s in remaining):
                raise VaultError("The last admin cannot be removed.")
            with self._locked_conn() as conn:
                database.require_exclusive(conn)
            new_key = keys.random_key()
            try:
                new = slots.sign(slots.reseal_all(replace(sf, users=remaining), new_key), new_key)
                pending = self.directory / slots.PENDING_NAME
                # Crash safety: the new slots are on disk before the database changes key, so
                # whichever key the database ends up under, a slots file for it exists.
                slots.save(pending, new)
                try:
                    with self._locked_conn() as conn:
                        database.rekey(conn, new_key)
                    self._data_key()[:] = new_key
                except BaseException as exc:
                    # Whether the rekey committed is unknown: keep both slots files (the next
                    # unlock tries both keys) and end this session rather than guess.
                    self.lock(audited=False)
                    raise VaultError(
                        "Removing the user was interrupted; unlock the vault again and check "
                        "the list of users."
                    ) from exc
            finally:
                zero(new_key)
            slots.save(self.directory / slots.SLOTS_NAME, new)
            slots.discard(pending)
            self._slots = new
            with self._locked_conn() as conn, transaction(conn):
                row = conn.execute("SELECT name FROM users WHERE tag = ?", (tag,)).fetchone()
                conn.execute(
                    "UPDATE users SET removed_at = ? WHERE tag = ?", (audit.now_iso(), tag)
                )
                who = str(row[0]) if row else slots.display_name(user)
                audit.append(conn, self.user, "user_removed", None, f"{who}; database rekeyed")
                # The removed user may have kept a copy of the vault, and with it the key the
                # hub trusts this laptop by: a new one replaces it (registered at next sync).
                rotate_device_key(conn, self.user, REASON_USER_REMOVED)

    def change_passphrase(self, old: str, new: str) -> None:
        """Rewrap the unlocked user's private key under a new passphrase.

        Always with today's default Argon2id cost, never the slot's old one: changing the
        passphrase is how a slot made with weaker parameters is brought up to date.
        """
        if self._tag is None:
            raise VaultError("The recovery key has no passphrase to change.")
        if old == new:
            raise VaultError("The new passphrase must differ from the old one.")
        check_strength(new, user=self.user)
        with self._lock:
            sf = self._fresh_slots()
            slot = sf.find(self._tag)
            if slot is None:
                raise WrongCredentials("Your access to this vault was removed.")
            private = slots.unwrap_private(sf, slot, old)
            try:
                rewrapped = slots.rewrap(sf, slot, private, new, keys.DEFAULT_KDF)
            finally:
                zero(private)
            users = tuple(rewrapped if s.tag == slot.tag else s for s in sf.users)
            updated = slots.sign(replace(sf, users=users), self._data_key())
            slots.save(self.directory / slots.SLOTS_NAME, updated)
            self._slots = updated
            with self._locked_conn() as conn, transaction(conn):
                audit.append(conn, self.user, "passphrase_changed")

    def set_recovery_key(self, public_key: bytes | None, kem: str = keys.KEM_HYBRID) -> None:
        """Seal the data key to the organisation's public key (None removes the slot)."""
        self._require("admin", action="set the recovery key")
        with self._lock:
            sf = self._fresh_slots()
            recovery = None
            if public_key is not None:
                try:
                    recovery = slots.make_recovery(sf, bytes(public_key), kem, self._data_key())
                except ValueError as exc:
                    raise VaultError(f"The recovery key cannot be used: {exc}.") from None
            updated = slots.sign(replace(sf, recovery=recovery), self._data_key())
            slots.save(self.directory / slots.SLOTS_NAME, updated)
            self._slots = updated
            with self._locked_conn() as conn, transaction(conn):
                if recovery is None:
                    audit.append(conn, self.user, "recovery_key_removed")
                else:
                    audit.append(
                        conn,
                        self.user,
                        "recovery_key_set",
                        None,
                        f"{recovery.kem} {recovery.fingerprint[:16]}",
                    )

    @property
    def recovery_fingerprint(self) -> str | None:
        return None if self._slots.recovery is None else self._slots.recovery.fingerprint

    def upgrade_format(self) -> int | None:
        """Convert a legacy vault (4 KiB pages) to the current 1 KiB pages (admins only).

        Returns the page size it had, or None when it was current already. Needs the vault
        to itself: another program with it open is refused before anything changes.
        """
        self._require("admin", action="upgrade the vault")
        with self._lock:
            with self._locked_conn() as conn:
                old = database.page_size(conn)
                if old == database.VAULT_PAGE_SIZE:
                    return None
                try:
                    fresh = upgrade.convert(conn, self.directory / DB_NAME, self._data_key())
                except BaseException as exc:
                    # Whether `conn` is still open depends on where it stopped; the file on
                    # disk is the old one or the converted one, complete either way.
                    self.lock(audited=False)
                    if isinstance(exc, VaultError):
                        raise
                    raise VaultError(
                        "The upgrade was interrupted; the vault is unchanged or upgraded, and "
                        "complete either way. Unlock it again."
                    ) from exc
            self._conn = fresh
            with self._locked_conn() as conn, transaction(conn):
                audit.append(
                    conn,
                    self.user,
                    "format_upgraded",
                    None,
                    f"pages of {old} bytes converted to {database.VAULT_PAGE_SIZE}",
                )
        return old
