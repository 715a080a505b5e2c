"""Referrals of one interview, from its case page: list, new referral, status, slip.

Everything is decided by `screening.referrals.Referrals` (roles, consent rules, allowed status
moves, the slip); this dialog renders its lists and turns its refusals into one sentence on
screen. Need, kind and urgency names come from the slip's own tables, so the dialog and the
printed slip use the same words.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.listing.names import local_time
from screening.errors import ScreeningError
from screening.export.fields import NEEDS
from screening.referrals import CONSENT_BASES, TRANSITIONS, URGENCIES, Referral, Referrals
from screening.referrals.slip import KINDS, LANGUAGES, NEED_LABELS, RTL, URGENCY

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter


def _lang(ui_language: str) -> str:
    return ui_language if ui_language in LANGUAGES else "en"


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("error")
    label.setWordWrap(True)
    label.hide()
    return label


class NewReferralDialog(QDialog):
    """Provider, needs (suggested from the answers), urgency, consent basis, contact."""

    def __init__(
        self, book: Referrals, interview_id: str, ui_language: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.book = book
        self.interview_id = interview_id
        self.created: Referral | None = None
        lang = _lang(ui_language)
        self.setWindowTitle(self.tr("New referral"))
        suggested = book.suggestions(interview_id)
        form = QFormLayout()
        self.provider = QComboBox()
        for provider in book.providers():
            kind = KINDS[lang].get(provider.kind, provider.kind)
            self.provider.addItem(f"{provider.name} · {kind}", provider.id)
        form.addRow(self.tr("&Provider"), self.provider)
        needs = QWidget()
        grid = QGridLayout(needs)
        grid.setContentsMargins(0, 0, 0, 0)
        self.needs: dict[str, QCheckBox] = {}
        for i, need in enumerate(NEEDS):
            box = QCheckBox(NEED_LABELS[lang].get(need, need))
            box.setChecked(need in suggested["needs"])
            self.needs[need] = box
            grid.addWidget(box, i // 3, i % 3)
        form.addRow(self.tr("Needs"), needs)
        self.urgency = QComboBox()
        for urgency in URGENCIES:
            self.urgency.addItem(URGENCY[lang][urgency], urgency)
        self.urgency.setCurrentIndex(self.urgency.findData(suggested["urgency"]))
        form.addRow(self.tr("&Urgency"), self.urgency)
        consent = QWidget()
        column = QVBoxLayout(consent)
        column.setContentsMargins(0, 0, 0, 0)
        self.consent_group = QButtonGroup(self)
        self.consent: dict[str, QRadioButton] = {}
        for basis in CONSENT_BASES:
            button = QRadioButton(self.consent_words()[basis])
            self.consent_group.addButton(button)
            self.consent[basis] = button
            column.addWidget(button)
        form.addRow(self.tr("Consent to refer"), consent)
        self.contact = QLineEdit()
        self.contact.setPlaceholderText(self.tr("Your phone or e-mail, printed on the slip"))
        form.addRow(self.tr("Your &contact"), self.contact)
        self.identity = QCheckBox(self.tr("Print the person's name, age and sex on the slip"))
        form.addRow("", self.identity)
        for row in range(form.rowCount()):
            label = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            if label and field and isinstance(label.widget(), QLabel):
                label.widget().setBuddy(field.widget())
                field.widget().setAccessibleName(label.widget().text().replace("&", ""))
        self.error = _error_label()
        self.buttons = QDialogButtonBox()
        self.create_button = self.buttons.addButton(
            self.tr("Refer"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        cancel = self.buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.create_button.setAccessibleName(self.tr("Record the referral"))
        cancel.setAccessibleName(self.tr("Cancel"))
        self.create_button.clicked.connect(self._create)
        cancel.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        if self.provider.count() == 0:
            layout.addWidget(
                QLabel(
                    self.tr(
                        "No service providers are listed yet. An administrator adds them "
                        "with “screening referral provider add”."
                    )
                )
            )
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.create_button.setEnabled(self.provider.count() > 0)

    def consent_words(self) -> dict[str, str]:
        return {
            "person": self.tr("The person agreed"),
            "guardian": self.tr("A parent or guardian agreed (child)"),
            "best_interests": self.tr("In the child's best interests (child protection only)"),
        }

    def _create(self) -> None:
        basis = next((b for b, button in self.consent.items() if button.isChecked()), None)
        if basis is None:
            self._fail(self.tr("Choose the basis of consent for this referral."))
            return
        try:
            self.created = self.book.create(
                self.interview_id,
                str(self.provider.currentData()),
                consent=basis,
                referrer_contact=self.contact.text(),
                needs=[n for n, box in self.needs.items() if box.isChecked()],
                urgency=str(self.urgency.currentData()),
                include_identity=self.identity.isChecked(),
            )
        except ScreeningError as exc:
            self._fail(exc.message)
            return
        self.accept()

    def _fail(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()


class ReferralsDialog(QDialog):
    """This interview's referrals, their status moves and their slips."""

    COLUMNS = 5

    def __init__(
        self,
        book: Referrals,
        interview_id: str,
        ui_language: str,
        slip_language: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.book = book
        self.interview_id = interview_id
        self.ui_language = ui_language
        self.slip_language = slip_language if slip_language in LANGUAGES else _lang(ui_language)
        self.referrals: list[Referral] = []
        self.new_dialog: NewReferralDialog | None = None
        self.file_dialog: QFileDialog | None = None
        self.setWindowTitle(self.tr("Referrals of this interview"))
        self.table = QTableWidget(0, self.COLUMNS)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Provider"),
                self.tr("Needs"),
                self.tr("Urgency"),
                self.tr("Status"),
                self.tr("Case code"),
            ]
        )
        self.table.setAccessibleName(self.tr("Referrals"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for column in (0, 1):  # provider and needs wrap; status and code stay whole
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.error = _error_label()
        self.new_button = QPushButton(self.tr("&New referral…"))
        self.status_buttons = {
            "accepted": QPushButton(self.tr("Provider &accepted")),
            "declined": QPushButton(self.tr("Provider &declined")),
            "closed": QPushButton(self.tr("C&lose referral")),
        }
        self.slip_button = QPushButton(self.tr("&Save slip as PDF…"))
        self.print_button = QPushButton(self.tr("&Print slip…"))
        self.print_dialog: QDialog | None = None
        self.done_button = QPushButton(self.tr("Done"))
        # Two rows: in one, the six buttons are wider than a netbook at 14 pt.
        moves = QHBoxLayout()
        row = QHBoxLayout()
        buttons = (self.new_button, *self.status_buttons.values(), self.slip_button)
        for button in (*buttons, self.print_button):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
            button.setAutoDefault(False)
        for button in self.status_buttons.values():
            moves.addWidget(button)
        moves.addStretch(1)
        row.addWidget(self.new_button)
        row.addWidget(self.slip_button)
        row.addWidget(self.print_button)
        row.addStretch(1)
        row.addWidget(self.done_button)
        self.done_button.setAccessibleName(self.tr("Done"))
        self.new_button.clicked.connect(self._new)
        for status, button in self.status_buttons.items():
            button.clicked.connect(lambda _=False, s=status: self._move(s))
        self.slip_button.clicked.connect(self._ask_slip_path)
        self.print_button.clicked.connect(self._ask_printer)
        self.done_button.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.error)
        layout.addLayout(moves)
        layout.addLayout(row)
        self.resize(820, 420)
        self.refresh()

    def refresh(self, select: str | None = None) -> None:
        lang = _lang(self.ui_language)
        self.referrals = self.book.list(interview_id=self.interview_id)
        self.table.setRowCount(len(self.referrals))
        for r, ref in enumerate(self.referrals):
            kind = KINDS[lang].get(ref.provider_kind, ref.provider_kind)
            needs = ", ".join(NEED_LABELS[lang].get(n, n) for n in ref.needs)
            when = local_time(ref.status_date(ref.status) or ref.sent_at)
            cells = (
                f"{ref.provider_name} · {kind}",
                needs,
                URGENCY[lang].get(ref.urgency, ref.urgency),
                f"{self.status_words()[ref.status]} · {when}",
                ref.case_code,
            )
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(r, c, item)
        self.table.resizeRowsToContents()
        row = next((i for i, ref in enumerate(self.referrals) if ref.id == select), None)
        if row is None and self.referrals:
            row = 0
        if row is not None:
            self.table.selectRow(row)
        self.message.setText(
            "" if self.referrals else self.tr("This interview has not been referred yet.")
        )
        self._update()

    def status_words(self) -> dict[str, str]:
        return {
            "sent": self.tr("Sent"),
            "accepted": self.tr("Accepted"),
            "declined": self.tr("Declined"),
            "closed": self.tr("Closed"),
        }

    def selected(self) -> Referral | None:
        row = self.table.currentRow()
        return self.referrals[row] if 0 <= row < len(self.referrals) else None

    def _update(self) -> None:
        ref = self.selected()
        for status, button in self.status_buttons.items():
            button.setEnabled(ref is not None and status in TRANSITIONS[ref.status])
        self.slip_button.setEnabled(ref is not None)
        self.print_button.setEnabled(ref is not None)

    def _new(self) -> None:
        dialog = NewReferralDialog(self.book, self.interview_id, self.ui_language, self)
        dialog.finished.connect(lambda code: self._created(dialog, code))
        self.new_dialog = dialog
        dialog.open()

    def _created(self, dialog: NewReferralDialog, code: int) -> None:
        self.new_dialog = None
        if code and dialog.created is not None:
            self.refresh(select=dialog.created.id)

    def _move(self, status: str) -> None:
        ref = self.selected()
        if ref is None:
            return
        try:
            self.book.set_status(ref.id, status)
        except ScreeningError as exc:
            self._fail(exc.message)
            return
        self.error.hide()
        self.refresh(select=ref.id)

    def _ask_slip_path(self) -> None:
        ref = self.selected()
        if ref is None:
            return
        dialog = QFileDialog(self, self.tr("Save the referral slip"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(self.tr("PDF files (*.pdf)"))
        dialog.setDefaultSuffix("pdf")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.selectFile(f"referral-{ref.case_code}.pdf")
        dialog.fileSelected.connect(lambda path: self.save_slip(ref, Path(path)))
        self.file_dialog = dialog
        dialog.open()

    def save_slip(self, ref: Referral, path: Path) -> Path | None:
        """Write the slip in the person's language where a slip language exists."""
        self.file_dialog = None
        try:
            written = self.book.write_slip(ref.id, path, language=self.slip_language)
        except (ScreeningError, OSError) as exc:
            self._fail(getattr(exc, "message", None) or str(exc))
            return None
        self.error.hide()
        self.message.setText(
            self.tr("Slip saved: {0}. Print it from there; it is confidential.").format(
                Path(written).name
            )
        )
        return Path(written)

    def _ask_printer(self) -> None:
        """The system's print dialog (window-modal, no nested event loop), then the slip."""
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        ref = self.selected()
        if ref is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(f"referral-{ref.case_code}")
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(self.tr("Print the referral slip"))
        dialog.accepted.connect(lambda: self.print_slip(ref, printer))
        dialog.finished.connect(lambda _code: setattr(self, "print_dialog", None))
        self.print_dialog = dialog
        QDialog.open(dialog)  # QPrintDialog.open() wants a receiver; the plain one opens it

    def print_slip(self, ref: Referral, printer: QPrinter) -> bool:
        """Print the slip in the person's language where a slip language exists (the same
        lines as the saved PDF), on a printer already chosen."""
        from PySide6.QtPrintSupport import QPrinter

        from app.coordinator.slip_print import slip_document

        try:
            parts = self.book.print_slip(ref.id, language=self.slip_language)
        except ScreeningError as exc:
            self._fail(exc.message)
            return False
        document = slip_document(parts, rtl=self.slip_language in RTL)
        document.print_(printer)
        if printer.printerState() == QPrinter.PrinterState.Error:
            self._fail(self.tr("The slip could not be printed: {0}").format(printer.printerName()))
            return False
        self.error.hide()
        self.message.setText(
            self.tr("Slip sent to the printer: {0}.").format(
                printer.printerName() or printer.outputFileName()
            )
        )
        return True

    def _fail(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
