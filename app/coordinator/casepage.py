"""One received interview for review: its answers, the outcome explained, its audit trail.

Everything shown comes from `CaseData` (prepared on the operation runner). Form text and
answers are escaped before they reach the rich-text views (`case_html.py`); the audit
trail's words are `case_trail.py`'s. Nothing here is ever written anywhere. Esc (or
Alt+Left, or the back button) returns to the list.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.coordinator.case_html import NOTE, answers_html, details_html, outcome_html
from app.coordinator.case_trail import trail_cells
from app.coordinator.casedata import CaseData, TrailRow
from app.listing.names import short_id, status_name
from app.page_events import PageEvents
from app.style import scale_font


class CasePage(PageEvents, QWidget):
    KEY_SIGNALS = ((Qt.Key.Key_Escape, "back_requested"),)

    back_requested = Signal()
    language_chosen = Signal(str)
    referrals_requested = Signal(str)  # interview id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("casePage")
        self.data: CaseData | None = None
        self.back = QPushButton(self)
        self.back.clicked.connect(self.back_requested)
        back = QShortcut(QKeySequence("Alt+Left"), self)
        back.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        back.activated.connect(self.back_requested)
        self.title = QLabel(self)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        scale_font(self.title, 1.3, bold=True)
        self.referrals_button = QPushButton(self)
        self.referrals_button.clicked.connect(self._referrals)
        self.language_label = QLabel(self)
        self.language = QComboBox(self)
        self.language_label.setBuddy(self.language)
        self.language.activated.connect(self._language_activated)
        self.details = QLabel(self)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notice = QLabel(self)
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.notice.setWordWrap(True)
        self.notice.setProperty("role", "note")
        self.notice.setStyleSheet(f"background: {NOTE}; border-radius: 4px; padding: 6px;")
        self.notice.hide()
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.hide()

        self.answers_label = QLabel(self)
        self.answers = QTextBrowser(self)
        self.answers_label.setBuddy(self.answers)
        self.outcome_label = QLabel(self)
        self.outcome = QTextBrowser(self)
        self.outcome_label.setBuddy(self.outcome)
        self.trail_label = QLabel(self)
        self.trail = QTableWidget(0, 5, self)
        self.trail_label.setBuddy(self.trail)
        self.trail.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.trail.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.trail.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.trail.setAlternatingRowColors(True)
        # Details wrap onto more lines instead of being cut to a few letters.
        self.trail.setWordWrap(True)
        self.trail.verticalHeader().hide()
        self.trail.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.trail.horizontalHeader().setStretchLastSection(False)
        self.trail.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column in (2, 3):  # what happened and its detail share the spare width
            self.trail.horizontalHeader().setSectionResizeMode(
                column, QHeaderView.ResizeMode.Stretch
            )
        self._size_trail()
        for view in (self.answers, self.outcome):
            view.setOpenLinks(False)
            view.setOpenExternalLinks(False)
            view.setTabChangesFocus(True)  # Tab moves on; arrows and Page keys scroll

        self.title.setWordWrap(True)  # a long form title must not widen a netbook window
        top = QHBoxLayout()
        top.addWidget(self.back)
        top.addWidget(self.title, 1)
        top.addWidget(self.referrals_button)
        top.addWidget(self.language_label)
        top.addWidget(self.language)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.answers_label)
        left_layout.addWidget(self.answers, 1)
        upper = QWidget(self)
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addWidget(self.outcome_label)
        upper_layout.addWidget(self.outcome, 1)
        lower = QWidget(self)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.trail_label)
        lower_layout.addWidget(self.trail, 1)
        self.right = QSplitter(Qt.Orientation.Vertical, self)
        self.right.addWidget(upper)
        self.right.addWidget(lower)
        self.right.setStretchFactor(0, 3)
        self.right.setStretchFactor(1, 2)
        self.split = QSplitter(Qt.Orientation.Horizontal, self)
        self.split.addWidget(left)
        self.split.addWidget(self.right)
        self.split.setStretchFactor(0, 5)
        self.split.setStretchFactor(1, 7)
        self.split.setSizes([500, 700])  # the audit trail's columns want the wider side
        for splitter in (self.split, self.right):
            splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.details)
        layout.addWidget(self.notice)
        layout.addWidget(self.busy)
        layout.addWidget(self.split, 1)
        for first, second in (
            (self.back, self.referrals_button),
            (self.referrals_button, self.language),
            (self.language, self.answers),
            (self.answers, self.outcome),
            (self.outcome, self.trail),
        ):
            self.setTabOrder(first, second)
        self.retranslate()

    # ----------------------------------------------------------------- state

    def show_loading(self, interview_id: str) -> None:
        self.clear()
        self.title.setText(self.tr("Interview %1").replace("%1", short_id(interview_id)))
        self.details.setText(escape(self.tr("Opening the interview…")))
        self.busy.show()
        self.split.setEnabled(False)

    def show_case(self, data: CaseData, *, focus: bool = True) -> None:
        self.data = data
        self.busy.hide()
        self.split.setEnabled(True)
        self.language.blockSignals(True)
        self.language.clear()
        for code, name in data.languages:
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(data.language)))
        self.language.setEnabled(len(data.languages) > 1)
        self.language.blockSignals(False)
        self._render()
        if focus:
            self.answers.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_failure(self) -> None:
        self.busy.hide()
        self.details.setText(escape(self.tr("The interview could not be opened.")))

    def clear(self) -> None:
        """Forget the case: answer text leaves the widgets and the page's memory."""
        if self.data is not None:
            self.data.forget()
        self.data = None
        self.busy.hide()
        self.title.clear()
        self.details.clear()
        self.notice.clear()
        self.notice.hide()
        for view in (self.answers, self.outcome):
            view.clear()
            view.document().clearUndoRedoStacks()
        self.trail.setRowCount(0)
        self.language.blockSignals(True)
        self.language.clear()
        self.language.blockSignals(False)

    def answers_text(self) -> str:
        return self.answers.toPlainText()

    def outcome_text(self) -> str:
        return self.outcome.toPlainText()

    def trail_rows(self) -> list[list[str]]:
        return [
            [self.trail.item(r, c).text() for c in range(self.trail.columnCount())]
            for r in range(self.trail.rowCount())
        ]

    # -------------------------------------------------------------- rendering

    def _render(self) -> None:
        data = self.data
        if data is None:
            return
        record = data.record
        status = status_name(record.status)
        self.title.setText(
            self.tr("Interview %1 · %2 · %3")
            .replace("%1", short_id(record.id))
            .replace("%2", data.form_title)
            .replace("%3", status)
        )
        self.title.setToolTip(record.id)
        self.details.setText(details_html(data))
        notices = []
        if data.form_missing:
            notices.append(
                self.tr(
                    "The questionnaire %1 is not installed here: answers are shown by question "
                    "id, as stored, and the outcome as the screener's laptop recorded it."
                ).replace("%1", f"{record.form_id} {record.form_version}")
            )
        if data.unusable:
            notices.append(
                self.tr(
                    "Stored answers that no longer fit the questionnaire are not shown: %1."
                ).replace("%1", str(len(data.unusable)))
            )
        self.notice.setText("\n".join(notices))
        self.notice.setVisible(bool(notices))
        self.answers.setHtml(answers_html(data))
        self.outcome.setHtml(outcome_html(data.explanation, data.rtl))
        self._fill_trail(data.trail)

    def _fill_trail(self, rows: list[TrailRow]) -> None:
        self.trail.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(trail_cells(row)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.trail.setItem(r, c, item)

    def _size_trail(self) -> None:
        # When, who and where: as wide as a typical entry in the current font; they wrap.
        metrics = self.trail.fontMetrics()
        for column, sample in ((0, "2026-12-04"), (1, "A. Screener"), (4, "Recorded on")):
            self.trail.setColumnWidth(column, metrics.horizontalAdvance(sample) + 28)

    # -------------------------------------------------------------------- Qt

    def _language_activated(self, index: int) -> None:
        code = self.language.itemData(index)
        if isinstance(code, str) and (self.data is None or code != self.data.language):
            self.language_chosen.emit(code)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._size_trail()

    def _referrals(self) -> None:
        if self.data is not None:
            self.referrals_requested.emit(self.data.record.id)

    def retranslate(self) -> None:
        self.referrals_button.setText(self.tr("&Referrals…"))
        self.referrals_button.setAccessibleName(self.tr("Referrals of this interview"))
        self.referrals_button.setToolTip(
            self.tr("Refer the person to a service, follow the referral, save the slip")
        )
        self.back.setText(self.tr("← Received interviews"))
        self.back.setAccessibleName(self.tr("Back to the received interviews"))
        self.back.setToolTip(self.tr("Back to the received interviews (Esc)"))
        self.language_label.setText(self.tr("Answers in:"))
        self.language.setAccessibleName(self.tr("Language of questions and explanation"))
        self.title.setAccessibleName(self.tr("Interview"))
        self.details.setAccessibleName(self.tr("Interview details"))
        self.notice.setAccessibleName(self.tr("Note"))
        self.busy.setAccessibleName(self.tr("Opening the interview"))
        self.answers_label.setText(self.tr("Answers"))
        self.answers.setAccessibleName(self.tr("Answers"))
        self.outcome_label.setText(self.tr("Outcome"))
        self.outcome.setAccessibleName(self.tr("Outcome and explanation"))
        self.trail_label.setText(self.tr("Audit trail of this interview"))
        self.trail.setAccessibleName(self.tr("Audit trail of this interview"))
        self.trail.horizontalHeader().setAccessibleName(self.tr("Columns"))
        self.trail.verticalHeader().setAccessibleName(self.tr("Rows"))
        self.trail.setHorizontalHeaderLabels(
            [
                self.tr("When"),
                self.tr("Who"),
                self.tr("What"),
                self.tr("Detail"),
                self.tr("Recorded on"),
            ]
        )
        for label in (self.answers_label, self.outcome_label, self.trail_label):
            scale_font(label, 1.0, bold=True)
            label.setAccessibleName(label.text())
        self._render()
