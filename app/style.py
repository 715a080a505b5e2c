"""The calm look: one style sheet from resources/, and the interface font size."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from app.settings import resource_dir

_default_point_size: list[float] = []


def style_sheet() -> str:
    return (resource_dir() / "app.qss").read_text(encoding="utf-8")


def apply_style(font_size: int | None = None) -> None:
    """Apply the style sheet (once) and the font size to the running application."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    if not app.property("screeningDeskStyled"):
        if app.style().name().lower() != "fusion":
            app.setStyle("Fusion")  # the same look on every platform the laptops run
        app.setStyleSheet(style_sheet())
        app.setProperty("screeningDeskStyled", True)
    if not _default_point_size:
        _default_point_size.append(app.font().pointSizeF())
    font = QFont(app.font())
    # Sizes live in the font, not in the style sheet, so the setting reaches every widget.
    font.setPointSizeF(float(font_size) if font_size else _default_point_size[0])
    app.setFont(font)
