"""`screening-desk`: start the desktop app.

    screening-desk [--vault DIR]

Without `--vault` the app opens the vault it used last (if it is still there), otherwise
`<AppDataLocation>/vault`; an empty folder starts the first-run screen.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication

from app.settings import Preferences, default_vault_dir, log_dir, vault_exists

if TYPE_CHECKING:
    from app.window import MainWindow

APP_NAME = "Screening Desk"
# Set by benchmarks/startup.py: print a marker once the first window is on screen, then quit.
PROBE_ENV = "SCREENING_DESK_STARTUP_PROBE"
PROBE_MARKER = "screening-desk: shown"
LOG_LIMIT = 1_000_000


def parse_args(argv: Sequence[str] | None) -> tuple[argparse.Namespace, list[str]]:
    parser = argparse.ArgumentParser(prog="screening-desk", description=APP_NAME)
    parser.add_argument("--vault", type=Path, metavar="DIR", help="vault folder to open")
    # Hidden: fill the vault with N demo interviews after unlocking (training, screenshots).
    parser.add_argument("--demo", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="check this installation in a temporary folder (offscreen) and exit",
    )
    return parser.parse_known_args(argv)


def setup_logging(directory: Path) -> None:
    """Events only (unlock, lock, an operation failed and where): never data or messages."""
    path = directory / "screening-desk.log"
    try:
        directory.mkdir(parents=True, exist_ok=True)
        # Rotated once per start rather than by logging.handlers, whose import (sockets,
        # pickle, queues) costs more start-up time than this whole log is worth.
        if path.is_file() and path.stat().st_size > LOG_LIMIT:
            path.replace(path.with_suffix(".log.1"))
        handler: logging.Handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger("screening_desk")
    root.setLevel(logging.INFO)
    root.addHandler(handler)


def choose_vault_dir(arg: Path | None, prefs: Preferences) -> Path:
    if arg is not None:
        return arg.expanduser()
    last = prefs.last_vault_dir
    if last is not None and vault_exists(last):
        return last
    return default_vault_dir()


def seed_demo(window: MainWindow, count: int) -> None:
    """Fill an empty vault with demo interviews, through the operation runner."""
    from app.demo import seed

    vault = window.vault
    if vault is None or vault.count_interviews() > 0:
        return
    # The list reads the vault's connection; keep it still while another thread writes.
    window.case_list.setEnabled(False)

    def done(*_args: object) -> None:
        window.case_list.setEnabled(True)
        window.case_list.refresh()

    adding = QCoreApplication.translate("MainWindow", "Adding demo interviews…")
    window.statusBar().showMessage(adding)
    window.runner.run(
        "demo data",
        lambda ctx: seed(vault, count, ctx),
        on_progress=lambda done_, total, _label: window.statusBar().showMessage(
            f"{done_:,} / {total:,}"
        ),
        on_finished=done,
    )


def main(argv: Sequence[str] | None = None) -> int:
    args, qt_args = parse_args(argv)
    if args.smoke_test:
        from app.smoke import run

        return run()
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0], *qt_args])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    setup_logging(log_dir())

    from app.window import MainWindow

    prefs = Preferences()
    # Always the production key derivation: cheap parameters exist only inside the tests.
    window = MainWindow(choose_vault_dir(args.vault, prefs), prefs)
    if args.demo > 0:
        window.unlocked.connect(lambda: seed_demo(window, args.demo))
    window.show()
    if os.environ.get(PROBE_ENV):
        # A zero timer fires once the event loop has run, i.e. after the first paint.
        def probe() -> None:
            page = type(window.pages.currentWidget()).__name__
            print(f"{PROBE_MARKER} {page} {window.vault_dir}", flush=True)
            app.quit()

        QTimer.singleShot(0, probe)
    return app.exec()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
