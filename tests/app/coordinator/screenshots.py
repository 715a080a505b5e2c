"""Render docs/screenshots/coordinator-case.png (not a test).

    xvfb-run -a -s "-screen 0 1400x900x24" python3 -m tests.app.coordinator.screenshots

A throw-away "laptop" vault gets synthetic demo interviews (`seed_vault`: invented people),
a screener's override is added to one, and the finished interviews travel into a throw-away
coordinator vault the way sync imports them (`screening.vault.interchange`; recorded in the
coordinator vault directly when that module is not there). The real window then opens the
case as the coordinator. Nothing about a real person.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

OUT = Path(__file__).resolve().parents[3] / "docs" / "screenshots" / "coordinator-case.png"
SIZE = (1280, 800)
SCREENER, COORDINATOR = "Demo Screener", "Demo Coordinator"
PASSPHRASE = "orchid tundra saxophone velvet"
REASON = "Demo: the person described being watched at work; a full interview is needed."


def _laptop(base: Path):  # type: ignore[no-untyped-def]
    from screening.demo.seed import seed_vault
    from screening.vault import KdfParams, Vault

    vault = Vault.create(base / "laptop", SCREENER, PASSPHRASE, kdf=KdfParams.fast_for_tests())
    seed_vault(vault, 24, seed=2)
    adult = [
        s
        for s in vault.list_interviews(status="completed", form_id="screening-adult")
        if s.outcome == "possible_trafficking"
    ]
    chosen = adult[0].id
    vault.set_override(chosen, "likely_trafficked", REASON)
    return vault, chosen


def _coordinator(base: Path, laptop) -> Path:  # type: ignore[no-untyped-def]
    from screening.vault import KdfParams, Vault

    directory = base / "coordinator"
    vault = Vault.create(directory, COORDINATOR, PASSPHRASE, kdf=KdfParams.fast_for_tests())
    try:
        from screening.vault import interchange
    except ImportError:  # the sync work is not there: the laptop's vault is the office's
        vault.lock()
        return laptop.directory
    finished = [s.id for s in laptop.list_interviews() if s.status != "draft"]
    with laptop.transaction() as source:
        records = [
            interchange.export_record(
                source,
                i,
                source={
                    "vault_id": laptop.vault_id,
                    "sealed_by": SCREENER,
                    "sealed_at": "2025-01-01T00:00:00.000000Z",
                },
            )
            for i in finished
        ]
    with vault.transaction() as conn:
        for record in records:
            interchange.import_record(
                conn, COORDINATOR, record, device_id="demo-laptop-1", detail="demo import"
            )
    vault.lock()
    return directory


def _wait_for(condition, timeout_ms: int = 10_000) -> None:  # type: ignore[no-untyped-def]
    waited = 0
    while not condition() and waited < timeout_ms:
        QTest.qWait(20)
        waited += 20
    if not condition():
        raise SystemExit("the window did not get there in time")


def main() -> None:
    QStandardPaths.setTestModeEnabled(True)  # nothing lands in the real user folders
    app = QApplication(sys.argv)
    app.setApplicationName("Screening Desk")
    from app.window import MainWindow
    from screening.vault import KdfParams

    base = Path(tempfile.mkdtemp(prefix="desk-coordinator-"))
    laptop, chosen = _laptop(base)
    directory = _coordinator(base, laptop)
    user = COORDINATOR if directory != laptop.directory else SCREENER
    laptop.lock()
    settings = QSettings(str(base / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(directory, settings, kdf=KdfParams.fast_for_tests(), cache=base / "cache")
    window.resize(*SIZE)
    window.show()
    QTest.qWaitForWindowExposed(window)
    page = window.unlock_page
    page.user.setText(user)
    page.passphrase.setText(PASSPHRASE)
    QTest.keyClick(page.passphrase, Qt.Key.Key_Return)
    _wait_for(lambda: window.vault is not None)
    window.coordinator.show()
    workspace = window.coordinator.workspace
    _wait_for(lambda: not workspace.model.busy)
    workspace.open_case(chosen)
    _wait_for(lambda: workspace.case_page.data is not None)
    workspace.case_page.trail.scrollToBottom()  # the laptop's last rows and this vault's
    QTest.qWait(300)
    window.grab().save(str(OUT))
    print(OUT)
    window.close()
    app.processEvents()


if __name__ == "__main__":
    main()
