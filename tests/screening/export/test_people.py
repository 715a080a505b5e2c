"""Exports count people: interviews of one person (continued or linked) export as one row."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from screening.export import Filters, export, fields
from screening.export.source import read
from screening.vault import PermissionDenied, Vault, VaultError
from tests.screening.export.conftest import (
    COORD,
    COORD_PASS,
    SCREENER,
    SCREENER_PASS,
    make_vault,
)


@pytest.fixture(scope="module")
def small_vault_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_vault(tmp_path_factory.mktemp("people") / "vault", engine=10, bulk=80, seed=11)


@pytest.fixture
def coord(small_vault_dir: Path) -> Iterator[Vault]:
    vault = Vault.unlock(small_vault_dir, COORD, COORD_PASS)
    yield vault
    vault.lock()


def _consenting(vault: Vault) -> list[str]:
    """Completed interviews with consent, oldest first."""
    return [
        src.id
        for src in read(vault, Filters(per_person=False), fields.PASS1_ANSWERS, full=False)
        if fields.consented(src.answers)
    ]


def test_two_interviews_of_one_person_export_as_one(coord: Vault, tmp_path: Path) -> None:
    before = export(coord, tmp_path / "before.csv", fmt="csv", k=2)
    ids = _consenting(coord)
    first, second = ids[0], ids[-1]
    coord.link_interviews(first, second, "same person, seen twice at the centre")
    after = export(coord, tmp_path / "after.csv", fmt="csv", k=2)
    rows_before, rows_after = before.report["rows"], after.report["rows"]
    assert rows_after["considered"] == rows_before["considered"] - 1
    assert rows_after["earlier_interviews_of_the_same_person"] == 1
    exported_before = rows_before["exported"] + rows_before["dropped"]
    assert rows_after["exported"] + rows_after["dropped"] == exported_before - 1
    # The newest completed interview stands for the person.
    seen = {src.id for src in read(coord, Filters(), fields.PASS1_ANSWERS, full=False)}
    newest = max((first, second), key=lambda i: coord.get_interview(i).created_at)
    assert newest in seen and ({first, second} - {newest}).isdisjoint(seen)
    assert "newest completed interview" in after.report["people"]
    # Linking is audited with its reason; the ids say which interviews, nothing more.
    entries = [e for e in coord.audit_entries() if e.action == "person_link"]
    assert entries and entries[-1].object_id == second and "seen twice" in entries[-1].detail


def test_every_interview_mode_counts_interviews(coord: Vault, tmp_path: Path) -> None:
    a, b = _consenting(coord)[6:8]
    coord.link_interviews(a, b, "same person")
    people = export(coord, tmp_path / "p.csv", fmt="csv", k=2)
    every = export(coord, tmp_path / "i.csv", fmt="csv", k=2, filters=Filters(per_person=False))
    earlier = people.report["rows"]["earlier_interviews_of_the_same_person"]
    assert earlier >= 1
    assert every.report["rows"]["considered"] == people.report["rows"]["considered"] + earlier
    assert "per completed interview" in every.report["people"]
    assert every.report["filters"]["rows"] == "every interview"
    codes = [line.split(",", 1)[0] for line in every.path.read_text().splitlines()[1:]]
    assert len(codes) == len(set(codes))  # two rows of one person share no code


def test_a_continued_interview_carries_the_person(coord: Vault) -> None:
    rapid = _consenting(coord)[1]
    full = coord.create_interview(
        form_id="screening-adult",
        form_version="1.0.0",
        form_hash="0" * 64,
        language="en",
        continues=rapid,
    )
    person = coord.person_of(full)
    assert person is not None and person == coord.person_of(rapid)
    assert set(coord.interviews_of_person(full)) == {rapid, full}
    actions = [(e.action, e.object_id) for e in coord.audit_entries()]
    assert ("continue", full) in actions


def test_linking_needs_a_coordinator_and_a_reason(small_vault_dir: Path, coord: Vault) -> None:
    a, b = _consenting(coord)[2:4]
    with pytest.raises(VaultError, match="reason"):
        coord.link_interviews(a, b, "  ")
    with pytest.raises(VaultError, match="itself"):
        coord.link_interviews(a, a, "why")
    screener = Vault.unlock(small_vault_dir, SCREENER, SCREENER_PASS)
    try:
        with pytest.raises(PermissionDenied):
            screener.link_interviews(a, b, "looks alike")
    finally:
        screener.lock()


def test_link_command(small_vault_dir: Path, coord: Vault) -> None:
    a, b = _consenting(coord)[4:6]
    coord.lock()

    def run(*extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "screening.cli", "interview", "link", "--vault",
             str(small_vault_dir), "--user", COORD, "--passphrase-stdin", *extra],
            input=COORD_PASS + "\n", capture_output=True, text=True, check=False,
        )  # fmt: skip

    done = run(a, b, "--reason", "same person")
    assert done.returncode == 0, done.stderr
    assert "Linked: 2 interviews" in done.stdout
    refused = run(a, "not-an-interview", "--reason", "x")
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    assert "no interview" in refused.stderr.lower()
    vault = Vault.unlock(small_vault_dir, COORD, COORD_PASS)
    try:
        assert vault.person_of(a) == vault.person_of(b) is not None
    finally:
        vault.lock()


def test_too_many_distinct_values_is_one_sentence(
    coord: Vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from screening.export import ExportError
    from screening.export import first_pass as first_pass_module

    # One bit for the form: three forms do not fit (in real use: over 64 forms).
    monkeypatch.setattr(first_pass_module, "EXPORT_BITS", (1, 9, 7, 5, 3, 9, 3, 27))
    with pytest.raises(ExportError, match="more distinct values than one export can count"):
        export(coord, tmp_path / "x.csv", fmt="csv", k=2)
    assert list(tmp_path.iterdir()) == []
