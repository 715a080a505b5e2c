"""Only coordinators and admins see received interviews; a screener never does."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton

from app.coordinator.workspace import CoordinatorWorkspace
from app.roles import can_review
from screening.vault import PermissionDenied, Vault
from tests.app.conftest import ADMIN, PASSPHRASE, unlock
from tests.app.coordinator.conftest import (
    COORDINATOR,
    COORDINATOR_PASSPHRASE,
    SCREENER,
    SCREENER_PASSPHRASE,
    Cases,
    open_received,
)


def toolbar_texts(window) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        b.text() for b in window.toolbar.findChildren(QToolButton) if b.isVisible() and b.text()
    ]


def test_screener_never_sees_the_coordinator_view(qtbot, make_window, cases: Cases) -> None:
    window = make_window(cases.directory)
    unlock(qtbot, window, SCREENER, SCREENER_PASSPHRASE)
    action = window.coordinator.action
    assert not action.isVisible() and not action.isEnabled()
    qtbot.waitUntil(lambda: "New interview" in toolbar_texts(window))
    assert "Received interviews" not in toolbar_texts(window)
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    window.coordinator.show()  # even asked directly, nothing is built
    qtbot.wait(50)
    assert window.coordinator.workspace is None
    assert window.findChildren(CoordinatorWorkspace) == []
    assert window.work.currentWidget() is window.case_list


def test_the_role_check_and_the_workspace_refuse_a_screener(qtbot, cases: Cases) -> None:
    vault = Vault.unlock(cases.directory, SCREENER, SCREENER_PASSPHRASE)
    try:
        assert not can_review(vault)
        with pytest.raises(PermissionDenied):
            CoordinatorWorkspace(vault, None, lambda: "en", None)  # type: ignore[arg-type]
    finally:
        vault.lock()


@pytest.mark.parametrize(
    ("user", "passphrase"), [(COORDINATOR, COORDINATOR_PASSPHRASE), (ADMIN, PASSPHRASE)]
)
def test_coordinators_and_admins_get_the_view(
    qtbot, make_window, cases: Cases, user: str, passphrase: str
) -> None:
    window = make_window(cases.directory)
    unlock(qtbot, window, user, passphrase)
    action = window.coordinator.action
    assert action.isVisible() and action.isEnabled() and not action.icon().isNull()
    assert action.toolTip() == "Received interviews (Ctrl+R)"
    qtbot.waitUntil(lambda: "Received interviews" in toolbar_texts(window))
    workspace = open_received(qtbot, window)
    assert window.work.currentWidget() is workspace and action.isChecked()
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)  # again: back
    assert window.work.currentWidget() is window.case_list and not action.isChecked()


def test_a_screener_after_a_coordinator_in_the_same_window(
    qtbot, make_window, cases: Cases
) -> None:
    window = make_window(cases.directory)
    unlock(qtbot, window, COORDINATOR, COORDINATOR_PASSPHRASE)
    workspace = open_received(qtbot, window)
    with qtbot.waitSignal(window.locked):
        window.lock()
    assert window.coordinator.workspace is None
    assert workspace.model.rowCount() == 0 and workspace.case_page.data is None
    assert not window.coordinator.action.isEnabled()
    qtbot.waitUntil(lambda: not window.findChildren(CoordinatorWorkspace))  # deleted
    unlock(qtbot, window, SCREENER, SCREENER_PASSPHRASE)
    assert not window.coordinator.action.isVisible()
    assert window.work.currentWidget() is window.case_list
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert window.findChildren(CoordinatorWorkspace) == []


def test_an_open_interview_closes_before_the_received_list(
    qtbot, make_window, cases: Cases
) -> None:
    window = make_window(cases.directory)
    unlock(qtbot, window, ADMIN, PASSPHRASE)
    draft = window.vault.list_interviews(status="draft")[0].id
    assert window.open_interview(draft) is not None
    workspace = open_received(qtbot, window)
    assert window.current_view() is None and window.work.currentWidget() is workspace
