"""Layout helpers shared by the full-window pages (first run, unlock)."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QScrollArea, QVBoxLayout, QWidget


def card(parent: QWidget, width: int = 560) -> tuple[QWidget, QVBoxLayout]:
    """A centred column of fixed width, so long forms stay readable on a wide screen.

    The column sits in a scroll area: on a 600 px netbook at a large font the first-run form
    is taller than the window, and without scrolling Qt squashes its fields to slivers and
    grows the window past the screen.
    """
    scroll = QScrollArea(parent)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setObjectName("cardScroll")
    page = QWidget()
    page.setObjectName("cardPage")
    scroll.setWidget(page)
    inner = QWidget(page)
    inner.setObjectName("card")
    # A fixed width inside a row of stretches, not a maximum width plus centring: wrapped
    # labels make Qt ask for the height at a given width, and with centring it asks at the
    # page's width, gives the card too little height and squashes the fields.
    inner.setFixedWidth(width)
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(inner)
    row.addStretch(1)
    column = QVBoxLayout(page)
    column.addStretch(1)
    column.addLayout(row)
    column.addStretch(2)
    outer = QVBoxLayout(parent)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(scroll)
    layout = QVBoxLayout(inner)
    layout.setContentsMargins(28, 24, 28, 24)
    layout.setSpacing(12)
    return inner, layout
