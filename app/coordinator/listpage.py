"""The received-interviews page: the shared filtered list (`app/listing/page.py`) configured
with a title, a busy bar and the coordinator's filters (status, form, centre, outcome,
override, interview date)."""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QProgressBar, QVBoxLayout, QWidget

from app.coordinator.model import COLUMNS, ReceivedModel
from app.coordinator.source import RECOMMENDATIONS, STATUSES, Choices, ReceivedQuery
from app.listing.page import FilteredListPage
from app.style import scale_font

WIDTHS = {
    "id": 100,
    "date": 140,
    "centre": 190,
    "form": 170,
    "status": 100,
    "outcome": 170,
    "override": 170,
}


class ReceivedPage(FilteredListPage):
    """Emits `open_requested(interview_id)` (Enter or a double-click) and `closed` (Esc)."""

    closed = Signal()
    KEY_SIGNALS = ((Qt.Key.Key_Escape, "closed"),)
    model: ReceivedModel
    status: QComboBox
    form: QComboBox
    centre: QComboBox
    outcome: QComboBox
    override: QComboBox

    def __init__(self, model: ReceivedModel, parent: QWidget | None = None) -> None:
        super().__init__(model, ("status", "form", "centre", "outcome", "override"), parent)
        self.setObjectName("receivedPage")
        self.title = QLabel(self)
        self.title.setObjectName("pageTitle")
        scale_font(self.title, 1.3, bold=True)
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)  # a query runs: how long is unknown
        self.busy.setMaximumWidth(120)
        self.busy.setTextVisible(False)
        self.busy.hide()
        self._build_table()
        self.empty.hide()
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        for key, width in WIDTHS.items():
            self.table.setColumnWidth(COLUMNS.index(key), width)
        header.setSortIndicator(model.sort_column(), Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)
        header.sortIndicatorChanged.connect(lambda *_: QTimer.singleShot(0, self._sync_header))
        model.modelReset.connect(self._show_count)
        model.loaded.connect(self._loaded)
        model.loading.connect(self._loading)

        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.busy)
        top.addWidget(self.count)
        # Sized by a few letters, not the longest entry: six filters must fit 1024 px.
        filters = self._filter_row(3, 6)
        when = self._dates_row()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addLayout(when)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        order = [self.search, *self.combos(), self.dates, self.date_from, self.date_to, self.table]
        for first, second in pairwise(order):
            self.setTabOrder(first, second)
        self._choices = Choices([], [])
        self.retranslate()

    # --------------------------------------------------------------- state

    def set_choices(self, choices: Choices) -> None:
        self._choices = choices
        self._fill_choices()

    def clear(self) -> None:
        """Forget everything shown (on lock): rows, search text, form and centre names."""
        self._search_timer.stop()
        self.model.clear()
        self._choices = Choices([], [])
        self._reset_filters(refill=self._fill_choices)

    def current_query(self) -> ReceivedQuery:
        start, end = self.date_range()
        return self.model.query.with_(
            search=self.search.text().strip(),
            status=self.status.currentData(),
            form_id=self.form.currentData(),
            centre=self.centre.currentData(),
            outcome=self.outcome.currentData(),
            overridden={"yes": True, "no": False}.get(self.override.currentData() or ""),
            date_from=start,
            date_to=end,
        )

    def focus_table(self) -> None:
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if not self.table.currentIndex().isValid() and self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, 0))

    # ------------------------------------------------------------- private

    def _sync_header(self) -> None:
        # Clicking the ID column sorts nothing: put the indicator back where the order is.
        header = self.table.horizontalHeader()
        q = self.model.query
        order = Qt.SortOrder.DescendingOrder if q.descending else Qt.SortOrder.AscendingOrder
        if (header.sortIndicatorSection(), header.sortIndicatorOrder()) != (
            self.model.sort_column(),
            order,
        ):
            header.blockSignals(True)
            header.setSortIndicator(self.model.sort_column(), order)
            header.blockSignals(False)

    def _loaded(self) -> None:
        # The first rows arrived while the table had the focus: put the cursor on the first.
        if self.table.hasFocus() and not self.table.currentIndex().isValid():
            self.focus_table()

    def _loading(self, busy: bool) -> None:
        self.busy.setVisible(busy)

    def _show_count(self) -> None:
        n = self.model.rowCount()
        # No plural forms: English ones would need a file of their own.
        self.count.setText(self.tr("Received interviews: %1").replace("%1", f"{n:,}"))
        if n or self.model.busy:
            self.empty.hide()
            return
        self.empty.setText(
            self.tr("No received interviews match the search and filters.")
            if self.model.query.filtered
            else self.tr("No interviews have been received yet. They arrive with sync.")
        )
        self.empty.show()

    def _fill_choices(self) -> None:
        self._fill(self.form, self.tr("All forms"), [(f, f) for f in self._choices.forms])
        self._fill(self.centre, self.tr("All centres"), [(c, c) for c in self._choices.centres])

    # ------------------------------------------------------------ Qt

    def retranslate(self) -> None:
        self.title.setText(self.tr("Received interviews"))
        self.title.setAccessibleName(self.tr("Received interviews"))
        self.search.setPlaceholderText(self.tr("Search by ID, form, centre or screener"))
        self.search.setAccessibleName(self.tr("Search received interviews"))
        self.status.setAccessibleName(self.tr("Status filter"))
        self.form.setAccessibleName(self.tr("Form filter"))
        self.centre.setAccessibleName(self.tr("Centre filter"))
        self.outcome.setAccessibleName(self.tr("Recommendation filter"))
        self.outcome.setToolTip(
            self.tr("The recommendation that stands: the screener's override where there is one.")
        )
        self.override.setAccessibleName(self.tr("Override filter"))
        self.dates.setText(self.tr("Interview date between"))
        self.dates.setAccessibleName(self.tr("Filter by interview date"))
        self.date_from.setAccessibleName(self.tr("Interview on or after"))
        self.date_to.setAccessibleName(self.tr("Interview on or before"))
        self.table.setAccessibleName(self.tr("Received interviews"))
        self.table.setAccessibleDescription(
            self.tr("Press Enter to open the selected interview; Escape goes back.")
        )
        self.table.horizontalHeader().setAccessibleName(self.tr("Columns: click to sort"))
        self.table.verticalHeader().setAccessibleName(self.tr("Rows"))
        self.count.setAccessibleName(self.tr("Number of received interviews"))
        self.busy.setAccessibleName(self.tr("Searching the vault"))
        self.empty.setAccessibleName(self.tr("No received interviews"))
        self._fill(
            self.status,
            self.tr("Completed and stopped"),
            [(s, self.model.status_name(s)) for s in STATUSES],
        )
        self._fill(
            self.outcome,
            self.tr("All recommendations"),
            [(o, self.model.outcome_name(o)) for o in RECOMMENDATIONS],
        )
        self._fill(
            self.override,
            self.tr("With or without override"),
            [("yes", self.tr("Overridden by the screener")), ("no", self.tr("Not overridden"))],
        )
        self._fill_choices()
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        self._show_count()
