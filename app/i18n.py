"""Interface translations: `.ts` sources in resources/translations, built to `.qm` on demand.

Built files are not committed. The installer (installer/build.py) builds them into the bundle
beside their sources; otherwise at first start (or when a `.ts` changed) `lrelease`, which
ships inside PySide6, compiles them into the user's cache folder; the file name carries a hash
of its source, so a stale build is never loaded and no timestamps are trusted. Without
lrelease the interface stays in English, the source language.
"""

from __future__ import annotations

import logging
import os
import sys
import zlib
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator

from app.settings import resource_dir

log = logging.getLogger("screening_desk.i18n")
SOURCE_LANGUAGE = "en"


def translation_sources() -> dict[str, list[Path]]:
    """Language code → its `.ts` files, e.g. {"cnr": [app_cnr.ts, interview_cnr.ts]}.

    Files are named `<part>_<language>.ts`; each part of the app may keep its own file, and
    all files of the chosen language are installed together.
    """
    root = resource_dir() / "translations"
    found: dict[str, list[Path]] = {}
    for path in sorted(root.glob("*_*.ts")):
        found.setdefault(path.stem.rsplit("_", 1)[1], []).append(path)
    return found


def find_lrelease() -> Path | None:
    import shutil

    import PySide6

    exe = "lrelease.exe" if sys.platform == "win32" else "lrelease"
    bundled = Path(PySide6.__file__).parent / exe
    if bundled.is_file():
        return bundled
    found = shutil.which("pyside6-lrelease") or shutil.which("lrelease")
    return Path(found) if found else None


def built_name(source: Path) -> str:
    # A checksum, not a security measure: it only tells a stale build from a current one
    # (and zlib is already loaded, where hashlib would cost a start-up 20 ms).
    return f"{source.stem}-{zlib.crc32(source.read_bytes()):08x}.qm"


def build(source: Path, out_dir: Path) -> Path | None:
    """Compile one `.ts` into `out_dir` unless an up-to-date build is there; None on failure."""
    target = out_dir / built_name(source)
    if target.is_file():
        return target
    # An installed bundle ships its translations built beside the sources (installer/).
    prebuilt = source.parent / built_name(source)
    if prebuilt.is_file():
        return prebuilt
    import subprocess
    import tempfile

    tool = find_lrelease()
    if tool is None:
        log.warning("lrelease not found; the interface stays in English")
        return None
    out_dir.mkdir(parents=True, exist_ok=True)
    # Built beside the target and renamed, so a half-written file is never loaded.
    fd, tmp = tempfile.mkstemp(suffix=".qm", dir=out_dir)
    os.close(fd)
    try:
        subprocess.run(
            [str(tool), "-silent", str(source), "-qm", tmp],
            check=True,
            capture_output=True,
            timeout=60,
        )
        os.replace(tmp, target)
    except (OSError, subprocess.SubprocessError):
        log.warning("building translation %s failed", source.name)
        Path(tmp).unlink(missing_ok=True)
        return None
    for old in out_dir.glob(f"{source.stem}-*.qm"):
        if old != target:
            old.unlink(missing_ok=True)
    return target


def build_all(out_dir: Path) -> dict[str, list[Path]]:
    """Build every translation (an install step can call this; tests do)."""
    built: dict[str, list[Path]] = {}
    for code, sources in translation_sources().items():
        for source in sources:
            path = build(source, out_dir)
            if path is not None:
                built.setdefault(code, []).append(path)
    return built


class Translations:
    """Installs the translators of the chosen language; switching sends LanguageChange."""

    def __init__(self, cache: Path) -> None:
        self.cache = cache
        self._translators: list[QTranslator] = []
        self.language = SOURCE_LANGUAGE

    def uninstall(self) -> None:
        app = QCoreApplication.instance()
        for translator in self._translators:
            if app is not None:
                app.removeTranslator(translator)
        self._translators = []
        self.language = SOURCE_LANGUAGE

    def install(self, code: str) -> bool:
        """Switch the interface language; returns False (and keeps English) if unavailable."""
        app = QCoreApplication.instance()
        if app is None:
            return False
        self.uninstall()
        # English has a file too: it only holds plural forms ("1 interview", "2 interviews").
        for source in translation_sources().get(code, []):
            built = build(source, self.cache / "translations")
            translator = QTranslator(app)
            if built is not None and translator.load(str(built)):
                app.installTranslator(translator)
                self._translators.append(translator)
        if code == SOURCE_LANGUAGE:
            return True
        if not self._translators:
            log.warning("no translation for %s; the interface stays in English", code)
            return False
        self.language = code
        return True
