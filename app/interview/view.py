"""The guided interview: one page at a time, every answer in the vault the moment it is given.

The engine (through `Recorder`) decides validity, visibility and completeness; this view lays
pages out and routes keys. Text and number inputs hand their value over on Enter, focus-out,
any page change, `flush()`, hiding and closing, so locking or closing never loses what is on
screen as saved.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QFocusEvent, QHideEvent, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from app.interview.choice_input import ChoiceInput, MinimalInput
from app.interview.chrome import PAUSE_KEYS, build_chrome
from app.interview.gates import blocking, first_problem
from app.interview.pages import REPEAT_PAGE_PREFIX, Page, build_pages, page_of, resume_index
from app.interview.question_block import QuestionBlock
from app.interview.recorder import Given, Recorder
from app.interview.repeat_panel import RepeatPanel
from app.interview.safety import InterviewSafety
from app.interview.stop_dialog import PauseReasonDialog, StopDialog
from app.style import INTERVIEW_STYLE
from screening.engine import Path, Special, format_path, parse_path
from screening.forms.compiler import CompiledForm
from screening.vault import Vault
from screening.vault.pauses import pause_state

DIGITS = {getattr(Qt.Key, f"Key_{n}"): n for n in range(1, 10)}


class InterviewView(InterviewSafety, QWidget):
    closed = Signal()  # paused: the draft stays, the shell goes back to the case list
    paused = Signal(str)  # paused at once (F8): the draft stays
    continued = Signal(str)  # stopped here and continued in this new interview (under 18)
    completed = Signal(str)  # every required question answered: show the outcome
    stopped = Signal(str)  # ended with a reason; the interview is now read-only
    page_changed = Signal(str)  # the page key, for the shell to keep across a lock

    def __init__(
        self,
        vault: Vault,
        interview_id: str,
        compiled_form: CompiledForm,
        screener_language: str,
        interviewee_language: str,
        parent: QWidget | None = None,
        *,
        start_page: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.vault = vault
        self.interview_id = interview_id
        self.form = compiled_form
        self.screener = screener_language
        self.interviewee = interviewee_language
        self.recorder, self.unusable = Recorder.open(
            vault, interview_id, compiled_form, screener_language
        )
        self.session = self.recorder.session
        self.blocks: dict[str, QuestionBlock] = {}
        self.stop_dialog: StopDialog | None = None
        self.reason_dialog: PauseReasonDialog | None = None
        self.language_dialog: QWidget | None = None
        self.setObjectName("interviewView")
        self.setStyleSheet(INTERVIEW_STYLE)
        self.setAccessibleName(self.tr("Interview"))
        self._build()
        self._pages = build_pages(self.session)
        start = page_of(self._pages, start_page) if start_page else None
        self._index = start if start is not None else resume_index(self.session, self._pages)
        self._show_page()
        self._show_languages()
        self._show_pause(pause_state(vault.connection(), interview_id))
        if self.unusable:
            # Kept in the vault untouched; only this version of the form cannot show them.
            self._show_message(
                self.tr("{0} saved answers do not fit this questionnaire version.").format(
                    len(self.unusable)
                )
            )

    def _build(self) -> None:
        build_chrome(self, self.form, self.screener, self.interviewee)
        self.child_box: QMessageBox | None = None
        self._child_pending = False
        self.child_button.clicked.connect(self._ask_child_interview)
        self.stop_button.clicked.connect(self._ask_stop)
        self.pause_button.clicked.connect(self.pause_now)
        self.reason_button.clicked.connect(self._ask_pause_reason)
        self.language_button.clicked.connect(self._ask_language)
        self.navigator.section_chosen.connect(self.go_to_section)
        self.previous_button.clicked.connect(self.go_previous)
        self.next_button.clicked.connect(self.go_next)
        for keys, slot in (
            ("Alt+Right", self.go_next),
            ("Alt+Left", self.go_previous),
            ("Ctrl+D", lambda: self._special_key(Special.DECLINED)),
            ("Ctrl+K", lambda: self._special_key(Special.DONT_KNOW)),
            *((keys, self.pause_now) for keys in PAUSE_KEYS),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    # ------------------------------------------------------------------ pages
    def current_page(self) -> str | None:
        return self._pages[self._index].key if self._pages else None

    # The names the shell's window uses for the same three things.
    def page_key(self) -> str | None:
        return self.current_page()

    def show_page(self, key: str) -> bool:
        return self.go_to(key)

    def save_pending(self) -> bool:
        return self.flush()

    def current_questions(self) -> tuple[str, ...]:
        return self._pages[self._index].questions if self._pages else ()

    def _show_page(self, focus_key: str | None = None) -> None:
        self._teardown()
        self._show_message("")
        if not self._pages:
            return
        self._index = max(0, min(self._index, len(self._pages) - 1))
        page = self._pages[self._index]
        container = QWidget()
        layout = QVBoxLayout(container)
        if page.is_repeat_prompt:
            panel = RepeatPanel(
                self.form, page.repeat or "", self.session, self.screener, outer=page.outer
            )
            panel.add_requested.connect(self._add_instance)
            layout.addWidget(panel)
        else:
            self._instance_header(page, layout)
            for key in page.questions:
                layout.addWidget(self._block(key))
        layout.addStretch(1)
        self.scroll.setWidget(container)
        section = self.form.nodes[page.section]
        self.section_title.setText(self.form.text(section.source.label, self.screener))
        self._label_next()
        self.previous_button.setEnabled(self._index > 0)
        self._update_progress()
        self._focus_page(focus_key)
        self.page_changed.emit(page.key)

    def _focus_page(self, key: str | None = None) -> None:
        if self._child_pending:
            self._child_pending = False
            self.child_button.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        target = self.blocks.get(key or "") or next(
            (b for b in self.blocks.values() if b.input is not None), None
        )
        if target is not None:
            target.focus_input()
        else:
            self.next_button.setFocus()

    def focusInEvent(self, event: QFocusEvent) -> None:
        # The shell focuses the view itself; the screener wants the question's input.
        super().focusInEvent(event)
        self._focus_page()

    def _block(self, key: str) -> QuestionBlock:
        name, instance = parse_path(key)
        node = self.form.nodes[name]
        required = node.answerable and self.session.is_required(node, instance)
        block = QuestionBlock(
            key,
            node,
            self.form,
            self.screener,
            self.interviewee,
            required=required,
            variant=self.session.text_variant,
            fill=lambda text: self.session.fill(text, key),
        )
        block.show_answer(self.session.get(key))
        self._offer(block)
        block.given.connect(self._on_given)
        block.special.connect(self._on_special)
        block.clear_requested.connect(self._on_clear)
        self.blocks[key] = block
        return block

    def _instance_header(self, page: Page, layout: QVBoxLayout) -> None:
        name, path = parse_path(page.questions[0])
        repeat = self.form.nodes[name].repeat
        if repeat is None or not path:
            return
        panel = RepeatPanel(
            self.form, repeat, self.session, self.screener, instance=path[-1], outer=path[:-1]
        )
        panel.remove_requested.connect(self._remove_instance)
        layout.addWidget(panel)

    def _teardown(self) -> None:
        for block in self.blocks.values():
            block.detach()
        self.blocks = {}
        # Taken back first: setWidget() would delete it too, and a double delete crashes.
        old = self.scroll.takeWidget()
        if old is not None:
            old.deleteLater()

    def _label_next(self) -> None:
        # "Finish" only when nothing is missing: on the consent page the pages still hidden
        # behind consent make the first page look like the last one.
        last = self._index == len(self._pages) - 1
        finish = last and self.session.complete
        self.next_button.setText(
            self.tr("Finish: see the outcome →") if finish else self.tr("Next →")
        )

    def _update_progress(self) -> None:
        self._check_child()
        # Counted in sections of the whole form, which never change, not in visible pages,
        # whose number jumps once consent opens the rest of the questionnaire.
        page = self._pages[self._index] if self._pages else None
        names = [s.name for s in self.form.sections()]
        number = names.index(page.section) + 1 if page and page.section in names else 1
        self.progress.setRange(0, max(1, len(names)))
        self.progress.setValue(number)
        self.progress_label.setText(self.tr("Section {0} of {1}").format(number, len(names)))
        self.navigator.update_progress(self.session.progress(), page.section if page else None)

    def _refresh(self) -> None:
        """Re-read visible pages after an answer; redraw the page if its questions changed."""
        current = self._pages[self._index]
        focus = self._focused_block()
        self._pages = build_pages(self.session)
        index = page_of(self._pages, current.key)
        if index is None:
            self._show_page()
            return
        self._index = index
        if self._pages[index].questions != current.questions:
            self._show_page(focus.key if focus else None)
        else:
            for block in self.blocks.values():
                self._offer(block)
            self._update_progress()
            self._label_next()

    def _offer(self, block: QuestionBlock) -> None:
        if block.node.choice_filter is not None:
            block.offer({choice.name for choice in self.session.choices(block.key)})
        if block.node.calculation is not None and block.input is None:
            block.show_value(self.session.fill(f"${{{block.node.name}}}", block.key))

    # ------------------------------------------------------------------ answers
    def _on_given(self, key: str, value: object) -> None:
        self._report(self.recorder.give(key, value))

    def _on_special(self, key: str, kind: str) -> None:
        answer = self.session.get(key)
        if answer is not None and answer.special is not None and answer.special.value == kind:
            self._report(self.recorder.clear(key))  # pressing it again takes it back
        elif kind == Special.DECLINED.value:
            self._report(self.recorder.decline(key))
        else:
            self._report(self.recorder.dont_know(key))

    def _on_clear(self, key: str) -> None:
        self._report(self.recorder.clear(key))

    def _report(self, given: Given, *, refresh: bool = True) -> bool:
        block = self.blocks.get(given.key)
        stored = self.session.get(given.key)
        if block is not None:
            if given.error is not None:
                block.show_error(given.error)
                # A line keeps what was typed so it can be corrected; choices show what is stored.
                if isinstance(block.input, ChoiceInput | MinimalInput):
                    block.show_answer(stored)
            elif given.save_error is not None:
                block.show_error(self.tr("Not saved: {0}").format(given.save_error))
                block.show_answer(stored)
            else:
                block.show_error(None)
                block.show_answer(stored)
        for key in given.computed:  # answers the form filled in from this one
            other = self.blocks.get(key)
            if other is not None:
                other.show_answer(self.session.get(key))
        if given.save_error is not None:
            self.save_status.setText(self.tr("The last answer was NOT saved"))
        elif given.saved and self.recorder.last_saved is not None:
            stamp = self.recorder.last_saved.strftime("%H:%M:%S")
            self.save_status.setText(self.tr("Every answer saved · {0}").format(stamp))
        if given.ok and refresh:
            self._refresh()
        return given.ok

    def flush(self) -> bool:
        """Hand over everything typed on this page; True when all of it is now in the vault."""
        ok = True
        for block in list(self.blocks.values()):
            changed, value = block.pending()
            if changed:
                ok = self._report(self.recorder.give(block.key, value), refresh=False) and ok
        return ok

    # ------------------------------------------------------------------ moving
    def go_next(self) -> None:
        if not self._pages or not self.flush():
            return
        page = self._pages[self._index]
        if self._stops_here(page):
            return
        self._refresh()
        if self._index + 1 < len(self._pages):
            self._index += 1
            self._show_page()
        else:
            self._finish()

    def go_previous(self) -> None:
        if self._index > 0 and self.flush():
            self._index -= 1
            self._show_page()

    def go_to_section(self, name: str) -> None:
        if not self.flush():
            return
        index = next((i for i, p in enumerate(self._pages) if p.section == name), None)
        if index is not None:
            self._index = index
            self._show_page()

    def go_to(self, key: str) -> bool:
        """Show the page with this page or question key, if it is visible."""
        if not self.flush():
            return False
        index = page_of(self._pages, key)
        if index is None:
            return False
        self._index = index
        self._show_page(key)
        return True

    def _stops_here(self, page: Page) -> bool:
        found = blocking(self.session, page, self.screener)
        if found is None:
            return False
        key, message = found
        block = self.blocks.get(key or "")
        if block is not None:
            block.show_error(message)
            block.focus_input()
        else:
            self._show_message(message)
        return True

    def _finish(self) -> None:
        index = first_problem(self.session, self._pages)
        if index is None and not self.session.complete:
            index = self._index
        if index is None:
            self.completed.emit(self.interview_id)
            return
        self._index = index
        self._show_page()
        self._show_message(self.tr("Some questions still need an answer before the outcome."))

    def _add_instance(self, repeat: str, outer: Path = ()) -> None:
        number, problem = self.recorder.add_instance(repeat, outer)
        if number is None:
            self._show_message(problem or "")
            return
        self._pages = build_pages(self.session)
        added = (*outer, number)
        first = next(
            (
                key
                for page in self._pages
                for key in page.questions
                if parse_path(key)[1][: len(added)] == added
                and self._holders(key)[len(outer) : len(added)] == (repeat,)
            ),
            None,
        )
        if first is None or not self.go_to(first):
            self._show_page()

    def _holders(self, key: str) -> tuple[str, ...]:
        return self.session.repeat_chain(parse_path(key)[0])

    def _remove_instance(self, repeat: str, instance: int, outer: Path = ()) -> None:
        problem = self.recorder.remove_instance(repeat, instance, outer)
        self._pages = build_pages(self.session)
        prompt = page_of(self._pages, REPEAT_PAGE_PREFIX + format_path(repeat, outer))
        self._index = self._index if prompt is None else prompt
        self._show_page()
        if problem:
            self._show_message(self.tr("Not saved: {0}").format(problem))

    # ------------------------------------------------------------------ keys
    def _focused_block(self) -> QuestionBlock | None:
        focus = self.focusWidget()
        for block in self.blocks.values():
            if focus is not None and (focus is block or block.isAncestorOf(focus)):
                return block
        return None

    def _special_key(self, special: Special) -> None:
        block = self._focused_block() or next(
            (b for b in self.blocks.values() if b.input is not None), None
        )
        if block is None:
            return
        button = block.decline_button if special is Special.DECLINED else block.dont_know_button
        if button is None:
            block.show_error(self.tr("This question cannot be marked that way."))
            return
        answer = self.session.get(block.key)
        if answer is None or answer.special is not special:
            self._on_special(block.key, special.value)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not modifiers:
            self.go_next()
            return
        if event.key() in DIGITS and not modifiers:
            block = self._focused_block()
            candidates = [block] if block else list(self.blocks.values())
            for candidate in candidates:
                if isinstance(candidate.input, ChoiceInput):
                    candidate.pick(DIGITS[event.key()])
                    return
        super().keyPressEvent(event)

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def hideEvent(self, event: QHideEvent) -> None:
        self.flush()
        super().hideEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.flush()
        super().closeEvent(event)
