"""Take the app-shell screenshots: first run, unlock, case list (demo data, no real names).

    xvfb-run -s "-screen 0 1280x800x24" python3 docs/screenshots/shell_screenshots.py

Runs the real window against throw-away vaults with cheap key derivation, in a private
settings file, and saves `first-run.png`, `unlock.png`, `case-list.png` and `sync-status.png`
beside this file.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from PySide6.QtCore import QSettings, QStandardPaths  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

SIZE = (1180, 720)
ADMIN, PASSPHRASE = "Demo Coordinator", "orchid tundra saxophone velvet"


def settle(app: QApplication, rounds: int = 20) -> None:
    for _ in range(rounds):
        app.processEvents()


def main() -> None:
    QStandardPaths.setTestModeEnabled(True)  # nothing lands in the real user folders
    app = QApplication(sys.argv)
    app.setApplicationName("Screening Desk")
    from app.demo import seed
    from app.window import MainWindow
    from screening.vault import KdfParams

    kdf = KdfParams.fast_for_tests()
    base = Path(tempfile.mkdtemp(prefix="desk-shots-"))
    settings = QSettings(str(base / "settings.ini"), QSettings.Format.IniFormat)

    window = MainWindow(base / "vault", settings, kdf, cache=base / "cache")
    window.resize(*SIZE)
    window.show()
    page = window.first_run
    assert page is not None
    page.user.setText(ADMIN)
    page.passphrase.setText(PASSPHRASE)
    page.repeat.setText(PASSPHRASE)
    page.meter.update_now()
    page.user.setFocus()
    settle(app)
    window.grab().save(str(HERE / "first-run.png"))

    page.create.click()
    while window.vault is None:
        settle(app, 1)
    seed(window.vault, 2_500, seed=7)
    window.case_list.refresh()
    window.case_list.table.selectRow(2)
    window.case_list.table.setFocus()
    settle(app)
    window.grab().save(str(HERE / "case-list.png"))

    # The status line during a long sync, as the runner's progress reports draw it (the
    # demo vault is not enrolled, so the run itself is not started here).
    status = window.sync_status
    status.running = True
    status._progressed(128, 412, "")
    settle(app)
    window.statusBar().grab().save(str(HERE / "sync-status.png"))
    status.running = False
    status.refresh()

    window.lock()
    window.unlock_page.passphrase.setText("x" * 14)
    window.unlock_page.passphrase.setFocus()
    settle(app)
    window.grab().save(str(HERE / "unlock.png"))
    window.unlock_page.passphrase.clear()
    window.close()
    print("saved", *(p.name for p in sorted(HERE.glob("*.png"))))


if __name__ == "__main__":
    main()
