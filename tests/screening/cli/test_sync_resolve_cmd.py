"""`screening sync resolve ENVELOPE_ID --keep local|incoming` in a child process, on a conflict
made through the real path (laptop → real hub → coordinator's vault)."""

from __future__ import annotations

import json
from pathlib import Path

from screening.sync import conflicts
from screening.vault import Vault
from tests.hub.conftest import tls  # noqa: F401 (fixture)
from tests.screening.cli.clirun import Run, screening
from tests.screening.cli.test_sync_cmd import one_sentence
from tests.screening.sync.conftest import Org
from tests.screening.sync.rig import COORD, COORD_PASS
from tests.screening.sync.test_conflicts import _conflict, org  # noqa: F401 (fixture)


def _coordinator(folder: Path, *args: str) -> Run:
    return screening(
        *args, "--vault", str(folder), "--user", COORD, "--passphrase-stdin",
        stdin=COORD_PASS + "\n",
    )  # fmt: skip


def test_resolve_from_the_command_line(org: Org, tmp_path: Path) -> None:  # noqa: F811
    lap, iid, envelope_id = _conflict(org, tmp_path)
    lap.lock()
    folder = org.coord.directory
    org.coord.lock()

    listed = _coordinator(folder, "sync", "--held")
    assert listed.code == 0 and envelope_id in listed.out
    assert "screening sync resolve ENVELOPE_ID --keep local|incoming" in listed.out

    # Bad input: one sentence each, exit 1, nothing resolved.
    one_sentence(_coordinator(folder, "sync", "resolve"), 1, "Name the held envelope")
    one_sentence(_coordinator(folder, "sync", "resolve", envelope_id), 1, "--keep local")
    one_sentence(
        _coordinator(folder, "sync", "resolve", envelope_id, "--keep", "mine"), 1, "--keep local"
    )
    one_sentence(_coordinator(folder, "sync", "settle", envelope_id), 1, "Unknown sync action")
    one_sentence(
        _coordinator(folder, "sync", "resolve", "no-such-id", "--keep", "local"),
        1,
        "No envelope no-such-id is held here",
    )

    done = _coordinator(folder, "sync", "resolve", envelope_id, "--keep", "incoming", "--json")
    assert done.code == 0, done.err
    assert json.loads(done.out)["interview_id"] == iid
    assert json.loads(done.out)["kept"] == "incoming"
    again = _coordinator(folder, "sync", "resolve", envelope_id, "--keep", "local")
    one_sentence(again, 1, "was resolved already (incoming copy kept")

    coord = Vault.unlock(folder, COORD, COORD_PASS)
    try:
        assert coord.answers(iid)["age"] == (40, None)
        assert conflicts.held_conflicts(coord) == []
        [row] = [e for e in coord.audit_entries() if e.action == "conflict_resolved"]
        assert row.actor == COORD and row.object_id == iid and envelope_id in (row.detail or "")
    finally:
        coord.lock()
