"""The received-interviews page: search, filters, and the table a coordinator works through."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

from PySide6.QtCore import QDate, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from app.cases.page import CaseTable
from app.coordinator.model import COLUMNS, ReceivedModel
from app.coordinator.source import RECOMMENDATIONS, STATUSES, Choices, ReceivedQuery
from app.icons import icon
from app.style import scale_font

SEARCH_DELAY_MS = 250
WIDTHS = {
    "id": 100,
    "date": 140,
    "centre": 190,
    "form": 170,
    "status": 100,
    "outcome": 170,
    "override": 170,
}


class ReceivedPage(QWidget):
    """Emits `open_requested(interview_id)` (Enter or a double-click) and `closed` (Esc)."""

    open_requested = Signal(str)
    closed = Signal()

    def __init__(self, model: ReceivedModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("receivedPage")
        self.model = model
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filters)
        self.title = QLabel(self)
        self.title.setObjectName("pageTitle")
        scale_font(self.title, 1.3, bold=True)

        self.search = QLineEdit(self)
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self.apply_filters)
        self.status = QComboBox(self)
        self.form = QComboBox(self)
        self.centre = QComboBox(self)
        self.outcome = QComboBox(self)
        self.override = QComboBox(self)
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
        for combo in self.combos():
            combo.currentIndexChanged.connect(self.apply_filters)
        self.count = QLabel(self)
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)  # a query runs: how long is unknown
        self.busy.setMaximumWidth(120)
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.empty = QLabel(self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setObjectName("emptyState")
        self.empty.hide()

        self.table = CaseTable(self)  # Enter or a double-click: open_requested(row)
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        # Fixed row heights: the view never measures rows it does not show.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for key, width in WIDTHS.items():
            self.table.setColumnWidth(COLUMNS.index(key), width)
        header.setSortIndicator(model.sort_column(), Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)
        header.sortIndicatorChanged.connect(lambda *_: QTimer.singleShot(0, self._sync_header))
        self.table.open_requested.connect(self._open_row)
        model.modelReset.connect(self._show_count)
        model.loaded.connect(self._loaded)
        model.loading.connect(self._loading)

        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.busy)
        top.addWidget(self.count)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        for widget in (self.status, self.form, self.centre, self.outcome, self.override):
            # Sized by a few letters, not the longest entry: six filters must fit 1024 px.
            widget.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            widget.setMinimumContentsLength(6)
            filters.addWidget(widget, 1)
        when = QHBoxLayout()
        when.addWidget(self.dates)
        when.addWidget(self.date_from)
        when.addWidget(self.date_to)
        when.addStretch(1)
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

    def combos(self) -> tuple[QComboBox, ...]:
        return (self.status, self.form, self.centre, self.outcome, self.override)

    # --------------------------------------------------------------- state

    def set_choices(self, choices: Choices) -> None:
        self._choices = choices
        self._fill_choices()

    def clear(self) -> None:
        """Forget everything shown (on lock): rows, search text, form and centre names."""
        self._search_timer.stop()
        self.model.clear()
        widgets = (self.search, *self.combos(), self.dates)
        for widget in widgets:
            widget.blockSignals(True)
        self.search.clear()
        for combo in self.combos():
            combo.setCurrentIndex(0)
        self.dates.setChecked(False)
        self._choices = Choices([], [])
        self._fill_choices()
        for widget in widgets:
            widget.blockSignals(False)
        self.date_from.setEnabled(False)
        self.date_to.setEnabled(False)

    def current_query(self) -> ReceivedQuery:
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
            centre=self.centre.currentData(),
            outcome=self.outcome.currentData(),
            overridden={"yes": True, "no": False}.get(self.override.currentData() or ""),
            date_from=start,
            date_to=end,
        )

    def apply_filters(self) -> None:
        self._search_timer.stop()
        query = self.current_query()
        if query != self.model.query:
            self.model.set_query(query)

    def focus_table(self) -> None:
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if not self.table.currentIndex().isValid() and self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, 0))

    # ------------------------------------------------------------- private

    def _dates_toggled(self, on: bool) -> None:
        self.date_from.setEnabled(on)
        self.date_to.setEnabled(on)
        self.apply_filters()

    def _open_row(self, row: int) -> None:
        interview_id = self.model.interview_id(row)
        if interview_id is not None:
            self.open_requested.emit(interview_id)

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

    def _fill(self, combo: QComboBox, everything: str, items: list[tuple[str, str]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(everything, None)
        for value, text in items:
            combo.addItem(text, value)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        combo.blockSignals(False)

    def _fill_choices(self) -> None:
        self._fill(self.form, self.tr("All forms"), [(f, f) for f in self._choices.forms])
        self._fill(self.centre, self.tr("All centres"), [(c, c) for c in self._choices.centres])

    # ------------------------------------------------------------ Qt

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.closed.emit()
            return
        super().keyPressEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

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
