"""Repeat entries through screening.recording: every entry added or removed is in the vault
before the caller shows it, empty ones included, and a removal's renumbering is one
transaction (tests/screening/test_recording_durability.py kills it midway)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from screening import recording
from screening.engine import InterviewSession
from screening.vault import KdfParams, Vault, VaultError
from tests.screening.formbuilder import compiled, group, q

USER = "Amira Haddad"
PASSPHRASE = "violet kettle marathon orbit"

FORM = compiled(
    group(
        "household",
        q("text", "place"),
        group("member", q("text", "who"), q("integer", "age"), repeat=True),
        repeat=True,
    ),
    q("calculate", "households", calculation="count(${household})"),
    q("text", "end"),
)


@pytest.fixture
def vault(tmp_path: Path) -> Iterator[Vault]:
    v = Vault.create(tmp_path / "vault", USER, PASSPHRASE, kdf=KdfParams.fast_for_tests())
    yield v
    v.lock()


def _draft(vault: Vault) -> tuple[str, InterviewSession]:
    interview = recording.start_interview(vault, FORM, "en")
    return interview, InterviewSession(FORM, language="en")


def _answer(vault: Vault, interview: str, session: InterviewSession, key: str, value: object):  # type: ignore[no-untyped-def]
    assert session.answer(key, value).ok
    recording.save_current(vault, interview, session, key)


def _members(vault: Vault, interview: str) -> dict[str, object]:
    return {k: v for k, (v, _) in vault.answers(interview).items() if k.startswith("who")}


def test_added_entries_are_stored_empty_ones_included_and_resume_nested(vault: Vault) -> None:
    interview, session = _draft(vault)
    assert recording.add_entry(vault, interview, session, "household") == 1
    _answer(vault, interview, session, "place[1]", "Harbour Street")
    assert recording.add_entry(vault, interview, session, "member", (1,)) == 1
    _answer(vault, interview, session, "who[1][1]", "Ana")
    recording.add_entry(vault, interview, session, "member", (1,))  # member 2: left empty
    recording.add_entry(vault, interview, session, "household")  # household 2: left empty
    recording.add_entry(vault, interview, session, "member", (2,))  # its member: empty too

    record = vault.get_interview(interview)
    assert record.instance_counts == {"household": 2, "member[1]": 2, "member[2]": 1}
    assert record.resume_page == "+member[2]"  # where the last one was added

    resumed, unusable, page = recording.resume(vault, interview, FORM, "en")
    assert unusable == [] and page == "+member[2]"
    assert resumed.instance_count("household") == 2
    assert resumed.instance_count("member", (1,)) == 2
    assert resumed.instance_count("member", (2,)) == 1
    assert resumed.flow() == session.flow()
    assert "who[2][1]" in resumed.flow()  # the empty entries are there to be answered
    assert resumed.calculated()["households"] == 2  # and counted: count(${household})


def test_removing_a_middle_entry_renumbers_later_answers_in_the_vault(vault: Vault) -> None:
    interview, session = _draft(vault)
    recording.add_entry(vault, interview, session, "household")
    for n, (who, age) in enumerate([("Ana", 30), ("Bo", 41), ("Cy", 7), ("Di", 19)], 1):
        recording.add_entry(vault, interview, session, "member", (1,))
        _answer(vault, interview, session, f"who[1][{n}]", who)
        if who != "Cy":
            _answer(vault, interview, session, f"age[1][{n}]", age)
    session.decline("age[1][3]")
    recording.save_current(vault, interview, session, "age[1][3]")

    written = recording.remove_entry(vault, interview, session, "member", 2, (1,))

    assert vault.answers(interview) == {
        "who[1][1]": ("Ana", None),
        "age[1][1]": (30, None),
        "who[1][2]": ("Cy", None),
        "age[1][2]": (None, "declined"),  # a special marker moves with its entry
        "who[1][3]": ("Di", None),
        "age[1][3]": (19, None),
    }
    assert set(written) == {
        "who[1][2]",
        "age[1][2]",
        "who[1][3]",
        "age[1][3]",
        "who[1][4]",
        "age[1][4]",
    }
    record = vault.get_interview(interview)
    assert record.instance_counts == {"household": 1, "member[1]": 3}
    assert record.resume_page == "+member[1]"
    resumed, _, _ = recording.resume(vault, interview, FORM, "en")
    assert resumed.instance_count("member", (1,)) == 3
    assert resumed.get("who[1][2]").value == "Cy"


def test_removing_an_outer_entry_moves_the_later_ones_and_their_nested_counts(
    vault: Vault,
) -> None:
    interview, session = _draft(vault)
    for place in ("Harbour Street", "Mill Lane", "Quay Road"):
        number = recording.add_entry(vault, interview, session, "household")
        _answer(vault, interview, session, f"place[{number}]", place)
    recording.add_entry(vault, interview, session, "member", (3,))
    recording.add_entry(vault, interview, session, "member", (3,))  # both left empty
    recording.add_entry(vault, interview, session, "member", (2,))
    _answer(vault, interview, session, "who[2][1]", "Eve")

    recording.remove_entry(vault, interview, session, "household", 2)

    assert vault.answers(interview) == {
        "place[1]": ("Harbour Street", None),
        "place[2]": ("Quay Road", None),
    }
    assert vault.get_interview(interview).instance_counts == {"household": 2, "member[2]": 2}
    resumed, _, page = recording.resume(vault, interview, FORM, "en")
    assert page == "+household"
    assert resumed.instance_count("member", (2,)) == 2  # Quay Road's two empty members
    assert resumed.instance_count("member", (1,)) == 0


def test_a_renumbering_the_vault_refuses_midway_changes_nothing(vault: Vault) -> None:
    interview, session = _draft(vault)
    recording.add_entry(vault, interview, session, "household")
    for n, who in enumerate(["Ana", "Bo", "Cy", "Di"], 1):
        recording.add_entry(vault, interview, session, "member", (1,))
        _answer(vault, interview, session, f"who[1][{n}]", who)
    stored = vault.answers(interview)
    counts = vault.get_interview(interview).instance_counts
    flow = session.flow()
    # The last of the renumbering's writes fails inside the database, after the first ones
    # ran: one transaction rolls them all back (separate commits would keep Cy twice).
    vault.connection().execute(
        "CREATE TEMP TRIGGER refuse AFTER UPDATE ON answers WHEN NEW.name = 'who[1][4]'"
        " BEGIN SELECT RAISE(ABORT, 'disk full'); END"
    )
    with pytest.raises(VaultError):
        recording.remove_entry(vault, interview, session, "member", 2, (1,))
    vault.connection().execute("DROP TRIGGER refuse")

    assert vault.answers(interview) == stored
    assert vault.get_interview(interview).instance_counts == counts
    # The session is put back too: what the screen shows is what the vault holds.
    assert session.flow() == flow
    assert session.get("who[1][2]").value == "Bo"
    assert session.instance_count("member", (1,)) == 4


def test_entries_of_a_stopped_interview_are_refused_and_taken_back(vault: Vault) -> None:
    interview, session = _draft(vault)
    recording.add_entry(vault, interview, session, "household")
    _answer(vault, interview, session, "place[1]", "Harbour Street")
    vault.stop_interview(interview, "consent_withdrawn")

    with pytest.raises(VaultError):
        recording.add_entry(vault, interview, session, "household")
    assert session.instance_count("household") == 1
    with pytest.raises(VaultError):
        recording.remove_entry(vault, interview, session, "household", 1)
    assert session.instance_count("household") == 1
    assert session.get("place[1]").value == "Harbour Street"
    assert vault.answers(interview) == {"place[1]": ("Harbour Street", None)}


def test_the_engine_refusing_an_entry_writes_nothing(vault: Vault) -> None:
    interview, session = _draft(vault)
    with pytest.raises(ValueError, match="no instance 1"):
        recording.remove_entry(vault, interview, session, "household", 1)
    with pytest.raises(ValueError, match="say which instance"):
        recording.add_entry(vault, interview, session, "member")
    assert vault.get_interview(interview).instance_counts is None
