"""`screening interview run --form ID[@VERSION]`: shipped forms by id, and forms installed from
the organisation in the vault (real keys, real signed documents, a real vault)."""

from __future__ import annotations

import json
from pathlib import Path

from screening.sync.offered import form_catalogue
from screening.vault import Vault
from tests.screening.cli.clirun import screening
from tests.screening.orgforms import install, laptop_vault, org_form, org_keys

USER, PASSPHRASE = "Amira Haddad", "violet kettle marathon orbit"


def _laptop(tmp_path: Path) -> Path:
    folder = tmp_path / "vault"
    org = org_keys()
    vault = laptop_vault(folder, USER, PASSPHRASE, org)
    for cursor, version in enumerate(("1.0", "1.1"), start=1):
        assert install(vault, org, org_form(version=version), cursor).imported == 1
    vault.lock()
    return folder


def _answers(tmp_path: Path, *steps: list) -> Path:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"answers": list(steps)}), encoding="utf-8")
    return path


def test_run_starts_an_installed_form_by_id_and_version(tmp_path: Path) -> None:
    folder = _laptop(tmp_path)
    answers = _answers(tmp_path, ["consent", "yes"], ["interpreting", "none"], ["age", 34])
    creds = ["--vault", str(folder), "--user", USER, "--passphrase-stdin"]
    base = ["interview", "run", "--answers", str(answers), *creds]

    newest = screening(*base, "--form", "harbour-rapid", stdin=PASSPHRASE + "\n")
    assert newest.code == 0, newest.err
    out = json.loads(newest.out)
    assert (out["form"], out["version"]) == ("harbour-rapid", "1.1")
    assert out["answers"]["age"] == 34

    older = screening(*base, "--form", "harbour-rapid@1.0", "--lang", "fr", stdin=PASSPHRASE + "\n")
    assert older.code == 0, older.err
    assert json.loads(older.out)["version"] == "1.0"

    vault = Vault.unlock(folder, USER, PASSPHRASE)
    try:
        catalogue = form_catalogue(vault)
        stored = vault.get_interview(out["interview_id"])
        assert (stored.form_id, stored.form_version) == ("harbour-rapid", "1.1")
        assert stored.form_hash == catalogue.compiled("harbour-rapid", "1.1").form_hash
        assert vault.answers(out["interview_id"])["age"] == (34, None)
        assert stored.status == "draft"
        second = vault.get_interview(json.loads(older.out)["interview_id"])
        assert (second.form_version, second.language) == ("1.0", "fr")
    finally:
        vault.lock()


def test_run_completes_an_installed_form_with_its_outcome(tmp_path: Path) -> None:
    folder = _laptop(tmp_path)
    answers = _answers(tmp_path, ["consent", "no"])
    run = screening(
        "interview", "run", "--form", "harbour-rapid@1.0", "--answers", str(answers),
        "--vault", str(folder), "--user", USER, "--passphrase-stdin", "--complete",
        stdin=PASSPHRASE + "\n",
    )  # fmt: skip
    assert run.code == 0, run.err
    out = json.loads(run.out)
    assert out["complete"] is True and "outcome" in out
    vault = Vault.unlock(folder, USER, PASSPHRASE)
    try:
        assert vault.get_interview(out["interview_id"]).status == "completed"
    finally:
        vault.lock()


def test_form_ids_that_are_not_here_fail_in_one_sentence(tmp_path: Path) -> None:
    folder = _laptop(tmp_path)
    answers = _answers(tmp_path, ["consent", "yes"])
    base = ["interview", "run", "--answers", str(answers)]

    # Without the vault only shipped forms exist: by id they need no file.
    shipped = screening(*base, "--form", "rapid-screening")
    assert shipped.code == 0, shipped.err
    assert json.loads(shipped.out)["form"] == "rapid-screening"
    alone = screening(*base, "--form", "harbour-rapid")
    assert alone.code == 1 and "Traceback" not in alone.err
    assert "no form harbour-rapid is shipped" in alone.err and "rapid-screening@2.0.0" in alone.err

    creds = ["--vault", str(folder), "--user", USER, "--passphrase-stdin"]
    missing = screening(*base, *creds, "--form", "harbour-rapid@9", stdin=PASSPHRASE + "\n")
    assert missing.code == 1 and "Traceback" not in missing.err
    assert "no form harbour-rapid@9 is shipped or installed in this vault" in missing.err
    assert "harbour-rapid@1.1" in missing.err
    # A name ending in .json is a file, as before.
    nofile = screening(*base, "--form", str(tmp_path / "gone.json"))
    assert nofile.code == 1 and "file not found" in nofile.err
