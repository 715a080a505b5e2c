"""SVG icons from resources/icons, rendered crisp at any device pixel ratio."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from app.settings import resource_dir

NAMES = ("app", "conflicts", "export", "hide", "lock", "new", "search", "settings", "sync")


@cache
def icon(name: str) -> QIcon:
    if name not in NAMES:
        raise KeyError(name)
    path = resource_dir() / "icons" / f"{name}.svg"
    # QIcon renders SVG through the iconengine plugin at whatever size is asked for.
    return QIcon(str(path))
