"""The "Received interviews" icon: an in-tray, drawn like resources/icons (24-unit grid, one
stroke colour) and kept here so the coordinator package is self-contained."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QRect, QSize, Qt
from PySide6.QtGui import QIcon, QIconEngine, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

RECEIVED_SVG = b"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">
  <g stroke="#2b4c63" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" fill="none">
    <path d="M4 14v4a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-4"/>
    <path d="M4 14h4.5l1.5 2.5h4l1.5-2.5H20"/>
    <path d="M12 3v9"/>
    <path d="M8.5 8.5L12 12l3.5-3.5"/>
  </g>
</svg>
"""


class _SvgEngine(QIconEngine):
    """Renders the SVG at whatever size and device pixel ratio is asked for."""

    def __init__(self, data: bytes) -> None:
        super().__init__()
        self._data = data
        self._renderer = QSvgRenderer(QByteArray(data))

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        if mode == QIcon.Mode.Disabled:
            painter.setOpacity(0.4)
        self._renderer.render(painter, rect)

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        pixmap = QPixmap(size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        self.paint(painter, QRect(0, 0, size.width(), size.height()), mode, state)
        painter.end()
        return pixmap

    def clone(self) -> QIconEngine:
        return _SvgEngine(self._data)


@cache
def received_icon() -> QIcon:
    return QIcon(_SvgEngine(RECEIVED_SVG))
