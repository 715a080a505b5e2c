"""The coordinator fetches the next page while it imports the current one
(screening/sync/importer.py, `Importer._run`): pages are still imported in hub order, one
transaction each, and a run that stops part way loses and repeats nothing."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from screening.sync import importer, state
from screening.sync.client import sync
from screening.vault import VaultError
from tests.screening.sync.conftest import Org
from tests.screening.sync.rig import QUICK, completed_interview, enrolled_laptop


def _imported(org: Org) -> list[str]:
    rows = org.coord.connection().execute(
        "SELECT envelope_id FROM sync_imports ORDER BY hub_cursor"
    )
    return [str(r[0]) for r in rows]


def test_the_next_page_is_asked_for_while_this_one_is_imported(
    org: Org, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lap = enrolled_laptop(tmp_path / "laptop", org.coord)
    for n in range(5):
        completed_interview(lap, n)
    assert sync(lap, policy=QUICK).acknowledged == 5
    monkeypatch.setattr(importer, "PAGE", 2)
    asked: list[int] = []
    second_asked = threading.Event()
    overlapped: list[bool] = []
    pull_page, import_items = importer.Importer.pull_page, importer.Importer.import_items

    def pulling(self: importer.Importer, after: int) -> Any:
        asked.append(after)
        if len(asked) == 2:
            second_asked.set()
        return pull_page(self, after)

    def importing(self: importer.Importer, items: list[importer.Item], *, cursor: int) -> None:
        if not overlapped:
            # The first page's import waits here until the second page has been asked for:
            # had the fetch not run beside the import, this would time out.
            overlapped.append(second_asked.wait(10))
        import_items(self, items, cursor=cursor)

    monkeypatch.setattr(importer.Importer, "pull_page", pulling)
    monkeypatch.setattr(importer.Importer, "import_items", importing)
    report = sync(org.coord, policy=QUICK)
    assert overlapped == [True]
    assert (report.pulled, report.imported, report.acknowledged) == (5, 5, 5)
    cursors = [r.cursor for r in org.rig.envelopes()]
    assert asked == [0, cursors[1], cursors[3]]
    assert _imported(org) == [r.envelope_id for r in org.rig.envelopes()]
    lap.lock()


def test_a_run_that_stops_on_a_page_keeps_the_pages_before_and_the_next_run_finishes(
    org: Org, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lap = enrolled_laptop(tmp_path / "laptop", org.coord)
    for n in range(6):
        completed_interview(lap, n)
    assert sync(lap, policy=QUICK).acknowledged == 6
    monkeypatch.setattr(importer, "PAGE", 2)
    import_items = importer.Importer.import_items
    calls: list[int] = []

    def failing(self: importer.Importer, items: list[importer.Item], *, cursor: int) -> None:
        calls.append(cursor)
        if len(calls) == 2:
            raise VaultError("The vault could not be written.")
        import_items(self, items, cursor=cursor)

    monkeypatch.setattr(importer.Importer, "import_items", failing)
    with pytest.raises(VaultError):
        sync(org.coord, policy=QUICK)
    rows = org.rig.envelopes()
    # The first page is in and acknowledged; the second is not, nor the third, although it
    # may already have been fetched.
    assert _imported(org) == [r.envelope_id for r in rows[:2]]
    assert state.get_cursor(org.coord, state.META_ENVELOPE_CURSOR) == rows[1].cursor
    assert [r.acked_at is not None for r in rows] == [True] * 2 + [False] * 4

    monkeypatch.setattr(importer.Importer, "import_items", import_items)
    report = sync(org.coord, policy=QUICK)
    assert (report.pulled, report.imported, report.duplicates, report.acknowledged) == (4, 4, 0, 4)
    assert _imported(org) == [r.envelope_id for r in org.rig.envelopes()]
    assert all(r.acked_at is not None for r in org.rig.envelopes())
    lap.lock()
