"""`screening-desk`: start the desktop app.

Until the app issue lands this shows one window naming the vault folder it would open and
the questionnaires it ships with, so the install can be checked end to end.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QVBoxLayout, QWidget

from screening.forms.catalog import shipped_forms


def default_vault_dir() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base) / "vault"


class MainWindow(QMainWindow):
    def __init__(self, vault_dir: Path) -> None:
        super().__init__()
        self.setWindowTitle("Screening Desk")
        body = QWidget(self)
        layout = QVBoxLayout(body)
        heading = QLabel("<h2>Screening Desk</h2>", body)
        heading.setAccessibleName("Screening Desk")
        vault = QLabel(f"Vault folder: {vault_dir}", body)
        vault.setAccessibleName("Vault folder")
        titles = [f"{entry.title} ({entry.id} {entry.version})" for entry in shipped_forms()]
        forms = QLabel("Questionnaires:\n" + "\n".join(titles or ["none"]), body)
        forms.setAccessibleName("Questionnaires")
        for widget in (heading, vault, forms):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.setCentralWidget(body)
        self.resize(640, 400)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="screening-desk", description="Screening Desk")
    parser.add_argument("--vault", type=Path, metavar="DIR", help="vault folder to open")
    args, qt_args = parser.parse_known_args(argv)
    app = QApplication([sys.argv[0], *qt_args])
    app.setApplicationName("Screening Desk")
    app.setOrganizationName("Screening Desk")
    window = MainWindow(args.vault or default_vault_dir())
    window.show()
    return app.exec()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
