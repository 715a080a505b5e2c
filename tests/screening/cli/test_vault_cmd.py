"""`screening vault …` end to end, in child processes, as an operator would run it."""

from __future__ import annotations

import dataclasses
import functools
from pathlib import Path

import pytest

from screening.vault import backoff
from tests.screening.cli.clirun import Run, screening

ADMIN, ADMIN_PASS = "Amira Haddad", "violet kettle marathon orbit"
USER, USER_PASS = "Tomas Ferreira", "copper lantern drizzle wombat"
NEW_PASS = "saffron pylon tundra quiver"


def one_sentence(run: Run, expected: str, code: int = 2) -> None:
    """The exit code (2: authentication or integrity; 1: bad input), a single line on stderr
    with the expected sentence, no traceback."""
    assert run.code == code, (run.out, run.err)
    assert "Traceback" not in run.err
    lines = run.err.splitlines()
    assert len(lines) == 1, run.err
    assert lines[0].startswith("screening: ") and lines[0].endswith(".")
    assert expected in lines[0], lines[0]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.name != "backoff.json"}


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    folder = tmp_path / "vault"
    run = screening(
        "vault",
        "init",
        "--vault",
        str(folder),
        "--user",
        ADMIN,
        "--role",
        "admin",
        "--passphrase-stdin",
        stdin=ADMIN_PASS + "\n",
    )
    assert run.code == 0, run.err
    assert run.out.strip() == f"Created a vault in {folder} with admin {ADMIN}."
    return folder


def check(folder: Path, user: str, passphrase: str) -> Run:
    return screening(
        "vault",
        "check",
        "--vault",
        str(folder),
        "--user",
        user,
        "--passphrase-stdin",
        stdin=passphrase + "\n",
    )


def add_user(folder: Path, admin_pass: str = ADMIN_PASS, role: str = "screener") -> Run:
    return screening(
        "vault",
        "add-user",
        "--vault",
        str(folder),
        "--as",
        ADMIN,
        "--user",
        USER,
        "--role",
        role,
        "--passphrase-stdin",
        stdin=f"{admin_pass}\n{USER_PASS}\n",
    )


def test_init_check_and_refusals(vault: Path) -> None:
    run = check(vault, ADMIN, ADMIN_PASS)
    assert run.code == 0 and "Audit chain: ok" in run.out
    again = screening(
        "vault",
        "init",
        "--vault",
        str(vault),
        "--user",
        "x",
        "--passphrase-stdin",
        stdin=ADMIN_PASS + "\n",
    )
    one_sentence(again, "There is already a vault in", code=1)


def test_init_weak_or_missing_passphrase(tmp_path: Path) -> None:
    weak = screening(
        "vault",
        "init",
        "--vault",
        str(tmp_path / "v"),
        "--user",
        ADMIN,
        "--passphrase-stdin",
        stdin="short\n",
    )
    one_sentence(weak, "The passphrase is too short", code=1)
    missing = screening(
        "vault",
        "init",
        "--vault",
        str(tmp_path / "v"),
        "--user",
        ADMIN,
        "--passphrase-stdin",
        stdin="",
    )
    one_sentence(missing, "Expected passphrase number 1 on standard input", code=1)
    assert not (tmp_path / "v" / "vault.db").exists()


def test_passphrases_are_never_arguments(tmp_path: Path) -> None:
    run = screening(
        "vault", "init", "--vault", str(tmp_path / "v"), "--user", ADMIN, "--passphrase", ADMIN_PASS
    )
    assert run.code == 1 and "unrecognized arguments" in run.err


def test_wrong_passphrase_and_missing_vault(vault: Path, tmp_path: Path) -> None:
    before = snapshot(vault)
    one_sentence(check(vault, ADMIN, "not the passphrase"), "The user name or passphrase is wrong.")
    one_sentence(check(vault, "Nobody", ADMIN_PASS), "The user name or passphrase is wrong.")
    assert snapshot(vault) == before
    one_sentence(check(tmp_path / "nowhere", ADMIN, ADMIN_PASS), "There is no vault in", code=1)


def test_lockout_after_failures(vault: Path) -> None:
    for _ in range(3):
        check(vault, ADMIN, "not the passphrase")
    state = backoff.load(vault)
    assert state.failures == 3  # each failed CLI unlock was counted
    # Three failures earn a 1 s wait, which a loaded machine spends starting the next
    # process; more recorded failures make the wait outlast it, and the CLI must honour it.
    backoff.save(vault, dataclasses.replace(state, failures=8))
    one_sentence(check(vault, ADMIN, ADMIN_PASS), "Too many failed unlock attempts: try again in")


def test_add_user_passwd_remove_user(vault: Path) -> None:
    before = snapshot(vault)
    one_sentence(add_user(vault, admin_pass="wrong passphrase"), "passphrase is wrong")
    assert snapshot(vault) == before
    run = add_user(vault)
    assert run.code == 0 and run.out.strip() == f"Added {USER} as screener."
    assert check(vault, USER, USER_PASS).code == 0

    passwd = screening(
        "vault",
        "passwd",
        "--vault",
        str(vault),
        "--user",
        USER,
        "--passphrase-stdin",
        stdin=f"{USER_PASS}\n{NEW_PASS}\n",
    )
    assert passwd.code == 0, passwd.err
    one_sentence(check(vault, USER, USER_PASS), "passphrase is wrong")
    assert check(vault, USER, NEW_PASS).code == 0

    screener_adds = screening(
        "vault",
        "add-user",
        "--vault",
        str(vault),
        "--as",
        USER,
        "--user",
        "Third",
        "--passphrase-stdin",
        stdin=f"{NEW_PASS}\nmarble tiger ocean paddle\n",
    )
    one_sentence(screener_adds, "Only admin users can add users")

    removed = screening(
        "vault",
        "remove-user",
        "--vault",
        str(vault),
        "--as",
        ADMIN,
        "--user",
        USER,
        "--passphrase-stdin",
        stdin=ADMIN_PASS + "\n",
    )
    assert removed.code == 0, removed.err
    one_sentence(check(vault, USER, NEW_PASS), "passphrase is wrong")
    assert check(vault, ADMIN, ADMIN_PASS).code == 0


def test_tampered_first_page(vault: Path) -> None:
    db = vault / "vault.db"
    data = bytearray(db.read_bytes())
    data[100] ^= 0x01
    db.write_bytes(bytes(data))
    before = snapshot(vault)
    one_sentence(check(vault, ADMIN, ADMIN_PASS), "The vault database is damaged or was replaced")
    assert snapshot(vault) == before


def test_tampered_later_page(vault: Path) -> None:
    from screening.vault import Vault

    v = Vault.unlock(vault, ADMIN, ADMIN_PASS)
    iid = v.create_interview(form_id="f", form_version="1", form_hash="h", language="en")
    for i in range(400):
        v.save_answer(iid, f"q{i}", "an answer long enough to fill pages " * 4)
    v.connection().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    v.lock()
    db = vault / "vault.db"
    data = bytearray(db.read_bytes())
    page = len(data) // 4096 // 2  # the middle of the file: answer pages
    data[page * 4096 + 500] ^= 0x01
    db.write_bytes(bytes(data))
    before = db.read_bytes()
    run = check(vault, ADMIN, ADMIN_PASS)
    one_sentence(run, "The vault check failed: Encrypted page check: HMAC verification failed")
    assert "problem:" in run.out
    # A check never writes: no audit rows for the unlock, the check or the lock (#13 item 9).
    assert db.read_bytes() == before
    assert not (vault / "vault.db-wal").exists() or not (vault / "vault.db-wal").stat().st_size
    # A command whose own queries miss the damaged page still refuses, before writing.
    listing = screening(
        "interview", "list", "--vault", str(vault), "--user", ADMIN, "--passphrase-stdin",
        stdin=ADMIN_PASS + "\n",
    )  # fmt: skip
    one_sentence(listing, "The vault database is damaged or was tampered with")
    assert listing.out == "" and db.read_bytes() == before


def test_weak_key_slots_are_reported_and_upgraded_by_passwd(tmp_path: Path) -> None:
    """#13 item 2: a slot made with cheap Argon2id is not "ok"; a passphrase change fixes it.

    The vault is made in this process with the test parameters; the child processes run
    with the production defaults (no cheap-KDF patch), as a user's laptop would.
    """
    from screening.vault import KdfParams, Vault, slots

    folder = tmp_path / "weak"
    Vault.create(folder, ADMIN, ADMIN_PASS, kdf=KdfParams.fast_for_tests()).lock()
    real = functools.partial(screening, cheap_kdf=False)
    creds = ("--vault", str(folder), "--user", ADMIN, "--passphrase-stdin")
    weak = real("vault", "check", *creds, stdin=ADMIN_PASS + "\n")
    assert weak.code == 2, weak
    assert "Key slots: ok" not in weak.out
    assert f"warning: The key slot of {ADMIN} uses weaker key derivation (64 KiB, 1 pass)" in (
        weak.out
    )
    one_sentence(weak, "found 1 key slot with weaker key derivation than the current default")
    changed = real("vault", "passwd", *creds, stdin=f"{ADMIN_PASS}\n{NEW_PASS}\n")
    assert changed.code == 0, changed.err
    assert slots.load(folder / slots.SLOTS_NAME).users[0].kdf == KdfParams(3, 65536, 4)
    fine = real("vault", "check", *creds, stdin=NEW_PASS + "\n")
    assert fine.code == 0 and "Key slots: ok" in fine.out, fine


@pytest.mark.parametrize("command", ["init", "add-user"])
def test_no_command_line_option_selects_weak_key_derivation(tmp_path: Path, command: str) -> None:
    extra = ("--as", ADMIN) if command == "add-user" else ()
    run = screening(
        "vault", command, "--vault", str(tmp_path / "v"), "--user", ADMIN, *extra,
        "--passphrase-stdin", "--kdf-profile", "test", stdin=ADMIN_PASS + "\n",
    )  # fmt: skip
    assert run.code == 1 and "unrecognized arguments: --kdf-profile test" in run.err
    assert not (tmp_path / "v").exists()


def test_tampered_slots_file(vault: Path) -> None:
    path = vault / "slots.json"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x02
    path.write_bytes(bytes(data))
    before = snapshot(vault)
    one_sentence(check(vault, ADMIN, ADMIN_PASS), "The key slots file is damaged or was modified")
    assert snapshot(vault) == before


def test_backup_restore_purge(vault: Path, tmp_path: Path) -> None:
    archive = tmp_path / "backup.zip"
    run = screening(
        "vault",
        "backup",
        "--vault",
        str(vault),
        "--user",
        ADMIN,
        "--out",
        str(archive),
        "--passphrase-stdin",
        stdin=ADMIN_PASS + "\n",
    )
    assert run.code == 0 and archive.exists(), run.err

    def restore(target: Path, *extra: str, passphrase: str = ADMIN_PASS) -> Run:
        return screening(
            "vault",
            "restore",
            "--vault",
            str(target),
            "--from",
            str(archive),
            "--user",
            ADMIN,
            *extra,
            "--passphrase-stdin",
            stdin=passphrase + "\n",
        )

    one_sentence(restore(vault), "There is already a vault in", code=1)
    one_sentence(restore(tmp_path / "r", passphrase="wrong one"), "passphrase is wrong")
    fine = restore(tmp_path / "r")
    assert fine.code == 0, fine.err
    assert check(tmp_path / "r", ADMIN, ADMIN_PASS).code == 0
    over = restore(vault, "--overwrite")
    assert over.code == 0 and "is kept in" in over.out

    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0x01
    archive.write_bytes(bytes(data))
    one_sentence(restore(tmp_path / "r2"), "backup archive backup.zip is damaged or was modified")
    assert not (tmp_path / "r2").exists()

    purge = screening(
        "vault",
        "purge",
        "--vault",
        str(vault),
        "--user",
        ADMIN,
        "--older-than",
        "30",
        "--passphrase-stdin",
        stdin=ADMIN_PASS + "\n",
    )
    assert purge.code == 0 and purge.out.startswith("Purged 0 delivered interviews"), purge.err
    negative = screening(
        "vault",
        "purge",
        "--vault",
        str(vault),
        "--user",
        ADMIN,
        "--older-than",
        "-3",
        "--passphrase-stdin",
        stdin="",
    )
    assert negative.code == 1 and "cannot be negative" in negative.err


def test_upgrade_converts_a_legacy_vault(vault: Path) -> None:
    from screening.vault import Vault, database
    from tests.screening.vault.conftest import make_legacy, raw_reads

    v = Vault.unlock(vault, ADMIN, ADMIN_PASS)
    iid = v.create_interview(form_id="f", form_version="1", form_hash="h", language="en")
    v.save_answer(iid, "q", "kept through the upgrade")
    key = bytes(v._data_key())
    v.lock()
    make_legacy(vault, key)
    assert add_user(vault).code == 0

    def upgrade(user: str = ADMIN, passphrase: str = ADMIN_PASS) -> Run:
        return screening(
            "vault", "upgrade", "--vault", str(vault), "--user", user, "--passphrase-stdin",
            stdin=passphrase + "\n",
        )  # fmt: skip

    one_sentence(upgrade(USER, USER_PASS), "Only admin users can upgrade the vault", code=2)
    assert raw_reads(vault / "vault.db", key, 4096)
    done = upgrade()
    assert done.code == 0, done.err
    assert done.out.strip() == (
        f"Upgraded the vault in {vault}: pages of 4096 bytes are now 1024 bytes."
    )
    assert raw_reads(vault / "vault.db", key, 1024)
    again = upgrade()
    assert again.code == 0, again.err
    assert "already has the current file format" in again.out
    v = Vault.unlock(vault, ADMIN, ADMIN_PASS)
    assert database.page_size(v.connection()) == 1024
    assert v.answers(iid)["q"][0] == "kept through the upgrade"
    assert v.check() == []
    v.lock()
    assert check(vault, ADMIN, ADMIN_PASS).code == 0


def test_cli_roles_match_the_vault() -> None:
    from screening.cli import vault_cmd
    from screening.vault import ROLES

    assert vault_cmd.ROLES == ROLES
