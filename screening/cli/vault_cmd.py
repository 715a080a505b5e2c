"""`screening vault …`: create a vault, manage its users, check, back up, restore, upgrade,
purge.

Passphrases come from a hidden prompt or, with --passphrase-stdin, one per line from
standard input; never from arguments or environment variables (both leak into process
lists, shell history and crash reports).
"""

from __future__ import annotations

import argparse
import functools
import getpass
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, ParamSpec, TextIO, TypeVar

from screening.errors import ScreeningError

if TYPE_CHECKING:
    from screening.vault import Vault

Handler = Callable[[argparse.Namespace], int]
P = ParamSpec("P")
R = TypeVar("R")
# Spelled out so that building the parser does not import the vault (and cryptography) for
# every `screening` command; a test keeps it equal to screening.vault.ROLES.
ROLES = ("screener", "coordinator", "admin")


class Passphrases:
    """Hands out passphrases in order, from stdin lines or from a hidden prompt."""

    def __init__(self, from_stdin: bool, stream: TextIO | None = None) -> None:
        self.from_stdin = from_stdin
        self.stream = stream
        self.count = 0

    def get(self, prompt: str, *, new: bool = False) -> str:
        self.count += 1
        if self.from_stdin:
            line = (self.stream or sys.stdin).readline()
            if not line:
                raise ScreeningError(
                    f"Expected passphrase number {self.count} on standard input, one per line."
                )
            # Only the line ending is removed: spaces may be part of a passphrase.
            return line.removesuffix("\n").removesuffix("\r")
        first = getpass.getpass(f"{prompt}: ")
        if new and getpass.getpass(f"{prompt} (again): ") != first:
            raise ScreeningError("The two passphrases do not match.")
        return first


def guard_vault_io(handler: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(handler)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        from screening.vault import VaultError

        try:
            return handler(*args, **kwargs)
        except BrokenPipeError:
            raise  # the reader went away (`| head`); main() ends quietly
        except OSError as exc:
            # Disk full, permissions, a folder that vanished: a sentence, not a traceback.
            where = f" ({exc.filename})" if exc.filename else ""
            raise VaultError(f"A vault file could not be used: {exc.strerror}{where}.") from exc

    return wrapped


def unlock_vault(
    args: argparse.Namespace, pw: Passphrases, user: str, prompt: str, *, read_only: bool = False
) -> Vault:
    from screening.vault import Vault
    from screening.vault.unlocking import require_vault

    # Say "no vault here" before asking for a passphrase that could not be used anyway.
    require_vault(Path(args.vault))
    # Every command but `check` (which reports each problem itself) refuses a vault with a
    # damaged page before it reads or writes anything, whichever tables it needs.
    return Vault.unlock(
        Path(args.vault), user, pw.get(prompt), read_only=read_only, verify_pages=not read_only
    )


@contextmanager
def unlocked(
    args: argparse.Namespace,
    prompt: str | None = None,
    *,
    user: str | None = None,
    pw: Passphrases | None = None,
    read_only: bool = False,
) -> Iterator[Vault]:
    """The vault of `args.vault`, unlocked for `user` (else `args.user`) with a passphrase
    from `pw` (else a fresh `Passphrases` for `args`), and locked again however the block
    ends: every command that works in a vault runs inside one of these."""
    who = user if user is not None else args.user
    if pw is None:
        pw = Passphrases(args.passphrase_stdin)
    vault = unlock_vault(args, pw, who, prompt or f"Passphrase for {who}", read_only=read_only)
    try:
        yield vault
    finally:
        vault.lock()


def vault_options(parser: argparse.ArgumentParser, *, required: bool = True) -> None:
    """The options `unlocked` reads: the vault, the user and where the passphrase comes from."""
    parser.add_argument(
        "--vault", type=Path, required=required, metavar="DIR", help="the vault folder"
    )
    parser.add_argument("--user", required=required, metavar="NAME", help="who unlocks it")
    parser.add_argument(
        "--passphrase-stdin",
        action="store_true",
        help="read the passphrase from the first line of standard input instead of prompting",
    )


@guard_vault_io
def _init(args: argparse.Namespace) -> int:
    from screening.vault import Vault

    pw = Passphrases(args.passphrase_stdin)
    passphrase = pw.get(f"New passphrase for {args.user}", new=True)
    vault = Vault.create(Path(args.vault), args.user, passphrase, role=args.role)
    vault.lock()
    print(f"Created a vault in {args.vault} with admin {vault.user}.")
    return 0


@guard_vault_io
def _add_user(args: argparse.Namespace) -> int:
    pw = Passphrases(args.passphrase_stdin)
    with unlocked(args, user=args.as_user, pw=pw) as vault:
        passphrase = pw.get(f"New passphrase for {args.user}", new=True)
        vault.add_user(args.user, passphrase, role=args.role)
    print(f"Added {args.user} as {args.role}.")
    return 0


@guard_vault_io
def _remove_user(args: argparse.Namespace) -> int:
    with unlocked(args, user=args.as_user) as vault:
        vault.remove_user(args.user)
        print(f"Removed {args.user}; the vault now uses a new key.")
        _register_device_key(vault)
    return 0


def _register_device_key(vault: Vault) -> None:
    """An enrolled laptop got a new device key: tell the hub now if it can be reached."""
    from screening.sync.keyrotation import register_now

    said = register_now(vault)
    if said:
        print(said)


@guard_vault_io
def _passwd(args: argparse.Namespace) -> int:
    from screening.vault import Vault
    from screening.vault.unlocking import require_vault

    pw = Passphrases(args.passphrase_stdin)
    require_vault(Path(args.vault))
    old = pw.get(f"Current passphrase for {args.user}")
    vault = Vault.unlock(Path(args.vault), args.user, old, verify_pages=True)
    try:
        new = pw.get(f"New passphrase for {args.user}", new=True)
        vault.change_passphrase(old, new)
    finally:
        vault.lock()
    print(f"Changed the passphrase of {vault.user}.")
    return 0


@guard_vault_io
def _check(args: argparse.Namespace) -> int:
    from screening.vault import VaultError, VaultTampered

    # Read-only: a check must never write, least of all into a vault that may be damaged
    # (fresh audit rows would be written over, or next to, the evidence).
    with unlocked(args, read_only=True) as vault:
        problems = vault.check()
        weak = vault.weak_key_slots()
    if problems:
        for problem in problems:
            print(f"problem: {problem}")
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise VaultTampered(f"The vault check failed: {problems[0].rstrip('.')}{more}.")
    for warning in weak:
        print(f"warning: {warning}")
    if weak:
        raise VaultError(
            f"The vault check found {len(weak)} key slot{'s' if len(weak) > 1 else ''} "
            "with weaker key derivation than the current default.",
            exit_code=2,
        )
    print("Encrypted pages: ok. Database structure: ok. Audit chain: ok. Key slots: ok.")
    return 0


@guard_vault_io
def _backup(args: argparse.Namespace) -> int:
    with unlocked(args) as vault:
        out = vault.backup(Path(args.out))
    print(f"Wrote the backup {out}.")
    return 0


@guard_vault_io
def _restore(args: argparse.Namespace) -> int:
    from screening.vault import Vault, VaultNotFound

    if not Path(args.source).is_file():
        raise VaultNotFound(f"There is no backup archive at {args.source}.")
    pw = Passphrases(args.passphrase_stdin)
    passphrase = pw.get(f"Passphrase for {args.user} in the backup")
    vault = Vault.restore(
        Path(args.source), Path(args.vault), args.user, passphrase, overwrite=args.overwrite
    )
    kept = vault.replaced_vault
    try:
        print(f"Restored the backup into {args.vault}.")
        _register_device_key(vault)
    finally:
        vault.lock()
    if kept is not None:
        print(f"The vault that was there before is kept in {kept}.")
    return 0


@guard_vault_io
def _upgrade(args: argparse.Namespace) -> int:
    from screening.vault.database import VAULT_PAGE_SIZE

    with unlocked(args) as vault:
        old = vault.upgrade_format()
    if old is None:
        print(f"The vault in {args.vault} already has the current file format; nothing changed.")
    else:
        print(
            f"Upgraded the vault in {args.vault}: pages of {old} bytes are now "
            f"{VAULT_PAGE_SIZE} bytes."
        )
    return 0


@guard_vault_io
def _purge(args: argparse.Namespace) -> int:
    with unlocked(args) as vault:
        count = vault.purge(args.older_than)
    print(f"Purged {count} delivered interviews completed more than {args.older_than} days ago.")
    return 0


def _days(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("must be a whole number of days") from None
    if value < 0:
        raise argparse.ArgumentTypeError("cannot be negative")
    return value


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    vault = subparsers.add_parser(
        "vault",
        help="create and look after the encrypted vault",
        description="Create the encrypted vault, manage its users, check, back up, restore.",
    )
    actions = vault.add_subparsers(dest="vault_command", metavar="ACTION")
    actions.required = True

    def action(name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
        parser = actions.add_parser(name, help=help_text, description=help_text)
        parser.add_argument("--vault", required=True, metavar="DIR", help="the vault folder")
        parser.add_argument(
            "--passphrase-stdin",
            action="store_true",
            help="read passphrases from standard input, one per line, instead of prompting",
        )
        parser.set_defaults(handler=handler)
        return parser

    init = action("init", _init, "create a new vault with its first admin")
    init.add_argument("--user", required=True, metavar="NAME")
    init.add_argument("--role", choices=("admin",), default="admin")

    add = action("add-user", _add_user, "give a new user access (an admin authorises)")
    add.add_argument("--as", dest="as_user", required=True, metavar="ADMIN")
    add.add_argument("--user", required=True, metavar="NAME")
    add.add_argument("--role", choices=ROLES, default="screener")

    remove = action("remove-user", _remove_user, "remove a user and rekey the vault")
    remove.add_argument("--as", dest="as_user", required=True, metavar="ADMIN")
    remove.add_argument("--user", required=True, metavar="NAME")

    passwd = action("passwd", _passwd, "change your own passphrase")
    passwd.add_argument("--user", required=True, metavar="NAME")

    check = action("check", _check, "check encryption, structure and the audit chain")
    check.add_argument("--user", required=True, metavar="NAME")

    backup = action("backup", _backup, "write an encrypted backup archive")
    backup.add_argument("--user", required=True, metavar="NAME")
    backup.add_argument("--out", required=True, metavar="FILE")

    restore = action("restore", _restore, "verify a backup archive and install it")
    restore.add_argument("--from", dest="source", required=True, metavar="FILE")
    restore.add_argument("--user", required=True, metavar="NAME")
    restore.add_argument(
        "--overwrite",
        action="store_true",
        help="replace an existing vault (it is kept beside the restored one)",
    )

    upgrade = action(
        "upgrade", _upgrade, "convert a vault made before 1 KiB pages to the current format"
    )
    upgrade.add_argument("--user", required=True, metavar="NAME")

    purge = action("purge", _purge, "delete answers of old, delivered, completed interviews")
    purge.add_argument("--user", required=True, metavar="NAME")
    purge.add_argument("--older-than", required=True, type=_days, metavar="DAYS")
