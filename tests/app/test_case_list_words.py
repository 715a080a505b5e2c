"""The case list in words: who paused or stopped and when, the interviewee's language, form
titles, "Received" for interviews that came by sync, and a control that clears the filters."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from app.cases.model import COLUMNS
from app.interview.forms import compiled_form
from screening.vault import Vault, interchange
from screening.vault.pauses import PAUSE_REASON, PAUSED
from tests.app.conftest import ADMIN, FAST, PASSPHRASE, unlock


def _draft(vault: Vault, language: str = "ar") -> str:
    form = compiled_form("rapid-screening")
    return vault.create_interview(
        form_id=form.id,
        form_version=form.version,
        form_hash=form.form_hash,
        language=language,
        screener_language="en",
        location="WORDS-1",
    )


def _cell(window, interview: str, key: str, role=Qt.ItemDataRole.DisplayRole) -> str:  # type: ignore[no-untyped-def]
    model = window.case_list.model
    row = next(r for r in range(model.rowCount()) if model.interview_id(r) == interview)
    return str(model.index(row, COLUMNS.index(key)).data(role))


def test_paused_and_stopped_rows_say_who_and_when(qtbot, make_window, made_vault: Path):
    window = make_window(made_vault)
    unlock(qtbot, window)
    vault = window.vault
    paused, stopped, working = _draft(vault), _draft(vault, "en"), _draft(vault)
    vault.save_answer(paused, "consent", "yes")
    vault.audit(PAUSED, paused)
    vault.audit(PAUSE_REASON, paused, "reason distress")
    vault.stop_interview(stopped, "consent_withdrawn")
    vault.audit(PAUSED, working)
    vault.save_answer(working, "consent", "yes")  # answered after the pause: going on
    window.show_cases()
    assert _cell(window, paused, "status").startswith(f"Paused by {ADMIN}, ")
    assert "The person is distressed" in _cell(
        window, paused, "status", Qt.ItemDataRole.ToolTipRole
    )
    assert _cell(window, stopped, "status").startswith(f"Stopped by {ADMIN}, ")
    assert _cell(window, working, "status") == "Draft"
    assert _cell(window, paused, "language") == "العربية"
    assert _cell(window, stopped, "language") == "English"
    assert _cell(window, paused, "form").startswith("Rapid screening (first contact)")
    titles = [window.case_list.form.itemText(i) for i in range(window.case_list.form.count())]
    assert "Rapid screening (first contact)" in titles and "rapid-screening" not in titles


def test_received_interviews_say_received(qtbot, make_window, made_vault: Path, tmp_path):
    laptop = Vault.create(tmp_path / "laptop", "Field Screener", PASSPHRASE, kdf=FAST)
    sent = _draft(laptop)
    laptop.stop_interview(sent, "distress")
    with laptop.transaction() as source:
        record = interchange.export_record(
            source,
            sent,
            source={
                "vault_id": laptop.vault_id,
                "sealed_by": "Field Screener",
                "sealed_at": "2026-01-01T00:00:00.000000Z",
            },
        )
    laptop.lock()
    office = Vault.unlock(made_vault, ADMIN, PASSPHRASE)
    own = _draft(office)
    office.stop_interview(own, "distress")
    with office.transaction() as conn:
        interchange.import_record(conn, ADMIN, record, device_id="laptop-1", detail="test")
    office.lock()
    window = make_window(made_vault)
    unlock(qtbot, window)
    assert _cell(window, sent, "sync") == "Received"
    assert _cell(window, own, "sync") == "Not sent"


def test_clear_filters_brings_every_interview_back(qtbot, make_window, made_vault: Path):
    window = make_window(made_vault)
    unlock(qtbot, window)
    for _ in range(3):
        _draft(window.vault)
    window.show_cases()
    page = window.case_list
    assert not page.clear_filters_button.isEnabled(), "nothing to clear"
    page.status.setCurrentIndex(page.status.findData("completed"))
    qtbot.keyClicks(page.search, "nothing-like-this")
    page.apply_filters()
    assert page.model.rowCount() == 0 and page.clear_filters_button.isEnabled()
    qtbot.mouseClick(page.clear_filters_button, Qt.MouseButton.LeftButton)
    assert page.model.rowCount() == 3
    assert page.search.text() == "" and page.status.currentData() is None
