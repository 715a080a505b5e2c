"""`PagedListModel`: a list of interviews as a windowed view over the vault.

Rows are read a page (200) at a time, only when the view asks for them (the visible rows),
and 16 pages are kept, so the model is as quick with 100,000 interviews as with ten.
Nothing is sorted or filtered in Python: a query change resets the model.

The case list (`app/cases/model.py`) and the received list (`app/coordinator/model.py`)
configure it: their columns and titles, how many rows match, how a page is read, and the
text of a cell. The base holds no strings, so every title stays in its list's context.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.listing import names

PAGE_SIZE = 200
MAX_PAGES = 16
Index = QModelIndex | QPersistentModelIndex


class PagedListModel(QAbstractTableModel):
    """Each row has an `id` (the interview's); `data(UserRole)` gives it."""

    COLUMNS: tuple[str, ...] = ()
    TOOLTIP_COLUMNS: tuple[str, ...] = ("id",)  # columns whose cells explain themselves

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._pages: OrderedDict[int, list[Any]] = OrderedDict()

    # ------------------------------------------------------- configuration

    @property
    def query(self) -> Any:
        """The list's current query (a `screening.vault.listing.ListQuery`)."""
        raise NotImplementedError

    def set_query(self, query: Any) -> None:
        raise NotImplementedError

    def _row_total(self) -> int:
        raise NotImplementedError

    def _read_page(self, number: int) -> list[Any] | None:
        """Rows `number * PAGE_SIZE` onwards (None in a slot: that row is gone), or None
        when the page cannot be read now (it is asked for again later)."""
        raise NotImplementedError

    def _has_source(self) -> bool:
        raise NotImplementedError

    def column_title(self, key: str) -> str:
        raise NotImplementedError

    def _text(self, row: Any, key: str) -> str:
        raise NotImplementedError

    def _tooltip(self, row: Any, key: str) -> str | None:
        return str(row.id) if key == "id" else None

    # ---------------------------------------------------------------- rows

    def _forget_pages(self) -> None:
        self._pages.clear()

    def row(self, row: int) -> Any:
        if not self._has_source() or not 0 <= row < self._row_total():
            return None
        number = row // PAGE_SIZE
        page = self._pages.get(number)
        if page is None:
            page = self._read_page(number)
            if page is None:
                return None
            self._pages[number] = page
            while len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        offset = row - number * PAGE_SIZE
        # Rows can vanish between count and read (another program purged some).
        return page[offset] if offset < len(page) else None

    def interview_id(self, row: int) -> str | None:
        found = self.row(row)
        return None if found is None else found.id

    def status_name(self, status: str) -> str:
        return names.status_name(status)

    def outcome_name(self, outcome: str) -> str:
        return names.outcome_name(outcome)

    # ------------------------------------------------------------ Qt model

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self._row_total()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.COLUMNS):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.column_title(self.COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        key = self.COLUMNS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            found = self.row(index.row())
            return None if found is None else self._text(found, key)
        if role == Qt.ItemDataRole.ToolTipRole and key in self.TOOLTIP_COLUMNS:
            found = self.row(index.row())
            return None if found is None else self._tooltip(found, key)
        if role == Qt.ItemDataRole.UserRole:
            found = self.row(index.row())
            return None if found is None else found.id
        return None
