"""Settings, logs, caches and temp files never hold names, passphrases, answers or searches.

Markers go in through the real widgets (first run, search box, an answer typed into the
interview view), the app is locked, idles, unlocks and closes; then every byte the app could
have written outside the vault is scanned for them.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from app.main import setup_logging
from app.window import MainWindow
from screening.forms.catalog import shipped_forms
from tests.app.conftest import FAST, unlock

NAME = "Zoranka Qmarkerovic"  # QTest types ASCII only
PASSPHRASE = "quokka-marker lantern 7 velvet orbit"
ANSWER = "Xmarker Preferred Name"
SEARCH = "Ymarker Search Term"
MARKERS = (NAME, PASSPHRASE, ANSWER, SEARCH, "Qmarker", "Xmarker", "Ymarker", "quokka-marker")


def scan(root: Path) -> list[str]:
    hits = []
    for path in root.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        for marker in MARKERS:
            for encoded in (marker.encode("utf-8"), marker.encode("utf-16-le")):
                if encoded in data:
                    hits.append(f"{path}: {marker}")
    return hits


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", None)
    return tmp


def test_nothing_leaks_outside_the_vault(qtbot, tmp_path: Path, private_tmp: Path) -> None:
    logs = tmp_path / "logs"
    setup_logging(logs)
    settings_path = tmp_path / "settings.ini"
    settings = QSettings(str(settings_path), QSettings.Format.IniFormat)
    settings.setValue("lock/idle_minutes", 0.01)
    vault_dir = tmp_path / "vault"
    window = MainWindow(vault_dir, settings, kdf=FAST, cache=tmp_path / "cache")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    try:
        page = window.first_run
        qtbot.keyClicks(page.user, NAME)
        qtbot.keyClicks(page.passphrase, PASSPHRASE)
        qtbot.keyClicks(page.repeat, PASSPHRASE)
        with qtbot.waitSignal(window.unlocked, timeout=10_000):
            qtbot.keyClick(page.repeat, "\r")

        vault = window.vault
        (adult,) = [f for f in shipped_forms() if f.id == "screening-adult"]
        interview = vault.create_interview(
            form_id=adult.id, form_version=adult.version, form_hash="t", language="en"
        )
        for name, value in (("consent", "yes"), ("interview_language", "en")):
            vault.save_answer(interview, name, value)
        view = window.open_interview(interview, "preferred_name")
        assert view is not None and view.page_key() == "preferred_name"
        assert QApplication.focusWidget() is not None
        qtbot.keyClicks(QApplication.focusWidget(), ANSWER)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
        assert vault.answers(interview)["preferred_name"] == (ANSWER, None)

        window.show_cases()
        qtbot.keyClicks(window.case_list.search, SEARCH)
        qtbot.wait(400)  # the search runs
        with qtbot.waitSignal(window.locked, timeout=5000):
            pass  # idle lock
        unlock(qtbot, window, NAME, PASSPHRASE)
        qtbot.keyClicks(window.unlock_page.user, NAME)  # a name left in a locked field
        window.close()
    finally:
        logging.getLogger("screening_desk").handlers.clear()
    settings.sync()

    assert settings_path.read_text("utf-8")  # something was written: geometry, idle time
    assert set(QSettings(str(settings_path), QSettings.Format.IniFormat).allKeys()) <= {
        "lock/idle_minutes",
        "ui/language",
        "ui/font_size",
        "vault/last_dir",
        "window/geometry",
    }
    assert (logs / "screening-desk.log").read_text("utf-8").count("unlocked") == 2
    for root in (tmp_path / "logs", tmp_path / "cache", private_tmp, vault_dir):
        assert scan(root) == []
    assert scan(settings_path.parent) == []
