"""The typed answer inputs (text, numbers, dates, places, several lines), and `make_input`,
which picks the input for a question's type (choices: `choice_input.py`, rank:
`rank_input.py`).

Inputs only collect input and show what the engine and the vault say; they never decide
whether an answer is valid. A text or number input hands its value over on Enter or when it
loses focus.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPlainTextEdit

from app.form_text import is_rtl, set_direction
from app.interview.answer_input import AnswerInput
from app.interview.choice_input import ChoiceInput, MinimalInput
from app.interview.rank_input import RankInput
from screening.engine import Answer
from screening.forms.compiler import CompiledForm, Node

PLACEHOLDERS = {
    "integer": "0",
    "decimal": "0.0",
    "date": "YYYY-MM-DD",
    "time": "HH:MM",
    "datetime": "YYYY-MM-DD HH:MM",
    "geopoint": "latitude longitude",
    "geotrace": "latitude longitude; latitude longitude; …",
    "geoshape": "latitude longitude; latitude longitude; …",
}
WIDE = frozenset({"text", "geotrace", "geoshape"})


class _TypedInput(AnswerInput):
    """An answer typed into a field: handed over when it differs from what is shown."""

    _shown = ""

    def _value(self) -> object:
        raise NotImplementedError

    def pending(self) -> tuple[bool, object]:
        value = self._value()
        return value != self._shown, value

    def _hand_over(self) -> None:
        changed, value = self.pending()
        if changed:
            self.given.emit(value)

    def _show_text(self, text: str, put: Callable[[str], None]) -> None:
        """`text` is what the vault now holds; the field is rewritten only when it shows
        something else, so a screener's cursor is not moved under them."""
        self._shown = text
        if self._value() != text:
            put(text)


class LineInput(_TypedInput):
    """text, integer, decimal and date: typed freely, checked by the engine when handed over."""

    def __init__(self, kind: str, rtl: bool, name: str) -> None:
        super().__init__()
        self.kind = kind
        self.edit = QLineEdit(self)
        self.edit.setAccessibleName(name)
        self.edit.setPlaceholderText(PLACEHOLDERS.get(kind, ""))
        if kind == "text":
            set_direction(self.edit, rtl)
        elif kind not in WIDE:
            self.edit.setMaximumWidth(220)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        if kind not in WIDE:
            layout.addStretch(1)
        self._shown = ""
        self.edit.editingFinished.connect(self._hand_over)

    def _value(self) -> str:
        text = self.edit.text().strip()
        # A decimal comma is how most of the form's languages write numbers.
        return text.replace(",", ".") if self.kind == "decimal" else text

    def show_answer(self, answer: Answer | None) -> None:
        value = None if answer is None or answer.special else answer.value
        if isinstance(value, date):
            text = value.isoformat()
        elif isinstance(value, float) and value.is_integer():
            text = str(int(value)) if self.kind == "integer" else str(value)
        else:
            text = "" if value is None else str(value)
        self._show_text(text, self.edit.setText)

    def focus_input(self) -> None:
        self.edit.setFocus()
        self.edit.selectAll()


class _PlainEdit(QPlainTextEdit):
    focus_lost = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.focus_lost.emit()


class MultilineInput(_TypedInput):
    """A text question with appearance 'multiline': several lines, handed over when the
    focus leaves it (Tab moves on, as everywhere in the interview)."""

    def __init__(self, rtl: bool, name: str) -> None:
        super().__init__()
        self.kind = "text"
        self.edit = _PlainEdit(self)
        self.edit.setAccessibleName(name)
        self.edit.setTabChangesFocus(True)
        self.edit.setFixedHeight(self.edit.fontMetrics().lineSpacing() * 5 + 12)
        set_direction(self.edit, rtl)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        self._shown = ""
        self.edit.focus_lost.connect(self._hand_over)

    def _value(self) -> str:
        return self.edit.toPlainText().strip()

    def show_answer(self, answer: Answer | None) -> None:
        value = None if answer is None or answer.special else answer.value
        self._show_text("" if value is None else str(value), self.edit.setPlainText)

    def focus_input(self) -> None:
        self.edit.setFocus()


def make_input(
    node: Node, form: CompiledForm, screener: str, interviewee: str, variant: str | None = None
) -> AnswerInput:
    appearance = set((node.question.appearance or "").split())
    if node.kind == "select_one" and "minimal" in appearance:
        return MinimalInput(node, form, screener, interviewee, variant)
    if node.kind == "rank":
        return RankInput(node, form, screener, interviewee, variant)
    if node.kind in ("select_one", "select_multiple"):
        in_a_row = bool(appearance & {"likert", "horizontal", "horizontal-compact"})
        multiple = node.kind == "select_multiple"
        return ChoiceInput(node, form, screener, interviewee, multiple, variant, in_a_row=in_a_row)
    rtl = is_rtl(form, interviewee)
    if node.kind == "text" and "multiline" in appearance:
        return MultilineInput(rtl, form.text(node.question.label, screener))
    return LineInput(node.kind, rtl, form.text(node.question.label, screener))
