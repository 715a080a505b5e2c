"""Legacy vaults (4 KiB pages) keep working, and `upgrade_format` converts them safely."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from screening.vault import PermissionDenied, Vault, VaultError, audit, database, upgrade

from .conftest import (
    ADMIN,
    ADMIN_PASS,
    FAST,
    SCREENER,
    SCREENER_PASS,
    data_key,
    make_legacy,
    new_interview,
    raw_reads,
)

CHILD = Path(__file__).with_name("upgrade_child.py")
REPO = Path(__file__).resolve().parents[3]


def _filled(directory: Path, interviews: int = 20) -> bytes:
    """A locked legacy vault with interviews, answers and a second user; returns its key."""
    v = Vault.create(directory, ADMIN, ADMIN_PASS, kdf=FAST)
    v.add_user(SCREENER, SCREENER_PASS, role="screener", kdf=FAST)
    for i in range(interviews):
        iid = new_interview(v, location=f"place {i}")
        for q in range(5):
            v.save_answer(iid, f"q{q}", f"answer {i}/{q} " * 3)
    key = data_key(v)
    v.lock()
    make_legacy(directory, key)
    return key


def _contents(conn: database.Connection) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table (the audit log apart), for before/after comparisons."""
    tables = [
        str(r[0])
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND name NOT IN ('audit', 'audit_object', 'meta')"
        ).fetchall()
    ]
    return {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}


def test_legacy_vault_unlocks_reads_and_writes(vault_dir: Path) -> None:
    key = _filled(vault_dir)
    v = Vault.unlock(vault_dir, ADMIN, ADMIN_PASS)
    assert database.page_size(v.connection()) == database.LEGACY_PAGE_SIZE
    assert [w for w in v.warnings if "screening vault upgrade" in w]  # shown at unlock
    assert v.count_interviews() == 20
    iid = new_interview(v)
    v.save_answer(iid, "q", "written to a legacy vault")
    v.lock()
    assert raw_reads(vault_dir / "vault.db", key, 4096)  # unlocking did not convert it
    v = Vault.unlock(vault_dir, SCREENER, SCREENER_PASS)
    assert v.answers(iid)["q"][0] == "written to a legacy vault"
    assert v.check() == []
    v.lock()


def test_upgrade_keeps_every_row_and_the_audit_chain(vault_dir: Path) -> None:
    key = _filled(vault_dir)
    v = Vault.unlock(vault_dir, ADMIN, ADMIN_PASS)
    conn = v.connection()
    before = _contents(conn)
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    trail = [(e.seq, e.action, e.hash) for e in v.audit_entries()]
    assert v.upgrade_format() == database.LEGACY_PAGE_SIZE
    conn = v.connection()
    assert database.page_size(conn) == database.VAULT_PAGE_SIZE
    assert _contents(conn) == before
    assert conn.execute("PRAGMA user_version").fetchone()[0] == version
    after = v.audit_entries()
    assert [(e.seq, e.action, e.hash) for e in after[: len(trail)]] == trail
    assert after[-1].action == "format_upgraded"
    assert v.check() == []
    assert v.upgrade_format() is None  # already current: nothing happens
    v.lock()
    db = vault_dir / "vault.db"
    assert raw_reads(db, key, 1024) and not raw_reads(db, key, 4096)
    assert not upgrade.staging_path(db).exists()
    v = Vault.unlock(vault_dir, SCREENER, SCREENER_PASS)
    assert v.count_interviews() == 20
    assert not [w for w in v.warnings if "page format" in w]
    v.lock()


def test_upgrade_is_for_admins(vault_dir: Path) -> None:
    _filled(vault_dir)
    v = Vault.unlock(vault_dir, SCREENER, SCREENER_PASS)
    with pytest.raises(PermissionDenied):
        v.upgrade_format()
    v.lock()


def test_upgrade_refuses_while_another_connection_has_the_vault_open(vault_dir: Path) -> None:
    key = _filled(vault_dir)
    v = Vault.unlock(vault_dir, ADMIN, ADMIN_PASS)
    other = database.open_database(vault_dir / "vault.db", key)  # idle, no transaction
    with pytest.raises(VaultError, match="open in another program"):
        v.upgrade_format()
    assert v.is_locked  # the session ended; nothing was swapped
    other.close()
    assert raw_reads(vault_dir / "vault.db", key, 4096)
    assert not upgrade.staging_path(vault_dir / "vault.db").exists()
    v = Vault.unlock(vault_dir, ADMIN, ADMIN_PASS)
    assert v.upgrade_format() == database.LEGACY_PAGE_SIZE
    v.lock()


def test_upgrade_discards_the_copy_an_interrupted_upgrade_left(vault_dir: Path) -> None:
    key = _filled(vault_dir)
    staging = upgrade.staging_path(vault_dir / "vault.db")
    staging.write_bytes(os.urandom(5000))
    staging.with_name(staging.name + "-journal").write_bytes(os.urandom(512))
    v = Vault.unlock(vault_dir, ADMIN, ADMIN_PASS)
    assert v.upgrade_format() == database.LEGACY_PAGE_SIZE
    v.lock()
    assert raw_reads(vault_dir / "vault.db", key, 1024)
    assert sorted(p.name for p in vault_dir.iterdir() if p.name.startswith(".")) == []


def test_a_copy_that_differs_is_never_swapped_in(
    vault_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The comparison is what stands between a faulty export and the vault's only file."""
    key = _filled(vault_dir)
    real_export = database.export_database

    def lossy_export(conn: database.Connection, dest: Path, k: bytes | bytearray) -> None:
        real_export(conn, dest, k)
        copy = database.open_database(dest, k)
        copy.execute("DELETE FROM answers WHERE interview_id = (SELECT min(id) FROM interviews)")
        copy.close()

    monkeypatch.setattr(database, "export_database", lossy_export)
    v = Vault.unlock(vault_dir, ADMIN, ADMIN_PASS)
    with pytest.raises(VaultError, match="table answers differs"):
        v.upgrade_format()
    assert raw_reads(vault_dir / "vault.db", key, 4096)
    assert not upgrade.staging_path(vault_dir / "vault.db").exists()


@pytest.mark.parametrize("legacy_backup", [False, True])
def test_backups_of_either_format_restore(
    vault_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, legacy_backup: bool
) -> None:
    _filled(vault_dir)
    v = Vault.unlock(vault_dir, ADMIN, ADMIN_PASS)
    with monkeypatch.context() as m:
        if legacy_backup:  # what the code before 1 KiB pages wrote into archives
            m.setattr(database, "VAULT_PAGE_SIZE", database.LEGACY_PAGE_SIZE)
        archive = v.backup(tmp_path / "backup.zip")
    key = data_key(v)
    v.lock()
    restored = Vault.restore(archive, tmp_path / "restored", ADMIN, ADMIN_PASS)
    expected = database.LEGACY_PAGE_SIZE if legacy_backup else database.VAULT_PAGE_SIZE
    assert database.page_size(restored.connection()) == expected
    assert restored.count_interviews() == 20
    assert restored.check() == []
    restored.lock()
    assert raw_reads(tmp_path / "restored" / "vault.db", key, expected)


def _run_until_killed(directory: Path, delay: float | None) -> tuple[float, bool]:
    """Start an upgrade; kill it `delay` seconds after it unlocked (None: let it finish)."""
    proc = subprocess.Popen(
        [sys.executable, str(CHILD), str(directory), ADMIN],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(ADMIN_PASS + "\n")
    proc.stdin.flush()
    assert proc.stdout.readline() == "ready\n"
    start = time.perf_counter()
    if delay is None:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        return time.perf_counter() - start, "done" in out
    time.sleep(delay)
    os.kill(proc.pid, signal.SIGKILL)
    out, _ = proc.communicate(timeout=60)
    return delay, "done" in out


@pytest.mark.slow
def test_sigkill_during_the_upgrade_never_loses_a_row(tmp_path: Path) -> None:
    template = tmp_path / "template"
    key = _filled(template, interviews=150)
    v = Vault.unlock(template, ADMIN, ADMIN_PASS)
    before = _contents(v.connection())
    v.lock()
    timing = tmp_path / "timing"
    shutil.copytree(template, timing)
    duration, finished = _run_until_killed(timing, None)
    assert finished
    rng = random.Random(15)
    formats = set()
    for run in range(20):
        directory = tmp_path / f"run{run}"
        shutil.copytree(template, directory)
        # Spread over the whole upgrade, and a little past it (the kill lands after the swap).
        _run_until_killed(directory, rng.uniform(0.0, 1.2 * duration))
        v = Vault.unlock(directory, ADMIN, ADMIN_PASS)
        conn = v.connection()
        size = database.page_size(conn)
        formats.add(size)
        assert raw_reads(directory / "vault.db", key, size)
        assert _contents(conn) == before, f"run {run}"
        assert v.check() == [], f"run {run}"
        audit.verify(conn)
        # Whatever the kill left, the upgrade can be run (again) and completes.
        v.upgrade_format()
        assert database.page_size(v.connection()) == database.VAULT_PAGE_SIZE
        assert _contents(v.connection()) == before
        v.lock()
    assert formats <= {database.VAULT_PAGE_SIZE, database.LEGACY_PAGE_SIZE}
