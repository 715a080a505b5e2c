"""The calm look: one style sheet from resources/, and the interface font size."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QWidget

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
        app.setPalette(palette(app.palette()))
        app.setStyleSheet(style_sheet())
        app.setProperty("screeningDeskStyled", True)
    if not _default_point_size:
        _default_point_size.append(app.font().pointSizeF())
    font = QFont(app.font())
    # Sizes live in the font, not in the style sheet, so the setting reaches every widget.
    font.setPointSizeF(float(font_size) if font_size else _default_point_size[0])
    app.setFont(font)
    # With a style sheet set, Qt does not pass a new application font on to widgets that
    # already exist; every open widget gets it here, scaled ones (titles) by their factor.
    for widget in app.allWidgets():
        _refont(widget, font)


# Colours the style sheet cannot reach (text selected in a line edit, calendar pop-ups,
# placeholders): Fusion's default highlight #308cc6 under white text is only 3.6:1.
PALETTE = {
    QPalette.ColorRole.Highlight: "#1d4f73",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.PlaceholderText: "#5b6472",
    QPalette.ColorRole.Text: "#1d3444",
    QPalette.ColorRole.WindowText: "#1d3444",
    QPalette.ColorRole.ButtonText: "#1d3444",
    QPalette.ColorRole.Base: "#ffffff",
    QPalette.ColorRole.Window: "#f5f7f8",
    QPalette.ColorRole.ToolTipBase: "#10222e",
    QPalette.ColorRole.ToolTipText: "#ffffff",
}


def palette(base: QPalette) -> QPalette:
    result = QPalette(base)
    for role, colour in PALETTE.items():
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            result.setColor(group, role, QColor(colour))
    return result


def scale_font(widget: QWidget, factor: float, *, bold: bool = False) -> None:
    """A font relative to the interface size, kept relative when the size setting changes."""
    widget.setProperty("fontScale", factor)
    widget.setProperty("fontBold", bold)
    app = QApplication.instance()
    base = app.font() if isinstance(app, QApplication) else widget.font()
    _refont(widget, base)


def _refont(widget: QWidget, base: QFont) -> None:
    font = QFont(base)
    scale = widget.property("fontScale")
    if scale is not None:
        if base.pointSizeF() > 0:
            font.setPointSizeF(base.pointSizeF() * float(scale))
        font.setBold(bool(widget.property("fontBold")))
    widget.setFont(font)


# The interview and outcome views' own look: muted hints, soft warnings, larger question text.
# Colours only, so the font size setting still applies (sizes come from `scale_font`).
INTERVIEW_STYLE = """
QLabel[role="hint"] { color: #4b5563; font-style: italic; }
QLabel[role="caption"] { color: #5b6472; }
QLabel[role="language"] { color: #10222e; background: #e3eef6; border: 1px solid #9cc0dc;
                          border-radius: 4px; padding: 4px 8px; font-weight: bold; }
QLabel[role="state"] { color: #4b5563; }
QLabel[role="error"] { color: #9a3412; background: #fff7ed; border: 1px solid #fed7aa;
                       border-radius: 4px; padding: 6px; }
QLabel[role="note"] { color: #1d3444; background: #f1f5f9; border-radius: 4px; padding: 8px; }
QFrame#questionBlock { border-bottom: 1px solid #e5e7eb; }
"""
