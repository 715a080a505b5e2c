"""The device key rotation as an operator meets it on the command line (issue #13, item 1):
`vault remove-user` registers the laptop's new key at once, a removed user's copy of the
vault is stopped with one sentence, and the coordinator's `sync` prints an alert."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.hub.conftest import database_url, postgres, tls  # noqa: F401 (fixtures)
from tests.screening.cli.clirun import screening
from tests.screening.sync.conftest import Org, org  # noqa: F401 (fixtures)
from tests.screening.sync.rig import (
    ADMIN,
    ADMIN_PASS,
    COORD,
    COORD_PASS,
    FAST,
    SCREENER,
    SCREENER_PASS,
    completed_interview,
    enrolled_laptop,
)


def test_remove_user_rotates_and_the_coordinator_is_alerted(
    org: Org,  # noqa: F811
    tmp_path: Path,
) -> None:
    folder = tmp_path / "laptop"
    admin = enrolled_laptop(folder, org.coord, with_screener=False)
    admin.add_user(SCREENER, SCREENER_PASS, role="screener", kdf=FAST)
    admin.lock()
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)

    removed = screening(
        "vault", "remove-user", "--vault", str(folder), "--as", ADMIN, "--user", SCREENER,
        "--passphrase-stdin", stdin=ADMIN_PASS + "\n",
    )  # fmt: skip
    assert removed.code == 0, removed.err
    assert "new device key is registered with the hub; its old key is refused" in removed.out

    from screening.vault import Vault

    stolen = Vault.unlock(copy, SCREENER, SCREENER_PASS)
    completed_interview(stolen, 1, marker=" forged")
    stolen.lock()
    refused = screening(
        "sync", "--vault", str(copy), "--user", SCREENER, "--passphrase-stdin",
        stdin=SCREENER_PASS + "\n",
    )  # fmt: skip
    assert refused.code == 2 and "Traceback" not in refused.err
    (line,) = refused.err.splitlines()
    assert line.startswith("screening: ") and "replaced by someone else" in line

    org.coord.lock()
    coordinator = ["--vault", str(tmp_path / "coordinator"), "--user", COORD, "--passphrase-stdin"]
    alerted = screening("sync", "--json", *coordinator, stdin=COORD_PASS + "\n")
    assert alerted.code == 1, alerted.err
    (alert,) = json.loads(alerted.out)["alerts"]
    assert "replaced key was used 1 time(s)" in alert
    human = screening("sync", *coordinator, stdin=COORD_PASS + "\n")
    assert human.code == 1
    assert any(line.startswith("ALERT: Device ") for line in human.err.splitlines())
    listed = screening("device", "list", *coordinator, stdin=COORD_PASS + "\n")
    assert listed.code == 0 and "key replaced 1 time(s)" in listed.out
    assert "ALERT: Device" in listed.out
