"""The case list page: the shared filtered list (`app/listing/page.py`) configured with the
screener's filters (status, form, outcome, start date) and a "Clear filters" button."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QHeaderView, QPushButton, QVBoxLayout, QWidget

from app.cases.model import COLUMNS, CaseTableModel
from app.cases.source import OUTCOMES, STATUSES, CaseQuery, CaseSource
from app.listing.page import FilteredListPage

# Fixed columns are as wide as these samples in the current font; form, status and outcome
# share what is left, so the list fits any window and any font size.
SAMPLES = {
    "id": "0000000000",
    "started": "2026-12-04 15:02",
    "language": "Crnogorski",
    "sync": "Not sent",
}
STRETCH = ("form", "status", "outcome")


class CaseListPage(FilteredListPage):
    """Emits `open_requested(interview_id)`; the window decides which view opens."""

    model: CaseTableModel
    status: QComboBox
    form: QComboBox
    outcome: QComboBox
    REQUERY_WHEN_EMPTY = True

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(CaseTableModel(), ("status", "form", "outcome"), parent)
        self.model.setParent(self)
        self._build_table()
        header = self.table.horizontalHeader()
        for key in STRETCH:
            header.setSectionResizeMode(COLUMNS.index(key), QHeaderView.ResizeMode.Stretch)
        self.size_columns()
        header.setSortIndicator(self.model.sort_column(), Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)
        self.model.query_changed.connect(self._sync_header)
        self.model.modelReset.connect(self._show_count)

        # Two rows: in one, the filters alone are wider than a 1024 px netbook at 14 pt.
        filters = self._filter_row(2, 8)
        dates = self._dates_row()
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
        self._forms = []
        self._titles = {}
        self.model.set_names({}, {})
        self._reset_filters(refill=self._fill_forms)

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
        start, end = self.date_range()
        return self.model.query.with_(
            search=self.search.text().strip(),
            status=self.status.currentData(),
            form_id=self.form.currentData(),
            outcome=self.outcome.currentData(),
            date_from=start,
            date_to=end,
        )

    def clear_filters(self) -> None:
        """Back to every interview: no search text, no filter (the sort order stays)."""
        self._reset_filters()
        self.apply_filters()
        self.search.setFocus(Qt.FocusReason.OtherFocusReason)

    def _fill_forms(self) -> None:
        forms = [(f, self._titles.get(f, f)) for f in self._forms]
        self._fill(self.form, self.tr("All forms"), forms)

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
