"""The coordinator's strings in Montenegrin: complete, in step with the code, and live."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QSettings, Qt

from app.i18n import find_lrelease, translation_sources
from tests.app.conftest import unlock
from tests.app.coordinator.conftest import (
    COORDINATOR,
    COORDINATOR_PASSPHRASE,
    Cases,
    open_case,
    open_received,
)

ROOT = Path(__file__).resolve().parents[3]


def messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    found = {}
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            found[(name, message.findtext("source"))] = message
    return found


def coordinator_ts() -> Path:
    (ts,) = [p for p in translation_sources()["cnr"] if p.name == "coordinator_cnr.ts"]
    return ts


def test_every_string_is_translated() -> None:
    found = messages(coordinator_ts())
    assert len(found) > 80
    for (context, source), message in found.items():
        translation = message.find("translation")
        assert translation.get("type") is None, (context, source)
        assert translation.text and translation.text.strip(), (context, source)


def test_the_translation_file_is_in_step_with_the_code(tmp_path: Path) -> None:
    lupdate = find_lrelease().with_name(find_lrelease().name.replace("lrelease", "lupdate"))
    fresh = tmp_path / "fresh.ts"
    sources = sorted(str(p) for p in (ROOT / "app" / "coordinator").glob("*.py"))
    subprocess.run(
        [str(lupdate), "-silent", "-locations", "none", *sources, "-ts", str(fresh)],
        check=True,
        capture_output=True,
    )
    assert set(messages(fresh)) == set(messages(coordinator_ts()))


def test_montenegrin_coordinator_workspace(
    qtbot, make_window, cases: Cases, settings: QSettings
) -> None:
    settings.setValue("ui/language", "cnr")
    window = make_window(cases.directory)
    unlock(qtbot, window, COORDINATOR, COORDINATOR_PASSPHRASE)
    assert window.coordinator.action.text() == "Primljeni intervjui"
    workspace = open_received(qtbot, window)
    model = workspace.model
    assert model.headerData(6, Qt.Orientation.Horizontal) == "Izmjena procjenjivača"
    assert workspace.list_page.search.accessibleName() == "Pretraga primljenih intervjua"
    open_case(qtbot, workspace, cases.overridden)
    page = workspace.case_page
    assert page.language.currentData() == "cnr"  # the interface language, the form has it
    outcome = page.outcome_text()
    assert "Preporuka: Moguća trgovina ljudima" in outcome and "Razlog:" in outcome
    assert "Osoba je odbila da odgovori" in page.answers_text()
    assert page.trail_rows()[-1][2] == "Otvoreno radi pregleda"
