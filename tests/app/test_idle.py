"""Locking after idle time; input anywhere in the app postpones it."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QSettings, Qt

from app.idle import IdleLock
from tests.app.conftest import unlock


def test_idle_time_locks_the_window(qtbot, make_window, made_vault: Path, settings: QSettings):
    settings.setValue("lock/idle_minutes", 0.005)  # 300 ms
    window = make_window(made_vault)
    assert window.idle.timeout_ms == 300
    unlock(qtbot, window)
    vault = window.vault
    assert window.idle.armed
    with qtbot.waitSignal(window.locked, timeout=3000):
        pass
    assert vault.is_locked and window.vault is None
    assert window.pages.currentWidget() is window.unlock_page
    assert not window.idle.armed  # no timer runs while locked


def test_input_postpones_the_idle_lock(qtbot, make_window, made_vault: Path, settings):
    settings.setValue("lock/idle_minutes", 0.01)  # 600 ms
    window = make_window(made_vault)
    unlock(qtbot, window)
    start = time.monotonic()
    while time.monotonic() - start < 1.2:  # twice the timeout, typing all along
        qtbot.keyClick(window.case_list.search, Qt.Key.Key_A)
        qtbot.wait(100)
    assert window.vault is not None
    with qtbot.waitSignal(window.locked, timeout=3000):
        pass


def test_idle_lock_ignores_events_while_disarmed(qtbot):
    idle = IdleLock(50)
    fired: list[bool] = []
    idle.idle.connect(lambda: fired.append(True))
    qtbot.wait(120)
    assert not fired and not idle.armed
    idle.arm()
    qtbot.waitUntil(lambda: bool(fired), timeout=2000)
    idle.remove()


def test_default_idle_time_is_five_minutes(qtbot, make_window, made_vault: Path):
    window = make_window(made_vault)
    assert window.idle.timeout_ms == 5 * 60_000
