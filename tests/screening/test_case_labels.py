"""Case labels from a form's instance_name: evaluated over the answers of an unlocked vault, for
the case list only, and never stored."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from screening.case_labels import MAX_LABEL, CaseLabels, LabelRequest, shorten_label
from screening.recording import save_current, store_replay
from screening.sync.offered import form_catalogue
from screening.vault import Vault
from tests.screening.orgforms import install, laptop_vault, org_form, org_keys

PASSPHRASE = "correct horse battery staple"


@pytest.fixture
def vault(tmp_path: Path):
    org = org_keys()
    vault = laptop_vault(tmp_path / "vault", "amina", PASSPHRASE, org)
    named = org_form("harbour-named")
    named["instance_name"] = "concat('Age ', ${age}, ' / ', ${consent})"
    install(vault, org, named)
    install(vault, org, org_form("harbour-plain"), cursor=2)
    yield vault
    vault.lock()


def request(vault: Vault, interview_id: str) -> LabelRequest:
    record = vault.get_interview(interview_id)
    return LabelRequest(
        record.id,
        record.form_id,
        record.form_version,
        record.form_hash,
        record.language,
        record.updated_at,
    )


def test_label_follows_the_answers_and_their_changes(vault: Vault, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    form = form_catalogue(vault).compiled("harbour-named")
    steps = [("consent", "yes"), ("age", 34)]
    interview_id, session, rejected = store_replay(vault, form, "en", steps)
    assert rejected == []
    labels = CaseLabels(vault)
    assert labels.labels([request(vault, interview_id)]) == {interview_id: "Age 34 / yes"}
    # A changed answer changes updated_at, so the cached label is not reused.
    session.answer("age", 35)
    save_current(vault, interview_id, session, "age")
    assert labels.label(request(vault, interview_id)) == "Age 35 / yes"
    # Irrelevant answers read as empty (ODK): consent withdrawn hides ${age}.
    session.answer("consent", "no")
    save_current(vault, interview_id, session, "consent")
    # One line: the run of spaces left by the empty answer collapses.
    assert labels.label(request(vault, interview_id)) == "Age / no"
    assert "Age 3" not in caplog.text


def test_a_form_without_instance_name_gives_no_label_and_reads_no_answers(vault: Vault) -> None:
    form = form_catalogue(vault).compiled("harbour-plain")
    interview_id, _, _ = store_replay(vault, form, "en", [("consent", "yes"), ("age", 34)])

    class Counting(CaseLabels):
        reads = 0

        def _evaluate(self, form, request):  # type: ignore[no-untyped-def]
            Counting.reads += 1
            return super()._evaluate(form, request)

    labels = Counting(vault)
    assert labels.labels([request(vault, interview_id)]) == {}
    assert Counting.reads == 0


def test_the_label_is_not_written_to_the_vault(vault: Vault) -> None:
    form = form_catalogue(vault).compiled("harbour-named")
    interview_id, _, _ = store_replay(vault, form, "en", [("consent", "yes"), ("age", 41)])

    def stored() -> str:
        conn = vault.connection()
        rows = list(conn.execute("SELECT * FROM interviews WHERE id = ?", (interview_id,)))
        rows += list(conn.execute("SELECT * FROM audit"))
        return repr(rows)

    before = stored()
    assert CaseLabels(vault).label(request(vault, interview_id)) == "Age 41 / yes"
    after = stored()
    assert before == after and "Age 41" not in after


def test_long_or_blank_labels() -> None:
    assert shorten_label("  a\n b  ") == "a b"
    assert shorten_label("   ") is None and shorten_label(None) is None
    cut = shorten_label("x" * 200)
    assert cut is not None and len(cut) == MAX_LABEL and cut.endswith("…")


def test_label_counts_the_repeat_entries_the_screener_added(tmp_path: Path) -> None:
    from screening import recording

    org = org_keys()
    vault = laptop_vault(tmp_path / "counted", "amina", PASSPHRASE, org)
    try:
        form_data = org_form("harbour-companions")
        form_data["sections"][-1]["items"].append(
            {
                "type": "repeat",
                "name": "companion",
                "label": dict.fromkeys(("en", "cnr", "ar", "fr"), "Companion"),
                "items": [
                    {
                        "type": "text",
                        "name": "who",
                        "label": dict.fromkeys(("en", "cnr", "ar", "fr"), "Who?"),
                    }
                ],
            }
        )
        form_data["instance_name"] = "concat(count(${companion}), ' with them')"
        install(vault, org, form_data)
        form = form_catalogue(vault).compiled("harbour-companions")
        interview_id, session, _ = store_replay(vault, form, "en", [])
        recording.add_entry(vault, interview_id, session, "companion")
        recording.add_entry(vault, interview_id, session, "companion")  # both left empty
        labels = CaseLabels(vault)
        assert labels.label(request(vault, interview_id)) == "2 with them"
    finally:
        vault.lock()
