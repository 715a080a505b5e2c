"""The whole screener day through the real main window, driven by keyboard and mouse:
first run → create vault → new rapid screening → every question by keyboard → outcome →
complete → lock → unlock → the interview is in the list, completed."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.interview import NewInterviewDialog
from app.outcome.view import OutcomeView
from tests.app.conftest import ADMIN, PASSPHRASE, unlock
from tests.app.interview.support import RAPID_KEYS, RAPID_VALUES, focused, press, type_keys


def test_first_run_to_completed_interview_and_back_after_lock(
    qtbot, make_window, vault_dir: Path
) -> None:
    window = make_window(vault_dir)
    page = window.first_run
    qtbot.keyClicks(page.user, ADMIN)
    qtbot.keyClicks(page.passphrase, PASSPHRASE)
    qtbot.keyClicks(page.repeat, PASSPHRASE)
    with qtbot.waitSignal(window.unlocked, timeout=10_000):
        qtbot.mouseClick(page.create, Qt.MouseButton.LeftButton)

    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), NewInterviewDialog))
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, NewInterviewDialog)
    combo = dialog.form_choice
    rapid = combo.findData("rapid-screening")
    assert rapid >= 0, "the rapid screening is offered"
    combo.setFocus()
    while combo.currentIndex() != rapid:  # choose it the way a keyboard user would
        qtbot.keyClick(combo, Qt.Key.Key_Down if combo.currentIndex() < rapid else Qt.Key.Key_Up)
    qtbot.keyClicks(dialog.centre, "Bar port")
    with qtbot.waitSignal(window.interview_opened, timeout=5_000) as opened:
        qtbot.keyClick(dialog.centre, Qt.Key.Key_Return)
    interview_id = opened.args[0]

    workspace = window.current_view()
    view = workspace.interview_view
    qtbot.waitUntil(lambda: view.current_page() == "consent")
    for key, keys in RAPID_KEYS:
        assert view.current_page() == key
        type_keys(qtbot, keys)
        press(qtbot, Qt.Key.Key_Return)
    assert window.vault.answers(interview_id)["free_to_leave"] == (
        RAPID_VALUES["free_to_leave"],
        None,
    )

    outcome = workspace.outcome_view
    assert isinstance(outcome, OutcomeView)
    assert outcome.result.result == "likely_trafficked"
    outcome.complete_button.setFocus()
    assert focused() is outcome.complete_button
    press(qtbot, Qt.Key.Key_Return)
    assert outcome.confirm_box is not None, "completing asks first"
    qtbot.keyClick(outcome.confirm_complete_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.work.currentWidget() is window.case_list)
    assert window.vault.get_interview(interview_id).status == "completed"
    assert window.statusBar().currentMessage() == (
        f"Interview {interview_id[:8]} completed and saved."
    )

    with qtbot.waitSignal(window.locked):
        qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.vault is None
    unlock(qtbot, window)
    model = window.case_list.model
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    cells = [model.data(model.index(0, column)) for column in range(model.columnCount())]
    assert interview_id.startswith(str(cells[0]).rstrip("…"))
    assert any("ompleted" in str(cell) for cell in cells), cells
    assert any("ikely" in str(cell) for cell in cells), cells
