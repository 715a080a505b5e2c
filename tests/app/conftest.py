"""Fixtures for the desktop app: real vaults in tmp_path, settings in a temp INI file.

Vaults use `KdfParams.fast_for_tests()` (hidden from users: `MainWindow(kdf=…)`), so unlocking
takes milliseconds. Big case lists are seeded with `app.demo.seed`, which inserts metadata
rows through `Vault.transaction()` in chunks of 5,000 (100,000 rows in a few seconds).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QWidget

from app.window import MainWindow
from screening.vault import KdfParams, Vault, backoff

FAST = KdfParams.fast_for_tests()
ADMIN = "Nadia Marker"
PASSPHRASE = "orchid tundra saxophone velvet"


@pytest.fixture(autouse=True)
def _real_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setattr(backoff, "clock", time.time)


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def vault_dir(tmp_path: Path) -> Path:
    return tmp_path / "vault"


@pytest.fixture
def made_vault(vault_dir: Path) -> Path:
    """A vault with one admin, locked again: the app starts on the unlock screen."""
    Vault.create(vault_dir, ADMIN, PASSPHRASE, kdf=FAST).lock()
    return vault_dir


@pytest.fixture
def make_window(
    qtbot, tmp_path: Path, settings: QSettings
) -> Iterator[Callable[[Path], MainWindow]]:
    windows: list[MainWindow] = []

    def make(directory: Path) -> MainWindow:
        window = MainWindow(directory, settings, kdf=FAST, cache=tmp_path / "cache")
        qtbot.addWidget(window)
        with qtbot.waitActive(window):
            window.show()
            window.activateWindow()
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()
        window.runner.wait(10_000)


def unlock(qtbot, window: MainWindow, name: str = ADMIN, passphrase: str = PASSPHRASE) -> None:
    """Unlock through the real widgets: type, press Enter, wait for the case list."""
    page = window.unlock_page
    page.user.clear()
    qtbot.keyClicks(page.user, name)
    qtbot.keyClicks(page.passphrase, passphrase)
    with qtbot.waitSignal(window.unlocked, timeout=10_000):
        qtbot.keyClick(page.passphrase, "\r")


def message_boxes() -> list[QWidget]:
    from PySide6.QtWidgets import QMessageBox

    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    ]


BIG = 100_000  # interviews in `big_vault`


@pytest.fixture(scope="session")
def big_vault(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Vault]:
    """100,000 interviews' metadata (`app.demo.seed`: no answers), seeded once for the case
    list's and the received list's tests; read only, so every test sees the same rows."""
    from app.demo import seed

    vault = Vault.create(tmp_path_factory.mktemp("big") / "vault", ADMIN, PASSPHRASE, kdf=FAST)
    seed(vault, BIG)
    yield vault
    vault.lock()


def sql(vault: Vault, query: str, *params: object) -> list[tuple]:
    """What a direct query says, to check the lists' answers against."""
    return list(vault.connection().execute(query, params))
