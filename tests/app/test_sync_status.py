"""The sync status line and "Sync now": plain words, the one runner, a real hub (SQLite)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.sync_status import local_time
from app.window import MainWindow
from screening.sync.client import sync
from screening.vault import Vault
from tests.app.conftest import message_boxes, unlock
from tests.hub.conftest import tls  # noqa: F401 (fixture)
from tests.screening.sync.rig import (
    ADMIN,
    ADMIN_PASS,
    QUICK,
    HubRig,
    completed_interview,
    coordinator_vault,
    enrolled_laptop,
    org_of,
)


def sync_column(window: MainWindow) -> list[str]:
    model = window.case_list.model
    column = model.columnCount() - 1
    assert model.headerData(column, Qt.Orientation.Horizontal) == "Sync"
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_unenrolled_vault_says_so_and_sync_now_fails_in_plain_words(
    qtbot, make_window, made_vault: Path
) -> None:
    window = make_window(made_vault)
    unlock(qtbot, window)
    status = window.sync_status
    assert status.text() == "Sync: not enrolled"
    assert status.isVisible()
    assert window.sync_action.isEnabled()
    assert not status.timer.isActive()  # no background sync for a vault that cannot sync
    assert window.vault is not None
    completed_interview(window.vault, 1)
    window.show_cases()
    assert sync_column(window) == ["Not sent"]

    window.sync_action.trigger()
    qtbot.waitUntil(lambda: bool(message_boxes()), timeout=10_000)
    (box,) = message_boxes()
    text = box.text()  # type: ignore[attr-defined]
    assert "not set up for sync" in text and "Traceback" not in text
    box.close()
    assert status.text() == "Sync: not enrolled"
    assert not status.running and window.sync_action.isEnabled()
    # Nothing lost: still unlocked, the interview still there and still not sent.
    assert not window.is_locked
    assert sync_column(window) == ["Not sent"]

    window.lock()
    assert not window.sync_action.isEnabled()
    assert not status.timer.isActive()


def test_background_run_fails_quietly_in_the_status_line(
    qtbot, make_window, made_vault: Path
) -> None:
    window = make_window(made_vault)
    unlock(qtbot, window)
    status = window.sync_status
    assert status.sync_now(background=True) is False  # not enrolled: the timer does nothing
    assert not message_boxes()


class Hub:
    def __init__(self, rig: HubRig, laptop_dir: Path, coord: Vault) -> None:
        self.rig, self.laptop_dir, self.coord = rig, laptop_dir, coord


@pytest.fixture
def hub(tmp_path: Path, tls) -> Iterator[Hub]:  # noqa: F811
    rig = HubRig(tmp_path / "hub", tls, None)
    coord = coordinator_vault(tmp_path / "coordinator", rig.url, rig.ca_pem)
    org_file = tmp_path / "org.json"
    org_file.write_bytes(org_of(coord).public.to_json_bytes())
    rig.init(org_file)
    rig.start()
    laptop = enrolled_laptop(tmp_path / "laptop", coord, with_screener=False)
    completed_interview(laptop, 1)
    laptop.lock()
    try:
        yield Hub(rig, tmp_path / "laptop", coord)
    finally:
        coord.lock()
        rig.stop()


def test_sync_now_with_a_real_hub_then_offline(qtbot, make_window, hub: Hub) -> None:
    window = make_window(hub.laptop_dir)
    unlock(qtbot, window, ADMIN, ADMIN_PASS)
    status = window.sync_status
    status.sync_fn = lambda vault, progress: sync(vault, policy=QUICK, progress=progress)
    assert status.text() == "Never synced"
    assert status.timer.isActive() and status.timer.interval() == 10 * 60_000
    assert sync_column(window) == ["Not sent"]

    window.sync_action.trigger()
    assert status.text() == "Syncing…"
    assert not window.sync_action.isEnabled()  # one run at a time
    assert status.sync_now() is False
    qtbot.waitUntil(lambda: not status.running, timeout=20_000)
    assert not message_boxes()
    assert status.text().startswith("Up to date. Last synced ")
    assert status.text().endswith(local_time(_last_sync(window)))
    assert window.sync_action.isEnabled()
    assert sync_column(window) == ["Sent"]  # the case list was refreshed

    hub.rig.stop()
    assert status.sync_now(background=True)  # what the timer does
    qtbot.waitUntil(lambda: not status.running, timeout=20_000)
    assert not message_boxes()  # background: the status line only
    assert status.text().startswith("Offline: could not reach the hub. Last synced ")
    assert "could not be reached" in status.toolTip()

    window.lock()
    assert status.text() == "" and not status.timer.isActive()
    assert not window.sync_action.isEnabled()


def test_a_long_transfer_shows_how_far_it_got(qtbot, make_window, hub: Hub) -> None:
    window = make_window(hub.laptop_dir)
    unlock(qtbot, window, ADMIN, ADMIN_PASS)
    status = window.sync_status
    reported = threading.Event()
    checked = threading.Event()

    def slow_sync(vault, progress):  # type: ignore[no-untyped-def]
        def noted(done: int, total: int) -> None:
            progress(done, total)
            reported.set()
            checked.wait(10)  # hold the run until the label has been looked at

        return sync(vault, policy=QUICK, progress=noted)

    status.sync_fn = slow_sync
    window.sync_action.trigger()
    qtbot.waitUntil(lambda: status.text() == "Syncing… sent 1 of 1", timeout=20_000)
    assert reported.is_set() and status.running
    # What a coordinator's run reports: a count received, the total unknown.
    status._progressed(120, 0, "")
    assert status.text() == "Syncing… received 120"
    checked.set()
    qtbot.waitUntil(lambda: not status.running, timeout=20_000)
    assert status.text().startswith("Up to date. Last synced ")


def test_a_coordinator_sees_what_is_held_back(qtbot, make_window, hub: Hub) -> None:
    from dataclasses import replace

    from screening.sync.state import sync_status

    window = make_window(hub.laptop_dir)
    unlock(qtbot, window, ADMIN, ADMIN_PASS)
    status = window.sync_status
    assert window.vault is not None
    # The label's words for a coordinator's vault state, drawn by the real widget.
    when = "2026-01-02T03:04:05Z"
    held = replace(sync_status(window.vault), mode="coordinator", rejected=2, last_sync_at=when)
    status._status = held
    status._render()
    assert status.text() == f"Last synced {local_time(when)}, 2 held back for review"
    assert "screening sync --held" in status.toolTip()


def _last_sync(window: MainWindow) -> str:
    from screening.sync.state import sync_status

    assert window.vault is not None
    last = sync_status(window.vault).last_sync_at
    assert last is not None
    return last


def test_montenegrin_status_line(qtbot, make_window, made_vault: Path, settings) -> None:
    settings.setValue("ui/language", "cnr")
    window = make_window(made_vault)
    unlock(qtbot, window)
    assert window.sync_status.text() == "Sinhronizacija: računar nije prijavljen"
    assert window.sync_action.text() == "Sinhronizacija"
