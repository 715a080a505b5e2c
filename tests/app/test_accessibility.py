"""Every control has an accessible name; the screens work from the keyboard alone."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QProgressBar,
    QWidget,
)

from app.icons import NAMES, icon
from app.prefs_dialog import SettingsDialog
from tests.app.conftest import ADMIN, PASSPHRASE, unlock

CONTROLS = (
    QAbstractButton,
    QLineEdit,
    QComboBox,
    QAbstractSpinBox,
    QAbstractItemView,
    QProgressBar,
)


def unnamed(root: QWidget) -> list[str]:
    missing = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or widget.parent().inherits("QAbstractSpinBox"):
            continue
        if widget.parent().inherits("QLineEdit"):
            continue  # a line edit's clear button and icon: not focusable, named by the edit
        if widget.window() is not root.window():
            continue  # popups (a combo box's list) are named by their owner
        if widget.objectName().startswith("qt_"):
            continue  # Qt's internals (scroll bar buttons, calendar popups)
        if not widget.accessibleName():
            owner = type(widget.parent()).__name__
            missing.append(f"{type(widget).__name__} {widget.objectName()!r} in {owner}")
    return missing


def test_first_run_controls_are_named_and_reachable(qtbot, make_window, vault_dir: Path):
    window = make_window(vault_dir)
    assert unnamed(window.first_run) == []
    page = window.first_run
    assert page.user.hasFocus()
    order = []
    for _ in range(6):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    assert order == [
        page.passphrase,
        page.repeat,
        page.show_secret,
        page.create,
        page.org_file,
        page.language,
    ]


def test_unlock_and_case_list_controls_are_named(qtbot, make_window, made_vault: Path):
    window = make_window(made_vault)
    page = window.unlock_page
    assert unnamed(page) == []
    assert page.user.hasFocus()
    qtbot.keyClicks(page.user, ADMIN)
    qtbot.keyClick(page.user, Qt.Key.Key_Return)  # Enter moves on to the passphrase
    assert page.passphrase.hasFocus()
    qtbot.keyClicks(page.passphrase, PASSPHRASE)
    with qtbot.waitSignal(window.unlocked, timeout=10_000):
        qtbot.keyClick(page.passphrase, Qt.Key.Key_Return)
    assert unnamed(window.case_list) == []
    for action in (window.new_action, window.lock_action, window.search_action):
        assert action.text() and action.toolTip() and not action.icon().isNull()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.case_list.search.hasFocus()


def test_settings_dialog_is_named_and_keyboard_driven(qtbot, make_window, made_vault: Path):
    window = make_window(made_vault)
    unlock(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(window.findChildren(SettingsDialog)))
    dialog = window.findChildren(SettingsDialog)[0]
    assert unnamed(dialog) == []
    dialog.idle.setFocus()
    dialog.idle.selectAll()
    qtbot.keyClicks(dialog.idle, "9")
    qtbot.keyClick(dialog.idle, Qt.Key.Key_Return)  # Enter saves
    qtbot.waitUntil(lambda: window.idle.timeout_ms == 9 * 60_000)


def test_icons_are_scalable_svg() -> None:
    for name in NAMES:
        pixmap = icon(name).pixmap(96, 96)
        assert not pixmap.isNull() and pixmap.width() == 96, name
