"""Sync client fixtures: the hub suite's TLS certificate and database backends (SQLite and a
throwaway PostgreSQL, never skipped), a restartable hub, a coordinator and laptops."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from screening.vault import Vault
from tests.hub.conftest import database_url, postgres, tls  # noqa: F401 (fixtures)
from tests.screening.sync.rig import HubRig, coordinator_vault, org_of


class Org:
    """A running hub, the coordinator's vault (organisation keys inside) and its org file."""

    def __init__(self, rig: HubRig, coord: Vault, org_file: Path) -> None:
        self.rig = rig
        self.coord = coord
        self.org_file = org_file
        self.keys = org_of(coord)


@pytest.fixture
def org(tmp_path: Path, tls, database_url: str | None) -> Iterator[Org]:  # noqa: F811
    rig = HubRig(tmp_path / "hub", tls, database_url)
    coord = coordinator_vault(tmp_path / "coordinator", rig.url, rig.ca_pem)
    org_file = tmp_path / "org.json"
    org_file.write_bytes(org_of(coord).public.to_json_bytes())
    rig.init(org_file)
    rig.start()
    try:
        yield Org(rig, coord, org_file)
    finally:
        coord.lock()
        rig.stop()
