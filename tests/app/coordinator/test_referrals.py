"""Referrals from the coordinator's case page: choose provider, needs and consent basis,
follow the status, save the slip — all through screening.referrals, audited there."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from screening.referrals import Referrals
from tests.app.coordinator.conftest import Cases, open_case, open_received


def _provider(window) -> str:  # type: ignore[no-untyped-def]
    return Referrals(window.vault).add_provider("Safe House Demo", "shelter", contact="+382 0").id


def test_refer_follow_and_save_the_slip(qtbot, coordinator_window, cases: Cases, tmp_path: Path):
    window = coordinator_window
    provider = _provider(window)
    workspace = open_received(qtbot, window)
    open_case(qtbot, workspace, cases.adult)
    page = workspace.case_page
    qtbot.mouseClick(page.referrals_button, Qt.MouseButton.LeftButton)
    dialog = workspace.referrals_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.table.rowCount() == 0 and "not been referred" in dialog.message.text()
    assert not dialog.slip_button.isEnabled()

    qtbot.mouseClick(dialog.new_button, Qt.MouseButton.LeftButton)
    new = dialog.new_dialog
    assert new.provider.currentData() == provider
    suggested = Referrals(window.vault).suggestions(cases.adult)["needs"]
    assert [n for n, box in new.needs.items() if box.isChecked()] == suggested
    new.needs["shelter"].setChecked(True)
    qtbot.mouseClick(new.create_button, Qt.MouseButton.LeftButton)
    assert new.error.isVisible() and "consent" in new.error.text(), "no basis, no referral"
    new.consent["person"].setChecked(True)
    qtbot.mouseClick(new.create_button, Qt.MouseButton.LeftButton)
    assert new.error.isVisible(), "the vault's sentence: a contact is required"
    qtbot.keyClicks(new.contact, "+382 67 000 000")
    qtbot.mouseClick(new.create_button, Qt.MouseButton.LeftButton)
    assert dialog.new_dialog is None
    (referral,) = Referrals(window.vault).list(interview_id=cases.adult)
    assert referral.provider_id == provider and referral.consent == "person"
    assert "shelter" in referral.needs and referral.status == "sent"
    assert dialog.table.rowCount() == 1 and referral.case_code in dialog.table.item(0, 4).text()
    assert dialog.status_buttons["accepted"].isEnabled()

    qtbot.mouseClick(dialog.status_buttons["accepted"], Qt.MouseButton.LeftButton)
    assert Referrals(window.vault).get(referral.id).status == "accepted"
    assert dialog.table.item(0, 3).text().startswith("Accepted")
    assert not dialog.status_buttons["declined"].isEnabled(), "accepted cannot become declined"

    qtbot.mouseClick(dialog.slip_button, Qt.MouseButton.LeftButton)
    chooser = dialog.file_dialog
    assert chooser is not None
    target = tmp_path / "slip.pdf"
    chooser.fileSelected.emit(str(target))
    assert target.read_bytes().startswith(b"%PDF")
    assert "slip.pdf" in dialog.message.text()
    actions = [e.action for e in window.vault.audit_entries()]
    for action in ("referral_created", "referral_status", "referral_slip"):
        assert action in actions


def test_slip_language_follows_the_person_where_a_slip_language_exists(
    qtbot, coordinator_window, cases: Cases
):
    from app.coordinator.referrals_dialog import ReferralsDialog

    book = Referrals(coordinator_window.vault)
    assert ReferralsDialog(book, cases.adult, "en", "cnr").slip_language == "cnr"
    # Slips exist in Arabic and French too (docs/referrals.md): the person's language wins.
    assert ReferralsDialog(book, cases.adult, "cnr", "ar").slip_language == "ar"
    assert ReferralsDialog(book, cases.adult, "en", "fr").slip_language == "fr"
    # A language without a slip falls back to the screener's.
    assert ReferralsDialog(book, cases.adult, "en", "fa").slip_language == "en"
