"""One question on screen: its text in both languages, a widget for its type, its state.

Widgets only collect input and show what the engine and the vault say; they never decide
whether an answer is valid. The input for the question's type comes from `make_input`
(`widgets.py`).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from app.form_text import is_rtl, language_name, text_label
from app.interview.answer_input import AnswerInput
from app.interview.choice_input import ChoiceInput, MinimalInput
from app.interview.rank_input import RankInput
from app.interview.widgets import make_input
from app.style import scale_font
from screening.engine import Answer, Special
from screening.forms.compiler import CompiledForm, Node


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
            # The form writes this answer itself (screening.engine.prefills): say so, and
            # when, or a value that changes under the screener's hands looks like a fault.
            layout.addWidget(text_label(self._prefill_note(form, screener), role="hint"))
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

    def _prefill_note(self, form: CompiledForm, screener: str) -> str:
        node = self.node
        if node.once:
            return self.tr("Filled in by the form when the interview began; you can change it.")
        if node.trigger is not None:
            trigger = form.nodes[node.trigger].question.label
            name = " ".join(form.text(trigger, screener).split()) or node.trigger
            return self.tr(
                "Set by the form each time the answer to “{0}” changes; you can change it."
            ).format(name)
        return self.tr(
            "Filled in by the form from other answers; you can change it. It is filled in"
            " again when those answers change."
        )

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
