"""installer/build.py: the frozen executables are the installed commands, translations prebuilt."""

from __future__ import annotations

import ast
import importlib.util
import shutil
import sys
import tomllib
from pathlib import Path
from types import ModuleType

from app import i18n

ROOT = Path(__file__).resolve().parents[2]


def load_build() -> ModuleType:
    path = ROOT / "installer" / "build.py"
    spec = importlib.util.spec_from_file_location("installer_build", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def entry_target(script: Path) -> str:
    """`module:function` that an entry script imports and calls."""
    for node in ast.walk(ast.parse(script.read_text(encoding="utf-8"))):
        skip = ("__future__", "installer_runtime")
        if isinstance(node, ast.ImportFrom) and node.module and node.module not in skip:
            return f"{node.module}:{node.names[0].name}"
    raise AssertionError(f"{script} imports no main")


def test_every_installed_command_is_frozen_with_the_same_entry_point() -> None:
    build = load_build()
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["scripts"]
    installer = ROOT / "installer"
    frozen = {name: entry_target(installer / entry) for name, entry, _ in build.EXECUTABLES}
    assert frozen == scripts
    spec = build.spec_text(Path("/stage"))
    for name, entry, console in build.EXECUTABLES:
        assert f"name={name!r}, console={console!r}" in spec and entry in spec
    assert "screening-desk" in [name for name, _, console in build.EXECUTABLES if not console]


def test_translations_compiled_at_build_time_are_used_without_lrelease(tmp_path: Path) -> None:
    build = load_build()
    built = build.compile_translations(tmp_path / "stage")
    sources = sorted((ROOT / "resources" / "translations").glob("*.ts"))
    assert [p.name for p in built] == [i18n.built_name(s) for s in sources]
    # The bundle's layout: each .qm beside its .ts. The app must take it from there and
    # build nothing into its cache (a frozen app has no lrelease).
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    for source, qm in zip(sources, built, strict=True):
        shutil.copy2(source, bundle / source.name)
        shutil.copy2(qm, bundle / qm.name)
    cache = tmp_path / "cache"
    for source in sources:
        found = i18n.build(bundle / source.name, cache)
        assert found == bundle / i18n.built_name(source)
    assert not cache.exists()


def test_the_icon_is_rendered_from_the_svg(tmp_path: Path, qapp: object) -> None:
    # qapp: the suite's QApplication, so that render_icon does not make a QGuiApplication
    # that later widget tests could not replace.
    from PySide6.QtGui import QImage

    build = load_build()
    png = build.render_icon(tmp_path, size=64)
    image = QImage(str(png))
    assert image.width() == 64 and image.height() == 64
    # Drawn, not blank: some pixels are opaque and some are not the same as the first one.
    pixels = {image.pixel(x, y) for x in range(0, 64, 4) for y in range(0, 64, 4)}
    assert len(pixels) > 2
    named = f"icon={str(tmp_path / 'app-icon.png')!r}" in build.spec_text(tmp_path)
    assert named == (sys.platform in ("win32", "darwin"))
