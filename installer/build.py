"""Build the self-contained app folder `dist/screening-desk/` with PyInstaller.

    python -m pip install ".[installer]"
    python installer/build.py [--dist DIR] [--work DIR]

The folder holds three executables, `screening-desk` (the app), `screening` (the command
line) and `screening-hub`, sharing one `_internal/` folder with the Python runtime, Qt, the
shipped forms, the icons and style sheet, the interface translations (compiled here, from
the `.ts` sources, with the lrelease inside PySide6) and the DejaVu fonts for PDF slips and
reports; on Windows and macOS the programs carry the app icon (rendered here from
resources/icons/app.svg). Copy the whole folder; it needs neither Python nor this source tree.

The same script runs on Linux, Windows and macOS (docs/install.md); it builds for the system
it runs on. The fonts are taken from the system (Debian: fonts-dejavu-core) or from the
folder named by SCREENING_PDF_FONT_DIR.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NAME = "screening-desk"
FONTS = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
# (executable, entry script, console program)
EXECUTABLES = (
    ("screening-desk", "entry_desk.py", False),
    ("screening", "entry_screening.py", True),
    ("screening-hub", "entry_hub.py", True),
)
# Test and build tools that may be installed beside the app but are never part of it.
# setuptools and pkg_resources above all: PyInstaller's runtime hooks would import them at
# every start (~0.3 s), and nothing in the app uses them.
EXCLUDES = (
    "tkinter", "pytest", "_pytest", "hypothesis", "pytestqt", "pycanon", "pandas", "numpy",
    "PyInstaller", "ruff", "pgserver", "pypdf", "IPython", "matplotlib",
    "setuptools", "pkg_resources", "distutils", "_distutils_hack", "pip", "wheel",
)  # fmt: skip


class BuildError(Exception):
    pass


def compile_translations(stage: Path) -> list[Path]:
    """Every resources/translations/*.ts → a .qm named as app/i18n.py looks for it."""
    from app.i18n import built_name, find_lrelease

    tool = find_lrelease()
    if tool is None:
        raise BuildError("lrelease was not found (it ships inside PySide6; is it installed?)")
    out = stage / "resources" / "translations"
    out.mkdir(parents=True, exist_ok=True)
    built = []
    for source in sorted((ROOT / "resources" / "translations").glob("*.ts")):
        target = out / built_name(source)
        subprocess.run(
            [str(tool), "-silent", str(source), "-qm", str(target)], check=True, timeout=120
        )
        built.append(target)
    if not built:
        raise BuildError("no translation sources in resources/translations")
    return built


def collect_fonts(stage: Path) -> Path:
    from screening.export.pdfdoc import font_path

    folder = stage / "fonts"
    folder.mkdir(parents=True, exist_ok=True)
    for name in FONTS:
        source = font_path(name)  # one clear sentence when the font is missing
        shutil.copy2(source, folder / name)
    licence = Path("/usr/share/doc/fonts-dejavu-core/copyright")
    if licence.is_file():
        shutil.copy2(licence, folder / "LICENSE-DejaVu.txt")
    return folder


def render_icon(stage: Path, size: int = 256) -> Path:
    """resources/icons/app.svg as a PNG for the executables' icon. PyInstaller turns it into
    the .ico (Windows) or .icns (macOS) it needs with Pillow (installed with fpdf2); Linux
    programs carry no icon."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 (painting needs it)
    renderer = QSvgRenderer(str(ROOT / "resources" / "icons" / "app.svg"))
    if not renderer.isValid():
        raise BuildError("resources/icons/app.svg could not be read")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    out = stage / "app-icon.png"
    out.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(out)):
        raise BuildError(f"the icon could not be written to {out}")
    return out


def spec_text(stage: Path) -> str:
    """The PyInstaller spec: one Analysis per executable, one shared folder (COLLECT)."""
    datas = [
        (str(ROOT / "forms" / "*.json"), "forms"),
        # Earlier versions: interviews recorded on them still open (docs/forms.md).
        (str(ROOT / "forms" / "archive" / "*.json"), "forms/archive"),
        # The ILO/EC indicator catalogue every form's tags name (docs/scoring.md).
        (str(ROOT / "screening" / "forms" / "indicator_catalogue.json"), "screening/forms"),
        (str(ROOT / "resources" / "app.qss"), "resources"),
        (str(ROOT / "resources" / "icons"), "resources/icons"),
        (str(ROOT / "resources" / "translations"), "resources/translations"),
        (str(stage / "resources" / "translations"), "resources/translations"),
        (str(stage / "fonts"), "fonts"),
    ]
    # Only Windows and macOS programs carry an icon (PyInstaller warns elsewhere).
    icon = str(stage / "app-icon.png") if sys.platform in ("win32", "darwin") else None
    lines = [
        "# Generated by installer/build.py; edit that script, not this file.",
        "from PyInstaller.utils.hooks import collect_data_files, collect_submodules",
        f"ROOT = {str(ROOT)!r}",
        f"DATAS = {datas!r}",
        "DATAS += collect_data_files('zxcvbn') + collect_data_files('fpdf')",
        "HIDDEN = ['forms', 'resources', 'installer_runtime']",
        "HIDDEN += collect_submodules('hub') + collect_submodules('screening')",
        "HIDDEN += collect_submodules('uvicorn')",
        "HIDDEN += ['psycopg_binary', 'sqlcipher3']",
        f"EXCLUDES = {list(EXCLUDES)!r}",
        "exes = []",
        "analyses = []",
    ]
    for exe_name, script, console in EXECUTABLES:
        lines += [
            "a = Analysis(",
            f"    [{str(ROOT / 'installer' / script)!r}],",
            f"    pathex=[ROOT, {str(ROOT / 'installer')!r}],",
            "    datas=DATAS, hiddenimports=HIDDEN, excludes=EXCLUDES, noarchive=True,",
            ")",
            "analyses.append(a)",
            "pyz = PYZ(a.pure)",
            "exes.append(EXE(",
            "    pyz, a.scripts, [], exclude_binaries=True,",
            f"    name={exe_name!r}, console={console!r}, strip=False, upx=False,",
            f"    icon={icon!r},",
            "))",
        ]
    lines += [
        "parts = []",
        "for a in analyses:",
        "    parts += [a.binaries, a.datas]",
        f"COLLECT(*exes, *parts, strip=False, upx=False, name={NAME!r})",
    ]
    return "\n".join(lines) + "\n"


def build(dist: Path, work: Path) -> Path:
    try:
        import PyInstaller.__main__ as pyinstaller
    except ImportError:
        raise BuildError('PyInstaller is not installed: pip install ".[installer]"') from None
    stage = work / "stage"
    shutil.rmtree(stage, ignore_errors=True)
    compile_translations(stage)
    collect_fonts(stage)
    render_icon(stage)
    spec = work / f"{NAME}.spec"
    spec.parent.mkdir(parents=True, exist_ok=True)
    spec.write_text(spec_text(stage), encoding="utf-8")
    pyinstaller.run(
        [str(spec), "--noconfirm", "--clean", "--log-level=WARN",
         "--distpath", str(dist), "--workpath", str(work / "pyinstaller")]
    )  # fmt: skip
    return dist / NAME


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "installer")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))  # this tree's app/ and screening/, installed or not
    started = time.monotonic()
    try:
        folder = build(args.dist.resolve(), args.work.resolve())
    except (BuildError, subprocess.CalledProcessError) as exc:
        print(f"build.py: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:
        if type(exc).__name__ != "ExportError":  # a missing font: one sentence
            raise
        print(f"build.py: {exc}", file=sys.stderr)
        return 1
    size = folder_size(folder) / 2**20
    print(f"Built {folder} ({size:.0f} MiB) in {time.monotonic() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
