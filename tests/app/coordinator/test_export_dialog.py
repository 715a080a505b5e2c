"""The coordinator's export dialog, end to end on a real seeded vault (issue 7, item 5)."""

from __future__ import annotations

import csv
import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QWidget,
)

from app.coordinator import export_dialog
from app.coordinator.export_dialog import ExportDialog
from app.window import MainWindow
from screening.demo.seed import seed_vault
from screening.vault import Vault
from tests.app.conftest import ADMIN, FAST, PASSPHRASE, message_boxes, unlock
from tests.app.coordinator.conftest import (
    COORDINATOR,
    COORDINATOR_PASSPHRASE,
    SCREENER,
    SCREENER_PASSPHRASE,
)


@pytest.fixture
def seeded(vault_dir: Path) -> Path:
    vault = Vault.create(vault_dir, ADMIN, PASSPHRASE, kdf=FAST)
    try:
        vault.add_user(COORDINATOR, COORDINATOR_PASSPHRASE, role="coordinator", kdf=FAST)
        vault.add_user(SCREENER, SCREENER_PASSPHRASE, role="screener", kdf=FAST)
        seed_vault(vault, 40, seed=1)
    finally:
        vault.lock()
    return vault_dir


@pytest.fixture
def window(qtbot, make_window: Callable[[Path], MainWindow], seeded: Path) -> MainWindow:
    window = make_window(seeded)
    unlock(qtbot, window, COORDINATOR, COORDINATOR_PASSPHRASE)
    return window


@pytest.fixture
def dialog(qtbot, window: MainWindow) -> ExportDialog:
    action = window.coordinator.export_action
    assert action.isVisible() and action.isEnabled()
    action.trigger()
    dialog = window.coordinator.export_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def export_and_wait(qtbot, dialog: ExportDialog) -> None:
    with qtbot.waitSignal(dialog.exported, timeout=20_000):
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy)


def test_every_control_has_an_accessible_name(dialog: ExportDialog) -> None:
    kinds = (QAbstractButton, QAbstractSpinBox, QComboBox, QLineEdit, QPlainTextEdit, QProgressBar)
    controls = [w for w in dialog.findChildren(QWidget) if isinstance(w, kinds)]
    controls = [w for w in controls if not isinstance(w.parent(), kinds)]  # not their editors
    assert len(controls) >= 13
    for widget in controls:
        assert widget.accessibleName(), widget
    assert dialog.k.value() == 5
    assert [dialog.format.itemData(i) for i in range(dialog.format.count())] == [
        "csv",
        "xlsx",
        "htcds-json",
        "pdf",
    ]
    assert dialog.form.itemData(0) is None and dialog.form.count() > 1


def test_preview_shows_what_is_generalised_and_suppressed(qtbot, dialog: ExportDialog) -> None:
    with qtbot.waitSignal(dialog.previewed, timeout=20_000) as signal:
        qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    report = signal.args[0]
    text = dialog.preview_text.toPlainText()
    assert f"Rows exported: {report['rows']['exported']}" in text
    assert "Rows suppressed (every value replaced by *): " in text
    assert f"detail released: {report['coarsened']['detail']}" in text
    assert "k requested: 5" in text
    assert "How coarsely each identifying detail is written:" in text
    assert "quasi" not in text + dialog.explain.text(), "plain words only"
    assert "at least 4 other rows" in dialog.explain.text()
    samples = report["sample_rows"]
    assert 0 < len(samples) <= 3 and dialog.samples.isVisible()
    assert dialog.samples.rowCount() == len(samples)
    assert all(row["case_code"] == "R-…" for row in samples), "no real case code on screen"
    assert dialog.samples.item(0, 3).text() == samples[0]["age_band"]
    for column, level in report["generalisation"].items():
        assert f"{column}: {level}" in text
    qtbot.waitUntil(lambda: dialog.export_button.isEnabled())


def test_export_writes_the_csv_and_its_report(qtbot, dialog: ExportDialog, tmp_path: Path) -> None:
    out = tmp_path / "exports" / "stats.csv"
    out.parent.mkdir()
    dialog.k.setValue(3)
    dialog.path.setText(str(out))
    export_and_wait(qtbot, dialog)
    report_path = out.with_name("stats.csv.report.json")
    assert out.is_file() and report_path.is_file()
    report = json.loads(report_path.read_text(encoding="utf-8"))
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == report["rows"]["exported"] > 0
    assert report["k"] == 3 and report["k_achieved"] >= 3
    summary = dialog.status.text()
    assert f"Exported {len(rows)} rows" in summary
    assert f"k achieved: {report['k_achieved']}" in summary
    assert str(report_path) in summary
    assert dialog.result is not None and dialog.result.path == out
    assert not dialog.progress.isVisible()
    assert not message_boxes()


def test_stable_codes_are_off_by_default_and_warned_about(
    qtbot, dialog: ExportDialog, tmp_path: Path
) -> None:
    assert not dialog.stable_codes.isChecked() and not dialog.stable_warning.isVisible()
    dialog.path.setText(str(tmp_path / "fresh.csv"))
    export_and_wait(qtbot, dialog)
    assert dialog.result is not None
    assert dialog.result.report["case_codes"]["stable_across_exports"] is False
    dialog.stable_codes.setChecked(True)
    assert dialog.stable_warning.isVisible()
    assert "joined" in dialog.stable_warning.text()
    dialog.path.setText(str(tmp_path / "stable.csv"))
    export_and_wait(qtbot, dialog)
    assert dialog.result.report["case_codes"]["stable_across_exports"] is True
    assert dialog.result.report["case_codes"]["warning"]


def test_the_form_filter_offers_the_organisation_forms(qtbot, window: MainWindow) -> None:
    from screening.sync import state
    from tests.screening.orgforms import org_form, org_keys, store_signed

    assert window.vault is not None
    org = org_keys()
    state.store_org_keys(window.vault, org)  # what 'screening org init' leaves
    store_signed(window.vault, org, org_form())  # what publishing keeps
    made = ExportDialog(window.vault, window.runner, window)
    qtbot.addWidget(made)
    offered = {made.form.itemData(i): made.form.itemText(i) for i in range(made.form.count())}
    assert offered["harbour-rapid"] == "Harbour rapid screening"
    assert "rapid-screening" in offered and offered[None] == "All forms"


def test_format_changes_the_file_suffix(dialog: ExportDialog, tmp_path: Path) -> None:
    dialog.path.setText(str(tmp_path / "stats.csv"))
    dialog.format.setCurrentIndex(dialog.format.findData("htcds-json"))
    assert dialog.path.text() == str(tmp_path / "stats.json")


def test_cancel_leaves_no_file(
    qtbot, dialog: ExportDialog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The export is held while its staging file is open; Cancel then removes every byte."""
    folder = tmp_path / "exports"
    folder.mkdir()
    reached, go = threading.Event(), threading.Event()
    real = export_dialog.export

    def held(*args: Any, cancelled: Callable[[], bool], **kwargs: Any):  # type: ignore[no-untyped-def]
        def check() -> bool:
            if not go.is_set() and any(folder.iterdir()):
                reached.set()
                go.wait(20)
            return cancelled()

        return real(*args, cancelled=check, **kwargs)

    monkeypatch.setattr(export_dialog, "export", held)
    dialog.path.setText(str(folder / "stats.csv"))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.busy and dialog.progress.isVisible() and dialog.cancel_button.isEnabled()
    assert reached.wait(20)
    assert [p.name for p in folder.iterdir()] == ["stats.csv.partial"]  # half written
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    go.set()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=20_000)
    assert list(folder.iterdir()) == []
    assert dialog.status.text() == "The export was cancelled; nothing was written."
    assert dialog.result is None
    assert not message_boxes()


def test_a_cancel_after_the_file_was_written_reports_the_export(
    qtbot, dialog: ExportDialog, tmp_path: Path
) -> None:
    """Cancel pressed when the work had just finished: the file is there, and the dialog says
    so instead of claiming nothing was written."""
    out = tmp_path / "stats.csv"
    dialog.path.setText(str(out))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    # The worker finishes, but its answer waits in the event queue until events are processed.
    assert dialog.runner.wait(20_000)
    assert out.is_file()
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=20_000)
    assert out.is_file() and dialog.result is not None and dialog.result.path == out
    assert dialog.status.text().startswith("Exported ")
    assert not message_boxes()


def test_a_failure_is_one_sentence_in_a_message_box(
    qtbot, dialog: ExportDialog, tmp_path: Path
) -> None:
    dialog.path.setText(str(tmp_path / "missing" / "stats.csv"))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(message_boxes()), timeout=20_000)
    (box,) = message_boxes()
    assert box.text() == f"The folder {tmp_path / 'missing'} does not exist."
    assert dialog.status.text() == "The export failed; nothing was written."
    box.close()
    qtbot.waitUntil(lambda: not dialog.busy)
    assert not (tmp_path / "missing").exists()


def test_locking_drops_the_dialog(qtbot, window: MainWindow, dialog: ExportDialog) -> None:
    window.lock()
    assert window.coordinator.export_dialog is None
    assert not dialog.isVisible()
    assert not window.coordinator.export_action.isVisible()


def test_a_screener_never_sees_the_action(
    qtbot, make_window: Callable[[Path], MainWindow], seeded: Path
) -> None:
    window = make_window(seeded)
    unlock(qtbot, window, SCREENER, SCREENER_PASSPHRASE)
    action = window.coordinator.export_action
    assert not action.isVisible() and not action.isEnabled()
    assert action not in [a for a in window.toolbar.actions() if a.isVisible()]
    assert window.coordinator.open_export() is None
    assert window.coordinator.export_dialog is None
    action.trigger()  # even if something triggered it
    assert window.coordinator.export_dialog is None


def test_montenegrin(
    qtbot, make_window: Callable[[Path], MainWindow], seeded: Path, settings: QSettings
) -> None:
    settings.setValue("ui/language", "cnr")
    window = make_window(seeded)
    unlock(qtbot, window, COORDINATOR, COORDINATOR_PASSPHRASE)
    assert window.coordinator.export_action.text() == "Izvoz…"
    dialog = window.coordinator.open_export()
    assert dialog is not None
    assert dialog.windowTitle() == "Izvoz anonimizovanih podataka"
    assert dialog.format.itemText(3) == "PDF izvještaj"
    assert dialog.cancel_button.accessibleName() == "Otkaži izvoz"
