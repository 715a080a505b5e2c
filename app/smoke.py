"""`screening-desk --smoke-test`: does this installation work, without touching real data?

Starts the app (offscreen unless a display is asked for), shows the first window on a new
vault in a temporary folder, creates the vault through the first-run page, locks it, unlocks
it through the unlock page, checks that the shipped forms compile and that every shipped
interface language loads, and exits 0. Any failure prints one line and exits 1. It writes
nothing outside the temporary folder: settings, cache and log live in it too.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

MARKER = "screening-desk: smoke test passed"
USER = "Smoke Test"
# Only for the throwaway vault; strong enough for the strength check.
PASSPHRASE = "smoke test: eleven quiet lanterns over Kotor"
TIMEOUT = 60.0


class SmokeFailure(Exception):
    pass


def _wait(app: object, done: Callable[[], bool], what: str, page: object = None) -> None:
    """Run the event loop until `done()`; a message shown on `page` ends the wait as failed."""
    deadline = time.monotonic() + TIMEOUT
    error = getattr(page, "error", None)
    while not done():
        app.processEvents()  # type: ignore[attr-defined]
        if error is not None and not error.isHidden() and error.text():
            raise SmokeFailure(f"{what}: {error.text()}")
        if time.monotonic() > deadline:
            raise SmokeFailure(f"timed out waiting for {what}")
        time.sleep(0.01)


def run() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        with tempfile.TemporaryDirectory(prefix="screening-desk-smoke-") as tmp:
            _run(Path(tmp))
    except Exception as exc:
        # Whatever broke (a missing library, an unwritable temp folder): one line, exit 1.
        reason = str(exc) if isinstance(exc, SmokeFailure) else f"{type(exc).__name__}: {exc}"
        print(f"screening-desk: smoke test failed: {reason}", file=sys.stderr)
        return 1
    print(MARKER, flush=True)
    return 0


def _run(tmp: Path) -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0]])
    from app.firstrun import FirstRunPage
    from app.i18n import Translations, translation_sources
    from app.settings import Preferences
    from app.unlock import UnlockPage
    from app.window import MainWindow

    settings = QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(tmp / "vault", Preferences(settings), cache=tmp / "cache")
    try:
        opened: list[bool] = []
        window.unlocked.connect(lambda: opened.append(True))
        window.show()
        _wait(app, window.isVisible, "the first window")
        first = window.pages.currentWidget()
        if not isinstance(first, FirstRunPage):
            raise SmokeFailure(f"the first window shows {type(first).__name__}, not the first run")

        first.user.setText(USER)
        first.passphrase.setText(PASSPHRASE)
        first.repeat.setText(PASSPHRASE)
        first.create.click()
        _wait(app, lambda: len(opened) == 1, "creating the vault", first)
        if window.vault is None:
            raise SmokeFailure("the vault was created but is not open")
        window.lock()
        if window.vault is not None or not isinstance(window.pages.currentWidget(), UnlockPage):
            raise SmokeFailure("locking did not close the vault")

        window.unlock_page.user.setText(USER)
        window.unlock_page.passphrase.setText(PASSPHRASE)
        window.unlock_page.unlock.click()
        _wait(app, lambda: len(opened) == 2, "unlocking the vault", window.unlock_page)
        vault = window.vault
        if vault is None or vault.user != USER:
            raise SmokeFailure("the vault did not unlock")

        from screening.forms.catalog import shipped_form_files, shipped_form_text
        from screening.forms.compiler import compile_json
        from screening.forms.problems import FormError

        if not shipped_form_files():
            raise SmokeFailure("no shipped forms were found")
        for filename in shipped_form_files():
            try:
                compile_json(shipped_form_text(filename), filename)
            except FormError as exc:
                raise SmokeFailure(f"the shipped form {filename} does not compile: {exc}") from exc

        translations = Translations(tmp / "cache")
        for code in translation_sources():
            if not translations.install(code):
                raise SmokeFailure(f"the {code} interface translation did not load")
        translations.uninstall()

    finally:
        # Closed on failure too: the smoke test may run inside another program's event loop.
        window.lock()
        window.close()
        window.deleteLater()
        app.processEvents()
