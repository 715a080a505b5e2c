"""`unlocked`: the one unlock-run-lock block of the vault commands (screening/cli/vault_cmd.py)."""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import pytest

from screening.cli.vault_cmd import Passphrases, unlocked
from screening.errors import ScreeningError
from screening.vault import Vault, WrongCredentials
from tests.screening.orgforms import FAST

ADMIN, ADMIN_PASS = "Amira Haddad", "violet kettle marathon orbit"
USER, USER_PASS = "Tomas Ferreira", "copper lantern drizzle wombat"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    vault = Vault.create(tmp_path / "vault", ADMIN, ADMIN_PASS, kdf=FAST)
    vault.add_user(USER, USER_PASS, role="screener")
    vault.lock()
    return tmp_path / "vault"


def _args(folder: Path, user: str) -> argparse.Namespace:
    return argparse.Namespace(vault=str(folder), user=user, passphrase_stdin=True)


def test_the_vault_is_locked_again_when_the_command_fails_inside(folder: Path) -> None:
    pw = Passphrases(True, io.StringIO(ADMIN_PASS + "\n"))
    opened: list[Vault] = []
    with (
        pytest.raises(ScreeningError, match="refused"),
        unlocked(_args(folder, ADMIN), pw=pw) as vault,
    ):
        opened.append(vault)
        assert not vault.is_locked
        raise ScreeningError("refused")
    assert opened and opened[0].is_locked


def test_another_user_and_the_next_passphrase_line_can_be_named(folder: Path) -> None:
    pw = Passphrases(True, io.StringIO(USER_PASS + "\nsecond line\n"))
    with unlocked(_args(folder, ADMIN), user=USER, pw=pw) as vault:
        assert (vault.user, vault.role) == (USER, "screener")
    assert vault.is_locked
    assert pw.get("next") == "second line"  # exactly one line was taken


def test_a_wrong_passphrase_opens_nothing(folder: Path) -> None:
    pw = Passphrases(True, io.StringIO("not the passphrase\n"))
    with pytest.raises(WrongCredentials), unlocked(_args(folder, ADMIN), pw=pw):
        pytest.fail("the block must not run")
