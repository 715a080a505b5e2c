"""Locking forgets the workspace; nothing a coordinator reads or types leaves the vault."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QSettings, Qt

from app.coordinator.workspace import CoordinatorWorkspace
from app.main import setup_logging
from app.window import MainWindow
from tests.app.conftest import FAST, unlock
from tests.app.coordinator.conftest import (
    COORDINATOR,
    COORDINATOR_PASSPHRASE,
    NAME_MARKER,
    REASON,
    Cases,
    open_case,
    open_received,
)
from tests.app.test_no_leaks import private_tmp  # noqa: F401 - a fixture

SEARCH = "Zmarker search"
MARKERS = (NAME_MARKER, REASON, SEARCH, "Xmarker", "Ymarker", "Zmarker")


def scan(root: Path) -> list[str]:
    hits = []
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for marker in MARKERS:
                for encoded in (marker.encode("utf-8"), marker.encode("utf-16-le")):
                    if encoded in data:
                        hits.append(f"{path}: {marker}")
    return hits


def test_lock_while_a_case_loads_and_return_after_unlock(
    qtbot, coordinator_window, cases: Cases
) -> None:
    window = coordinator_window
    workspace = open_received(qtbot, window)
    workspace.open_case(cases.adult)  # loading on the runner…
    with qtbot.waitSignal(window.locked):
        window.lock()  # …when the laptop locks
    assert workspace.case_page.data is None and workspace.model.rowCount() == 0
    window.runner.wait(5000)
    qtbot.wait(50)  # the late result, if any, reaches nobody and shows nothing
    assert not [w for w in window.findChildren(CoordinatorWorkspace) if w.isVisible()]
    # The same coordinator comes back to the case that was open; answers reloaded.
    unlock(qtbot, window, COORDINATOR, COORDINATOR_PASSPHRASE)
    again = window.coordinator.workspace
    assert again is not None and again is not workspace
    assert window.work.currentWidget() is again and window.coordinator.action.isChecked()
    qtbot.waitUntil(lambda: again.case_page.data is not None, timeout=10_000)
    assert again.current_case == cases.adult
    assert NAME_MARKER in again.case_page.answers_text()


def test_nothing_leaks_outside_the_vault(
    qtbot,
    tmp_path: Path,
    private_tmp: Path,  # noqa: F811
    cases: Cases,
) -> None:
    logs = tmp_path / "logs"
    setup_logging(logs)
    settings_path = tmp_path / "settings.ini"
    settings = QSettings(str(settings_path), QSettings.Format.IniFormat)
    window = MainWindow(cases.directory, settings, kdf=FAST, cache=tmp_path / "cache")
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
    try:
        unlock(qtbot, window, COORDINATOR, COORDINATOR_PASSPHRASE)
        workspace = open_received(qtbot, window)
        qtbot.keyClicks(workspace.list_page.search, SEARCH)
        qtbot.waitUntil(lambda: workspace.model.query.search == SEARCH, timeout=3000)
        workspace.list_page.search.clear()
        qtbot.waitUntil(lambda: not workspace.model.busy and workspace.model.rowCount() > 0)
        open_case(qtbot, workspace, cases.overridden)
        assert REASON in workspace.case_page.outcome_text()
        qtbot.keyClick(workspace.case_page.answers, Qt.Key.Key_Escape)
        open_case(qtbot, workspace, cases.adult)
        assert NAME_MARKER in workspace.case_page.answers_text()
        with qtbot.waitSignal(window.locked):
            window.lock()
        unlock(qtbot, window, COORDINATOR, COORDINATOR_PASSPHRASE)
        window.close()
    finally:
        logging.getLogger("screening_desk").handlers.clear()
    settings.sync()
    log = (logs / "screening-desk.log").read_text("utf-8")
    assert "received interviews shown" in log and cases.adult not in log
    for root in (logs, tmp_path / "cache", private_tmp, cases.directory):
        assert scan(root) == []
    assert scan(settings_path.parent) == []
