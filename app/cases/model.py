"""`CaseTableModel`: the case list, configured on the shared paged model (`app/listing`).

`rowCount` is one indexed `count(*)`; rows are read a page at a time by offset, only when
the view asks for them, so the scroll bar is right from the start. Sorting and filtering
change the query and reset the model; nothing is sorted or filtered in Python.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal

from app.cases.source import SORTABLE, CaseQuery, CaseRow, CaseSource
from app.listing.model import MAX_PAGES, PAGE_SIZE, Index, PagedListModel
from app.listing.names import local_time, short_id
from screening.vault.database import DatabaseError

COLUMNS = ("id", "form", "started", "language", "status", "outcome", "sync")
# The case's label (the form's instance_name; screening.case_labels), None when it has none.
LABEL_ROLE = Qt.ItemDataRole.UserRole + 1
__all__ = ["COLUMNS", "LABEL_ROLE", "MAX_PAGES", "PAGE_SIZE", "CaseTableModel"]


class CaseTableModel(PagedListModel):
    """Columns: short id, form, started, interviewee's language, status, outcome, sync."""

    COLUMNS = COLUMNS
    TOOLTIP_COLUMNS = ("id", "status", "form")
    query_changed = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._source: CaseSource | None = None
        self._query = CaseQuery()
        self._count = 0
        self._form_titles: dict[str, str] = {}
        self._language_names: dict[str, str] = {}

    def set_names(self, forms: dict[str, str], languages: dict[str, str]) -> None:
        """Form titles and language names to show instead of ids and codes."""
        self._form_titles, self._language_names = dict(forms), dict(languages)

    # ---------------------------------------------------------------- state

    @property
    def source(self) -> CaseSource | None:
        return self._source

    @property
    def query(self) -> CaseQuery:
        return self._query

    def attach(self, source: CaseSource | None) -> None:
        """Point the model at an unlocked vault (or at nothing, when locking)."""
        self._source = source
        self.refresh()

    def clear(self) -> None:
        self.attach(None)

    def set_query(self, query: CaseQuery) -> None:
        self._query = query
        self.refresh()
        self.query_changed.emit()

    def refresh(self) -> None:
        self.beginResetModel()
        self._forget_pages()
        self._count = 0 if self._source is None else self._source.count(self._query)
        self.endResetModel()

    def row(self, row: int) -> CaseRow | None:
        return super().row(row)

    # ---------------------------------------------------- the paged model

    def _has_source(self) -> bool:
        return self._source is not None

    def _row_total(self) -> int:
        return self._count

    def _read_page(self, number: int) -> list[Any]:
        assert self._source is not None
        try:
            return list(self._source.page(self._query, number * PAGE_SIZE, PAGE_SIZE))
        except DatabaseError:
            # A damaged page: the list shows nothing rather than raising inside Qt's
            # painting, and the integrity check run after unlock tells the user why.
            return []

    def column_title(self, key: str) -> str:
        return {
            "id": self.tr("ID"),
            "form": self.tr("Form"),
            "started": self.tr("Started"),
            "language": self.tr("Language"),
            "status": self.tr("Status"),
            "outcome": self.tr("Outcome"),
            "sync": self.tr("Sync"),
        }[key]

    def _tooltip(self, case: CaseRow, key: str) -> str | None:
        if key == "id":
            return case.id
        if key == "form":
            return f"{case.form_id} {case.form_version}"
        return self._status_detail(case)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == LABEL_ROLE:
            found = self.row(index.row()) if index.isValid() else None
            return None if found is None else found.label
        return super().data(index, role)

    def _text(self, case: CaseRow, key: str) -> str:
        if key == "id":
            # Beside the code, not instead of it: the code is what a coordinator is told.
            return f"{short_id(case.id)} · {case.label}" if case.label else short_id(case.id)
        if key == "form":
            title = self._form_titles.get(case.form_id)
            return (
                f"{title} · {case.form_version}" if title else f"{case.form_id} {case.form_version}"
            )
        if key == "started":
            return local_time(case.created_at)
        if key == "language":
            return self._language_names.get(case.language, case.language) or "—"
        if key == "status":
            return self._status_text(case)
        if key == "outcome":
            return self.outcome_name(case.outcome) if case.outcome else "—"
        if case.received:
            return self.tr("Received")
        if case.status == "draft":
            return "—"
        return self.tr("Sent") if case.delivered else self.tr("Not sent")

    def _status_text(self, case: CaseRow) -> str:
        pause = case.pause
        if pause is None:
            return self.status_name(case.status)
        when = local_time(pause.at)
        if pause.stopped:
            return self.tr("Stopped by {0}, {1}").format(pause.by, when)
        return self.tr("Paused by {0}, {1}").format(pause.by, when)

    def _status_detail(self, case: CaseRow) -> str:
        pause = case.pause
        if pause is None or pause.stopped:
            return self._status_text(case)
        from app.stop_reasons import reason_labels

        reason = reason_labels().get(pause.reason or "") or self.tr("no reason given yet")
        return self.tr("{0}. Reason: {1}").format(self._status_text(case), reason)

    # ------------------------------------------------------------- sorting

    def sort_column(self) -> int:
        for key, order_by in SORTABLE.items():
            if order_by == self._query.order_by:
                return COLUMNS.index(key)
        return -1

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column] if 0 <= column < len(COLUMNS) else ""
        if key not in SORTABLE:
            self.query_changed.emit()
            return
        descending = order == Qt.SortOrder.DescendingOrder
        self.set_query(self._query.with_(order_by=SORTABLE[key], descending=descending))
