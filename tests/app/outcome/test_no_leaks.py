"""Answer text stays in the vault: not in logs, QSettings or temporary files."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths, Qt

from app.interview import InterviewWorkspace
from app.interview.forms import compiled_form
from tests.app.interview.support import new_interview, press, show, type_keys

SECRET = "Zeynab-Qx7-Unique"


def test_typed_answer_reaches_only_the_vault(qtbot, vault, tmp_path: Path, monkeypatch, caplog):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.setenv("TMPDIR", str(scratch))
    settings_dir = tmp_path / "settings"
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(settings_dir))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    caplog.set_level(logging.DEBUG)
    try:
        adult = compiled_form("screening-adult")
        interview = new_interview(vault, adult)
        vault.save_answer(interview, "consent", "yes")
        workspace = InterviewWorkspace(vault, interview, start_page="preferred_name")
        show(qtbot, workspace)
        assert workspace.current_page() == "preferred_name"
        type_keys(qtbot, SECRET)
        press(qtbot, Qt.Key.Key_Return)
        assert vault.answers(interview)["preferred_name"] == (SECRET, None)
        workspace.close()
    finally:
        QSettings.setDefaultFormat(QSettings.Format.NativeFormat)
        default = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.GenericConfigLocation
        )
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, default)
    assert SECRET not in caplog.text
    for path in [*scratch.rglob("*"), *settings_dir.rglob("*")]:
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path
    for path in (tmp_path / "vault").rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), f"plaintext in {path}"
