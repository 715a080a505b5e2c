"""The desktop app's window opens with real widgets and lists the shipped questionnaires."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLabel

from app.main import MainWindow
from screening.forms.catalog import shipped_forms


def test_main_window_names_vault_and_forms(qtbot, tmp_path: Path) -> None:
    window = MainWindow(tmp_path / "vault")
    qtbot.addWidget(window)
    window.show()
    texts = "\n".join(label.text() for label in window.findChildren(QLabel))
    assert str(tmp_path / "vault") in texts
    forms = shipped_forms()
    assert forms, "no shipped questionnaires found through importlib.resources"
    for entry in forms:
        assert entry.id in texts
    assert all(label.accessibleName() for label in window.findChildren(QLabel))
