"""Held envelopes asked for again (screening/sync/importer.py, `Importer.refetch`): a run of
neighbouring held envelopes costs one request, and what the hub serves now at each cursor,
damaged or repaired, is what gets checked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hub import ops
from screening.envelope import envelope_hash
from screening.sync import importer
from screening.sync.client import sync
from tests.screening.sync.conftest import Org
from tests.screening.sync.rig import QUICK, completed_interview, enrolled_laptop


def _set_body(org: Org, envelope_id: str, body: bytes) -> None:
    org.rig.write(
        lambda tx: tx._x(
            "UPDATE envelopes SET body = ?, hash = ? WHERE envelope_id = ?",
            (body, envelope_hash(body), envelope_id),
        )
    )


def _damaged(body: bytes) -> bytes:
    flipped = bytearray(body)
    flipped[-100] ^= 0x01
    return bytes(flipped)


@pytest.fixture
def refetches(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The queries of every request the importer makes while asking for held envelopes."""
    queries: list[dict[str, Any]] = []
    original = importer.Importer.refetch

    def counted(self: importer.Importer, asked: dict[str, int]) -> dict[str, importer.Item]:
        real = self.session.call

        def call(*args: Any, **kwargs: Any) -> Any:
            queries.append(kwargs.get("query") or {})
            return real(*args, **kwargs)

        self.session.call = call  # type: ignore[method-assign]
        try:
            return original(self, asked)
        finally:
            del self.session.call

    monkeypatch.setattr(importer.Importer, "refetch", counted)
    return queries


def test_a_run_of_held_envelopes_is_asked_for_in_one_request_and_checked_as_served(
    org: Org, tmp_path: Path, refetches: list[dict[str, Any]]
) -> None:
    lap = enrolled_laptop(tmp_path / "laptop", org.coord)
    for n in range(6):
        completed_interview(lap, n)
    assert sync(lap, policy=QUICK).acknowledged == 6
    rows = org.rig.envelopes()
    # The hub serves the first envelope damaged: it fails its signature, the five after it
    # wait for it (a gap in the chain).
    _set_body(org, rows[0].envelope_id, _damaged(rows[0].body))
    first = sync(org.coord, policy=QUICK)
    assert (first.imported, first.rejected) == (0, 6)
    assert refetches == []  # nothing was held before this run

    again = sync(org.coord, policy=QUICK)
    assert (again.imported, again.rejected) == (0, 6)
    # Six held envelopes side by side: one request, not six.
    assert refetches == [{"after": rows[0].cursor - 1, "limit": 6}]

    # Now the first is served intact again and the fourth damaged: the importer checks the
    # bytes served now at every cursor, not the copies it kept.
    refetches.clear()
    _set_body(org, rows[0].envelope_id, rows[0].body)
    _set_body(org, rows[3].envelope_id, _damaged(rows[3].body))
    third = sync(org.coord, policy=QUICK)
    assert (third.imported, third.rejected) == (3, 3)
    held = importer.rejected_envelopes(org.coord)
    assert [(h["seq"], h["code"]) for h in held] == [
        (4, "bad_envelope_signature"),
        (5, "sequence_gap"),
        (6, "sequence_gap"),
    ]
    assert len(refetches) == 1

    _set_body(org, rows[3].envelope_id, rows[3].body)
    last = sync(org.coord, policy=QUICK)
    assert (last.imported, last.rejected) == (3, 0)
    assert importer.rejected_envelopes(org.coord) == []
    assert all(r.acked_at is not None for r in org.rig.envelopes())
    lap.lock()


def test_a_run_cut_short_by_the_page_size_is_asked_for_to_its_end(
    org: Org, tmp_path: Path, refetches: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    lap = enrolled_laptop(tmp_path / "laptop", org.coord)
    for n in range(4):
        completed_interview(lap, n)
    assert sync(lap, policy=QUICK).acknowledged == 4
    rows = org.rig.envelopes()
    _set_body(org, rows[0].envelope_id, _damaged(rows[0].body))
    assert sync(org.coord, policy=QUICK).rejected == 4
    _set_body(org, rows[0].envelope_id, rows[0].body)
    # The hub now answers one envelope per page (its byte limit): the run takes four
    # requests, each carrying on from where the last page stopped, and none is missed.
    monkeypatch.setattr(ops, "MAX_PAGE_BYTES", 1)
    fixed = sync(org.coord, policy=QUICK)
    assert (fixed.imported, fixed.rejected) == (4, 0)
    start = rows[0].cursor - 1
    assert refetches == [
        {"after": start, "limit": 4},
        {"after": start + 1, "limit": 3},
        {"after": start + 2, "limit": 2},
        {"after": start + 3, "limit": 1},
    ]
    lap.lock()


def test_far_apart_held_envelopes_are_asked_for_one_by_one(
    org: Org, tmp_path: Path, refetches: list[dict[str, Any]]
) -> None:
    first_lap = enrolled_laptop(tmp_path / "one", org.coord)
    second_lap = enrolled_laptop(tmp_path / "two", org.coord)
    completed_interview(first_lap, 0)
    assert sync(first_lap, policy=QUICK).acknowledged == 1
    for n in range(importer.REFETCH_GAP + 1):
        completed_interview(second_lap, n)
    assert sync(second_lap, policy=QUICK).acknowledged == importer.REFETCH_GAP + 1
    completed_interview(first_lap, 1)
    assert sync(first_lap, policy=QUICK).acknowledged == 1
    rows = org.rig.envelopes()
    held = [rows[0], rows[-1]]  # the first laptop's two, with the second's in between
    _set_body(org, held[0].envelope_id, _damaged(held[0].body))
    assert sync(org.coord, policy=QUICK).rejected == 2
    _set_body(org, held[0].envelope_id, held[0].body)
    fixed = sync(org.coord, policy=QUICK)
    assert (fixed.imported, fixed.rejected) == (2, 0)
    # Not one page over the other laptop's envelopes between them: one request each.
    assert refetches == [
        {"after": held[0].cursor - 1, "limit": 1},
        {"after": held[1].cursor - 1, "limit": 1},
    ]
    first_lap.lock()
    second_lap.lock()
