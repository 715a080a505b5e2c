"""Every interface string has a finished Montenegrin translation: `pyside6-lupdate` runs over
the whole of app/ (as a developer would after changing strings), and any message it finds
that the shipped .ts files do not translate fails the test."""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

from app.i18n import find_lrelease, translation_sources

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"\{\d\}|%\d|%L?n")


def _messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    found = {}
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            found[(name, message.findtext("source") or "")] = message
    return found


def _lupdate_everything(tmp_path: Path) -> dict[tuple[str, str], ET.Element]:
    lrelease = find_lrelease()
    assert lrelease is not None, "PySide6 ships lupdate beside lrelease"
    lupdate = lrelease.with_name(lrelease.name.replace("lrelease", "lupdate"))
    fresh = tmp_path / "everything.ts"
    sources = sorted(str(p) for p in (ROOT / "app").rglob("*.py"))
    subprocess.run(
        [str(lupdate), "-silent", "-locations", "none", *sources, "-ts", str(fresh)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return _messages(fresh)


def _shipped(language: str) -> dict[tuple[str, str], ET.Element]:
    found: dict[tuple[str, str], ET.Element] = {}
    for ts in translation_sources()[language]:
        found.update(_messages(ts))
    return found


def _texts(message: ET.Element) -> list[str]:
    translation = message.find("translation")
    assert translation is not None
    forms = [f.text or "" for f in translation.iter("numerusform")]
    return forms if message.get("numerus") == "yes" else [translation.text or ""]


def test_every_string_in_app_has_a_finished_montenegrin_translation(tmp_path: Path) -> None:
    everything = _lupdate_everything(tmp_path)
    assert len(everything) > 350, "lupdate found the interface strings"
    shipped = _shipped("cnr")
    problems = []
    for key, message in everything.items():
        done = shipped.get(key)
        if done is None:
            problems.append(f"not in any cnr file: {key}")
            continue
        translation = done.find("translation")
        if translation is None or translation.get("type") in ("unfinished", "vanished"):
            problems.append(f"unfinished: {key}")
            continue
        texts = _texts(done)
        if not all(t.strip() for t in texts):
            problems.append(f"empty: {key}")
        wanted = set(PLACEHOLDER.findall(key[1]))
        for text in texts:
            if set(PLACEHOLDER.findall(text)) != wanted:
                problems.append(f"placeholders differ: {key} → {text!r}")
        if message.get("numerus") == "yes" and len(texts) != 3:
            problems.append(f"Montenegrin needs three plural forms: {key}")
    assert not problems, "\n".join(problems)


def test_english_plurals_are_spelled_out(tmp_path: Path) -> None:
    """ "%n second(s)" reads badly: every plural message has its English forms too."""
    plural = {k for k, m in _lupdate_everything(tmp_path).items() if m.get("numerus") == "yes"}
    english = _shipped("en")
    for key in plural:
        assert key in english and len(_texts(english[key])) == 2, key


def test_the_interview_speaks_montenegrin_throughout(qtbot, make_window, made_vault, settings):
    """Live, not only in the files: the frame, the safety mixin's banner, the blocks and the
    stop dialog all come out in Montenegrin (no English word left where a translation is)."""
    from app.interview.forms import compiled_form
    from screening.vault.pauses import PAUSED
    from tests.app.conftest import unlock

    settings.setValue("ui/language", "cnr")
    window = make_window(made_vault)
    unlock(qtbot, window)
    form = compiled_form("rapid-screening")
    interview = window.vault.create_interview(
        form_id=form.id,
        form_version=form.version,
        form_hash=form.form_hash,
        language="cnr",
        screener_language="cnr",
        location="CNR-1",
    )
    window.vault.save_answer(interview, "consent", "yes")
    window.vault.audit(PAUSED, interview)
    view = window.open_interview(interview, "age").interview_view
    assert view.pause_button.text() == "Pauza (F8)"
    assert view.stop_button.text() == "Prekini…"
    assert view.next_button.text() == "Dalje →"
    assert view.progress_label.text().startswith("Odjeljak ")
    assert view.paused_label.text().startswith("Pauzirao/la ")
    assert "razlog još nije naveden" in view.paused_label.text()
    assert view.language_label.text().startswith("Jezik sagovornika")
    block = view.blocks["age"]
    assert block.clear_button.text() == "Obriši odgovor"
    view.stop_button.click()
    assert view.stop_dialog.windowTitle() == "Prekini intervju"
    assert view.stop_dialog.buttons["distress"].accessibleName() == "Osoba je uznemirena"
