"""Translations build with the lrelease inside PySide6 and switch the interface live."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QSettings, Qt

from app.cases.model import COLUMNS
from app.i18n import build, build_all, find_lrelease, translation_sources
from app.settings import LANGUAGES
from tests.app.conftest import unlock


def test_every_montenegrin_string_is_translated() -> None:
    sources = translation_sources()
    assert {code for code, _name in LANGUAGES} <= set(sources)
    (cnr,) = [p for p in sources["cnr"] if p.name == "app_cnr.ts"]
    messages = list(ET.parse(cnr).getroot().iter("message"))
    assert len(messages) > 80
    for message in messages:
        translation = message.find("translation")
        assert translation.get("type") is None, message.find("source").text
        forms = [f.text for f in translation.findall("numerusform")] or [translation.text]
        assert all(f and f.strip() for f in forms), message.find("source").text


def test_translations_build_once_and_rebuild_when_the_source_changes(tmp_path: Path) -> None:
    assert find_lrelease() is not None
    built = build_all(tmp_path)
    assert set(built) >= {"en", "cnr"}
    first = built["cnr"][0]
    assert first.stat().st_size > 1000
    before = first.stat().st_mtime_ns
    assert build(translation_sources()["cnr"][0], tmp_path) == first  # up to date: kept
    assert first.stat().st_mtime_ns == before
    changed = tmp_path / "src" / "app_cnr.ts"
    changed.parent.mkdir()
    changed.write_text(translation_sources()["cnr"][0].read_text("utf-8") + "\n", "utf-8")
    rebuilt = build(changed, tmp_path)
    assert rebuilt is not None and rebuilt != first and not first.exists()


def test_montenegrin_interface(qtbot, make_window, made_vault: Path, settings: QSettings):
    settings.setValue("ui/language", "cnr")
    window = make_window(made_vault)
    page = window.unlock_page
    assert page.unlock.text() == "Otključaj"
    assert "zaključan" in page.title.text()
    unlock(qtbot, window)
    assert window.lock_action.text() == "Zaključaj"
    outcome = COLUMNS.index("outcome")
    assert window.case_list.model.headerData(outcome, Qt.Orientation.Horizontal) == "Ishod"
    assert window.case_list.count.text() == "0 intervjua"


def test_language_switch_in_settings_is_live(qtbot, make_window, made_vault: Path, settings):
    window = make_window(made_vault)
    unlock(qtbot, window)
    assert window.lock_action.text() == "Lock"
    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    from app.prefs_dialog import SettingsDialog

    qtbot.waitUntil(lambda: bool(window.findChildren(SettingsDialog)))
    dialog = window.findChildren(SettingsDialog)[0]
    dialog.language.setCurrentIndex(dialog.language.findData("cnr"))
    dialog.font_size.setValue(14)
    save = dialog.save_button
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    # Qt delivers LanguageChange to the widgets through the event loop.
    qtbot.waitUntil(lambda: window.lock_action.text() == "Zaključaj")
    assert window.case_list.search.accessibleName() == "Pretraga intervjua"
    assert settings.value("ui/language") == "cnr"
    assert int(settings.value("ui/font_size")) == 14
    from PySide6.QtWidgets import QApplication

    assert QApplication.font().pointSize() == 14


def test_first_run_language_choice(qtbot, make_window, vault_dir: Path, settings):
    window = make_window(vault_dir)
    page = window.first_run
    page.language.setFocus()
    index = page.language.findData("cnr")
    while page.language.currentIndex() != index:
        qtbot.keyClick(page.language, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: page.create.text() == "Napravi trezor")
    assert "ključa za oporavak" in page.warning.text()
    assert settings.value("ui/language") == "cnr"
