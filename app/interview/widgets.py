"""One question on screen: its text in both languages, a widget for its type, its state.

Widgets only collect input and show what the engine and the vault say; they never decide
whether an answer is valid. A text or number input hands its value over on Enter or when it
loses focus; a choice hands it over on every change.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent, QMouseEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
)

from app.form_text import LEFT, RIGHT, is_rtl, language_name, set_direction, text_label
from app.interview.answer_input import AnswerInput
from app.interview.rank_input import RankInput
from app.style import scale_font
from screening.engine import Answer, Special
from screening.forms.compiler import CompiledForm, Node

MAX_PICK = 9
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


class QuestionBlock(QFrame):
    """A question or note: both languages side by side, hint, input, special answers, state."""

    given = Signal(str, object)
    special = Signal(str, str)  # key, "declined" | "dont_know"
    clear_requested = Signal(str)

    def __init__(
        self,
        key: str,
        node: Node,
        form: CompiledForm,
        screener: str,
        interviewee: str,
        *,
        required: bool = False,
        variant: str | None = None,
        fill: Callable[[str], str] | None = None,
    ) -> None:
        super().__init__()
        self.key = key
        self.node = node
        # ${name} in a label or hint shows that answer, as in ODK (the engine fills it in).
        shown = fill or (lambda text: text)
        self.setObjectName("questionBlock")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 12)
        label = node.question.label
        role = "note" if node.kind == "note" else "question"
        texts = QGridLayout()
        texts.setHorizontalSpacing(32)
        both = screener != interviewee
        self.screener_label = text_label(
            shown(form.text(label, screener, variant)), rtl=is_rtl(form, screener), role=role
        )
        self.interviewee_label: QLabel | None = None
        if both:
            for column, (lang, who) in enumerate(
                ((screener, self.tr("screener")), (interviewee, self.tr("interviewee")))
            ):
                caption = text_label(
                    f"{language_name(form, lang)} · {who}", rtl=is_rtl(form, lang), role="caption"
                )
                texts.addWidget(caption, 0, column)
            self.interviewee_label = text_label(
                shown(form.text(label, interviewee, variant)),
                rtl=is_rtl(form, interviewee),
                role=role,
            )
            texts.addWidget(self.screener_label, 1, 0)
            texts.addWidget(self.interviewee_label, 1, 1)
            texts.setColumnStretch(0, 1)
            texts.setColumnStretch(1, 1)
        else:
            texts.addWidget(self.screener_label, 0, 0)
        for text in (self.screener_label, self.interviewee_label):
            if text is not None and role == "question":
                scale_font(text, 1.25)
        layout.addLayout(texts)
        hint = shown(form.text(node.question.hint, screener))
        if hint:
            layout.addWidget(text_label(hint, rtl=is_rtl(form, screener), role="hint"))
        if node.prefilled:
            # The form writes this answer itself (screening.engine.prefills): say so, or a
            # value that changes under the screener's hands looks like a fault.
            layout.addWidget(
                text_label(
                    self.tr(
                        "Filled in by the form from other answers; you can change it. It is"
                        " filled in again when those answers change."
                    ),
                    role="hint",
                )
            )
        self.input: AnswerInput | None = None
        self.value_label: QLabel | None = None
        self.state = QLabel()
        self.state.setProperty("role", "state")
        self.error = text_label("", role="error")
        self.error.setAccessibleName(self.tr("Problem with this answer"))
        self.error.hide()
        self.decline_button = self.dont_know_button = self.clear_button = None
        if node.answerable:
            self.input = make_input(node, form, screener, interviewee, variant)
            self.input.given.connect(lambda value: self.given.emit(self.key, value))
            layout.addWidget(self.input)
            layout.addWidget(self.error)
            row = QHBoxLayout()
            self.state.setAccessibleName(self.tr("Answer state"))
            row.addWidget(self.state, 1)
            if form.allows_declined(node):
                self.decline_button = self._button(self.tr("Declined"), "Ctrl+D", "declined")
                row.addWidget(self.decline_button)
            if form.allows_dont_know(node):
                self.dont_know_button = self._button(self.tr("Don't know"), "Ctrl+K", "dont_know")
                row.addWidget(self.dont_know_button)
            self.clear_button = QPushButton(self.tr("Clear answer"))
            self.clear_button.setAccessibleName(self.tr("Clear answer"))
            self.clear_button.setAutoDefault(True)
            self.clear_button.clicked.connect(lambda: self.clear_requested.emit(self.key))
            row.addWidget(self.clear_button)
            layout.addLayout(row)
        self.required = required

    def _button(self, text: str, keys: str, kind: str) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(text)
        button.setToolTip(f"{text} ({keys})")
        button.setCheckable(True)
        # Enter on a focused button presses it rather than moving to the next question.
        button.setAutoDefault(True)
        button.clicked.connect(lambda: self.special.emit(self.key, kind))
        return button

    # ------------------------------------------------------------------ state
    def show_answer(self, answer: Answer | None) -> None:
        if self.input is None:
            return
        self.input.show_answer(answer)
        special = answer.special if answer is not None else None
        for button, kind, text in (
            (self.decline_button, Special.DECLINED, self.tr("Declined")),
            (self.dont_know_button, Special.DONT_KNOW, self.tr("Don't know")),
        ):
            if button is not None:
                on = special is kind
                button.setChecked(on)
                # Not by colour alone: the pressed-in button also says so in words.
                button.setText(f"✓ {text}" if on else text)
                button.setAccessibleDescription(self.tr("chosen") if on else "")
        if self.clear_button is not None:
            self.clear_button.setEnabled(answer is not None)
        if special is Special.DECLINED:
            self.state.setText(self.tr("Declined to answer · saved"))
        elif special is Special.DONT_KNOW:
            self.state.setText(self.tr("Don't know · saved"))
        elif answer is not None:
            self.state.setText(self.tr("Saved"))
        else:
            self.state.setText(
                self.tr("Answer needed") if self.required else self.tr("Not answered")
            )

    def offer(self, names: set[str]) -> None:
        if isinstance(self.input, ChoiceInput | MinimalInput | RankInput):
            self.input.offer(names)

    def show_value(self, text: str) -> None:
        """A read-only question's computed value, in place of an input."""
        if self.value_label is None:
            self.value_label = text_label("", role="question")
            self.value_label.setAccessibleName(self.tr("Computed value"))
            self.layout().addWidget(self.value_label)
        self.value_label.setText(text)

    def show_error(self, message: str | None) -> None:
        self.error.setText(message or "")
        self.error.setVisible(bool(message))

    def pending(self) -> tuple[bool, object]:
        return self.input.pending() if self.input is not None else (False, None)

    def focus_input(self) -> None:
        if self.input is not None:
            self.input.focus_input()

    def pick(self, number: int) -> bool:
        return self.input is not None and self.input.pick(number)

    def detach(self) -> None:
        """Stop signalling: a page being torn down must not hand over values on focus-out."""
        self.blockSignals(True)
        if self.input is not None:
            self.input.blockSignals(True)
