"""The coordinator's anonymised export: format, filters, k, a preview, progress and cancel.

`ExportDialog` is a front to `screening.export`: "Preview" runs `preview_with_samples`
(counts and a few sample rows, nothing written) and shows what would be generalised and
suppressed; "Export" runs `export`
with a progress bar and a Cancel button. Both run through the window's `OpRunner`, never on
the GUI thread. A cancelled or failed export leaves no file behind (the export core makes
sure of that); a failure is one sentence in a message box, a success a summary in the
dialog. Only coordinators and admins are offered the dialog (`CoordinatorShell`), and the
export core refuses anyone else anyway.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from screening.export import DEFAULT_K, ExportCancelled, ExportResult, Filters, export
from screening.export.sample import SAMPLE_COLUMNS, preview_with_samples

if TYPE_CHECKING:
    from app.ops import Op, OpContext, OpRunner
    from screening.vault import Vault

log = logging.getLogger("screening_desk.coordinator")

NO_DATE = QDate(2000, 1, 1)  # the date edits' minimum, shown as "Any day"
SUFFIXES = {"csv": ".csv", "xlsx": ".xlsx", "htcds-json": ".json", "pdf": ".pdf"}


class ExportDialog(QDialog):
    """Export the vault's completed interviews, anonymised, to one file and its report."""

    exported = Signal(object)  # ExportResult
    previewed = Signal(object)  # the preview report (dict)

    def __init__(
        self,
        vault: Vault,
        runner: OpRunner,
        parent: QWidget | None = None,
        forms: list[tuple[str, str]] | None = None,
    ) -> None:
        super().__init__(parent)
        self.vault = vault
        self.runner = runner
        self.op: Op[Any] | None = None
        self.result: ExportResult | None = None
        self._forms = forms if forms is not None else _offered_forms(vault)

        self.format = QComboBox(self)
        self.date_from = self._date_edit()
        self.date_to = self._date_edit()
        self.form = QComboBox(self)
        self.k = QSpinBox(self)
        self.k.setRange(2, 1000)
        self.k.setValue(DEFAULT_K)
        # Stable case codes make exports joinable (issue #13): off by default, and a
        # warning in plain words whenever it is on.
        self.stable_codes = QCheckBox(self)
        self.stable_warning = QLabel(self)
        self.stable_warning.setWordWrap(True)
        self.stable_warning.hide()
        self.stable_codes.toggled.connect(self.stable_warning.setVisible)
        self.path = QLineEdit(self)
        self.choose = QPushButton(self)
        self.choose.clicked.connect(self.choose_path)
        self.preview_button = QPushButton(self)
        self.preview_button.clicked.connect(self.run_preview)
        self.explain = QLabel(self)
        self.explain.setWordWrap(True)
        self.k.valueChanged.connect(self._explain)
        self.preview_text = QPlainTextEdit(self)
        self.preview_text.setReadOnly(True)
        # A few rows as they will be written: what "blurred" means, seen rather than told.
        self.samples = QTableWidget(0, len(SAMPLE_COLUMNS), self)
        self.samples.verticalHeader().hide()
        self.samples.setCornerButtonEnabled(False)
        self.samples.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.samples.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.samples.setMaximumHeight(140)
        self.samples.hide()
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.progress.hide()
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.export_button = QPushButton(self)
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.run_export)
        self.cancel_button = QPushButton(self)
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.setEnabled(False)
        self.close_button = QPushButton(self)
        self.close_button.clicked.connect(self.reject)
        self.format.currentIndexChanged.connect(self._format_changed)

        # Each labelled field by name: its label's buddy, and what retranslate names.
        self.fields: dict[str, QWidget] = {
            "format": self.format,
            "from": self.date_from,
            "to": self.date_to,
            "form": self.form,
            "k": self.k,
            "path": self.path,
        }
        self.labels = {name: QLabel(self) for name in self.fields}
        for name, label in self.labels.items():
            label.setBuddy(self.fields[name])
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(self.choose)
        form = QFormLayout()
        form.addRow(self.labels["format"], self.format)
        form.addRow(self.labels["from"], self.date_from)
        form.addRow(self.labels["to"], self.date_to)
        form.addRow(self.labels["form"], self.form)
        form.addRow(self.labels["k"], self.k)
        form.addRow("", self.stable_codes)
        form.addRow("", self.stable_warning)
        form.addRow(self.labels["path"], path_row)
        buttons = QHBoxLayout()
        buttons.addWidget(self.preview_button)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explain)
        layout.addLayout(form)
        layout.addWidget(self.samples)
        layout.addWidget(self.preview_text, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.resize(620, 560)
        self.retranslate()

    # ------------------------------------------------------------ public

    @property
    def busy(self) -> bool:
        return self.op is not None

    def filters(self) -> Filters:
        return Filters(
            date_from=_day(self.date_from),
            date_to=_day(self.date_to),
            form_id=self.form.currentData(),
        )

    def fmt(self) -> str:
        return str(self.format.currentData())

    def choose_path(self) -> None:
        suffix = SUFFIXES[self.fmt()]
        start = self.path.text() or str(Path.home() / f"export{suffix}")
        chosen, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export to"),
            start,
            self.tr("%1 files (*%2)")
            .replace("%1", self.format.currentText())
            .replace("%2", suffix),
        )
        if chosen:
            self.path.setText(chosen)

    def run_preview(self) -> None:
        if self.busy:
            return
        vault, k, filters = self.vault, self.k.value(), self.filters()
        self._start(self.tr("Counting the interviews…"))

        def work(_ctx: OpContext) -> dict[str, Any]:
            return preview_with_samples(vault, k=k, filters=filters, n=3)

        self.op = self.runner.run(
            "export preview",
            work,
            on_success=self._previewed,
            on_finished=self._finished,
        )

    def run_export(self) -> None:
        if self.busy:
            return
        text = self.path.text().strip()
        if not text:
            self.status.setText(self.tr("Choose the file to export to."))
            self.path.setFocus()
            return
        out = Path(text).expanduser()
        vault, fmt, k, filters = self.vault, self.fmt(), self.k.value(), self.filters()
        stable = self.stable_codes.isChecked()

        def work(ctx: OpContext) -> ExportResult:
            return export(
                vault,
                out,
                fmt=fmt,
                k=k,
                filters=filters,
                stable_codes=stable,
                progress=lambda done, total: ctx.progress(done, total),
                cancelled=lambda: ctx.cancelled,
            )

        self.result = None
        self._start(self.tr("Exporting…"))
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.setEnabled(True)
        self.op = self.runner.run(
            "export",
            work,
            on_success=self._exported,
            on_failure=self._failed,
            on_progress=self._progressed,
            on_cancel=self._cancelled,
            on_finished=self._finished,
            keep_late_result=True,  # a Cancel after the file was written must not deny it
        )

    def cancel(self) -> None:
        if self.op is not None:
            self.op.cancel()
            self.cancel_button.setEnabled(False)
            self.status.setText(self.tr("Cancelling…"))

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Export anonymised data"))
        self.setAccessibleName(self.tr("Export anonymised data"))
        current = self.format.currentData()
        self.format.blockSignals(True)
        self.format.clear()
        for value, text in (
            ("csv", self.tr("CSV")),
            ("xlsx", self.tr("Excel workbook (XLSX)")),
            ("htcds-json", self.tr("HTCDS JSON")),
            ("pdf", self.tr("PDF report")),
        ):
            self.format.addItem(text, value)
        self.format.setCurrentIndex(max(0, self.format.findData(current)))
        self.format.blockSignals(False)
        current = self.form.currentData()
        self.form.clear()
        self.form.addItem(self.tr("All forms"), None)
        for form_id, title in self._forms:
            self.form.addItem(title, form_id)
        self.form.setCurrentIndex(max(0, self.form.findData(current)))
        for edit in (self.date_from, self.date_to):
            edit.setSpecialValueText(self.tr("Any day"))
        texts = {
            "format": (self.tr("&Format:"), self.tr("Export format")),
            "from": (self.tr("Started fro&m:"), self.tr("Interviews started from")),
            "to": (self.tr("Started &to:"), self.tr("Interviews started until")),
            "form": (self.tr("F&orm:"), self.tr("Form to export")),
            "k": (
                self.tr("Smallest &group (k):"),
                self.tr("k, the smallest group of alike rows"),
            ),
            "path": (self.tr("&Save to:"), self.tr("File to export to")),
        }
        for name, (label, accessible) in texts.items():
            self.labels[name].setText(label)
            self.fields[name].setAccessibleName(accessible)
        self.k.setToolTip(
            self.tr(
                "Every exported row shares all its values but the case code with at least "
                "k-1 other rows."
            )
        )
        self.stable_codes.setText(self.tr("Same case codes as in earlier exports"))
        self.stable_codes.setAccessibleName(self.tr("Same case codes as in earlier exports"))
        self.stable_warning.setText(
            self.tr(
                "Warning: with the same case codes, this file can be joined row by row with "
                "every other export made this way, and joined files can single people out. "
                "The file is then pseudonymised personal data. Leave this off unless someone "
                "must follow the same people across exports."
            )
        )
        self.stable_warning.setAccessibleName(self.tr("Warning about stable case codes"))
        self.choose.setText(self.tr("C&hoose…"))
        self.choose.setAccessibleName(self.tr("Choose the file to export to"))
        self.preview_button.setText(self.tr("&Preview"))
        self.preview_button.setAccessibleName(
            self.tr("Preview what gets generalised and suppressed")
        )
        self.preview_text.setAccessibleName(self.tr("Export preview"))
        self.samples.setAccessibleName(self.tr("Sample rows as they will be written"))
        for corner in self.samples.findChildren(QAbstractButton):
            corner.setAccessibleName(self.tr("Select all sample rows"))
        self._explain()
        self.explain.setAccessibleName(self.tr("What the export protects"))
        self.preview_text.setPlaceholderText(
            self.tr("Press Preview to see what the export generalises and suppresses.")
        )
        self.progress.setAccessibleName(self.tr("Export progress"))
        self.status.setAccessibleName(self.tr("Export status"))
        self.export_button.setText(self.tr("&Export"))
        self.export_button.setAccessibleName(self.tr("Export"))
        self.cancel_button.setText(self.tr("&Cancel export"))
        self.cancel_button.setAccessibleName(self.tr("Cancel export"))
        self.close_button.setText(self.tr("C&lose"))
        self.close_button.setAccessibleName(self.tr("Close"))

    def shutdown(self) -> None:
        """The vault is locking: stop any work and forget everything shown."""
        if self.op is not None:
            self.op.cancel()
        self.preview_text.clear()
        self.samples.setRowCount(0)
        self.samples.hide()
        self.status.clear()
        self.result = None

    # ------------------------------------------------------------ Qt

    def reject(self) -> None:
        if self.op is not None:
            self.op.cancel()
        super().reject()

    # ------------------------------------------------------------ private

    def _date_edit(self) -> QDateEdit:
        edit = QDateEdit(self)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setMinimumDate(NO_DATE)
        edit.setDate(NO_DATE)
        return edit

    def _start(self, status: str) -> None:
        self.status.setText(status)
        for widget in (self.preview_button, self.export_button):
            widget.setEnabled(False)

    def _finished(self) -> None:
        self.op = None
        for widget in (self.preview_button, self.export_button):
            widget.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.progress.hide()

    def _format_changed(self) -> None:
        text = self.path.text().strip()
        if text:
            self.path.setText(str(Path(text).with_suffix(SUFFIXES[self.fmt()])))

    def _progressed(self, done: int, total: int, _label: str) -> None:
        if total <= 0:
            self.progress.setRange(0, 0)
        else:
            self.progress.setRange(0, 100)
            self.progress.setValue(min(100, done * 100 // total))

    def _explain(self) -> None:
        self.explain.setText(
            self.tr(
                "No one can be picked out of the export: every row shares its age band, sex, "
                "nationality, place and month with at least %1 other rows, and rows that "
                "would stand out are blurred (*) or left out."
            ).replace("%1", str(self.k.value() - 1))
        )

    def _show_samples(self, rows: list[dict[str, str]]) -> None:
        self.samples.setHorizontalHeaderLabels([self.column_names()[c] for c in SAMPLE_COLUMNS])
        self.samples.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, column in enumerate(SAMPLE_COLUMNS):
                self.samples.setItem(r, c, QTableWidgetItem(row.get(column, "")))
        self.samples.setVisible(bool(rows))

    def column_names(self) -> dict[str, str]:
        return {
            "form": self.tr("Form"),
            "interview_month": self.tr("Month"),
            "place": self.tr("Place"),
            "age_band": self.tr("Age"),
            "sex": self.tr("Sex"),
            "nationality": self.tr("Nationality"),
            "outcome": self.tr("Outcome"),
        }

    def _previewed(self, report: dict[str, Any]) -> None:
        self._show_samples(report.get("sample_rows", []))
        self.preview_text.setPlainText(self._describe(report))
        self.status.setText(self.tr("Preview ready; nothing was written."))
        self.previewed.emit(report)

    def _exported(self, result: ExportResult) -> None:
        self.result = result
        rows = result.report["rows"]
        k = result.report["k_achieved"]
        summary = (
            self.tr(
                "Exported %1 rows to %2. k achieved: %3. Suppressed: %4; left out: %5. Report: %6."
            )
            .replace("%1", str(rows["exported"]))
            .replace("%2", str(result.path))
            .replace("%3", "-" if k is None else str(k))
            .replace("%4", str(rows["suppressed"]))
            .replace("%5", str(rows["dropped"]))
            .replace("%6", str(result.report_path))
        )
        self.status.setText(summary)
        self.status.setAccessibleDescription(summary)
        log.info("export written")
        self.exported.emit(result)

    def _failed(self, exc: BaseException) -> bool:
        if isinstance(exc, ExportCancelled):
            self._cancelled()
            return True
        self.status.setText(self.tr("The export failed; nothing was written."))
        return False  # the runner shows its one sentence in a message box

    def _cancelled(self) -> None:
        self.status.setText(self.tr("The export was cancelled; nothing was written."))

    def _describe(self, report: dict[str, Any]) -> str:
        rows = report["rows"]
        k = report["k_achieved"]
        lines = [
            self.tr("Interviews considered: %1").replace("%1", str(rows["considered"])),
            self.tr("Left out, no consent: %1").replace("%1", str(rows["excluded_no_consent"])),
            self.tr("Rows exported: %1").replace("%1", str(rows["exported"])),
            self.tr("Rows suppressed (every value replaced by *): %1").replace(
                "%1", str(rows["suppressed"])
            ),
            self.tr("Rows left out (too rare even when suppressed): %1").replace(
                "%1", str(rows["dropped"])
            ),
            self.tr("k requested: %1; k achieved: %2")
            .replace("%1", str(report["k"]))
            .replace("%2", "-" if k is None else str(k)),
            "",
            self.tr("How coarsely each identifying detail is written:"),
        ]
        for column, level in report["generalisation"].items():
            lines.append(f"  {column}: {level}")
        coarsened = report.get("coarsened")
        if coarsened:
            lines.append(self.tr("  detail released: %1").replace("%1", coarsened["detail"]))
        steps = report["generalisation_steps"]
        if steps:
            lines += ["", self.tr("Steps taken:")]
            lines += [f"  {s['column']}: {s['from']} → {s['to']}" for s in steps]
        return "\n".join(lines)


def _day(edit: QDateEdit) -> date | None:
    value = edit.date()
    if value == edit.minimumDate():
        return None
    return date(value.year(), value.month(), value.day())


def _offered_forms(vault: Vault) -> list[tuple[str, str]]:
    """Shipped forms and the organisation's (the coordinator keeps what it publishes)."""
    try:
        from app.interview.forms import available_forms

        return [(f.id, f.title) for f in available_forms(vault=vault)]
    except Exception:  # the catalogue is optional here: "All forms" still works
        log.warning("the form catalogue is not available")
        return []
