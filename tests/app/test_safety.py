"""Safety keys of the window: quick-hide, Quit that locks, the idle warning, and the lock
screen's focus and user switching."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from app.interview.forms import compiled_form
from tests.app.conftest import ADMIN, unlock


def _draft(window) -> str:  # type: ignore[no-untyped-def]
    form = compiled_form("rapid-screening")
    interview = window.vault.create_interview(
        form_id=form.id,
        form_version=form.version,
        form_hash=form.form_hash,
        language="en",
        screener_language="en",
        location="SAFE-1",
    )
    window.vault.save_answer(interview, "consent", "yes")
    return interview


def _visible_texts(widget) -> str:  # type: ignore[no-untyped-def]
    return " ".join(
        label.text() for label in widget.findChildren(QLabel) if label.isVisibleTo(widget)
    )


def test_f12_locks_at_once_and_shows_nothing_about_the_case(qtbot, make_window, made_vault: Path):
    window = make_window(made_vault)
    unlock(qtbot, window)
    interview = _draft(window)
    window.open_interview(interview)
    vault = window.vault
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: window.vault is None, timeout=2000)
    assert vault.is_locked, "hidden means locked"
    assert window.pages.currentWidget() is window.neutral
    shown = _visible_texts(window) + " " + window.windowTitle()
    for secret in (ADMIN, interview[:8], "Screening", "consent", "locked"):
        assert secret not in shown, f"{secret!r} is on the neutral screen"
    assert not window.toolbar.isVisible() and not window.statusBar().isVisible()
    qtbot.keyClick(window.neutral, Qt.Key.Key_Return)
    assert window.pages.currentWidget() is window.unlock_page
    unlock(qtbot, window)
    assert window.current_view() is not None, "the same user goes back to the interview"


def test_ctrl_q_locks_then_quits(qtbot, make_window, made_vault: Path):
    window = make_window(made_vault)
    unlock(qtbot, window)
    vault = window.vault
    qtbot.keyClick(window.case_list.table, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert vault.is_locked and not window.isVisible()


def test_ctrl_q_quits_from_the_lock_screen(qtbot, make_window, made_vault: Path):
    window = make_window(made_vault)
    qtbot.keyClick(window.unlock_page.user, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not window.isVisible()


def test_idle_warning_comes_before_the_lock_and_stay_keeps_it_open(
    qtbot, make_window, made_vault: Path, settings
):
    settings.setValue("lock/idle_minutes", 0.01)  # 600 ms: the warning comes after 300 ms
    window = make_window(made_vault)
    unlock(qtbot, window)
    qtbot.waitUntil(lambda: window.idle_banner.isVisible(), timeout=2000)
    assert window.vault is not None, "a warning, not yet a lock"
    assert "second" in window.idle_banner.text.text()
    qtbot.mouseClick(window.idle_banner.stay, Qt.MouseButton.LeftButton)
    assert not window.idle_banner.isVisible() and window.vault is not None
    with qtbot.waitSignal(window.locked, timeout=3000):
        pass
    assert not window.idle_banner.isVisible()


def test_after_a_wrong_passphrase_typing_goes_into_the_passphrase(
    qtbot, make_window, made_vault: Path
):
    window = make_window(made_vault)
    page = window.unlock_page
    qtbot.keyClicks(page.user, ADMIN)
    qtbot.keyClicks(page.passphrase, "not the passphrase")
    page.passphrase.setFocus()
    qtbot.keyClick(page.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.error.isVisible() and page.passphrase.isEnabled(), timeout=10_000)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.passphrase, timeout=2000)
    assert page.passphrase.text() == ""


def test_switch_user_forgets_the_remembered_name(qtbot, make_window, made_vault: Path):
    window = make_window(made_vault)
    unlock(qtbot, window)
    window.lock()
    page = window.unlock_page
    assert page.user.text() == ADMIN
    qtbot.mouseClick(page.switch_user, Qt.MouseButton.LeftButton)
    assert page.user.text() == "" and QApplication.focusWidget() is page.user


def test_f12_works_from_inside_a_dialog(qtbot, make_window, made_vault: Path):
    window = make_window(made_vault)
    unlock(qtbot, window)
    interview = _draft(window)
    workspace = window.open_interview(interview)
    view = workspace.interview_view
    qtbot.mouseClick(view.stop_button, Qt.MouseButton.LeftButton)
    dialog = view.stop_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClick(dialog.cancel_button, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: window.vault is None, timeout=2000)
    assert window.pages.currentWidget() is window.neutral
    assert not dialog.isVisible()
