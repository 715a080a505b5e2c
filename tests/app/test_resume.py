"""Locking with an interview open: the view is cleared, and unlocking brings the screener back
to the same interview and page with every answer (only ids are kept while locked)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.interview import InterviewWorkspace
from screening.forms.catalog import shipped_forms
from screening.vault import Vault
from tests.app.conftest import ADMIN, FAST, PASSPHRASE, unlock


def rapid_interview(vault: Vault) -> str:
    (entry,) = [f for f in shipped_forms() if f.id == "rapid-screening"]
    return vault.create_interview(
        form_id=entry.id,
        form_version=entry.version,
        form_hash="test",
        language="en",
        screener_language="en",
        location="TEST-1",
    )


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    widget = QApplication.focusWidget()
    assert widget is not None
    qtbot.keyClick(widget, key, modifier)


def open_from_list(qtbot, window, interview_id: str) -> None:
    table = window.case_list.table
    model = window.case_list.model
    row = next(r for r in range(model.rowCount()) if model.interview_id(r) == interview_id)
    table.setFocus()
    table.selectRow(row)
    with qtbot.waitSignal(window.interview_opened):
        qtbot.keyClick(table, Qt.Key.Key_Return)


def test_lock_and_unlock_return_to_the_same_page(qtbot, make_window, made_vault: Path):
    window = make_window(made_vault)
    unlock(qtbot, window)
    interview = rapid_interview(window.vault)
    window.case_list.refresh()
    open_from_list(qtbot, window, interview)
    view = window.current_view()
    assert isinstance(view, InterviewWorkspace)
    assert view.page_key() == "consent"
    qtbot.keyClicks(QApplication.focusWidget(), "1")  # consent: yes
    press(qtbot, Qt.Key.Key_Return)
    qtbot.keyClicks(QApplication.focusWidget(), "2")  # interpreting
    press(qtbot, Qt.Key.Key_Return)
    assert view.page_key() == "age"
    qtbot.keyClicks(QApplication.focusWidget(), "29")  # typed, no Enter: the lock saves it

    with qtbot.waitSignal(window.locked):
        qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.current_view() is None
    assert window.work.count() == 1  # only the (empty) case list is left

    unlock(qtbot, window)
    resumed = window.current_view()
    assert resumed is not None and resumed is not view
    assert resumed.page_key() == "age"
    assert window.vault.answers(interview)["age"] == (29, None)
    assert window.vault.answers(interview)["consent"] == ("yes", None)


def test_another_user_unlocking_lands_on_the_case_list(qtbot, make_window, made_vault: Path):
    other, other_pass = "Second Screener", "walnut harbour lantern quiver"
    admin = Vault.unlock(made_vault, ADMIN, PASSPHRASE)
    admin.add_user(other, other_pass, kdf=FAST)
    admin.lock()
    window = make_window(made_vault)
    unlock(qtbot, window)
    interview = rapid_interview(window.vault)
    window.case_list.refresh()
    open_from_list(qtbot, window, interview)
    window.lock()
    unlock(qtbot, window, other, other_pass)
    assert window.current_view() is None
    assert window.work.currentWidget() is window.case_list


def test_closing_the_window_keeps_the_draft(qtbot, make_window, made_vault: Path):
    window = make_window(made_vault)
    unlock(qtbot, window)
    interview = rapid_interview(window.vault)
    window.case_list.refresh()
    open_from_list(qtbot, window, interview)
    qtbot.keyClicks(QApplication.focusWidget(), "1")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.keyClicks(QApplication.focusWidget(), "2")  # picked, not yet confirmed with Enter
    vault = window.vault
    window.close()
    assert vault.is_locked
    again = Vault.unlock(made_vault, ADMIN, PASSPHRASE)
    try:
        answers = again.answers(interview)
        assert answers["consent"] == ("yes", None)
        assert "interpreting" in answers
    finally:
        again.lock()
