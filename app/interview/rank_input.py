"""The input of a `rank` question: every offered choice in order, moved by keyboard or mouse."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout

from app.form_text import is_rtl, set_direction
from app.interview.answer_input import AnswerInput
from screening.engine import Answer
from screening.forms.compiler import CompiledForm, Node


class _RankList(QListWidget):
    """The choices in their order: dragged with the mouse, or moved with Ctrl+Up/Down."""

    moved = Signal()
    step = Signal(int)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        ctrl = event.modifiers() & Qt.KeyboardModifier.ControlModifier
        if ctrl and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.step.emit(-1 if event.key() == Qt.Key.Key_Up else 1)
            event.accept()
            return
        super().keyPressEvent(event)

    def dropEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().dropEvent(event)
        self.moved.emit()


class RankInput(AnswerInput):
    """rank: every offered choice in order, first ranked first. Each move hands the whole order
    over (ODK records all options, space-separated); "Keep this order" records it unchanged."""

    def __init__(
        self,
        node: Node,
        form: CompiledForm,
        screener: str,
        interviewee: str,
        variant: str | None = None,
    ) -> None:
        super().__init__()
        self.texts: dict[str, str] = {}
        for choice in node.choices:
            words = form.text(choice.label, screener, variant)
            if interviewee != screener:
                words += " · " + form.text(choice.label, interviewee, variant)
            self.texts[choice.name] = words
        self.offered = [choice.name for choice in node.choices]
        self.list = _RankList(self)
        self.list.setAccessibleName(form.text(node.question.label, screener))
        self.list.setDragDropMode(QListWidget.DragDropMode.InternalMove)
        self.list.setDefaultDropAction(Qt.DropAction.MoveAction)
        set_direction(self.list, is_rtl(form, screener))
        self.up = QPushButton(self.tr("Move up"), self)
        self.down = QPushButton(self.tr("Move down"), self)
        self.keep = QPushButton(self.tr("Keep this order"), self)
        self.up.setToolTip(self.tr("Ctrl+Up"))
        self.down.setToolTip(self.tr("Ctrl+Down"))
        buttons = QVBoxLayout()
        for button in (self.up, self.down, self.keep):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.up.clicked.connect(lambda: self.move(-1))
        self.down.clicked.connect(lambda: self.move(1))
        self.keep.clicked.connect(self._hand_over)
        self.list.step.connect(self.move)
        self.list.moved.connect(self._hand_over)
        self._fill(self.offered)

    def order(self) -> list[str]:
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())]

    def _fill(self, names: list[str]) -> None:
        current = self.list.currentRow()
        self.list.clear()
        for number, name in enumerate(names, start=1):
            item = QListWidgetItem(f"{number}. {self.texts[name]}")
            item.setData(Qt.ItemDataRole.UserRole, name)
            self.list.addItem(item)
        if names:
            self.list.setCurrentRow(min(max(current, 0), len(names) - 1))

    def move(self, step: int) -> None:
        """Move the current choice one place up (-1) or down (+1), and hand the order over."""
        row = self.list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.list.count():
            return
        names = self.order()
        names[row], names[target] = names[target], names[row]
        self._fill(names)
        self.list.setCurrentRow(target)
        self._hand_over()

    def _hand_over(self) -> None:
        names = self.order()
        self._fill(names)  # renumber after a drag
        self.given.emit(names)

    def show_answer(self, answer: Answer | None) -> None:
        value = None if answer is None or answer.special else answer.value
        ranked = str(value).split() if value else []
        if sorted(ranked) != sorted(self.offered):
            ranked = list(self.offered)
        self._fill(ranked)

    def offer(self, names: set[str]) -> None:
        """Only the choices a choice filter passes are ranked (the engine decides which)."""
        offered = [name for name in self.texts if name in names]
        if offered != self.offered:
            self.offered = offered
            kept = [name for name in self.order() if name in names]
            self._fill(kept + [name for name in offered if name not in kept])

    def focus_input(self) -> None:
        self.list.setFocus()
