"""The inputs of choice questions: select_one and select_multiple as a radio or check-box
list (side by side for likert / horizontal), select_one 'minimal' as a drop-down. A choice
hands its answer over on every change; keys 1-9 pick.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QRadioButton,
)

from app.form_text import LEFT, RIGHT, is_rtl, set_direction
from app.interview.answer_input import AnswerInput
from screening.engine import Answer
from screening.forms.compiler import CompiledForm, Node

MAX_PICK = 9


class _ClickLabel(QLabel):
    """The interviewee-language text of a choice: clicking it picks the choice too."""

    def __init__(self, text: str, button: QAbstractButton, rtl: bool) -> None:
        super().__init__(text)
        self.button = button
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        set_direction(self, rtl)
        self.setAlignment((RIGHT if rtl else LEFT) | Qt.AlignmentFlag.AlignVCenter)
        self.setAccessibleName(text)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.button.click()
        event.accept()


class ChoiceInput(AnswerInput):
    """select_one as a radio list, select_multiple as check boxes; keys 1-9 pick."""

    def __init__(
        self,
        node: Node,
        form: CompiledForm,
        screener: str,
        interviewee: str,
        multiple: bool,
        variant: str | None = None,
        *,
        in_a_row: bool = False,
    ) -> None:
        super().__init__()
        self.multiple = multiple
        self.others: list[QLabel] = []
        self.names = [choice.name for choice in node.choices]
        self.group = QButtonGroup(self)
        self.group.setExclusive(not multiple)
        self.buttons: list[QAbstractButton] = []
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        both = interviewee != screener
        self.labels: list[_ClickLabel] = []
        for i, choice in enumerate(node.choices):
            label = form.text(choice.label, screener, variant)
            # The button carries the key number only; the words sit in a wrapping label
            # beside it, since a radio button's own text never wraps and would widen the page.
            number = str(i + 1) if i < MAX_PICK else ""
            button: QAbstractButton = QCheckBox(number) if multiple else QRadioButton(number)
            button.setAccessibleName(label)
            set_direction(button, is_rtl(form, screener))
            self.group.addButton(button, i)
            self.buttons.append(button)
            # likert / horizontal: the choices side by side, each language below the other
            row, column = (0, 3 * i) if in_a_row else (i, 0)
            grid.addWidget(button, row, column)
            words = _ClickLabel(label, button, is_rtl(form, screener))
            self.labels.append(words)
            grid.addWidget(words, row, column + 1)
            if both:
                other = _ClickLabel(
                    form.text(choice.label, interviewee, variant),
                    button,
                    is_rtl(form, interviewee),
                )
                self.others.append(other)
                grid.addWidget(other, *((1, 3 * i + 1) if in_a_row else (i, 2)))
        if not in_a_row:
            grid.setColumnStretch(0, 0)
            grid.setColumnStretch(1, 1)
            grid.setColumnStretch(2, 1 if both else 0)
        self._syncing = False
        self.group.buttonToggled.connect(self._toggled)

    def _toggled(self, button: QAbstractButton, checked: bool) -> None:
        if self._syncing:
            return
        if self.multiple:
            pairs = zip(self.names, self.buttons, strict=True)
            self.given.emit([name for name, b in pairs if b.isChecked()])
        elif checked:
            self.given.emit(self.names[self.buttons.index(button)])

    def show_answer(self, answer: Answer | None) -> None:
        value = None if answer is None or answer.special else answer.value
        chosen = set(value) if isinstance(value, list) else {value}
        self._syncing = True
        # A radio group cannot show "nothing chosen" while exclusive.
        self.group.setExclusive(False)
        for name, button in zip(self.names, self.buttons, strict=True):
            button.setChecked(name in chosen)
        self.group.setExclusive(not self.multiple)
        self._syncing = False

    def offer(self, names: set[str]) -> None:
        """Show only the choices a choice filter passes (the engine decides which)."""
        for index, (name, button) in enumerate(zip(self.names, self.buttons, strict=True)):
            button.setVisible(name in names)
            if index < len(self.others):
                self.others[index].setVisible(name in names)

    def focus_input(self) -> None:
        shown = [b for b in self.buttons if not b.isHidden()]
        checked = [b for b in shown if b.isChecked()]
        if checked or shown:
            (checked or shown)[0].setFocus()

    def pick(self, number: int) -> bool:
        if not 1 <= number <= min(MAX_PICK, len(self.buttons)):
            return False
        button = self.buttons[number - 1]
        if button.isHidden():
            return False
        button.setFocus()
        if self.multiple:
            button.toggle()
        elif not button.isChecked():
            button.setChecked(True)
        return True


class MinimalInput(AnswerInput):
    """A select_one with appearance 'minimal': a drop-down list; keys 1-9 pick as elsewhere."""

    def __init__(
        self,
        node: Node,
        form: CompiledForm,
        screener: str,
        interviewee: str,
        variant: str | None = None,
    ) -> None:
        super().__init__()
        self.combo = QComboBox(self)
        self.combo.setAccessibleName(form.text(node.question.label, screener, variant))
        both = interviewee != screener
        self.choices = [
            (
                choice.name,
                form.text(choice.label, screener, variant)
                + (f"  ·  {form.text(choice.label, interviewee, variant)}" if both else ""),
            )
            for choice in node.choices
        ]
        self.names: list[str] = []
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo)
        layout.addStretch(1)
        self._syncing = False
        self.offer({name for name, _ in self.choices})
        self.combo.activated.connect(self._chosen)

    def offer(self, names: set[str]) -> None:
        """The drop-down lists only the choices a choice filter passes."""
        current = self.combo.currentData()
        self._syncing = True
        self.combo.clear()
        self.combo.addItem("—", None)  # nothing chosen
        self.names = [name for name, _ in self.choices if name in names]
        for name, text in self.choices:
            if name in names:
                self.combo.addItem(text, name)
        self.combo.setCurrentIndex(max(0, self.combo.findData(current)))
        self._syncing = False

    def _chosen(self, index: int) -> None:
        name = self.combo.itemData(index)
        if not self._syncing and name is not None:
            self.given.emit(name)

    def show_answer(self, answer: Answer | None) -> None:
        value = None if answer is None or answer.special else answer.value
        self._syncing = True
        self.combo.setCurrentIndex(max(0, self.combo.findData(value)))
        self._syncing = False

    def focus_input(self) -> None:
        self.combo.setFocus()

    def pick(self, number: int) -> bool:
        if not 1 <= number <= min(MAX_PICK, len(self.names)):
            return False
        self.combo.setCurrentIndex(number)
        self._chosen(number)
        return True
