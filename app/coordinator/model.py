"""`ReceivedModel`: the received interviews, configured on the shared paged model
(`app/listing`).

Where the case list counts and reads by offset, a query change here fetches the ordered row
ids of every match on the operation runner (sorting by a column no index serves takes a few
hundred milliseconds at 100,000 interviews), and the model resets when they arrive. Rows are
then read 200 at a time by row id, only for the rows the view asks for. Nothing is sorted or
filtered in Python.
"""

from __future__ import annotations

from array import array
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal

from app.coordinator.source import ORDER, ReceivedQuery, ReceivedRow, ReceivedSource
from app.listing.model import MAX_PAGES, PAGE_SIZE, PagedListModel
from app.listing.names import local_time, short_id

if TYPE_CHECKING:
    from app.ops import OpContext, OpRunner

COLUMNS = ("id", "date", "centre", "form", "status", "outcome", "override", "screener")
__all__ = ["COLUMNS", "MAX_PAGES", "PAGE_SIZE", "ReceivedModel"]


class ReceivedModel(PagedListModel):
    """Columns: short id, date, centre, form, status, outcome, override, screener."""

    COLUMNS = COLUMNS

    loading = Signal(bool)  # a query is running on the runner (True) or has reported (False)
    loaded = Signal()  # new matches are in; the model was reset
    failed = Signal()

    def __init__(self, runner: OpRunner | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._source: ReceivedSource | None = None
        self._query = ReceivedQuery()
        self._ids: array[int] = array("q")
        self._generation = 0
        self._busy = False

    # ---------------------------------------------------------------- state

    @property
    def query(self) -> ReceivedQuery:
        return self._query

    @property
    def busy(self) -> bool:
        return self._busy

    def attach(self, source: ReceivedSource | None) -> None:
        self._source = source
        self.refresh()

    def clear(self) -> None:
        """Forget every row (on lock); a query still running reports to nobody."""
        self._source = None
        self._generation += 1
        self._set_busy(False)
        self._reset(array("q"))

    def set_query(self, query: ReceivedQuery) -> None:
        self._query = query
        self.refresh()

    def refresh(self) -> None:
        """Ask the vault again for the current query (on the runner when there is one)."""
        self._generation += 1
        source, query, generation = self._source, self._query, self._generation
        if source is None:
            self._reset(array("q"))
            return
        if self._runner is None:
            self._arrived(generation, source.match(query))
            return
        self._set_busy(True)

        def work(ctx: OpContext) -> array[int]:
            ctx.raise_if_cancelled()
            return source.match(query)

        self._runner.run(
            "received list",
            work,
            on_success=lambda ids: self._arrived(generation, ids),
            on_failure=lambda exc: self._query_failed(generation),
            on_cancel=lambda: self._stale(generation),
        )

    def _arrived(self, generation: int, ids: array[int]) -> None:
        if generation != self._generation:
            return  # a newer query (or a lock) came since
        self._set_busy(False)
        self._reset(ids)
        self.loaded.emit()

    def _query_failed(self, generation: int) -> bool:
        if generation != self._generation:
            return True  # stale: nobody waits for it, say nothing
        self._set_busy(False)
        self.failed.emit()
        return False  # the runner shows its sentence

    def _stale(self, generation: int) -> None:
        if generation == self._generation:
            self._set_busy(False)

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.loading.emit(busy)

    def _reset(self, ids: array[int]) -> None:
        self.beginResetModel()
        self._ids = ids
        self._forget_pages()
        self.endResetModel()

    def row(self, row: int) -> ReceivedRow | None:
        return super().row(row)

    # ---------------------------------------------------- the paged model

    def _has_source(self) -> bool:
        return self._source is not None

    def _row_total(self) -> int:
        return len(self._ids)

    def _read_page(self, number: int) -> list[Any] | None:
        if self._busy or self._source is None:
            # A worker holds the vault's lock for the running query; the model resets
            # when it reports, so an empty cell for now beats a frozen window.
            return None
        rowids = list(self._ids[number * PAGE_SIZE : (number + 1) * PAGE_SIZE])
        found = self._source.rows(rowids)
        return [found.get(rowid) for rowid in rowids]

    def column_title(self, key: str) -> str:
        return {
            "id": self.tr("ID"),
            "date": self.tr("Date"),
            "centre": self.tr("Centre"),
            "form": self.tr("Form"),
            "status": self.tr("Status"),
            "outcome": self.tr("Outcome"),
            "override": self.tr("Screener's override"),
            "screener": self.tr("Screener"),
        }[key]

    def _text(self, row: ReceivedRow, key: str) -> str:
        if key == "id":
            return short_id(row.id)
        if key == "date":
            return local_time(row.created_at)
        if key == "centre":
            return row.location or "—"
        if key == "form":
            return f"{row.form_id} {row.form_version}"
        if key == "status":
            return self.status_name(row.status)
        if key == "outcome":
            return self.outcome_name(row.outcome) if row.outcome else "—"
        if key == "override":
            return self.outcome_name(row.override) if row.override else "—"
        return row.screener

    # ------------------------------------------------------------- sorting

    def sort_column(self) -> int:
        return COLUMNS.index(self._query.order_by) if self._query.order_by in COLUMNS else -1

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column] if 0 <= column < len(COLUMNS) else ""
        if key not in ORDER:
            return  # the short id: no meaningful order
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) != (self._query.order_by, self._query.descending):
            self.set_query(self._query.with_(order_by=key, descending=descending))
