"""`FilteredListPage`: a search field, filter lists, a date range and the table of a paged
list of interviews (`app/listing/model.py`).

The case list (`app/cases/page.py`) and the received list (`app/coordinator/listpage.py`)
configure it: which filters it has, how the rows are laid out, the query they build and
every word shown (so each list's strings stay in its own translation context). Searching
waits for a pause in typing; Enter or a double-click on a row opens that interview.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QWidget,
)

from app.icons import icon
from app.listing.model import PagedListModel
from app.page_events import PageEvents

SEARCH_DELAY_MS = 250


class CaseTable(QTableView):
    """Enter or a double-click opens the current interview (and nothing else does)."""

    open_requested = Signal(int)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_requested.emit(self.currentIndex().row())
            return
        super().keyPressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        index = self.indexAt(event.position().toPoint())
        if index.isValid():
            self.open_requested.emit(index.row())
            return
        super().mouseDoubleClickEvent(event)


class FilteredListPage(PageEvents, QWidget):
    """Emits `open_requested(interview_id)`. One `QComboBox` attribute per name in `filters`,
    in that order (`combos()`); the subclass fills them and lays the widgets out."""

    open_requested = Signal(str)
    # Ask the vault again even for an unchanged query while the list is empty (the case list:
    # a first interview may have been saved since).
    REQUERY_WHEN_EMPTY = False

    def __init__(
        self, model: PagedListModel, filters: Sequence[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.model = model
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filters)

        self.search = QLineEdit(self)
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self.apply_filters)
        self._combos = tuple(QComboBox(self) for _name in filters)
        for name, combo in zip(filters, self._combos, strict=True):
            setattr(self, name, combo)
        self.dates = QCheckBox(self)
        self.date_from = QDateEdit(self, calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.date_to = QDateEdit(self, calendarPopup=True, displayFormat="yyyy-MM-dd")
        today = QDate.currentDate()
        self.date_from.setDate(today.addDays(-30))
        self.date_to.setDate(today)
        for edit in (self.date_from, self.date_to):
            edit.setEnabled(False)
            edit.dateChanged.connect(self.apply_filters)
        self.dates.toggled.connect(self._dates_toggled)
        for combo in self._combos:
            combo.currentIndexChanged.connect(self.apply_filters)
        self.count = QLabel(self)

    def _build_table(self) -> None:
        """The empty-state label and the table (after the subclass's own widgets)."""
        self.empty = QLabel(self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setObjectName("emptyState")
        self.table = CaseTable(self)  # Enter or a double-click: open_requested(row)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        # Fixed row heights: the view never measures rows it does not show.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.open_requested.connect(self._open_row)

    def combos(self) -> tuple[QComboBox, ...]:
        return self._combos

    def _filter_row(self, search_stretch: int, letters: int) -> QHBoxLayout:
        """The search field and the filters, each filter sized by `letters`, not its longest
        entry, so that the row fits a 1024 px netbook."""
        row = QHBoxLayout()
        row.addWidget(self.search, search_stretch)
        for combo in self._combos:
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(letters)
            row.addWidget(combo, 1)
        return row

    def _dates_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(self.dates)
        row.addWidget(self.date_from)
        row.addWidget(self.date_to)
        row.addStretch(1)
        return row

    # ------------------------------------------------------------- filters

    def current_query(self) -> object:
        raise NotImplementedError

    def date_range(self) -> tuple[date | None, date | None]:
        """The chosen days (local, inclusive), or (None, None) when the range is off."""
        if not self.dates.isChecked():
            return None, None
        return self.date_from.date().toPython(), self.date_to.date().toPython()

    def apply_filters(self) -> None:
        self._search_timer.stop()
        query = self.current_query()
        if query != self.model.query or (self.REQUERY_WHEN_EMPTY and self.model.rowCount() == 0):
            self.model.set_query(query)

    def _reset_filters(self, refill: Callable[[], None] | None = None) -> None:
        """No search text, every filter on its first entry, no date range; no query yet."""
        widgets = (self.search, *self._combos, self.dates)
        for widget in widgets:
            widget.blockSignals(True)
        self.search.clear()
        for combo in self._combos:
            combo.setCurrentIndex(0)
        self.dates.setChecked(False)
        if refill is not None:
            refill()
        for widget in widgets:
            widget.blockSignals(False)
        self.date_from.setEnabled(False)
        self.date_to.setEnabled(False)

    def _dates_toggled(self, on: bool) -> None:
        self.date_from.setEnabled(on)
        self.date_to.setEnabled(on)
        self.apply_filters()

    def _fill(self, combo: QComboBox, everything: str, items: list[tuple[str, str]]) -> None:
        """`everything` (no filter) and then the items, keeping the current choice."""
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(everything, None)
        for value, text in items:
            combo.addItem(text, value)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        combo.blockSignals(False)

    def _open_row(self, row: int) -> None:
        interview_id = self.model.interview_id(row)
        if interview_id is not None:
            self.open_requested.emit(interview_id)
