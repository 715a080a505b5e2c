"""The laptop pushes its outbox in batches (real hub, TLS, SQLite and PostgreSQL): several
batches per sync, in order, and a batch the hub stops in the middle is resumed from the hub's
chain head."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest

from screening.sync import laptop
from screening.sync.client import sync
from screening.vault import Vault
from tests.screening.sync.conftest import Org
from tests.screening.sync.rig import QUICK, completed_interview, enrolled_laptop

BATCH = 3
INTERVIEWS = 8


def _outbox(vault: Vault) -> list[tuple[int, bytes, str | None]]:
    rows = vault.connection().execute("SELECT seq, data, acked_at FROM sync_outbox ORDER BY seq")
    return [(int(s), bytes(d), a) for s, d, a in rows]


def _check_everything_arrived(org: Org, lap: Vault, ids: list[str]) -> None:
    stored = org.rig.envelopes()
    outbox = _outbox(lap)
    assert len(outbox) == INTERVIEWS
    assert [row.seq for row in stored] == list(range(1, INTERVIEWS + 1))
    assert len({row.device_id for row in stored}) == 1
    assert [row.body for row in stored] == [data for _, data, _ in outbox]
    cursors = [row.cursor for row in stored]
    assert all(a < b for a, b in itertools.pairwise(cursors))
    assert all(acked is not None for _, _, acked in outbox)
    assert all(lap.get_interview(i).delivered for i in ids)
    # Nothing left to do.
    again = sync(lap, policy=QUICK)
    assert (again.sealed, again.pushed) == (0, 0)
    assert len(org.rig.envelopes()) == INTERVIEWS


def test_a_laptop_pushes_its_outbox_in_batches(
    org: Org, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(laptop, "PUSH_BATCH", BATCH)
    lap = enrolled_laptop(tmp_path / "laptop", org.coord)
    ids = [completed_interview(lap, n) for n in range(INTERVIEWS)]
    sizes: list[int] = []
    send = laptop._push_batch

    def counted(*args: Any, **kwargs: Any) -> Any:
        sizes.append(len(args[3]))
        return send(*args, **kwargs)

    monkeypatch.setattr(laptop, "_push_batch", counted)

    report = sync(lap, policy=QUICK)

    assert sizes == [3, 3, 2]
    assert (report.sealed, report.pushed, report.acknowledged) == (INTERVIEWS,) * 3
    assert report.problems == []
    _check_everything_arrived(org, lap, ids)
    lap.lock()


def test_a_batch_refused_in_the_middle_with_a_sequence_gap_is_resumed(
    org: Org, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first batch loses its second envelope on the way (simulated by leaving it out of the
    framing): the hub stores the first, refuses the third at index 1 as a sequence gap, and
    the client asks the hub for its chain head and pushes again from there."""
    monkeypatch.setattr(laptop, "PUSH_BATCH", BATCH)
    lap = enrolled_laptop(tmp_path / "laptop", org.coord)
    ids = [completed_interview(lap, n) for n in range(INTERVIEWS)]
    encode = laptop.encode_batch
    push = laptop._push_batch
    framed: list[int] = []
    answers: list[tuple[int, str | None]] = []

    def lossy(envelopes: list[bytes]) -> bytes:
        framed.append(len(envelopes))
        if len(framed) == 1:
            envelopes = [envelopes[0], *envelopes[2:]]
        return encode(envelopes)

    def watched(*args: Any, **kwargs: Any) -> Any:
        cursors, refusal = push(*args, **kwargs)
        answers.append((len(cursors), refusal and refusal.code))
        return cursors, refusal

    monkeypatch.setattr(laptop, "encode_batch", lossy)
    monkeypatch.setattr(laptop, "_push_batch", watched)

    report = sync(lap, policy=QUICK)

    # The hub stored one of the first batch and refused the next, then took the rest.
    assert answers[0] == (1, "sequence_gap")
    assert answers[1:] == [(3, None), (3, None), (1, None)]
    assert framed == [3, 3, 3, 1]
    assert report.acknowledged == INTERVIEWS and report.problems == []
    _check_everything_arrived(org, lap, ids)
    lap.lock()
