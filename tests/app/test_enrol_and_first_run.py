"""First run without rough edges, and enrolling the laptop from the app against a real hub."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from app.settings import default_vault_dir
from screening.sync import coordinator
from screening.vault import Vault
from tests.app.conftest import ADMIN, PASSPHRASE, unlock
from tests.hub.conftest import tls  # noqa: F401 (fixture)
from tests.screening.sync.rig import HubRig, coordinator_vault, org_of


def test_the_default_vault_folder_names_the_app_once():
    parts = default_vault_dir().parts
    assert parts[-1] == "vault" and parts.count("Screening Desk") == 1


def test_first_run_checks_as_you_type_and_shows_the_passphrase(qtbot, make_window, vault_dir: Path):
    window = make_window(vault_dir)
    page = window.first_run
    assert page.org_file.isEnabled() and "coming" not in page.org_file.text()
    assert page.meter.label.wordWrap(), "the advice wraps instead of being cut"
    qtbot.keyClicks(page.user, ADMIN)
    qtbot.keyClicks(page.passphrase, PASSPHRASE)
    qtbot.keyClicks(page.repeat, PASSPHRASE[:6])
    assert not page.match.isVisible(), "still typing: no complaint yet"
    qtbot.keyClicks(page.repeat, "X")
    assert page.match.isVisible() and "differ" in page.match.text()
    qtbot.keyClick(page.repeat, Qt.Key.Key_Return)
    assert page.error.isVisible()
    page.repeat.setText(PASSPHRASE)
    assert not page.error.isVisible(), "the old complaint goes when the text changes"
    page.passphrase.setText(PASSPHRASE)
    assert "match" in page.match.text() and "✓" in page.match.text()
    assert page.passphrase.echoMode() == QLineEdit.EchoMode.Password
    qtbot.keyClick(page.show_secret, Qt.Key.Key_Space)
    assert page.passphrase.echoMode() == QLineEdit.EchoMode.Normal
    assert page.repeat.echoMode() == QLineEdit.EchoMode.Normal
    page.clear_secrets()
    assert page.passphrase.echoMode() == QLineEdit.EchoMode.Password


def test_a_bad_organisation_file_says_why(qtbot, make_window, vault_dir: Path, tmp_path: Path):
    window = make_window(vault_dir)
    page = window.first_run
    bad = tmp_path / "org.json"
    bad.write_text("{not json", encoding="utf-8")
    assert not page.set_org_file(bad)
    assert page.org_label.isVisible() and page.org_label.text()
    assert page.org_path is None and not page.enrol_code.isVisible()


def test_the_organisation_file_chooser_hands_its_file_to_the_page(
    qtbot, make_window, vault_dir: Path, tmp_path: Path
):
    window = make_window(vault_dir)
    page = window.first_run
    page.org_file.click()
    chooser = page.org_dialog
    assert chooser is not None and chooser.isVisible()
    assert chooser.windowTitle() == "Organisation file"
    assert chooser.nameFilters() == ["Organisation files (*.json)"]
    bad = tmp_path / "org.json"
    bad.write_text("{not json", encoding="utf-8")
    chooser.fileSelected.emit(str(bad))
    assert page.org_dialog is None and page.org_label.text() and page.org_path is None
    chooser.close()


@pytest.fixture
def hub(tmp_path: Path, tls) -> Iterator[tuple[Path, Vault]]:  # noqa: F811
    rig = HubRig(tmp_path / "hub", tls, None)
    coord = coordinator_vault(tmp_path / "coordinator", rig.url, rig.ca_pem)
    org_file = tmp_path / "org.json"
    org_file.write_bytes(org_of(coord).public.to_json_bytes())
    rig.init(org_file)
    rig.start()
    try:
        yield org_file, coord
    finally:
        coord.lock()
        rig.stop()


def test_an_admin_enrols_the_laptop_from_the_app(qtbot, make_window, made_vault: Path, hub):
    org_file, coord = hub
    code, _ = coordinator.create_enrol_code(coord)
    window = make_window(made_vault)
    unlock(qtbot, window)
    assert window.enrol_action.isVisible() and window.sync_status.text() == "Sync: not enrolled"
    window.enrol_action.trigger()
    dialog = window.enrol_dialog
    assert dialog is not None and not dialog.enrol_button.isEnabled()
    assert dialog.set_org_file(org_file)
    assert org_of(coord).public.fingerprint in dialog.org_label.text()
    qtbot.keyClicks(dialog.code, code)
    assert dialog.enrol_button.isEnabled()
    qtbot.mouseClick(dialog.enrol_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=20_000)
    assert "Enrolled as device" in dialog.message.text()
    assert window.sync_status.is_enrolled and not window.enrol_action.isVisible()
    assert window.sync_status.text() != "Sync: not enrolled"


def test_a_wrong_code_is_one_sentence_and_changes_nothing(
    qtbot, make_window, made_vault: Path, hub
):
    org_file, _coord = hub
    window = make_window(made_vault)
    unlock(qtbot, window)
    window.show_enrol(org_file, "AAAA-BBBB-CCCC")
    dialog = window.enrol_dialog
    qtbot.mouseClick(dialog.enrol_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=20_000)
    assert dialog.message.text() and "Traceback" not in dialog.message.text()
    assert not window.sync_status.is_enrolled and window.enrol_action.isVisible()


def test_first_run_with_an_organisation_file_enrols_after_creating(
    qtbot, make_window, vault_dir: Path, hub
):
    org_file, coord = hub
    code, _ = coordinator.create_enrol_code(coord)
    window = make_window(vault_dir)
    page = window.first_run
    assert page.set_org_file(org_file) and page.enrol_code.isVisible()
    page.enrol_code.setText(code)
    qtbot.keyClicks(page.user, ADMIN)
    page.passphrase.setText(PASSPHRASE)
    page.repeat.setText(PASSPHRASE)
    with qtbot.waitSignal(window.unlocked, timeout=20_000):
        qtbot.mouseClick(page.create, Qt.MouseButton.LeftButton)
    dialog = window.enrol_dialog
    assert dialog is not None and dialog.code.text() == code and dialog.org is not None
    assert page.enrol_code.text() == "", "the code does not stay on the first-run page"
    qtbot.mouseClick(dialog.enrol_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=20_000)
    assert window.sync_status.is_enrolled
