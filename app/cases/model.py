"""`CaseTableModel`: the case list as a windowed view over the vault.

`rowCount` is one indexed `count(*)`; rows are read a page at a time, only when the view asks
for them (the visible rows), and a handful of pages are kept. So the model is as quick with
100,000 interviews as with ten, and the scroll bar is right from the start. Sorting and
filtering change the query and reset the model; nothing is sorted or filtered in Python.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from app.cases.source import SORTABLE, CaseQuery, CaseRow, CaseSource
from screening.vault.database import DatabaseError

COLUMNS = ("id", "form", "started", "language", "status", "outcome", "sync")
PAGE_SIZE = 200
MAX_PAGES = 16
Index = QModelIndex | QPersistentModelIndex
# The case's label (the form's instance_name; screening.case_labels), None when it has none.
LABEL_ROLE = Qt.ItemDataRole.UserRole + 1


def short_id(interview_id: str) -> str:
    return interview_id[:8]


def local_time(stamp: str) -> str:
    try:
        moment = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ")
    except ValueError:
        return stamp
    from datetime import UTC

    return moment.replace(tzinfo=UTC).astimezone().strftime("%Y-%m-%d %H:%M")


class CaseTableModel(QAbstractTableModel):
    """Columns: short id, form, started, interviewee's language, status, outcome, sync."""

    query_changed = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._source: CaseSource | None = None
        self._query = CaseQuery()
        self._count = 0
        self._pages: OrderedDict[int, list[CaseRow]] = OrderedDict()
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
        self._pages.clear()
        self._count = 0 if self._source is None else self._source.count(self._query)
        self.endResetModel()

    def row(self, row: int) -> CaseRow | None:
        if self._source is None or not 0 <= row < self._count:
            return None
        number = row // PAGE_SIZE
        page = self._pages.get(number)
        if page is None:
            try:
                page = self._source.page(self._query, number * PAGE_SIZE, PAGE_SIZE)
            except DatabaseError:
                # A damaged page: the list shows nothing rather than raising inside Qt's
                # painting, and the integrity check run after unlock tells the user why.
                page = []
            self._pages[number] = page
            while len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        offset = row - number * PAGE_SIZE
        # Rows can vanish between count and read (another program purged some).
        return page[offset] if offset < len(page) else None

    def interview_id(self, row: int) -> str | None:
        case = self.row(row)
        return None if case is None else case.id

    # ------------------------------------------------------------ Qt model

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.column_title(COLUMNS[section])
        return None

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

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        key = COLUMNS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            case = self.row(index.row())
            return None if case is None else self._text(case, key)
        if role == Qt.ItemDataRole.ToolTipRole and key in ("id", "status", "form"):
            case = self.row(index.row())
            if case is None:
                return None
            if key == "id":
                return case.id
            if key == "form":
                return f"{case.form_id} {case.form_version}"
            return self._status_detail(case)
        if role == Qt.ItemDataRole.UserRole:
            case = self.row(index.row())
            return None if case is None else case.id
        if role == LABEL_ROLE:
            case = self.row(index.row())
            return None if case is None else case.label
        return None

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
        from app.interview.stop_dialog import reason_labels

        reason = reason_labels().get(pause.reason or "") or self.tr("no reason given yet")
        return self.tr("{0}. Reason: {1}").format(self._status_text(case), reason)

    def status_name(self, status: str) -> str:
        names = {
            "draft": self.tr("Draft"),
            "completed": self.tr("Completed"),
            "stopped": self.tr("Stopped"),
            "purged": self.tr("Purged"),
        }
        return names.get(status, status)

    def outcome_name(self, outcome: str) -> str:
        names = {
            "likely_trafficked": self.tr("Likely trafficked"),
            "possible_trafficking": self.tr("Possible trafficking"),
            "no_indication": self.tr("No indication"),
            "incomplete": self.tr("Incomplete"),
        }
        return names.get(outcome, outcome)

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
