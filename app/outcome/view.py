"""The outcome of an interview: recommendation, why (per ILO element), needs, override, complete.

Scoring happens in `screening.scoring`; this view shows the result, records the screener's
override (only with a written reason, audited by the vault) and completes the interview, after
which everything here is read-only.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.form_text import is_rtl, set_direction, text_label
from app.outcome import summary
from app.style import INTERVIEW_STYLE, scale_font
from screening.forms.compiler import CompiledForm
from screening.scoring import ScoringResult
from screening.vault import Vault, VaultError

MAX_REASON = 2000


class OutcomeView(QWidget):
    completed = Signal(str)  # the interview is now completed and read-only
    back_requested = Signal()  # back to the questions (drafts only)
    closed = Signal()

    def __init__(
        self,
        vault: Vault,
        interview_id: str,
        compiled_form: CompiledForm,
        language: str,
        read_only: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.vault = vault
        self.interview_id = interview_id
        self.form = compiled_form
        self.language = language
        self.record = vault.get_interview(interview_id)
        self.confirm_box: QMessageBox | None = None
        self.success = ""
        # A finished interview stays read-only whatever the caller asked for.
        self.read_only = read_only or self.record.status != "draft"
        self.session = summary.session_for(vault, interview_id, compiled_form, language)
        self.result: ScoringResult | None = summary.result_for(
            self.record, self.session, prefer_stored=self.read_only
        )
        self.setObjectName("outcomeView")
        self.setAccessibleName(self.tr("Outcome"))
        self.setStyleSheet(INTERVIEW_STYLE)
        set_direction(self, is_rtl(compiled_form, language))
        outer = QVBoxLayout(self)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        self.body = QVBoxLayout(body)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        self._build_result()
        self._build_override()
        self.body.addStretch(1)
        outer.addLayout(self._build_actions())
        self._refresh()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        button = self.close_button if self.read_only else self.complete_button
        button.setFocus()

    # ------------------------------------------------------------------ building
    def _label(self, text: str = "", role: str = "", name: str = "") -> QLabel:
        return text_label(text, rtl=is_rtl(self.form, self.language), role=role, name=name)

    def _build_result(self) -> None:
        self.status_label = self._label(role="caption", name=self.tr("Interview status"))
        self.body.addWidget(self.status_label)
        self.outcome_label = self._label(name=self.tr("Recommendation"))
        scale_font(self.outcome_label, 1.5, bold=True)
        self.body.addWidget(self.outcome_label)
        self.override_note = self._label(role="note", name=self.tr("Override"))
        self.body.addWidget(self.override_note)
        self.referral_label = self._label(name=self.tr("Referral"))
        scale_font(self.referral_label, 1.1, bold=True)
        self.body.addWidget(self.referral_label)
        # Owed to every such child whatever the outcome (docs/scoring.md): said up here, in
        # the explanation's own words, not only among the summary's sentences.
        self.protection_label = self._label(role="warning", name=self.tr("Child protection"))
        scale_font(self.protection_label, 1.1, bold=True)
        self.body.addWidget(self.protection_label)

        self.elements = QVBoxLayout()
        self.element_rows: list[summary.ElementRow] = []
        self.body.addWidget(self._section(self.tr("Why: elements of trafficking"), self.elements))

        self.explanation = QVBoxLayout()
        self.body.addWidget(self._section(self.tr("Summary"), self.explanation))
        self.needs = QVBoxLayout()
        self.body.addWidget(self._section(self.tr("Needs identified"), self.needs))
        self.specials = QVBoxLayout()
        self.body.addWidget(self._section(self.tr("Declined and “don't know”"), self.specials))

    def _section(self, title: str, content: QWidget | QVBoxLayout) -> QGroupBox:
        box = QGroupBox(title)
        box.setAccessibleName(title)
        layout = QVBoxLayout(box)
        if isinstance(content, QWidget):
            layout.addWidget(content)
        else:
            layout.addLayout(content)
        return box

    def _build_override(self) -> None:
        self.override_box = QGroupBox(self.tr("Screener's override"))
        layout = QVBoxLayout(self.override_box)
        layout.addWidget(
            self._label(
                self.tr(
                    "If your professional judgement differs, choose another recommendation and "
                    "write why. The reason is kept with the interview and the change is audited."
                )
            )
        )
        self.override_choice = QComboBox()
        self.override_choice.setAccessibleName(self.tr("Different recommendation"))
        layout.addWidget(self.override_choice)
        self.override_reason = QPlainTextEdit()
        self.override_reason.setAccessibleName(self.tr("Reason for the override"))
        self.override_reason.setPlaceholderText(self.tr("Reason (required)"))
        self.override_reason.setTabChangesFocus(True)
        self.override_reason.setMaximumHeight(90)
        layout.addWidget(self.override_reason)
        self.override_button = QPushButton(self.tr("Record override"))
        self.override_button.setAccessibleName(self.tr("Record override"))
        self.override_button.setAutoDefault(True)
        layout.addWidget(self.override_button, 0, Qt.AlignmentFlag.AlignRight)
        self.override_reason.textChanged.connect(self._reason_changed)
        self.override_choice.currentIndexChanged.connect(self._reason_changed)
        self.override_button.clicked.connect(self._record_override)
        self.body.addWidget(self.override_box)

    def _build_actions(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.message = self._label(role="error", name=self.tr("Message"))
        self.message.hide()
        row.addWidget(self.message, 1)
        row.addStretch(0)
        self.back_button = QPushButton(self.tr("← Back to the questions"))
        self.complete_button = QPushButton(self.tr("Complete interview"))
        self.close_button = QPushButton(self.tr("Close"))
        for button, slot in (
            (self.back_button, self.back_requested.emit),
            (self.complete_button, self._complete),
            (self.close_button, self.closed.emit),
        ):
            button.setAccessibleName(button.text().strip("← "))
            button.setAutoDefault(True)
            button.clicked.connect(slot)
            row.addWidget(button)
        self.complete_button.setToolTip(
            self.tr("After this the answers can only be corrected with a reason.")
        )
        return row

    # ------------------------------------------------------------------ showing
    def _refresh(self) -> None:
        result, language = self.result, self.language
        status = {
            "draft": self.tr("Draft: not completed yet"),
            "completed": self.tr("Completed · read-only"),
            "stopped": self.tr("Stopped · read-only"),
        }.get(self.record.status, self.record.status)
        if self.record.status == "stopped":
            from app.listing.names import local_time
            from app.stop_reasons import stop_reason_words
            from screening.vault.pauses import pause_state

            stop = pause_state(self.vault.connection(), self.interview_id)
            if stop is not None and stop.stopped:
                status += " · " + self.tr("by {0}, {1}").format(stop.by, local_time(stop.at))
            status += " · " + self.tr("reason: {0}").format(
                stop_reason_words(self.record.stop_reason)
            )
        self.status_label.setText(status)
        if result is None:
            self.outcome_label.setText(self.tr("This questionnaire has no scoring rules."))
        else:
            self.outcome_label.setText(summary.outcome_name(language, result.final_result))
        self._show_override(result)
        self._show_elements(result)
        shown = {sentence for row in self.element_rows for sentence in row.sentences}
        self._fill(
            self.explanation,
            [line for line in result.explanation if line not in shown] if result else [],
        )
        self._fill(
            self.needs,
            summary.needs_lines(self.session, language) or [self.tr("None recorded.")],
        )
        specials = []
        if result is not None:
            specials += [
                self.tr("Declined: {0}").format(summary.question_label(self.form, k, language))
                for k in result.declined
            ]
            specials += [
                self.tr("Don't know: {0}").format(summary.question_label(self.form, k, language))
                for k in result.dont_know
            ]
        self._fill(self.specials, specials or [self.tr("None.")])
        self.override_box.setVisible(result is not None and not self.read_only)
        self._fill_choices(result)
        self.back_button.setVisible(not self.read_only)
        self.complete_button.setVisible(not self.read_only)
        self._reason_changed()

    def _show_override(self, result: ScoringResult | None) -> None:
        self._show_protection(result)
        if result is None:
            self.referral_label.hide()
            self.override_note.hide()
            return
        referral = result.referral_recommended
        if result.override is not None:
            referral = result.override.recommendation != "no_indication"
        self.referral_label.setText(
            self.tr("Referral for further assessment is recommended.")
            if referral
            else self.tr("No referral indicated by the screening.")
        )
        if result.override is not None:
            computed = summary.outcome_name(self.language, result.result)
            self.override_note.setText(
                self.tr("Changed by {0}. Computed result: {1}. Reason: {2}").format(
                    result.override.by, computed, result.override.reason
                )
            )
        self.override_note.setVisible(result.override is not None)

    def _show_protection(self, result: ScoringResult | None) -> None:
        needed = result is not None and result.child_protection
        if needed:
            assert result is not None
            self.protection_label.setText(summary.protection_sentence(result))
        self.protection_label.setVisible(needed)

    def _show_elements(self, result: ScoringResult | None) -> None:
        self._fill(self.elements, [])
        self.element_rows = summary.element_rows(self.form, result, self.language) if result else []
        for row in self.element_rows:
            # In the explanation's language only, never UI words around a form-language name.
            if row.present:
                text = f"✓ {row.name} · {row.counts}"
            elif row.lines:
                text = f"{row.name} · {row.counts}"
            else:
                text = row.none_sentence
            header = self._label(text, role="" if row.present else "caption")
            scale_font(header, 1.0, bold=row.present)
            self.elements.addWidget(header)
            for line in row.lines:
                item = self._label(line)
                # Margins, not setIndent(): a top-aligned label would indent its top edge too.
                rtl = is_rtl(self.form, self.language)
                item.setContentsMargins(0 if rtl else 28, 0, 28 if rtl else 0, 0)
                self.elements.addWidget(item)

    def _fill(self, layout: QVBoxLayout, lines: list[str]) -> None:
        while layout.count():
            item = layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        for line in lines:
            layout.addWidget(self._label(line))

    def _fill_choices(self, result: ScoringResult | None) -> None:
        self.override_choice.clear()
        if result is None:
            return
        # Empty to start with: an override is a deliberate choice, never a pre-set one.
        self.override_choice.addItem(self.tr("Choose a different recommendation…"), None)
        for name in summary.RECOMMENDATIONS:
            if name != result.result:
                self.override_choice.addItem(summary.outcome_name(self.language, name), name)
        self.override_choice.setCurrentIndex(0)

    # ------------------------------------------------------------------ actions
    def _reason_changed(self, *_: object) -> None:
        ready = bool(self.override_reason.toPlainText().strip())
        chosen = self.override_choice.currentData() is not None
        self.override_button.setEnabled(
            ready and chosen and not self.read_only and self.result is not None
        )

    def _record_override(self) -> None:
        if self.result is None or self.read_only:
            return
        if self.override_choice.currentData() is None:
            return
        recommendation = str(self.override_choice.currentData())
        reason = self.override_reason.toPlainText().strip()[:MAX_REASON]
        try:
            changed = self.result.with_override(recommendation, reason, self.vault.user)  # type: ignore[arg-type]
            self.vault.set_override(self.interview_id, recommendation, reason)
        except (ValueError, VaultError) as exc:
            self._show_message(getattr(exc, "message", None) or str(exc))
            return
        self.result = changed
        self.override_reason.clear()
        self._show_message("")
        self._refresh()

    def _complete(self) -> None:
        """Ask first: after completing, answers change only as corrections with a reason."""
        if self.read_only:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Complete the interview?"),
            self.tr(
                "Complete this interview with the recommendation shown? After this it is "
                "read-only: answers can only be corrected with a reason."
            ),
            QMessageBox.StandardButton.NoButton,
            self,
        )
        self.confirm_complete_button = box.addButton(
            self.tr("&Complete"), QMessageBox.ButtonRole.AcceptRole
        )
        self.cancel_complete_button = box.addButton(
            self.tr("&Not yet"), QMessageBox.ButtonRole.RejectRole
        )
        box.setDefaultButton(self.cancel_complete_button)
        box.finished.connect(lambda _code: self._complete_decided(box))
        self.confirm_box = box
        box.open()

    def _complete_decided(self, box: QMessageBox) -> None:
        self.confirm_box = None
        if box.clickedButton() is not self.confirm_complete_button:
            return
        outcome = self.result.model_dump(mode="json") if self.result is not None else None
        try:
            self.vault.complete_interview(self.interview_id, outcome=outcome)
        except VaultError as exc:
            self._show_message(exc.message)
            return
        self.record = self.vault.get_interview(self.interview_id)
        self.read_only = True
        self._refresh()
        self.close_button.setFocus()
        self.success = self.tr("Interview {0} completed and saved.").format(self.interview_id[:8])
        self.completed.emit(self.interview_id)

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
