"""Held update conflicts: the list, and one conflict's two copies side by side.

Every decision is `screening.sync.conflicts`'s: which envelopes are held, whether the
incoming copy may be taken, the checks the held envelope must pass again, the audit row. This
module renders its data and sends the coordinator's choice back. Opening a conflict (checking
and decrypting the envelope) and resolving it run on the operation runner.

A difference between the copies is marked three ways, so that it never rests on colour: a
"≠" sign before the question, bold text, and a tinted background.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QShowEvent, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.listing.names import local_time

if TYPE_CHECKING:
    from app.ops import OpContext, OpRunner
    from screening.sync.conflicts import Conflict, ConflictCopy, HeldConflict, Resolution
    from screening.vault import Vault

DIFFERS = "≠"
TINT = QColor("#fff1c2")  # a pale amber behind a difference; the text stays black


class ConflictDialog(QDialog):
    """Two copies of one interview, side by side; keep this copy or take the incoming one."""

    def __init__(
        self, vault: Vault, runner: OpRunner, conflict: Conflict, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.vault = vault
        self.runner = runner
        self.conflict = conflict
        self.resolution: Resolution | None = None
        self.confirm_box: QMessageBox | None = None
        self.setObjectName("conflictDialog")
        self.setWindowTitle(self.tr("Two copies of one interview"))
        c = conflict
        self.summary = QLabel(
            self.tr(
                "Interview {0} ({1}) was changed here and on the screener's laptop. "
                "Compare the two copies and choose the one to keep; the other is kept aside "
                "in the vault, not deleted."
            ).format(c.interview_id, c.form_title)
        )
        self.summary.setWordWrap(True)
        self.reason = QLabel(self.tr("Why it was held: {0}").format(c.reason))
        self.reason.setWordWrap(True)
        count = self.tr("Differences: {0}, marked ≠ and in bold.").format(c.differences)
        self.count = QLabel(count)
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("conflictTable")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Question"), self.tr("This copy (here)"), self.tr("Incoming copy (laptop)")]
        )
        self.table.setAccessibleName(self.tr("Both copies, question by question"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self._fill()
        self.local_trail = self._trail(c.local)
        self.incoming_trail = self._trail(c.incoming)
        self.local_trail.setAccessibleName(self.tr("Latest audit entries of this copy"))
        self.incoming_trail.setAccessibleName(self.tr("Latest audit entries of the incoming copy"))
        self.keep_button = QPushButton(self.tr("&Keep this copy"))
        self.take_button = QPushButton(self.tr("&Take the incoming copy"))
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        for button in (self.keep_button, self.take_button, self.close_button):
            button.setAutoDefault(False)
            button.setAccessibleName(button.text().replace("&", ""))
        self.take_button.setEnabled(c.incoming_allowed)
        self.refused = QLabel(c.incoming_refused or "")
        self.refused.setWordWrap(True)
        self.refused.setVisible(not c.incoming_allowed)
        self.message = QLabel()
        self.message.setObjectName("conflictResult")
        self.message.setWordWrap(True)
        self.message.hide()
        self.keep_button.clicked.connect(lambda: self.ask("local"))
        self.take_button.clicked.connect(lambda: self.ask("incoming"))
        self.close_button.clicked.connect(self.reject)

        trails = QGridLayout()
        trails.addWidget(QLabel(self.tr("This copy: latest audit entries")), 0, 0)
        trails.addWidget(QLabel(self.tr("Incoming copy: latest audit entries")), 0, 1)
        trails.addWidget(self.local_trail, 1, 0)
        trails.addWidget(self.incoming_trail, 1, 1)
        trails.addWidget(self.keep_button, 2, 0)
        trails.addWidget(self.take_button, 2, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addStretch(0)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.reason)
        layout.addWidget(self.count)
        layout.addWidget(self.table, 2)
        layout.addLayout(trails, 1)
        layout.addWidget(self.refused)
        layout.addLayout(bottom)
        # Fits a netbook: never larger than the screen it opens on.
        screen = (parent.screen() if parent is not None else self.screen()).availableGeometry()
        self.resize(min(980, screen.width() - 24), min(640, screen.height() - 24))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        for box in (self.local_trail, self.incoming_trail):  # the newest entries in view
            bar = box.verticalScrollBar()
            bar.setValue(bar.maximum())

    # ------------------------------------------------------------------ rendering

    def _who(self, copy: ConflictCopy) -> str:
        return self.tr("{0}, {1}").format(copy.changed_by, local_time(copy.changed_at))

    def _outcome(self, copy: ConflictCopy) -> str:
        text = copy.outcome or self.tr("none")
        if copy.override is not None:
            rec, reason, by, _at = copy.override
            text += "\n" + self.tr("Override: {0} ({1}), by {2}").format(rec, reason, by)
        return text

    def _fill(self) -> None:
        c = self.conflict
        rows: list[tuple[str, str, str]] = [
            (self.tr("Last changed by"), self._who(c.local), self._who(c.incoming)),
            (self.tr("Status"), c.local.status, c.incoming.status),
            (self.tr("Outcome"), self._outcome(c.local), self._outcome(c.incoming)),
        ]
        missing = self.tr("(no answer)")
        for row in c.rows:
            rows.append(
                (
                    row.label,
                    missing if row.local is None else row.local,
                    missing if row.incoming is None else row.incoming,
                )
            )
        self.table.setRowCount(len(rows))
        bold = QFont()
        bold.setBold(True)
        for r, (label, mine, theirs) in enumerate(rows):
            # The first row says who and when: that differs by nature, it is not a difference.
            differs = r > 0 and mine != theirs
            cells = (f"{DIFFERS} {label}" if differs else label, mine, theirs)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if differs:
                    item.setFont(bold)
                    item.setBackground(QBrush(TINT))
                    item.setForeground(QBrush(QColor("#000000")))
                    item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, self.tr("differs"))
                self.table.setItem(r, column, item)
        self.table.resizeRowsToContents()

    def _trail(self, copy: ConflictCopy) -> QPlainTextEdit:
        box = QPlainTextEdit()
        box.setReadOnly(True)
        where = {"device": self.tr("laptop"), "vault": self.tr("here")}
        box.setPlainText(
            "\n".join(
                f"{local_time(a.at)} · {a.actor} · {a.action}"
                + (f" ({a.detail})" if a.detail else "")
                + f" · {where.get(a.source, a.source)}"
                for a in copy.audit_tail
            )
        )
        box.setMinimumHeight(80)
        box.moveCursor(QTextCursor.MoveOperation.End)  # the newest entries in view
        box.ensureCursorVisible()
        return box

    # ------------------------------------------------------------------ choosing

    def ask(self, keep: str) -> None:
        """Confirm first: the choice cannot be undone here (the other copy stays aside)."""
        if keep == "incoming" and not self.conflict.incoming_allowed:
            return
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Confirm your choice"))
        if keep == "local":
            box.setText(
                self.tr(
                    "Keep the copy here and set the laptop's copy aside? The laptop's copy "
                    "stays in the vault but will not be used."
                )
            )
            yes = box.addButton(self.tr("Keep this copy"), QMessageBox.ButtonRole.AcceptRole)
        else:
            box.setText(
                self.tr(
                    "Replace the copy here with the laptop's copy? Changes made here are set "
                    "aside in the vault, not deleted."
                )
            )
            yes = box.addButton(
                self.tr("Take the incoming copy"), QMessageBox.ButtonRole.AcceptRole
            )
        box.addButton(self.tr("Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(yes)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(lambda button: self._answered(box, button is yes, keep))
        self.confirm_box = box
        box.open()

    def _answered(self, box: QMessageBox, confirmed: bool, keep: str) -> None:
        self.confirm_box = None
        if confirmed:
            self.resolve(keep)

    def resolve(self, keep: str) -> None:
        from screening.sync.conflicts import resolve_conflict

        vault, envelope_id = self.vault, self.conflict.envelope_id
        fingerprint = self.conflict.fingerprint
        for button in (self.keep_button, self.take_button):
            button.setEnabled(False)

        def work(ctx: OpContext) -> Resolution:
            return resolve_conflict(vault, envelope_id, keep, fingerprint=fingerprint)

        self.runner.run(
            "resolve conflict", work, on_success=self._resolved, on_failure=self._failed
        )

    def _resolved(self, done: Resolution) -> None:
        self.resolution = done
        if done.choice == "local":
            text = self.tr("The copy here was kept; the laptop's copy is set aside in the vault.")
        else:
            text = self.tr(
                "The laptop's copy now replaces the copy here; the replaced copy is set aside "
                "in the vault."
            )
        self.message.setText(text)
        self.message.show()
        self.close_button.setText(self.tr("Close"))
        self.close_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _failed(self, exc: BaseException) -> bool:
        self.keep_button.setEnabled(True)
        self.take_button.setEnabled(self.conflict.incoming_allowed)
        return False  # the runner shows the sentence in a message box


class HeldConflictsDialog(QDialog):
    """The held conflicts of this vault; Compare opens one side by side."""

    def __init__(
        self, vault: Vault, runner: OpRunner, language: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.vault = vault
        self.runner = runner
        self.language = language
        self.held: list[HeldConflict] = []
        self.conflict_dialog: ConflictDialog | None = None
        self.setObjectName("heldConflictsDialog")
        self.setWindowTitle(self.tr("Held conflicts"))
        self.intro = QLabel(
            self.tr(
                "These interviews were changed both here and on a screener's laptop. Nothing "
                "was overwritten: open one to compare the two copies and choose."
            )
        )
        self.intro.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Held since"), self.tr("Laptop"), self.tr("Why it was held")]
        )
        self.table.setAccessibleName(self.tr("Held conflicts"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update)
        self.table.doubleClicked.connect(lambda _index: self.compare())
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.compare_button = QPushButton(self.tr("&Compare the two copies…"))
        self.compare_button.setAccessibleName(self.tr("Compare the two copies"))
        self.close_button = QPushButton(self.tr("Close"))
        self.compare_button.clicked.connect(self.compare)
        self.close_button.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.compare_button)
        row.addStretch(1)
        row.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addLayout(row)
        self.resize(760, 380)
        self.refresh()

    def refresh(self) -> None:
        from screening.sync.conflicts import held_conflicts

        vault = self.vault

        def work(ctx: OpContext) -> list[HeldConflict]:
            return held_conflicts(vault)

        self.runner.run("held conflicts", work, on_success=self._listed)

    def _listed(self, held: list[HeldConflict]) -> None:
        self.held = held
        self.table.setRowCount(len(held))
        for r, h in enumerate(held):
            cells = (local_time(h.first_at), f"{h.device_id[:8]}… · {h.seq}", h.reason)
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(r, c, item)
        self.table.resizeRowsToContents()
        if held:
            self.table.selectRow(0)
        self.message.setText(
            self.tr("Waiting for a choice: {0}.").format(len(held))
            if held
            else self.tr("No conflicts are held: every update received was applied.")
        )
        self._update()

    def _update(self) -> None:
        self.compare_button.setEnabled(0 <= self.table.currentRow() < len(self.held))

    def compare(self) -> None:
        from screening.sync.conflicts import open_conflict

        row = self.table.currentRow()
        if not 0 <= row < len(self.held):
            return
        vault, envelope_id, language = self.vault, self.held[row].envelope_id, self.language
        self.compare_button.setEnabled(False)

        def work(ctx: OpContext) -> Conflict:
            return open_conflict(vault, envelope_id, language)

        self.runner.run(
            "open conflict",
            work,
            on_success=self._opened,
            on_failure=lambda exc: self._update(),
        )

    def _opened(self, conflict: Conflict) -> None:
        self._update()
        dialog = ConflictDialog(self.vault, self.runner, conflict, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _code: self._compared())
        self.conflict_dialog = dialog
        dialog.open()

    def _compared(self) -> None:
        self.conflict_dialog = None
        self.refresh()
