"""The section list beside the questions: where the screener is and what is complete."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QListWidget, QListWidgetItem

from app.form_text import RLM, set_direction
from screening.engine import SectionProgress

NAME_ROLE = Qt.ItemDataRole.UserRole
STATE_ROLE = Qt.ItemDataRole.UserRole + 1


def section_state(progress: SectionProgress) -> str:
    """ "complete", "started", "not_started" or "not_asked" (irrelevant for this person)."""
    if not progress.relevant:
        return "not_asked"
    if progress.total and progress.answered == 0:
        return "not_started"
    return "complete" if progress.missing_required == 0 else "started"


_MARKS = {"complete": "✓", "started": "◐", "not_started": "○", "not_asked": "–"}


class SectionNavigator(QListWidget):
    section_chosen = Signal(str)

    def __init__(self, labels: dict[str, str], rtl: bool = False) -> None:
        super().__init__()
        self.labels = labels
        self.mark = RLM if rtl else ""
        set_direction(self, rtl)
        self.setAccessibleName(self.tr("Sections"))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setWordWrap(True)
        for name, label in labels.items():
            item = QListWidgetItem(label)
            item.setData(NAME_ROLE, name)
            self.addItem(item)
        self.itemActivated.connect(self._chosen)
        self.itemClicked.connect(self._chosen)

    def _chosen(self, item: QListWidgetItem) -> None:
        if item.flags() & Qt.ItemFlag.ItemIsEnabled:
            self.section_chosen.emit(str(item.data(NAME_ROLE)))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter here means "go to this section", not "next question": keep it from the view.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            item = self.currentItem()
            if item is not None:
                self._chosen(item)
            event.accept()
            return
        super().keyPressEvent(event)

    def update_progress(self, progress: list[SectionProgress], current: str | None) -> None:
        words = {
            "complete": self.tr("complete"),
            "started": self.tr("in progress"),
            "not_started": self.tr("not started"),
            "not_asked": self.tr("not asked"),
        }
        for row, section in enumerate(progress):
            item = self.item(row)
            state = section_state(section)
            counts = f"{section.answered}/{section.total}" if section.relevant else ""
            text = f"{self.mark}{_MARKS[state]}  {self.labels[section.name]}   {counts}"
            item.setText(text.rstrip())
            item.setData(STATE_ROLE, state)
            item.setToolTip(words[state])
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{item.text()} ({words[state]})")
            flags = item.flags()
            if section.relevant:
                item.setFlags(flags | Qt.ItemFlag.ItemIsEnabled)
            else:
                item.setFlags(flags & ~Qt.ItemFlag.ItemIsEnabled)
            font = item.font()
            font.setBold(section.name == current)
            item.setFont(font)
            if section.name == current:
                self.setCurrentRow(row)

    def state_of(self, name: str) -> str | None:
        for row in range(self.count()):
            if self.item(row).data(NAME_ROLE) == name:
                return str(self.item(row).data(STATE_ROLE))
        return None
