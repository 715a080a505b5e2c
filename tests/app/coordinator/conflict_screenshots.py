"""Render docs/screenshots/coordinator-conflict-{1366x768,1024x600}.png (not a test).

    for size in 1366x768 1024x600; do xvfb-run -a -s "-screen 0 ${size}x24" \
        python3 -m tests.app.coordinator.conflict_screenshots $size; done

A real hub on 127.0.0.1, a throw-away coordinator vault and laptop: an invented interview is
imported, the coordinator overrides its recommendation, the laptop corrects an answer, and the
update is held as a conflict. The real window then opens it side by side. Nothing about a real
person.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

SHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"


def _wait_for(condition, timeout_ms: int = 20_000) -> None:  # type: ignore[no-untyped-def]
    waited = 0
    while not condition() and waited < timeout_ms:
        QTest.qWait(20)
        waited += 20
    if not condition():
        raise SystemExit("the window did not get there in time")


def main() -> None:
    size = sys.argv[1] if len(sys.argv) > 1 else "1366x768"
    QStandardPaths.setTestModeEnabled(True)  # nothing lands in the real user folders
    app = QApplication(sys.argv[:1])
    app.setApplicationName("Screening Desk")
    from app.window import MainWindow
    from hub.devcert import make_dev_cert
    from tests.hub.conftest import Tls
    from tests.screening.sync.conftest import Org
    from tests.screening.sync.rig import (
        COORD,
        COORD_PASS,
        FAST,
        HubRig,
        coordinator_vault,
        org_of,
    )
    from tests.screening.sync.test_conflicts import _conflict

    base = Path(tempfile.mkdtemp(prefix="desk-conflict-"))
    cert = make_dev_cert()
    (base / "server.pem").write_text(cert.cert_pem)
    (base / "server-key.pem").write_text(cert.key_pem)
    rig = HubRig(base / "hub", Tls(cert, base / "server.pem", base / "server-key.pem"), None)
    coord = coordinator_vault(base / "coordinator", rig.url, rig.ca_pem)
    org_file = base / "org.json"
    org_file.write_bytes(org_of(coord).public.to_json_bytes())
    rig.init(org_file)
    rig.start()
    try:
        lap, _, _ = _conflict(Org(rig, coord, org_file), base)
        lap.lock()
        coord.lock()
    finally:
        rig.stop()
    settings = QSettings(str(base / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(coord.directory, settings, kdf=FAST, cache=base / "cache")
    window.showMaximized()
    QTest.qWaitForWindowExposed(window)
    page = window.unlock_page
    page.user.setText(COORD)
    page.passphrase.setText(COORD_PASS)
    QTest.keyClick(page.passphrase, Qt.Key.Key_Return)
    _wait_for(lambda: window.vault is not None)
    window.coordinator.show()
    listing = window.coordinator.open_conflicts()
    assert listing is not None
    _wait_for(lambda: listing.table.rowCount() == 1)
    listing.compare()
    _wait_for(lambda: listing.conflict_dialog is not None)
    dialog = listing.conflict_dialog
    QTest.qWaitForWindowExposed(dialog)
    QTest.qWait(400)
    out = SHOTS / f"coordinator-conflict-{size}.png"
    screen = app.primaryScreen()
    screen.grabWindow(0).save(str(out))
    print(out, dialog.geometry(), screen.availableGeometry())
    window.close()
    app.processEvents()


if __name__ == "__main__":
    main()
