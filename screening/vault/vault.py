"""The `Vault`: one encrypted database per installation, its key slots and its users.

Unlock = back-off check → find the user's slot by name hash → Argon2id(passphrase) unwraps
the user's private key → HPKE opens the data key → the data key opens SQLCipher → the slots
file's seal is checked with the data key. Lock = close, then overwrite every key buffer.
"""

from __future__ import annotations

import contextlib
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from screening.vault import audit, backoff, database, keys, migrations, slots
from screening.vault.admin import AdminApi
from screening.vault.database import (
    DATABASE_ERRORS,
    Connection,
    batch,
    transaction,
    translate_errors,
    translated,
)
from screening.vault.errors import (
    PermissionDenied,
    VaultError,
    VaultExists,
    VaultLocked,
    VaultTampered,
)
from screening.vault.fsutil import make_private_dir, zero
from screening.vault.integrity import IntegrityApi
from screening.vault.passphrase import check_strength
from screening.vault.recordsapi import RecordsApi
from screening.vault.unlocking import (
    DB_NAME,
    KeyOpener,
    open_checked,
    require_vault,
    unlock_slot,
    user_key_opener,
    vault_exists,
)

T = TypeVar("T")
RECOVERY_ACTOR = "recovery"


class Vault(AdminApi, IntegrityApi, RecordsApi):
    """An unlocked vault. Create with `create`, `unlock`, `open_with_recovery` or `restore`."""

    def __init__(
        self,
        directory: Path,
        conn: Connection,
        data_key: bytearray,
        sf: slots.SlotFile,
        *,
        user: str,
        role: str,
        tag: str | None,
        read_only: bool = False,
    ) -> None:
        self.directory = directory
        self.read_only = read_only
        self.user = user
        self.role = role
        self._tag = tag
        self._conn: Connection | None = conn
        self._key: bytearray | None = data_key
        self._slots = sf
        self._lock = threading.RLock()
        self.warnings: list[str] = []
        self.replaced_vault: Path | None = None

    # ------------------------------------------------------------------ lifecycle

    @classmethod
    def create(
        cls,
        directory: Path,
        user: str,
        passphrase: str,
        *,
        role: str = "admin",
        kdf: keys.KdfParams | None = None,
    ) -> Vault:
        """Create a new vault whose first user is an admin; returns it unlocked."""
        directory = Path(directory)
        name = slots.display_name(user)
        if role != "admin":
            raise VaultError("The first user of a vault must be an admin.")
        if vault_exists(directory):
            raise VaultExists(f"There is already a vault in {directory}.")
        check_strength(passphrase, user=name)
        make_private_dir(directory)
        name_kdf = keys.NAME_TAG_KDF if kdf is None else kdf.cheaper_of(keys.NAME_TAG_KDF)
        sf = slots.new_file(str(uuid.uuid4()), name_kdf)
        tag = slots.name_tag(name, sf)
        data_key = keys.random_key()
        created: list[Path] = []
        try:
            slot = slots.make_user_slot(
                sf, tag, role, passphrase, data_key, kdf or keys.DEFAULT_KDF
            )
            sf = slots.sign(replace(sf, users=(slot,)), data_key)
            created.append(directory / DB_NAME)
            conn = database.open_database(directory / DB_NAME, data_key, create=True)
            created += [directory / (DB_NAME + "-wal"), directory / (DB_NAME + "-shm")]
            created.append(directory / backoff.LOCK_NAME)
            state = backoff.fresh(directory)
            created.append(directory / backoff.BACKOFF_NAME)
            with translate_errors():
                migrations.migrate(conn)
                with transaction(conn):
                    at = audit.now_iso()
                    conn.executemany(
                        "INSERT INTO meta (key, value) VALUES (?, ?)",
                        [
                            ("vault_id", sf.vault_id),
                            ("created_at", at),
                            ("backoff_sequence", str(state.sequence)),
                        ],
                    )
                    conn.execute(
                        "INSERT INTO users (tag, name, role, added_at, added_by)"
                        " VALUES (?, ?, ?, ?, NULL)",
                        (tag, name, role, at),
                    )
                    audit.append(conn, name, "vault_created", sf.vault_id)
                    audit.append(conn, name, "user_added", None, f"{name} ({role})")
            # The slots file is written last: it is what makes the folder a usable vault.
            created.append(directory / slots.SLOTS_NAME)
            slots.save(directory / slots.SLOTS_NAME, sf)
        except BaseException:
            zero(data_key)
            with contextlib.suppress(Exception):
                conn.close()  # type: ignore[possibly-undefined]
            for path in created:
                with contextlib.suppress(OSError):
                    path.unlink()
            raise
        return cls(directory, conn, data_key, sf, user=name, role=role, tag=tag)

    @classmethod
    def unlock(
        cls,
        directory: Path,
        user: str,
        passphrase: str,
        *,
        read_only: bool = False,
        verify_pages: bool = False,
    ) -> Vault:
        """Open the vault as `user`; wrong credentials count towards the back-off.

        `read_only` opens it for `check()`: the database refuses writes, and neither the
        unlock nor the lock is written to the audit log. `verify_pages` checks every page's
        HMAC before anything is written (the command line does; the app checks in the
        background after unlocking instead).
        """
        directory = Path(directory)
        require_vault(directory)
        sf = slots.load(directory / slots.SLOTS_NAME)  # damaged file: error, nothing counted
        attempt = backoff.begin_attempt(directory)
        slot, private = unlock_slot(sf, user, passphrase)
        try:
            conn, sf, data_key = cls._open_resolving_rekey(
                directory, sf, user_key_opener(slot, private), read_only=read_only
            )
        finally:
            zero(private)
        vault = cls(
            directory,
            conn,
            data_key,
            sf,
            user=slots.display_name(user),
            role=slot.role,
            tag=slot.tag,
            read_only=read_only,
        )
        try:
            vault._after_unlock(attempt, verify_pages=verify_pages)
        except BaseException:
            vault.lock(audited=False)
            raise
        return vault

    @classmethod
    def open_with_recovery(cls, directory: Path, org_private_key: Any) -> Vault:
        """Open with the organisation's private key (recovery slot); acts as an admin."""
        directory = Path(directory)
        require_vault(directory)
        sf = slots.load(directory / slots.SLOTS_NAME)
        conn, sf, data_key = cls._open_resolving_rekey(
            directory, sf, lambda f: slots.open_recovery(f, org_private_key)
        )
        vault = cls(directory, conn, data_key, sf, user=RECOVERY_ACTOR, role="admin", tag=None)
        with vault._locked_conn() as c, transaction(c):
            audit.append(c, RECOVERY_ACTOR, "unlock", None, "with the organisation recovery key")
        vault._reconcile_users()
        return vault

    @staticmethod
    def _open_resolving_rekey(
        directory: Path, sf: slots.SlotFile, opener: KeyOpener, *, read_only: bool = False
    ) -> tuple[Connection, slots.SlotFile, bytearray]:
        """Open the database; finish a rekey that was interrupted after the database changed.

        remove_user writes the new slots to `slots.json.next` before rekeying. If the current
        slots' key opens the database, a pending file is stale; if only the pending file's
        key does, the rekey committed and the pending file becomes the slots file.
        """
        pending_path = directory / slots.PENDING_NAME
        data_key = opener(sf)
        try:
            conn = open_checked(directory, sf, data_key, read_only=read_only)
        except VaultTampered:
            zero(data_key)
            if not pending_path.exists():
                raise
            pending = slots.load(pending_path)
            data_key = opener(pending)
            try:
                conn = open_checked(directory, pending, data_key, read_only=read_only)
            except BaseException:
                zero(data_key)
                raise
            if not read_only:  # a check reports on the files; it does not finish the rekey
                slots.save(directory / slots.SLOTS_NAME, pending)
                slots.discard(pending_path)
            return conn, pending, data_key
        except BaseException:
            zero(data_key)
            raise
        if not read_only:
            slots.discard(pending_path)
        return conn, sf, data_key

    def _after_unlock(self, attempt: backoff.BackoffState, *, verify_pages: bool = False) -> None:
        # The passphrase was right: that is cleared even if the database turns out damaged.
        cleared = backoff.succeed(self.directory, attempt)
        if verify_pages:
            self._run(database.require_undamaged_pages)
        # The name as it was registered, not as it was typed this time ("alice" vs "Alice").
        row = self._run(
            lambda c: c.execute("SELECT name FROM users WHERE tag = ?", (self._tag,)).fetchone()
        )
        if row is not None:
            self.user = str(row[0])
        if self._run(database.page_size) == database.LEGACY_PAGE_SIZE:
            # Said at each unlock: a one-off conversion only an admin can start (docs/vault.md).
            self.warnings.append(
                "This vault still has the older page format, which makes saving answers"
                " slower; an admin can convert it with 'screening vault upgrade' (see"
                " docs/vault.md)."
            )
        if self.read_only:
            return
        with self._locked_conn() as conn, transaction(conn):
            row = conn.execute("SELECT value FROM meta WHERE key = 'backoff_sequence'").fetchone()
            remembered = int(row[0]) if row else 0
            audit.append(conn, self.user, "unlock")
            if attempt.missing:
                self.warnings.append("The record of failed unlock attempts was missing or damaged.")
                audit.append(
                    conn,
                    self.user,
                    "failed_unlocks",
                    None,
                    "record of failed unlocks was missing or damaged",
                )
            elif attempt.sequence - 1 < remembered:
                self.warnings.append("The record of failed unlock attempts was rolled back.")
                audit.append(
                    conn,
                    self.user,
                    "failed_unlocks",
                    None,
                    "record of failed unlocks was rolled back to an older copy",
                )
            failed = attempt.failures - 1
            if failed > 0 and not attempt.missing:
                audit.append(
                    conn,
                    self.user,
                    "failed_unlocks",
                    None,
                    f"failed unlocks since last unlock: {failed}",
                )
            conn.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('backoff_sequence', ?)",
                (str(cleared.sequence),),
            )
        self._reconcile_users()

    def _reconcile_users(self) -> None:
        """Bring the users table in line with the slots after an interrupted change."""
        with self._locked_conn() as conn, transaction(conn):
            tags = {s.tag for s in self._slots.users}
            rows = conn.execute("SELECT tag, name FROM users WHERE removed_at IS NULL").fetchall()
            for tag, name in rows:
                if tag not in tags:
                    conn.execute(
                        "UPDATE users SET removed_at = ? WHERE tag = ?", (audit.now_iso(), tag)
                    )
                    audit.append(
                        conn,
                        self.user,
                        "user_removed",
                        None,
                        f"{name} (completed after an interruption)",
                    )
            if self._tag is not None and self._tag not in {r[0] for r in rows}:
                slot = self._slots.find(self._tag)
                role = slot.role if slot else self.role
                conn.execute(
                    "INSERT INTO users (tag, name, role, added_at, added_by)"
                    " VALUES (?, ?, ?, ?, NULL) ON CONFLICT (tag)"
                    " DO UPDATE SET removed_at = NULL, role = excluded.role",
                    (self._tag, self.user, role, audit.now_iso()),
                )
                audit.append(
                    conn,
                    self.user,
                    "user_added",
                    None,
                    f"{self.user} ({role}) (completed after an interruption)",
                )

    @property
    def is_locked(self) -> bool:
        return self._conn is None

    @property
    def vault_id(self) -> str:
        return self._slots.vault_id

    def lock(self, *, audited: bool = True) -> None:
        """Close the database and overwrite the data key. Safe to call twice."""
        with self._lock:
            conn, self._conn = self._conn, None
            if conn is not None:
                if audited and not self.read_only:
                    with contextlib.suppress(Exception), transaction(conn):
                        audit.append(conn, self.user, "lock")
                with contextlib.suppress(Exception):
                    conn.close()
            zero(self._key)
            self._key = None

    def __del__(self) -> None:
        # Best effort for a Vault dropped without lock(): at least overwrite the key.
        with contextlib.suppress(Exception):
            self.lock(audited=False)

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc: object) -> None:
        self.lock()

    # -------------------------------------------------------------- internals

    @contextlib.contextmanager
    def _locked_conn(self) -> Iterator[Connection]:
        with self._lock:
            if self._conn is None:
                raise VaultLocked("The vault is locked; unlock it again to continue.")
            with translate_errors():
                yield self._conn

    def _run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        # `_locked_conn` spelled out without its two generator context managers: every answer
        # save comes through here, and they cost a measurable part of the vault's own time.
        with self._lock:
            conn = self._conn
            if conn is None:
                raise VaultLocked("The vault is locked; unlock it again to continue.")
            try:
                return fn(conn, *args, **kwargs)
            except DATABASE_ERRORS as exc:
                raise translated(exc) from exc

    def _require(self, *roles: str, action: str) -> None:
        if self.role not in roles:
            raise PermissionDenied(f"Only {' or '.join(roles)} users can {action}.")

    def _data_key(self) -> bytearray:
        if self._key is None:
            raise VaultLocked("The vault is locked; unlock it again to continue.")
        return self._key

    def _checkpoint(self) -> None:
        with self._locked_conn() as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()

    def _fresh_slots(self) -> slots.SlotFile:
        """Re-read the slots file so a change made by another program is not overwritten."""
        current = slots.load(self.directory / slots.SLOTS_NAME)
        if current.key_epoch != self._slots.key_epoch:
            raise VaultError(
                "The vault's keys were changed in another program; lock and unlock again."
            )
        slots.verify_mac(current, self._data_key())
        self._slots = current
        return current

    # ------------------------------------------------------------- connection

    def connection(self) -> Connection:
        """The open database connection, for other vault-aware modules (see docs/vault.md).

        Hold `transaction()` while writing, append an audit row for every change, and never
        keep the connection after `lock()`.
        """
        with self._locked_conn() as conn:
            return conn

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A write transaction on the vault's connection, committed when the block ends."""
        with self._locked_conn() as conn, transaction(conn):
            yield conn

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Every change made in the block, through any method, committed as one transaction
        when it ends (nothing if it raises). Only for data that is not an interview being
        given, such as demo data: an answer saved inside a batch is not durable until the
        batch ends. Other threads wait for the vault until then."""
        with self._locked_conn() as conn, batch(conn):
            yield

    # ------------------------------------------------------------------- audit

    def audit(self, action: str, object_id: str | None = None, detail: str | None = None) -> None:
        """Append an audit row as the unlocked user. Details must never hold answer values."""
        with self._locked_conn() as conn, transaction(conn):
            audit.append(conn, self.user, action, object_id, detail)

    def audit_entries(self, *, after: int = 0, limit: int | None = None) -> list[audit.AuditEntry]:
        return self._run(audit.entries, after=after, limit=limit)

    def verify_audit(self) -> None:
        """Raise VaultTampered naming the first broken link of the audit chain."""
        self._run(audit.verify)

    # ---------------------------------------------------------- backup/restore

    def backup(self, out: Path) -> Path:
        """Write an encrypted archive (database export + key slots) to `out`."""
        from screening.vault import backup

        self._require("admin", "coordinator", action="make backups")
        with self._lock:
            sf = self._fresh_slots()
            with self._locked_conn() as conn:
                return backup.write_backup(conn, self._data_key(), sf, Path(out), self.user)

    @classmethod
    def restore(
        cls,
        archive: Path,
        directory: Path,
        user: str,
        passphrase: str,
        *,
        overwrite: bool = False,
    ) -> Vault:
        """Verify a backup fully, then install it in `directory`; returns it unlocked."""
        from screening.vault import backup

        kept = backup.restore_backup(
            Path(archive), Path(directory), user, passphrase, overwrite=overwrite
        )
        from screening.vault.devicekey import REASON_RESTORED, rotate_device_key

        vault = cls.unlock(Path(directory), user, passphrase)
        with vault.transaction() as conn:
            audit.append(conn, vault.user, "restore", None, f"from {Path(archive).name}")
            # The archive holds the device key too, and archives get copied: the restored
            # laptop moves to a new key (registered at next sync).
            rotate_device_key(conn, vault.user, REASON_RESTORED)
        vault.replaced_vault = kept
        if kept is not None:
            vault.warnings.append(f"The vault that was there before is kept in {kept}.")
        return vault
