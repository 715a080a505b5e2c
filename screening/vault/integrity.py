"""Integrity half of `Vault`: the full check, weak key slots, and the page check the app
runs in the background after unlocking.

`Vault.unlock(read_only=True)` is what `vault check` uses with these: the connection is
query-only, so checking a damaged vault never writes into it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from screening.vault import database, keys, slots
from screening.vault.errors import VaultError
from screening.vault.fsutil import zero
from screening.vault.unlocking import DB_NAME

T = TypeVar("T")


class IntegrityApi:
    """Mixed into `Vault`; uses its lock, connection, key and slots."""

    directory: Path
    _slots: slots.SlotFile
    _lock: threading.RLock
    _key: bytearray | None

    def _run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:  # pragma: no cover
        raise NotImplementedError

    def _data_key(self) -> bytearray:  # pragma: no cover
        raise NotImplementedError

    def verify_audit(self) -> None:  # pragma: no cover
        raise NotImplementedError

    def check(self) -> list[str]:
        """Every integrity check; returns one sentence per problem (empty = healthy)."""
        problems = self._run(database.integrity_problems)
        try:
            self.verify_audit()
        except VaultError as exc:
            problems.append(exc.message)
        try:
            current = slots.load(self.directory / slots.SLOTS_NAME)
            slots.verify_mac(current, self._data_key())
            stored = dict(
                self._run(
                    lambda c: c.execute(
                        "SELECT tag, role FROM users WHERE removed_at IS NULL"
                    ).fetchall()
                )
            )
            for slot in current.users:
                if stored.get(slot.tag) not in (None, slot.role):
                    problems.append("A user's role in the key slots differs from the database.")
        except VaultError as exc:
            problems.append(exc.message)
        return problems

    def verify_pages(self) -> None:
        """Verify every page's HMAC; raise VaultTampered when one fails. For a background thread.

        It runs on a connection of its own (read-only), so a check of a large vault never
        holds the vault's lock, and the screens reading through `connection()` do not wait.
        Returns quietly if the vault was locked before it started.
        """
        with self._lock:
            if self._key is None:
                return
            key = bytearray(self._key)
        try:
            conn = database.open_database(self.directory / DB_NAME, key)
        finally:
            zero(key)
        try:
            conn.execute("PRAGMA query_only = ON")
            database.require_undamaged_pages(conn)
        finally:
            conn.close()

    def weak_key_slots(self) -> list[str]:
        """One sentence per user whose key slot is cheaper to attack than today's default.

        Such slots come from older versions or test set-ups; `change_passphrase` upgrades one.
        """
        current = keys.DEFAULT_KDF
        names = dict(self._run(lambda c: c.execute("SELECT tag, name FROM users").fetchall()))
        found: list[str] = []
        for slot in self._slots.users:
            if slot.kdf.weaker_than(current):
                who = names.get(slot.tag, "an unknown user")
                found.append(
                    f"The key slot of {who} uses weaker key derivation ({slot.kdf.describe()}) "
                    f"than the current default ({current.describe()}); {who} should change "
                    "their passphrase."
                )
        return found
