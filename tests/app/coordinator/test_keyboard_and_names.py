"""Every control of the coordinator workspace is named; it works from the keyboard alone."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.app.coordinator.conftest import Cases, open_case, open_received
from tests.app.test_accessibility import unnamed


def test_controls_are_named(qtbot, coordinator_window, cases: Cases) -> None:
    workspace = open_received(qtbot, coordinator_window)
    assert unnamed(workspace.list_page) == []
    open_case(qtbot, workspace, cases.adult)
    assert unnamed(workspace.case_page) == []
    page = workspace.case_page
    for view in (page.answers, page.outcome, page.trail):
        assert view.accessibleName()
    assert page.details.accessibleName() == "Interview details"


def test_tab_order_and_keys(qtbot, coordinator_window, cases: Cases) -> None:
    workspace = open_received(qtbot, coordinator_window)
    page = workspace.list_page
    page.search.setFocus()
    order = []
    for _ in range(9):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    filters = [page.status, page.form, page.centre, page.outcome, page.override, page.dates]
    assert order[:6] == filters
    assert page.table in order
    page.table.setFocus()
    page.table.setCurrentIndex(workspace.model.index(0, 0))
    with qtbot.waitSignal(workspace.case_opened, timeout=10_000):
        qtbot.keyClick(page.table, Qt.Key.Key_Enter)  # the keypad's Enter too
    case = workspace.case_page
    case.back.setFocus()
    order = []
    for _ in range(5):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    assert order == [case.referrals_button, case.language, case.answers, case.outcome, case.trail]
    qtbot.keyClick(case.trail, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)  # Alt+Left
    assert workspace.currentWidget() is page and page.table.hasFocus()
    open_case(qtbot, workspace, cases.adult)
    qtbot.keyClick(case.outcome, Qt.Key.Key_Escape)
    assert workspace.currentWidget() is page
