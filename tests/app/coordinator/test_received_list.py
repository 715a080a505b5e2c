"""The received list: finished interviews with outcome, override, form, date and centre;
filters and sorting done by the vault; Enter opens a case, Esc goes back."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from app.coordinator.model import COLUMNS
from app.coordinator.source import ReceivedQuery
from screening.vault import Vault
from tests.app.coordinator.conftest import (
    COORDINATOR,
    COORDINATOR_PASSPHRASE,
    Cases,
    open_received,
)


def count(cases: Cases, where: str = "1", *params: object) -> int:
    vault = Vault.unlock(cases.directory, COORDINATOR, COORDINATOR_PASSPHRASE)
    try:
        sql = (
            f"SELECT count(*) FROM interviews WHERE status IN ('completed', 'stopped') AND {where}"
        )
        return int(vault.connection().execute(sql, params).fetchone()[0])
    finally:
        vault.lock()


def cells(workspace, interview_id: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    model = workspace.model
    for row in range(model.rowCount()):
        if model.interview_id(row) == interview_id:
            return {key: model.index(row, c).data() for c, key in enumerate(COLUMNS)}
    raise AssertionError(f"{interview_id} is not listed")


def settle(qtbot, workspace) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: not workspace.model.busy)


def test_list_shows_finished_interviews_with_their_outcome(
    qtbot, coordinator_window, cases: Cases
) -> None:
    workspace = open_received(qtbot, coordinator_window)
    model = workspace.model
    finished = count(cases)
    assert 3 < finished < cases.seeded + 3  # seeded drafts are not "received"
    assert model.rowCount() == finished
    assert workspace.list_page.count.text() == f"Received interviews: {finished}"
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(len(COLUMNS))] == [
        "ID",
        "Date",
        "Centre",
        "Form",
        "Status",
        "Outcome",
        "Screener's override",
        "Screener",
    ]
    overridden = cells(workspace, cases.overridden)
    assert overridden["id"] == cases.overridden[:8]
    assert overridden["centre"] == "Ulcinj day centre"
    assert overridden["form"].startswith("rapid-screening ")
    assert overridden["status"] == "Completed"
    assert overridden["outcome"] == "Likely trafficked"
    assert overridden["override"] == "Possible trafficking"
    assert overridden["date"].startswith("2024-03-0")  # local time of 2024-03-07 10:00 UTC
    assert cells(workspace, cases.rapid)["override"] == "—"
    adult = cells(workspace, cases.adult)
    assert (
        adult["form"].startswith("screening-adult ") and adult["centre"] == "Kotor harbour office"
    )
    # Newest first by default.
    dates = [model.index(r, COLUMNS.index("date")).data() for r in range(model.rowCount())]
    assert dates == sorted(dates, reverse=True)


def test_filters_are_answered_by_the_vault(qtbot, coordinator_window, cases: Cases) -> None:
    workspace = open_received(qtbot, coordinator_window)
    page, model = workspace.list_page, workspace.model
    qtbot.waitUntil(lambda: page.centre.count() > 3 and page.form.count() == 4)

    def pick(combo, data) -> None:  # type: ignore[no-untyped-def]
        combo.setCurrentIndex(combo.findData(data))
        settle(qtbot, workspace)

    pick(page.centre, "Ulcinj day centre")
    assert model.rowCount() == 1 and model.interview_id(0) == cases.overridden
    pick(page.centre, None)
    pick(page.override, "yes")
    assert model.rowCount() == 1 and model.interview_id(0) == cases.overridden
    pick(page.override, "no")
    assert model.rowCount() == count(cases) - 1
    pick(page.override, None)

    # The recommendation that stands: the override counts where there is one.
    pick(page.outcome, "possible_trafficking")
    standing = "coalesce(override_recommendation, json_extract(outcome, '$.result')) = ?"
    assert model.rowCount() == count(cases, standing, "possible_trafficking")
    ids = {model.interview_id(r) for r in range(model.rowCount())}
    assert cases.overridden in ids and cases.rapid not in ids
    pick(page.outcome, "likely_trafficked")
    ids = {model.interview_id(r) for r in range(model.rowCount())}
    assert cases.rapid in ids and cases.overridden not in ids
    pick(page.outcome, None)

    pick(page.form, "screening-adult")
    assert model.rowCount() == count(cases, "form_id = ?", "screening-adult")
    assert cases.adult in {model.interview_id(r) for r in range(model.rowCount())}
    pick(page.form, None)

    pick(page.status, "stopped")
    assert model.rowCount() == count(cases, "status = 'stopped'")
    pick(page.status, None)

    qtbot.keyClicks(page.search, "Tivat")
    qtbot.waitUntil(lambda: not model.busy and model.rowCount() == 1, timeout=3000)
    assert model.interview_id(0) == cases.rapid
    page.search.clear()
    qtbot.waitUntil(lambda: not model.busy and model.rowCount() == count(cases), timeout=3000)

    page.date_from.setDate(date(2024, 3, 6))
    page.date_to.setDate(date(2024, 3, 7))
    page.dates.setChecked(True)
    settle(qtbot, workspace)
    in_range = {model.interview_id(r) for r in range(model.rowCount())}
    assert {cases.adult, cases.overridden} <= in_range and cases.rapid not in in_range

    page.date_to.setDate(date(2024, 3, 5))
    settle(qtbot, workspace)
    assert model.rowCount() == 0
    assert page.empty.isVisible() and "match" in page.empty.text()


def test_sorting_by_centre_and_the_id_column(qtbot, coordinator_window, cases: Cases) -> None:
    workspace = open_received(qtbot, coordinator_window)
    model = workspace.model
    centre = COLUMNS.index("centre")
    model.sort(centre, Qt.SortOrder.AscendingOrder)
    settle(qtbot, workspace)
    names = [model.index(r, centre).data() for r in range(model.rowCount())]
    assert names == sorted(names)
    before = model.query
    model.sort(COLUMNS.index("id"), Qt.SortOrder.AscendingOrder)  # no meaningful order
    assert model.query == before and not model.busy
    assert model.query == ReceivedQuery(order_by="centre", descending=False)


def test_enter_opens_a_case_and_escape_goes_back(qtbot, coordinator_window, cases: Cases) -> None:
    window = coordinator_window
    workspace = open_received(qtbot, window)
    table = workspace.list_page.table
    assert table.hasFocus()
    qtbot.keyClick(table, Qt.Key.Key_Down)
    row = table.currentIndex().row()
    expected = workspace.model.interview_id(row)
    with qtbot.waitSignal(workspace.case_opened, timeout=10_000) as opened:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert opened.args == [expected]
    assert workspace.currentWidget() is workspace.case_page
    assert workspace.case_page.answers.hasFocus()
    qtbot.keyClick(workspace.case_page.answers, Qt.Key.Key_Escape)
    assert workspace.currentWidget() is workspace.list_page
    assert workspace.case_page.data is None and workspace.case_page.answers_text() == ""
    assert table.hasFocus() and table.currentIndex().row() == row
    # Double-click opens too.
    rect = table.visualRect(workspace.model.index(2, 1))
    with qtbot.waitSignal(workspace.case_opened, timeout=10_000) as opened:
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [workspace.model.interview_id(2)]
    qtbot.mouseClick(workspace.case_page.back, Qt.MouseButton.LeftButton)
    assert workspace.currentWidget() is workspace.list_page
    # Esc on the list: back to the window's own case list.
    qtbot.keyClick(table, Qt.Key.Key_Escape)
    assert window.work.currentWidget() is window.case_list
    assert not window.coordinator.action.isChecked()
