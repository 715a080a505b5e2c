"""`screening org|hub|device|forms publish|sync` in child processes against a real hub
(uvicorn, TLS, 127.0.0.1) on SQLite and on PostgreSQL, as an operator would run them."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from screening.canonical import canonical_json
from screening.forms.catalog import shipped_form_text
from screening.org import KEM_X25519, OrgKeys, form_hash, sign_form
from tests.hub.conftest import database_url, postgres, tls  # noqa: F401 (fixtures)
from tests.screening.cli.clirun import Run, screening
from tests.screening.sync.rig import HubRig

COORD, COORD_PASS = "Leila Okafor", "glacier velvet pumpkin ferry"
ADMIN, ADMIN_PASS = "Amira Haddad", "violet kettle marathon orbit"
SCREENER, SCREENER_PASS = "Tomas Ferreira", "copper lantern drizzle wombat"


def one_sentence(run: Run, code: int, expected: str) -> None:
    assert run.code == code, (run.out, run.err)
    assert "Traceback" not in run.err
    lines = run.err.splitlines()
    assert len(lines) == 1, run.err
    assert lines[0].startswith("screening: ") and lines[0].endswith("."), lines[0]
    assert expected in lines[0], lines[0]


def new_vault(folder: Path, user: str, passphrase: str) -> None:
    run = screening(
        "vault", "init", "--vault", str(folder), "--user", user, "--passphrase-stdin",
        stdin=passphrase + "\n",
    )  # fmt: skip
    assert run.code == 0, run.err


def as_user(folder: Path, user: str, passphrase: str, *args: str) -> Run:
    return screening(
        *args, "--vault", str(folder), "--user", user, "--passphrase-stdin",
        stdin=passphrase + "\n",
    )  # fmt: skip


class Setup:
    def __init__(self, tmp: Path, rig: HubRig) -> None:
        self.tmp = tmp
        self.rig = rig
        self.coord = tmp / "coordinator"
        self.laptop = tmp / "laptop"
        self.org_file = tmp / "org.json"

    def coordinator(self, *args: str) -> Run:
        return as_user(self.coord, COORD, COORD_PASS, *args)

    def admin(self, *args: str) -> Run:
        return as_user(self.laptop, ADMIN, ADMIN_PASS, *args)

    def screener(self, *args: str) -> Run:
        return as_user(self.laptop, SCREENER, SCREENER_PASS, *args)


@pytest.fixture
def setup(tmp_path: Path, tls: Any, database_url: str | None) -> Iterator[Setup]:  # noqa: F811
    rig = HubRig(tmp_path / "hub", tls, database_url)
    made = Setup(tmp_path, rig)
    ca = tmp_path / "ca.pem"
    ca.write_text(rig.ca_pem)
    new_vault(made.coord, COORD, COORD_PASS)
    run = made.coordinator(
        "org", "init", "--name", "Test Org", "--hub-url", rig.url, "--hub-ca", str(ca),
        "--out", str(made.org_file),
    )  # fmt: skip
    assert run.code == 0, run.err
    assert "Fingerprint: " in run.out and made.org_file.exists()
    rig.init(made.org_file)
    rig.start()
    try:
        yield made
    finally:
        rig.stop()


def _json(run: Run) -> dict[str, Any]:
    assert run.code == 0, (run.out, run.err)
    return json.loads(run.out)  # type: ignore[no-any-return]


def test_a_pilot_from_org_init_to_imported_interviews(setup: Setup) -> None:
    code_run = setup.coordinator("hub", "enrol-code")
    assert code_run.code == 0, code_run.err
    code = code_run.out.strip()
    assert len(code) == 23 and "valid until" in code_run.err

    new_vault(setup.laptop, ADMIN, ADMIN_PASS)
    enrolled = setup.admin("device", "enrol", "--org", str(setup.org_file), "--code", code)
    assert enrolled.code == 0, enrolled.err
    assert "Enrolled this laptop as device" in enrolled.out
    add = screening(
        "vault", "add-user", "--vault", str(setup.laptop), "--as", ADMIN, "--user", SCREENER,
        "--role", "screener", "--passphrase-stdin",
        stdin=f"{ADMIN_PASS}\n{SCREENER_PASS}\n",
    )  # fmt: skip
    assert add.code == 0, add.err
    seeded = setup.screener("demo", "seed", "--count", "8", "--seed", "5")
    assert seeded.code == 0, seeded.err

    pushed = _json(setup.screener("sync", "--json"))
    assert pushed["mode"] == "device" and pushed["sealed"] > 0
    assert pushed["pushed"] == pushed["acknowledged"] == pushed["sealed"]
    assert (pushed["pulled"], pushed["imported"], pushed["rejected"]) == (0, 0, 0)
    imported = _json(setup.coordinator("sync", "--json"))
    assert imported["mode"] == "coordinator"
    assert imported["imported"] == imported["acknowledged"] == pushed["sealed"]
    human = setup.coordinator("sync")
    assert human.code == 0 and "imported 0 interviews;" in human.out
    nothing = setup.coordinator("sync", "--held")
    assert nothing.code == 0 and nothing.out.startswith("Nothing is held back")

    # Bytes the device never sealed, slipped into the hub's database: held, listed, and
    # listed without anything of their contents.
    rows = setup.rig.envelopes()
    junk = b"SDENV\x02" + b"not an envelope"
    setup.rig.write(
        lambda tx: tx.add_envelope(
            "4d5e6f70-0000-4000-8000-000000000001", rows[-1].device_id, rows[-1].seq + 1,
            hashlib.sha256(junk).hexdigest(), junk, 1_700_000_000,
        )
    )  # fmt: skip
    stopped = setup.coordinator("sync")
    assert stopped.code == 1 and "1 item(s) were refused" in stopped.err
    held = json.loads(setup.coordinator("sync", "--held", "--json").out)
    assert [(h["envelope_id"], h["seq"], h["attempts"]) for h in held] == [
        ("4d5e6f70-0000-4000-8000-000000000001", rows[-1].seq + 1, 1)
    ]
    text = setup.coordinator("sync", "--held")
    assert text.code == 0 and held[0]["code"] in text.out and "not an envelope" not in text.out
    one_sentence(setup.screener("sync", "--held"), 1, "Only the organisation's coordinator")

    listed = json.loads(setup.coordinator("interview", "list", "--json").out)
    assert len(listed) == pushed["sealed"]

    # A form published by the coordinator reaches the laptop.
    form = json.loads(shipped_form_text("rapid-screening.json"))
    form["version"] = "7.0"
    form_file = setup.tmp / "rapid-7.json"
    form_file.write_text(json.dumps(form, ensure_ascii=False), encoding="utf-8")
    published = setup.coordinator("forms", "publish", str(form_file))
    assert published.code == 0, published.err
    assert published.out.startswith("Published form rapid-screening version 7.0")
    again = setup.coordinator("forms", "publish", str(form_file))
    assert again.out.startswith("Already published:")
    forms = _json(setup.screener("sync", "--json"))
    assert (forms["pulled"], forms["imported"], forms["rejected"]) == (1, 1, 0)

    # A form the organisation did not sign (put there behind the hub's back) is refused.
    other = OrgKeys.generate("Not Us", setup.rig.url, setup.rig.ca_pem, kem=KEM_X25519)
    forged = {**form, "version": "8.0"}
    document = canonical_json(sign_form(other, forged)).decode()
    setup.rig.write(
        lambda tx: tx.add_form(forged["id"], "8.0", form_hash(forged), document, 1_700_000_000)
    )
    refused = setup.screener("sync")
    assert refused.code == 1, (refused.out, refused.err)
    assert "problem: The form rapid-screening 8.0 from the hub was refused" in refused.err
    assert refused.err.splitlines()[-1].startswith("screening: 1 item(s) were refused")

    # Devices, and revoking a lost laptop.
    devices = json.loads(setup.coordinator("device", "list", "--json").out)
    assert [d["trusted"] for d in devices] == [True]
    device_id = devices[0]["device_id"]
    revoked = setup.coordinator("device", "revoke", device_id)
    assert revoked.code == 0 and f"Revoked device {device_id}" in revoked.out
    one_sentence(setup.screener("sync"), 3, "revoked this laptop")


# Mostly local refusals: one hub backend is enough (the pilot above runs on both).
@pytest.mark.parametrize("database_url", [None], ids=["sqlite"])
def test_refusals_are_one_sentence(setup: Setup) -> None:
    # A laptop that is not enrolled, a coordinator operation by a screener, a bad code,
    # a tampered organisation file, a hub that is down.
    new_vault(setup.laptop, ADMIN, ADMIN_PASS)
    one_sentence(setup.admin("sync"), 2, "not set up for sync")
    one_sentence(
        setup.admin("device", "enrol", "--org", str(setup.org_file), "--code", "nope"),
        2,
        "enrolment code is not valid",
    )
    tampered = setup.tmp / "tampered.json"
    doc = json.loads(setup.org_file.read_text())
    doc["name"] = "Someone Else"
    tampered.write_text(json.dumps(doc))
    one_sentence(
        setup.admin("device", "enrol", "--org", str(tampered), "--code", "0" * 20),
        2,
        "signature does not verify",
    )
    add = screening(
        "vault", "add-user", "--vault", str(setup.coord), "--as", COORD, "--user", SCREENER,
        "--role", "screener", "--passphrase-stdin",
        stdin=f"{COORD_PASS}\n{SCREENER_PASS}\n",
    )  # fmt: skip
    assert add.code == 0, add.err
    as_screener = as_user(setup.coord, SCREENER, SCREENER_PASS, "hub", "enrol-code")
    one_sentence(as_screener, 2, "Only coordinator or admin users")
    one_sentence(
        as_user(setup.coord, SCREENER, SCREENER_PASS, "sync"), 2, "Only coordinator or admin"
    )
    again = ["org", "init", "--name", "Again", "--hub-url", setup.rig.url, "--out"]
    one_sentence(
        setup.coordinator(*again, str(setup.tmp / "again.json")),
        2,
        "already belongs to an organisation",
    )
    one_sentence(setup.coordinator(*again, str(setup.org_file)), 1, "already exists")
    export = setup.coordinator("org", "export", "--out", str(setup.tmp / "copy.json"))
    assert export.code == 0, export.err
    assert (setup.tmp / "copy.json").read_bytes() == setup.org_file.read_bytes()

    setup.rig.stop()
    down = setup.coordinator("sync", "--json")
    one_sentence(down, 3, "could not be reached")
    assert "try again later" in down.err
    assert json.loads(down.out)["error"]["code"] == "hub_unreachable"
    one_sentence(setup.coordinator("hub", "enrol-code"), 3, "could not be reached")
    setup.rig.start()
    assert setup.coordinator("hub", "enrol-code").code == 0
