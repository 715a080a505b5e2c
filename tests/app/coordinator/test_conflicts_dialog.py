"""Held conflicts in the app: a real conflict (laptop → real hub → the coordinator's vault),
listed, compared side by side, resolved each way through the dialog's buttons and its
confirmation; the result is in the vault and in its audit trail."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app.coordinator.conflicts_dialog import DIFFERS, ConflictDialog, HeldConflictsDialog
from app.window import MainWindow
from screening.sync import conflicts
from screening.vault import Vault
from tests.app.conftest import unlock
from tests.hub.conftest import tls  # noqa: F401 (fixture)
from tests.screening.sync.conftest import Org
from tests.screening.sync.rig import COORD, COORD_PASS
from tests.screening.sync.test_conflicts import _conflict, org  # noqa: F401 (fixture)


@pytest.fixture
def held(org: Org, tmp_path: Path) -> Iterator[tuple[Path, str]]:  # noqa: F811
    lap, iid, _ = _conflict(org, tmp_path)
    lap.lock()
    org.coord.lock()
    yield org.coord.directory, iid


def _open(qtbot, make_window: Callable[[Path], MainWindow], folder: Path) -> ConflictDialog:  # type: ignore[no-untyped-def]
    window = make_window(folder)
    unlock(qtbot, window, COORD, COORD_PASS)
    assert window.coordinator.conflicts_action.isVisible()
    window.coordinator.conflicts_action.trigger()
    listing = window.coordinator.conflicts_dialog
    assert isinstance(listing, HeldConflictsDialog)
    qtbot.waitUntil(lambda: listing.table.rowCount() == 1, timeout=10_000)
    assert "changed in this vault" in listing.table.item(0, 2).text()
    assert "Waiting for a choice: 1" in listing.message.text()
    qtbot.mouseClick(listing.compare_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: listing.conflict_dialog is not None, timeout=10_000)
    dialog = listing.conflict_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def _rows(dialog: ConflictDialog) -> dict[str, tuple[str, str, str]]:
    t = dialog.table
    return {
        t.item(r, 0).text(): (t.item(r, 0).text(), t.item(r, 1).text(), t.item(r, 2).text())
        for r in range(t.rowCount())
    }


def _confirm(qtbot, dialog: ConflictDialog, button_text: str) -> None:  # type: ignore[no-untyped-def]
    box = dialog.confirm_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    [yes] = [b for b in box.buttons() if b.text() == button_text]
    qtbot.mouseClick(yes, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.resolution is not None, timeout=10_000)


def test_compare_and_take_the_incoming_copy(qtbot, make_window, held) -> None:  # type: ignore[no-untyped-def]
    folder, iid = held
    dialog = _open(qtbot, make_window, folder)
    rows = _rows(dialog)
    # The corrected age differs: marked by a sign and bold text, not by colour alone.
    [age] = [v for k, v in rows.items() if k.endswith("age") or "Age" in k or "age" in k]
    assert age[0].startswith(DIFFERS) and (age[1], age[2]) == ("21", "40")
    font = dialog.table.item([*rows].index(age[0]), 1).font()
    assert font.bold()
    same = [k for k in rows if "answer 1" in rows[k][1]]
    assert same and not same[0].startswith(DIFFERS)
    assert "Differences: 2" in dialog.count.text()
    assert "override" in dialog.local_trail.toPlainText()
    assert "answer_corrected" in dialog.incoming_trail.toPlainText()
    assert dialog.take_button.isEnabled()

    # Cancel first: nothing happens.
    qtbot.mouseClick(dialog.take_button, Qt.MouseButton.LeftButton)
    [cancel] = [b for b in dialog.confirm_box.buttons() if b.text() == "Cancel"]
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert dialog.resolution is None

    qtbot.mouseClick(dialog.take_button, Qt.MouseButton.LeftButton)
    _confirm(qtbot, dialog, "Take the incoming copy")
    assert dialog.message.isVisible() and "replaces the copy here" in dialog.message.text()
    assert not dialog.keep_button.isEnabled() and not dialog.take_button.isEnabled()
    vault = dialog.vault
    assert vault.answers(iid)["age"] == (40, None)
    assert conflicts.held_conflicts(vault) == []
    [row] = [e for e in vault.audit_entries() if e.action == "conflict_resolved"]
    assert row.actor == COORD and row.detail.startswith("took the incoming copy")


def test_keep_this_copy(qtbot, make_window, held) -> None:  # type: ignore[no-untyped-def]
    folder, iid = held
    dialog = _open(qtbot, make_window, folder)
    qtbot.mouseClick(dialog.keep_button, Qt.MouseButton.LeftButton)
    _confirm(qtbot, dialog, "Keep this copy")
    assert "copy here was kept" in dialog.message.text()
    vault: Vault = dialog.vault
    assert vault.answers(iid)["age"] == (21, None)
    [row] = [e for e in vault.audit_entries() if e.action == "conflict_resolved"]
    assert row.detail.startswith("kept the copy here")
    listing = dialog.parent()
    dialog.close()
    qtbot.waitUntil(lambda: listing.table.rowCount() == 0, timeout=10_000)
    assert "No conflicts are held" in listing.message.text()
