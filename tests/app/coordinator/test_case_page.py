"""The case page: answers labelled in the chosen language, declined and "don't know" shown
as such, repeats grouped, the outcome explained with the override, and the audit trail of
this interview only, without values."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.coordinator.casedata import VIEWED, load_case
from app.demo import seed
from app.interview.forms import compiled_form
from screening.engine import Answer, InterviewSession, Special
from screening.engine.results import outcome_of
from screening.scoring import messages
from screening.vault import Vault
from tests.app.coordinator.conftest import (
    COORDINATOR,
    COORDINATOR_PASSPHRASE,
    NAME_MARKER,
    REASON,
    Cases,
    open_case,
    open_received,
)


def rescored(vault: Vault, interview_id: str, language: str):  # type: ignore[no-untyped-def]
    record = vault.get_interview(interview_id)
    session = InterviewSession(compiled_form(record.form_id), language=language)
    session.restore(
        {
            k: Answer(None if s else v, Special(s) if s else None)
            for k, (v, s) in vault.answers(interview_id).items()
        }
    )
    return outcome_of(session)


def label(name: str, language: str) -> str:
    return compiled_form("screening-adult").nodes[name].source.label[language]


def choose_language(qtbot, workspace, code: str) -> None:  # type: ignore[no-untyped-def]
    combo = workspace.case_page.language
    with qtbot.waitSignal(workspace.case_opened, timeout=10_000):
        combo.setCurrentIndex(combo.findData(code))
        combo.activated.emit(combo.currentIndex())
    assert workspace.case_page.data.language == code


def test_answers_in_french_with_declined_dont_know_and_repeats(
    qtbot, coordinator_window, cases: Cases
) -> None:
    workspace = open_received(qtbot, coordinator_window)
    open_case(qtbot, workspace, cases.adult)
    page = workspace.case_page
    assert page.language.currentData() == "en"  # the interface language first
    assert [page.language.itemData(i) for i in range(page.language.count())] == [
        "en",
        "cnr",
        "ar",
        "fr",
    ]
    english = page.answers_text()
    assert "How old are you?" in english and "Declined to answer" in english
    choose_language(qtbot, workspace, "fr")
    assert page.language.hasFocus() or page.language.isEnabled()
    text = page.answers_text()
    lines = [line.strip() for line in text.splitlines() if line.strip()]

    def after(label: str) -> str:
        return lines[lines.index(label) + 1]

    assert "Informations personnelles" in lines  # the section heading, in French
    assert after("Quel âge avez-vous ?") == "29"
    assert after("Acceptez-vous de participer à cet entretien ?") == "Oui"
    assert after("Langue de l'entretien") == "Anglais"
    assert after("Quel nom souhaitez-vous que j'utilise pour vous aujourd'hui ?") == NAME_MARKER
    sex = next(line for line in lines if line.startswith("Êtes-vous une femme"))
    assert after(sex) == "Declined to answer"  # a marker, not a value
    assert after("Quelle est votre nationalité ?") == "Don't know"
    assert after("Quand êtes-vous arrivé(e) dans ce pays ?") == "5 mars 2024"
    # The repeat: one heading per entry, each entry's answers under it.
    repeat = compiled_form("screening-adult").nodes["family_members"].source.label["fr"]
    first, second = lines.index(f"{repeat} 1"), lines.index(f"{repeat} 2")
    relation = label("family_relation", "fr")
    assert lines[first + 1] == relation and lines[first + 2] == "Fils ou fille"
    assert lines[second + 1] == relation and lines[second + 2] == "Mari, épouse ou partenaire"
    assert lines[first + 4] == "7" and lines[second + 4] == "31"
    # The explanation, scored again in French.
    vault = coordinator_window.vault
    result = rescored(vault, cases.adult, "fr")
    outcome = page.outcome_text()
    assert result.explanation and all(s in outcome for s in result.explanation)
    name = messages.outcome_name("fr", result.result)
    assert f"Recommendation: {name[:1].upper()}{name[1:]}" in outcome


def test_override_and_explanation_sentences(qtbot, coordinator_window, cases: Cases) -> None:
    workspace = open_received(qtbot, coordinator_window)
    open_case(qtbot, workspace, cases.overridden)
    page = workspace.case_page
    outcome = page.outcome_text()
    assert "Recommendation: Possible trafficking" in outcome
    assert "Screener's override" in outcome
    assert "changed the recommendation to Possible trafficking" in outcome
    assert "Scored result: Likely trafficked" in outcome
    assert REASON in outcome
    result = rescored(coordinator_window.vault, cases.overridden, "en")
    assert result.result == "likely_trafficked"
    for sentence in result.explanation:
        assert sentence in outcome
    assert "✓ Exploitation" in outcome  # the answers behind each present element
    assert "Declined to answer" in page.answers_text()
    assert page.title.text().startswith(f"Interview {cases.overridden[:8]} · Rapid screening")
    assert "Ulcinj day centre" in page.details.text()


def test_audit_trail_is_this_interviews_and_holds_no_values(
    qtbot, coordinator_window, cases: Cases
) -> None:
    workspace = open_received(qtbot, coordinator_window)
    open_case(qtbot, workspace, cases.adult)
    page = workspace.case_page
    rows = page.trail_rows()
    vault = coordinator_window.vault
    own = [
        tuple(r)
        for r in vault.connection().execute(
            "SELECT action, detail FROM audit WHERE object_id = ? ORDER BY seq", (cases.adult,)
        )
    ]
    assert len(rows) == len(own)
    assert own[-1] == (VIEWED, None)  # opening the case was audited
    whats = [r[2] for r in rows]
    assert whats[0] == "Interview started" and whats[-1] == "Opened for review"
    assert "Interview completed" in whats and "Answer given or changed" in whats
    assert rows[-1][1] == COORDINATOR and rows[0][1] != COORDINATOR
    assert {r[4] for r in rows} == {"This vault"}
    details = [r[3] for r in rows]
    assert "How old are you?" in details  # a question's label, not its answer
    assert f"{label('family_relation', 'en')} (2)" in details
    # Who, what, detail, where (the time column holds digits of its own).
    shown = "\n".join("\t".join(r[1:]) for r in rows)
    spouse = compiled_form("screening-adult").text(
        next(
            c
            for c in compiled_form("screening-adult").nodes["family_relation"].choices
            if c.name == "spouse"
        ).label,
        "en",
    )
    for value in (NAME_MARKER, "Xmarker", "29", "31", spouse, "2024", "March", "english"):
        assert value not in shown
    # No other interview's rows (every other interview has its own "create" row).
    assert whats.count("Interview started") == 1
    # Opening it again in this session is not audited twice; reopening later is.
    qtbot.keyClick(page.answers, Qt.Key.Key_Escape)
    open_case(qtbot, workspace, cases.adult)
    assert [r[2] for r in page.trail_rows()].count("Opened for review") == 1


def test_audit_trail_rows_from_the_screeners_laptop(qtbot, coordinator_window, cases: Cases):
    """Rows carried by sync (`imported_audit`) come first, marked as the laptop's."""
    vault = coordinator_window.vault
    with vault.transaction() as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        # Vault migration 5 (sync) keeps the laptop's audit rows of each imported interview.
        assert "imported_audit" in tables
        conn.execute(
            "INSERT INTO imported_audit (interview_id, device_id, seq, prev_hash, at, actor,"
            " action, object_id, detail, hash) VALUES (?, 'device-1', 7, ?, ?, 'Laptop Screener',"
            " 'answer_changed', ?, 'question sex', ?)",
            (cases.adult, "0" * 64, "2024-03-06T09:31:00.000000Z", cases.adult, "1" * 64),
        )
    workspace = open_received(qtbot, coordinator_window)
    open_case(qtbot, workspace, cases.adult)
    first = workspace.case_page.trail_rows()[0]
    assert first[1:] == [
        "Laptop Screener",
        "Answer given or changed",
        label("sex", "en"),
        "Screener's laptop",
    ]


def test_loading_off_the_gui_thread_and_a_missing_form(qtbot, cases: Cases) -> None:
    vault = Vault.unlock(cases.directory, COORDINATOR, COORDINATOR_PASSPHRASE)
    try:
        data = load_case(vault, cases.adult, "cnr")
        assert data.language == "cnr" and not data.form_missing
        assert any(line.special == "declined" for line in data.lines)
        # A form this installation does not have: ids and stored values, recorded outcome.
        with vault.transaction() as conn:
            conn.execute(
                "UPDATE interviews SET form_id = 'retired-form' WHERE id = ?", (cases.rapid,)
            )
        data = load_case(vault, cases.rapid, "fr")
        assert data.form_missing and data.languages == []
        assert ("age", "34") in [(line.text, line.value) for line in data.lines]
        assert data.explanation is not None and data.explanation.recorded
        assert data.explanation.standing == "likely_trafficked"
        assert data.explanation.sentences  # as recorded with the interview
        data.forget()
        assert data.lines == [] and data.explanation is None
        # Metadata-only demo rows (no answers, an outcome of another shape).
        seed(vault, 30)
        (row,) = vault.connection().execute(
            "SELECT id, json_extract(outcome, '$.result') FROM interviews"
            " WHERE form_hash = 'demo' AND outcome IS NOT NULL LIMIT 1"
        )
        data = load_case(vault, row[0], "en")
        assert data.lines == [] and data.explanation is not None
        assert data.explanation.recorded and data.explanation.standing == row[1]
    finally:
        vault.lock()
