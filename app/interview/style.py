"""A calm look: muted hints, soft warnings, larger question text. Colours only in the style
sheet, so the shell's font size setting still applies; sizes are relative to the app font."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

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


def scale_font(widget: QWidget, factor: float, *, bold: bool = False) -> None:
    from app.style import scale_font as scale

    scale(widget, factor, bold=bold)
