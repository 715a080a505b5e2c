"""Form text on screen, shared by the interview, outcome and coordinator views: a language's
direction and name, and the plain-text label that never interprets form text as HTML."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from screening.forms.compiler import CompiledForm
from screening.forms.model import Direction

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignAbsolute
# A right-to-left mark in front of text that starts with a number or symbol ("1  نعم") keeps
# the number beside the radio button instead of at the far end of the Arabic words.
RLM = "\u200f"


def set_direction(widget: QWidget, rtl: bool) -> None:
    widget.setLayoutDirection(
        Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
    )


def text_label(text: str, *, rtl: bool = False, name: str = "", role: str = "") -> QLabel:
    """A wrapped plain-text label: form text is never interpreted as HTML."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    set_direction(label, rtl)
    # Absolute alignment: a right-to-left widget would otherwise mirror AlignRight to the left.
    label.setAlignment((RIGHT if rtl else LEFT) | Qt.AlignmentFlag.AlignTop)
    if role:
        label.setProperty("role", role)
    label.setAccessibleName(name or text[:80])
    return label


def is_rtl(form: CompiledForm, language: str) -> bool:
    lang = form.form.language(language)
    return lang is not None and lang.direction == Direction.RTL


def language_name(form: CompiledForm, language: str) -> str:
    lang = form.form.language(language)
    return lang.name if lang is not None else language
