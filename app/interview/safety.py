"""The interview view's safety and hand-over actions: pause at once, stop with a reason and
a confirmation, the paused banner, the interviewee's language, and the move to the child
interview. A mixin of `InterviewView` (it uses the view's widgets and vault); kept apart so
the view itself stays about pages and answers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from app.form_text import language_name
from app.interview.chrome import Chrome
from app.interview.stop_dialog import PauseReasonDialog, StopDialog
from app.stop_reasons import reason_labels
from screening.forms.compiler import CompiledForm
from screening.vault import VaultError
from screening.vault.pauses import PAUSED, Pause, pause_state

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance
    from PySide6.QtWidgets import QAbstractButton

    from screening.engine import InterviewSession
    from screening.vault import Vault


class InterviewSafety(Chrome):
    # Strings keep the "InterviewView" context by name: lupdate would file `self.tr` here
    # under this mixin's name, while Qt looks them up under the view's.

    # What the mixin uses of `InterviewView` besides its frame's widgets (named here, not
    # imported: the view imports this module, so importing the view back would make a cycle).
    vault: Vault
    interview_id: str
    form: CompiledForm
    session: InterviewSession
    screener: str
    interviewee: str
    closed: SignalInstance
    paused: SignalInstance
    continued: SignalInstance
    stopped: SignalInstance
    stop_dialog: StopDialog | None
    reason_dialog: PauseReasonDialog | None
    language_dialog: QWidget | None
    child_box: QMessageBox | None
    child_yes: QAbstractButton
    child_no: QAbstractButton
    pause: Pause | None

    if TYPE_CHECKING:

        def flush(self) -> bool: ...
        def _show_page(self, focus_key: str | None = None) -> None: ...
        def _show_message(self, text: str) -> None: ...

    def _check_child(self) -> None:
        from screening.continuation import is_child

        answers = {
            k: (a.value, a.special.value if a.special else None)
            for k, a in self.session.relevant_answers().items()
        }
        child = is_child(answers, self.form.id) and self.child_form() is not None
        if child and self.child_banner.isHidden():
            self.child_banner.show()
            # Said loudly once: the next key press must not just carry on past it.
            self._child_pending = True
            self.child_button.setFocus(Qt.FocusReason.OtherFocusReason)
        elif not child:
            self.child_banner.hide()

    def child_form(self) -> CompiledForm | None:
        from app.interview.forms import FormNotAvailable, compiled_form
        from screening.continuation import CHILD_FORM

        try:
            return compiled_form(CHILD_FORM, vault=self.vault)
        except FormNotAvailable:
            return None

    def _ask_child_interview(self) -> None:
        self.flush()
        box = QMessageBox(
            QMessageBox.Icon.Question,
            QCoreApplication.translate("InterviewView", "Start the child interview?"),
            QCoreApplication.translate(
                "InterviewView",
                "This interview stops here and the child screening interview starts, with "
                "the consent, languages, interpreter and the answers already given carried "
                "over, so nothing is asked twice.",
            ),
            QMessageBox.StandardButton.NoButton,
            self,
        )
        self.child_yes = box.addButton(
            QCoreApplication.translate("InterviewView", "&Start the child interview"),
            QMessageBox.ButtonRole.AcceptRole,
        )
        self.child_no = box.addButton(
            QCoreApplication.translate("InterviewView", "&Not now"),
            QMessageBox.ButtonRole.RejectRole,
        )
        box.setDefaultButton(self.child_yes)
        box.finished.connect(lambda _code: self._child_decided(box))
        self.child_box = box
        box.open()

    def _child_decided(self, box: QMessageBox) -> None:
        self.child_box = None
        target = self.child_form()
        if box.clickedButton() is not self.child_yes or target is None:
            return
        from screening.continuation import continue_in

        try:
            new = continue_in(self.vault, self.interview_id, target, self.form)
        except VaultError as exc:
            self._show_message(exc.message)
            return
        self.continued.emit(new)

    def pause_now(self) -> None:
        """Keep the draft and leave at once: no dialog, the reason can be added later."""
        self.flush()
        try:
            self.vault.audit(PAUSED, self.interview_id)
        except VaultError as exc:
            self._show_message(exc.message)
            return
        self.paused.emit(self.interview_id)
        self.closed.emit()

    def _show_pause(self, pause: Pause | None) -> None:
        self.pause = pause
        if pause is None or pause.stopped:
            self.paused_banner.hide()
            return
        from app.listing.names import local_time

        reason = reason_labels().get(pause.reason or "", "") or QCoreApplication.translate(
            "InterviewView", "no reason given yet"
        )
        self.paused_label.setText(
            QCoreApplication.translate(
                "InterviewView", "Paused by {0} at {1}. Reason: {2}."
            ).format(pause.by, local_time(pause.at), reason)
        )
        self.reason_button.setVisible(pause.reason is None)
        self.paused_banner.show()

    def _ask_pause_reason(self) -> None:
        dialog = PauseReasonDialog(self)
        dialog.finished.connect(lambda code: self._pause_reason_decided(dialog, code))
        self.reason_dialog = dialog
        dialog.open()

    def _pause_reason_decided(self, dialog: PauseReasonDialog, code: int) -> None:
        self.reason_dialog = None
        if not code:
            return
        problem = dialog.apply(self.vault, self.interview_id)
        if problem:
            self._show_message(problem)
        self._show_pause(pause_state(self.vault.connection(), self.interview_id))

    def _show_languages(self) -> None:
        self.language_label.setText(
            QCoreApplication.translate(
                "InterviewView", "Interviewee's language: {0}  ·  screener: {1}"
            ).format(
                language_name(self.form, self.interviewee), language_name(self.form, self.screener)
            )
        )

    def _ask_language(self) -> None:
        from app.interview.language_dialog import LanguageDialog

        dialog = LanguageDialog(self.form, self.interviewee, self)
        dialog.finished.connect(lambda code: self._language_decided(dialog, code))
        self.language_dialog = dialog
        dialog.open()

    def _language_decided(self, dialog: QWidget, code: int) -> None:
        from screening.vault.language import change_interview_language

        self.language_dialog = None
        chosen = dialog.language() if code else None  # type: ignore[attr-defined]
        if not chosen or chosen == self.interviewee:
            return
        self.flush()
        try:
            with self.vault.transaction() as conn:
                change_interview_language(conn, self.vault.user, self.interview_id, chosen)
        except VaultError as exc:
            self._show_message(exc.message)
            return
        self.interviewee = chosen
        self._show_languages()
        self._show_page()

    def _ask_stop(self) -> None:
        self.flush()
        dialog = StopDialog(self)
        dialog.finished.connect(lambda code: self._stop_decided(dialog, code))
        self.stop_dialog = dialog
        dialog.open()

    def _stop_decided(self, dialog: StopDialog, code: int) -> None:
        self.stop_dialog = None
        if not code:
            return
        problem = dialog.apply(self.vault, self.interview_id)
        if problem:
            self._show_message(problem)
        else:
            self.stopped.emit(self.interview_id)
