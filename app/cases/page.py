"""The case list page: search, filters, and the table of interviews."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QEvent, QModelIndex, Qt, QTimer, Signal
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
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.cases.model import COLUMNS, CaseTableModel
from app.cases.source import OUTCOMES, STATUSES, CaseQuery, CaseSource
from app.icons import icon

SEARCH_DELAY_MS = 250
# Fixed columns are as wide as these samples in the current font; form, status and outcome
# share what is left, so the list fits any window and any font size.
SAMPLES = {
    "id": "0000000000",
    "started": "2026-12-04 15:02",
    "language": "Crnogorski",
    "sync": "Not sent",
}
STRETCH = ("form", "status", "outcome")


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


class CaseListPage(QWidget):
    """Emits `open_requested(interview_id)`; the window decides which view opens."""

    open_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = CaseTableModel(self)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filters)

        self.search = QLineEdit(self)
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self.apply_filters)
        self.status = QComboBox(self)
        self.form = QComboBox(self)
        self.outcome = QComboBox(self)
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
        for combo in (self.status, self.form, self.outcome):
            combo.currentIndexChanged.connect(self.apply_filters)
        self.count = QLabel(self)
        self.empty = QLabel(self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setObjectName("emptyState")

        self.table = CaseTable(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        # Fixed row heights: the view never measures rows it does not show.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for key in STRETCH:
            header.setSectionResizeMode(COLUMNS.index(key), QHeaderView.ResizeMode.Stretch)
        self.size_columns()
        header.setSortIndicator(self.model.sort_column(), Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)
        self.table.open_requested.connect(self._open_row)
        self.model.query_changed.connect(self._sync_header)
        self.model.modelReset.connect(self._show_count)

        # Two rows: in one, the filters alone are wider than a 1024 px netbook at 14 pt.
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        for widget in (self.status, self.form, self.outcome):
            widget.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            widget.setMinimumContentsLength(8)
            filters.addWidget(widget, 1)
        dates = QHBoxLayout()
        dates.addWidget(self.dates)
        dates.addWidget(self.date_from)
        dates.addWidget(self.date_to)
        dates.addStretch(1)
        self.clear_filters_button = QPushButton(self)
        self.clear_filters_button.clicked.connect(self.clear_filters)
        dates.addWidget(self.clear_filters_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(dates)
        layout.addWidget(self.count)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        self.setTabOrder(self.search, self.status)
        self.setTabOrder(self.status, self.form)
        self.setTabOrder(self.form, self.outcome)
        self.setTabOrder(self.outcome, self.dates)
        self.setTabOrder(self.dates, self.date_from)
        self.setTabOrder(self.date_from, self.date_to)
        self.setTabOrder(self.date_to, self.clear_filters_button)
        self.setTabOrder(self.clear_filters_button, self.table)
        self._forms: list[str] = []
        self._titles: dict[str, str] = {}
        self.retranslate()

    # --------------------------------------------------------------- vault

    def attach(self, source: CaseSource, ui_language: str = "en") -> None:
        self._forms = source.form_ids()
        self._titles, languages = source.titles(ui_language)
        self.model.set_names(self._titles, languages)
        self._fill_forms()
        self.model.attach(source)
        self.apply_filters()

    def clear(self) -> None:
        """Forget everything shown (on lock): rows, search text, form names."""
        self._search_timer.stop()
        self.model.clear()
        for widget in (self.search, self.status, self.form, self.outcome, self.dates):
            widget.blockSignals(True)
        self.search.clear()
        self.status.setCurrentIndex(0)
        self.outcome.setCurrentIndex(0)
        self.dates.setChecked(False)
        self._forms = []
        self._titles = {}
        self.model.set_names({}, {})
        self._fill_forms()
        for widget in (self.search, self.status, self.form, self.outcome, self.dates):
            widget.blockSignals(False)
        self.date_from.setEnabled(False)
        self.date_to.setEnabled(False)

    def refresh(self) -> None:
        source = self.model.source
        if source is not None:  # a new interview may bring a form the filter did not list
            forms = source.form_ids()
            if forms != self._forms:
                self._forms = forms
                self._fill_forms()
        row = self.table.currentIndex().row()
        self.model.refresh()
        if 0 <= row < self.model.rowCount():
            self.table.selectRow(row)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # ------------------------------------------------------------- filters

    def current_query(self) -> CaseQuery:
        q = self.model.query
        start: date | None = None
        end: date | None = None
        if self.dates.isChecked():
            start = self.date_from.date().toPython()
            end = self.date_to.date().toPython()
        return q.with_(
            search=self.search.text().strip(),
            status=self.status.currentData(),
            form_id=self.form.currentData(),
            outcome=self.outcome.currentData(),
            date_from=start,
            date_to=end,
        )

    def apply_filters(self) -> None:
        self._search_timer.stop()
        query = self.current_query()
        if query != self.model.query or self.model.rowCount() == 0:
            self.model.set_query(query)

    def clear_filters(self) -> None:
        """Back to every interview: no search text, no filter (the sort order stays)."""
        for widget in (self.search, self.status, self.form, self.outcome, self.dates):
            widget.blockSignals(True)
        self.search.clear()
        for combo in (self.status, self.form, self.outcome):
            combo.setCurrentIndex(0)
        self.dates.setChecked(False)
        for widget in (self.search, self.status, self.form, self.outcome, self.dates):
            widget.blockSignals(False)
        self.date_from.setEnabled(False)
        self.date_to.setEnabled(False)
        self.apply_filters()
        self.search.setFocus(Qt.FocusReason.OtherFocusReason)

    def _dates_toggled(self, on: bool) -> None:
        self.date_from.setEnabled(on)
        self.date_to.setEnabled(on)
        self.apply_filters()

    def _fill_forms(self) -> None:
        current = self.form.currentData()
        self.form.blockSignals(True)
        self.form.clear()
        self.form.addItem(self.tr("All forms"), None)
        for form_id in self._forms:
            self.form.addItem(self._titles.get(form_id, form_id), form_id)
        found = self.form.findData(current)
        self.form.setCurrentIndex(max(0, found))
        self.form.blockSignals(False)

    def _fill(self, combo: QComboBox, everything: str, items: list[tuple[str, str]]) -> None:
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

    def _sync_header(self) -> None:
        header = self.table.horizontalHeader()
        order = (
            Qt.SortOrder.DescendingOrder
            if self.model.query.descending
            else (Qt.SortOrder.AscendingOrder)
        )
        header.blockSignals(True)
        header.setSortIndicator(self.model.sort_column(), order)
        header.blockSignals(False)

    def _show_count(self) -> None:
        n = self.model.rowCount()
        self.count.setText(self.tr("%Ln interview(s)", "", n))
        filtered = self.current_query() != CaseQuery(
            order_by=self.model.query.order_by, descending=self.model.query.descending
        )
        self.clear_filters_button.setEnabled(filtered)
        if n:
            self.empty.hide()
        else:
            self.empty.setText(
                self.tr("No interviews match the search and filters.")
                if filtered
                else self.tr("No interviews yet. Press Ctrl+N to start a new interview.")
            )
            self.empty.show()

    # ----------------------------------------------------------- language

    def size_columns(self) -> None:
        metrics = self.table.fontMetrics()
        for key, sample in SAMPLES.items():
            self.table.setColumnWidth(COLUMNS.index(key), metrics.horizontalAdvance(sample) + 24)
        self.table.verticalHeader().setDefaultSectionSize(metrics.height() + 10)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.size_columns()

    def retranslate(self) -> None:
        self.search.setPlaceholderText(self.tr("Search by ID, form, place or screener"))
        self.search.setAccessibleName(self.tr("Search interviews"))
        self.status.setAccessibleName(self.tr("Status filter"))
        self.form.setAccessibleName(self.tr("Form filter"))
        self.outcome.setAccessibleName(self.tr("Outcome filter"))
        self.dates.setText(self.tr("Started between"))
        self.clear_filters_button.setText(self.tr("Clear filters"))
        self.clear_filters_button.setAccessibleName(self.tr("Clear search and filters"))
        self.dates.setAccessibleName(self.tr("Filter by start date"))
        self.date_from.setAccessibleName(self.tr("Started on or after"))
        self.date_to.setAccessibleName(self.tr("Started on or before"))
        self.table.setAccessibleName(self.tr("Interviews"))
        self.table.horizontalHeader().setAccessibleName(self.tr("Columns: click to sort"))
        self.table.verticalHeader().setAccessibleName(self.tr("Rows"))
        self.count.setAccessibleName(self.tr("Number of interviews"))
        self.empty.setAccessibleName(self.tr("No interviews"))
        self._fill(
            self.status,
            self.tr("All statuses"),
            [(s, self.model.status_name(s)) for s in STATUSES],
        )
        self._fill(
            self.outcome,
            self.tr("All outcomes"),
            [(o, self.model.outcome_name(o)) for o in OUTCOMES],
        )
        self._fill_forms()
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        self._show_count()

    def current_index(self) -> QModelIndex:
        return self.table.currentIndex()
