"""First run → create vault → lock → unlock (wrong passphrase, back-off countdown) → list."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from screening.vault import Vault
from tests.app.conftest import ADMIN, PASSPHRASE, unlock


def test_first_run_creates_vault_then_lock_and_unlock(qtbot, make_window, vault_dir: Path):
    window = make_window(vault_dir)
    page = window.first_run
    assert page is not None and window.pages.currentWidget() is page
    qtbot.keyClicks(page.user, ADMIN)
    qtbot.keyClicks(page.passphrase, PASSPHRASE)
    qtbot.keyClicks(page.repeat, PASSPHRASE)
    with qtbot.waitSignal(window.unlocked, timeout=10_000):
        qtbot.mouseClick(page.create, Qt.MouseButton.LeftButton)
    assert window.vault is not None and window.vault.user == ADMIN
    assert window.pages.currentWidget() is window.work
    assert window.case_list.model.rowCount() == 0
    assert page.passphrase.text() == "" and page.repeat.text() == ""

    with qtbot.waitSignal(window.locked):
        qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.vault is None
    assert window.pages.currentWidget() is window.unlock_page
    assert window.unlock_page.user.text() == ADMIN  # only the passphrase is asked again

    unlock(qtbot, window)
    assert window.pages.currentWidget() is window.work
    assert window.vault is not None


def test_first_run_refuses_mismatch_and_weak_passphrase(qtbot, make_window, vault_dir: Path):
    window = make_window(vault_dir)
    page = window.first_run
    qtbot.keyClicks(page.user, ADMIN)
    qtbot.keyClicks(page.passphrase, PASSPHRASE)
    qtbot.keyClicks(page.repeat, PASSPHRASE + "x")
    qtbot.keyClick(page.repeat, "\r")
    assert page.error.isVisible() and "not the same" in page.error.text()
    assert not vault_dir.exists()

    qtbot.keyClicks(page.passphrase, "password123")
    qtbot.keyClicks(page.repeat, "password123")
    page.meter.update_now()
    assert not page.meter.result.acceptable
    assert "short" in page.meter.label.text()
    qtbot.mouseClick(page.create, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.create.isEnabled() and page.error.isVisible(), timeout=5_000)
    assert "too short" in page.error.text()
    assert window.vault is None and not (vault_dir / "slots.json").exists()


def test_strength_meter_follows_the_vault_rule(qtbot, make_window, vault_dir: Path):
    window = make_window(vault_dir)
    page = window.first_run
    qtbot.keyClicks(page.user, ADMIN)
    qtbot.keyClicks(page.passphrase, "aaaaaaaaaaaaaaaa")
    qtbot.waitUntil(lambda: "guess" in page.meter.label.text())
    assert page.meter.bar.value() <= 2
    page.passphrase.clear()
    qtbot.keyClicks(page.passphrase, PASSPHRASE)
    qtbot.waitUntil(lambda: page.meter.result.acceptable)
    assert page.meter.bar.value() >= 3
    assert "recovery key" in page.warning.text()
    assert page.org_file.isEnabled(), "enrolment works: the organisation file can be loaded"


def test_wrong_passphrase_then_backoff_countdown(qtbot, make_window, made_vault: Path):
    window = make_window(made_vault)
    page = window.unlock_page
    assert window.pages.currentWidget() is page
    for _ in range(3):
        page.user.clear()
        qtbot.keyClicks(page.user, ADMIN)
        qtbot.keyClicks(page.passphrase, "not the passphrase at all")
        qtbot.keyClick(page.passphrase, "\r")
        qtbot.waitUntil(lambda: page.error.isVisible() and page.unlock.isEnabled(), timeout=5000)
        assert page.error.text() == "The user name or passphrase is wrong."
        assert page.passphrase.text() == ""
    # The fourth attempt comes too soon: the vault answers with a wait, shown as a countdown.
    qtbot.keyClicks(page.passphrase, PASSPHRASE)
    qtbot.keyClick(page.passphrase, "\r")
    qtbot.waitUntil(lambda: page.countdown.isVisible(), timeout=5000)
    assert "Try again in" in page.countdown.text()
    assert not page.unlock.isEnabled()
    assert window.vault is None
    qtbot.waitUntil(lambda: page.unlock.isEnabled(), timeout=5000)
    assert not page.countdown.isVisible()
    window.runner.destroyed.connect(lambda: print("runner gone"))
    page.submitted.connect(lambda n, p: print("SUBMITTED", n))
    try:
        unlock(qtbot, window)
    finally:
        print(
            "BUSY",
            page.busy.isVisible(),
            window.runner.busy,
            page.unlock.isEnabled(),
            page.passphrase.text(),
        )
        from tests.app.conftest import message_boxes

        print(
            "ERR",
            [m.text() for m in message_boxes()],
            page.error.isVisible(),
            page.error.text(),
            page.countdown.text(),
            page.user.text(),
        )
    assert window.vault is not None


def test_lock_button_clears_views_and_closes_vault(qtbot, make_window, made_vault: Path):
    window = make_window(made_vault)
    unlock(qtbot, window)
    vault = window.vault
    vault.create_interview(form_id="f", form_version="1", form_hash="h", language="en")
    window.case_list.refresh()
    qtbot.keyClicks(window.case_list.search, "something typed")
    assert window.case_list.model.rowCount() == 1
    button = window.toolbar.widgetForAction(window.lock_action)
    with qtbot.waitSignal(window.locked):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert vault.is_locked
    assert window.case_list.model.rowCount() == 0
    assert window.case_list.search.text() == ""
    assert not window.toolbar.isVisible()
    # Shortcuts of the unlocked window do nothing while locked.
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.vault is None


def test_opening_an_existing_vault_skips_first_run(qtbot, make_window, made_vault: Path):
    window = make_window(made_vault)
    assert window.first_run is None
    assert window.pages.currentWidget() is window.unlock_page
    assert window.unlock_page.user.hasFocus() or window.unlock_page.user.text() == ""
    unlock(qtbot, window)
    again = Vault  # the vault stays usable by other programs after the window locks
    window.lock()
    again.unlock(made_vault, ADMIN, PASSPHRASE).lock()
