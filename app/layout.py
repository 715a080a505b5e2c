"""Layout helpers shared by the full-window pages (first run, unlock)."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget


def card(parent: QWidget, width: int = 560) -> tuple[QWidget, QVBoxLayout]:
    """A centred column of fixed width, so long forms stay readable on a wide screen."""
    inner = QWidget(parent)
    inner.setObjectName("card")
    # A fixed width inside a row of stretches, not a maximum width plus centring: wrapped
    # labels make Qt ask for the height at a given width, and with centring it asks at the
    # page's width, gives the card too little height and squashes the fields.
    inner.setFixedWidth(width)
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(inner)
    row.addStretch(1)
    outer = QVBoxLayout(parent)
    outer.addStretch(1)
    outer.addLayout(row)
    outer.addStretch(2)
    layout = QVBoxLayout(inner)
    layout.setContentsMargins(28, 24, 28, 24)
    layout.setSpacing(12)
    return inner, layout
