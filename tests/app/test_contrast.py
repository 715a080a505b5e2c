"""WCAG AA contrast (4.5:1) of every text colour in the style sheets and the palette, in the
normal, hover, selected, checked and focused states; the focus ring is not the selection."""

from __future__ import annotations

import re

import pytest
from PySide6.QtGui import QPalette

from app.style import INTERVIEW_STYLE, PALETTE, style_sheet

AA = 4.5
SURFACES = ("#ffffff", "#f5f7f8")  # cards and tables; the window behind everything else
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_DECL = re.compile(r"([a-z-]+)\s*:\s*([^;]+);?")


def luminance(colour: str) -> float:
    value = colour.lstrip("#")
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def rules(sheet: str) -> list[tuple[str, dict[str, str]]]:
    sheet = re.sub(r"/\*.*?\*/", "", sheet, flags=re.S)
    found = []
    for selectors, body in _RULE.findall(sheet):
        decls = {k: v.strip() for k, v in _DECL.findall(body)}
        for selector in selectors.split(","):
            found.append((selector.strip(), decls))
    return found


def _colour(value: str | None) -> str | None:
    if value is None:
        return None
    match = re.search(r"#[0-9a-fA-F]{6}\b", value)
    return match.group(0).lower() if match else None


def pairs() -> list[tuple[str, str, str]]:
    """(where, text colour, background colour) for every text colour the sheets set."""
    found = []
    for selector, decls in rules(style_sheet()) + rules(INTERVIEW_STYLE):
        if ":disabled" in selector:
            continue  # WCAG 1.4.3 exempts inactive controls
        text = _colour(decls.get("color"))
        back = _colour(decls.get("background") or decls.get("background-color"))
        if text:
            for surface in [back] if back else SURFACES:
                found.append((selector, text, surface))
        selected = _colour(decls.get("selection-color"))
        selected_back = _colour(decls.get("selection-background-color"))
        if selected or selected_back:
            assert selected and selected_back, f"{selector}: selection sets only one colour"
            found.append((selector + " (selected)", selected, selected_back))
    return found


def test_the_sheets_cover_every_state():
    selectors = " ".join(selector for selector, _, _ in pairs())
    for state in (":hover", ":checked", ":selected", "(selected)", ":default"):
        assert state in selectors, f"no text colour for the {state} state"
    assert len(pairs()) > 30


@pytest.mark.parametrize(("where", "text", "back"), pairs())
def test_text_meets_wcag_aa(where: str, text: str, back: str):
    ratio = contrast(text, back)
    assert ratio >= AA, f"{where}: {text} on {back} is {ratio:.2f}:1"


def test_palette_meets_wcag_aa():
    role = QPalette.ColorRole
    for text, back in (
        (role.HighlightedText, role.Highlight),
        (role.Text, role.Base),
        (role.WindowText, role.Window),
        (role.PlaceholderText, role.Base),
        (role.ToolTipText, role.ToolTipBase),
        (role.ButtonText, role.Base),
    ):
        assert contrast(PALETTE[text], PALETTE[back]) >= AA, (text, back)


def test_focus_ring_is_not_the_selection_colour():
    focus = {
        _colour(decls.get("border"))
        for selector, decls in rules(style_sheet())
        if selector.endswith(":focus")
    }
    selection = {
        _colour(decls.get("selection-background-color"))
        for _, decls in rules(style_sheet())
        if "selection-background-color" in decls
    } | {_colour(d.get("background")) for s, d in rules(style_sheet()) if ":checked" in s}
    focus.discard(None)
    assert focus and not focus & selection, "focus and selection share a colour"
    for ring in focus:  # a focus ring must stand out from what it surrounds (WCAG 1.4.11)
        for surface in SURFACES:
            assert contrast(ring, surface) >= 3.0
        for colour in selection:
            assert contrast(ring, colour) >= 1.5, "the ring must differ visibly from selection"


def test_the_running_app_uses_the_palette(qtbot):
    from PySide6.QtWidgets import QApplication

    from app.style import apply_style

    QApplication.instance().setProperty("screeningDeskStyled", False)
    apply_style(None)
    highlight = QApplication.palette().color(QPalette.ColorRole.Highlight).name()
    assert highlight == PALETTE[QPalette.ColorRole.Highlight]
