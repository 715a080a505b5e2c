"""The steps of opening a vault that do not need a `Vault` object (also used by restore)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from screening.vault import database, keys, migrations, slots
from screening.vault.database import Connection, translate_errors
from screening.vault.errors import VaultError, VaultNotFound, VaultTampered, WrongCredentials
from screening.vault.fsutil import zero

DB_NAME = "vault.db"
KeyOpener = Callable[[slots.SlotFile], bytearray]


def vault_exists(directory: Path) -> bool:
    return (Path(directory) / slots.SLOTS_NAME).exists() or (Path(directory) / DB_NAME).exists()


def require_vault(directory: Path) -> None:
    if not (directory / DB_NAME).is_file() or not (directory / slots.SLOTS_NAME).is_file():
        missing = DB_NAME if (directory / slots.SLOTS_NAME).is_file() else slots.SLOTS_NAME
        if not vault_exists(directory):
            raise VaultNotFound(f"There is no vault in {directory}.")
        raise VaultNotFound(f"The vault in {directory} is incomplete: {missing} is missing.")


def unlock_slot(sf: slots.SlotFile, name: str, passphrase: str) -> tuple[slots.UserSlot, bytearray]:
    """Find the user's slot and unwrap their private key, or raise WrongCredentials."""
    tag = slots.name_tag(name, sf)
    slot = sf.find(tag)
    if slot is None:
        # Spend the same time as a real attempt so timing does not reveal who has a slot.
        cost = sf.users[0].kdf if sf.users else keys.DEFAULT_KDF
        zero(keys.derive(b"-", keys.random_salt(), cost))
        raise WrongCredentials("The user name or passphrase is wrong.")
    return slot, slots.unwrap_private(sf, slot, passphrase)


def user_key_opener(slot: slots.UserSlot, private: bytearray) -> KeyOpener:
    """Open the data key of any slots file (current or pending) with this user's private key."""

    def opener(sf: slots.SlotFile) -> bytearray:
        candidate = sf.find(slot.tag)
        # The pending file must carry the very same key pair, or it is not ours.
        if candidate is None:  # removed while the rekey was interrupted
            raise WrongCredentials("The user name or passphrase is wrong.")
        if candidate.public_key != slot.public_key:
            raise VaultTampered("The pending key slots file does not match this user's slot.")
        return slots.open_data_key(sf, candidate, private)

    return opener


def open_checked(
    directory: Path, sf: slots.SlotFile, data_key: bytearray, *, read_only: bool = False
) -> Connection:
    """Open the database with `data_key` and prove the slots file is the one that goes with it.

    `read_only` (for `vault check`) makes SQLite refuse every write on this connection, so a
    check of a damaged vault cannot add to the damage or hide it behind fresh audit rows.
    """
    conn = database.open_database(directory / DB_NAME, data_key)
    try:
        if read_only:
            conn.execute("PRAGMA query_only = ON")
        slots.verify_mac(sf, data_key)
        with translate_errors():
            has_meta = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
            ).fetchone()
            row = None
            if has_meta:
                row = conn.execute("SELECT value FROM meta WHERE key = 'vault_id'").fetchone()
            if row is None or row[0] != sf.vault_id:
                raise VaultTampered("The key slots file belongs to a different vault.")
            if read_only:
                if migrations.schema_version(conn) != migrations.SCHEMA_VERSION:
                    raise VaultError(
                        "This vault has to be updated before it can be checked; unlock it "
                        "once in the app or with another command, then check again."
                    )
            else:
                # Only now, with the pair proven to belong together, may the database change.
                migrations.migrate(conn)
    except BaseException:
        conn.close()
        raise
    return conn
