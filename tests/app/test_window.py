"""The main window's background integrity check after unlocking (#13 item 9)."""

from __future__ import annotations

from pathlib import Path

from screening.vault import Vault
from tests.app.conftest import ADMIN, PASSPHRASE, message_boxes, unlock


def _damage_a_page(vault_dir: Path) -> None:
    """Fill answer pages, then flip one byte in the middle of the file (not a page the
    unlock or the case list reads)."""
    vault = Vault.unlock(vault_dir, ADMIN, PASSPHRASE)
    iid = vault.create_interview(form_id="f", form_version="1", form_hash="h", language="en")
    for i in range(400):
        vault.save_answer(iid, f"q{i}", "an answer long enough to fill pages " * 4)
    vault.connection().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    vault.lock()
    db = vault_dir / "vault.db"
    data = bytearray(db.read_bytes())
    data[len(data) // 4096 // 2 * 4096 + 500] ^= 0x01
    db.write_bytes(bytes(data))


def test_a_damaged_page_is_reported_after_unlock(qtbot, make_window, made_vault: Path):
    _damage_a_page(made_vault)
    window = make_window(made_vault)
    unlock(qtbot, window)  # the unlock itself succeeds: the damaged page is not read
    qtbot.waitUntil(lambda: bool(message_boxes()), timeout=20_000)
    (box,) = message_boxes()
    assert "damaged or was tampered with" in box.text()
    box.close()


def test_a_healthy_vault_shows_nothing(qtbot, make_window, made_vault: Path):
    window = make_window(made_vault)
    unlock(qtbot, window)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=20_000)
    assert message_boxes() == []
