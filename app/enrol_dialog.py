"""Enrol this laptop with the organisation's hub: the organisation file and a one-time code.

The same steps as `screening device enrol`: the file is verified when it is chosen (its name
and fingerprint are shown, so the admin can compare them with what the coordinator read out),
and `screening.sync.laptop.enrol_device` runs on the operation runner (it talks to the hub).
Only an admin can enrol, because enrolment also makes the organisation's key the vault's
recovery key; the core refuses anyone else in one sentence.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from screening.errors import ScreeningError

if TYPE_CHECKING:
    from app.ops import OpContext, OpRunner
    from screening.org import OrgPublic
    from screening.vault import Vault


def load_org(path: Path) -> tuple[OrgPublic | None, str]:
    """The verified organisation file, or None and the one sentence why not."""
    from screening.org import load_org_file

    try:
        return load_org_file(path), ""
    except ScreeningError as exc:
        return None, exc.message
    except OSError as exc:
        return None, exc.strerror or str(exc)


def org_file_dialog(parent: QWidget, chosen: Callable[[Path], object]) -> QFileDialog:
    """The window-modal "Organisation file" chooser (first run and enrolment); `chosen` gets
    the picked path. The caller keeps the dialog and calls `open()`."""
    dialog = QFileDialog(parent, QCoreApplication.translate("EnrolDialog", "Organisation file"))
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setNameFilter(QCoreApplication.translate("EnrolDialog", "Organisation files (*.json)"))
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.fileSelected.connect(lambda path: chosen(Path(path)))
    return dialog


class EnrolDialog(QDialog):
    enrolled = Signal(str)  # device id

    def __init__(
        self,
        vault: Vault,
        runner: OpRunner,
        parent: QWidget | None = None,
        *,
        org_path: Path | None = None,
        code: str = "",
    ) -> None:
        super().__init__(parent)
        self.vault = vault
        self.runner = runner
        self.org: OrgPublic | None = None
        self.file_dialog: QFileDialog | None = None
        self.busy = False
        self.setWindowTitle(self.tr("Enrol this laptop"))
        intro = QLabel(
            self.tr(
                "Your coordinator gives you the organisation file and a one-time code. "
                "Enrolling lets this laptop send finished interviews to the organisation's "
                "hub, and makes the organisation's key this vault's recovery key."
            )
        )
        intro.setWordWrap(True)
        self.path = QLineEdit()
        self.path.setReadOnly(True)
        self.path.setAccessibleName(self.tr("Organisation file"))
        self.choose = QPushButton(self.tr("C&hoose…"))
        self.choose.setAccessibleName(self.tr("Choose the organisation file"))
        self.choose.clicked.connect(self._choose)
        self.org_label = QLabel()
        self.org_label.setWordWrap(True)
        self.org_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.org_label.setAccessibleName(self.tr("Organisation"))
        self.code = QLineEdit(code)
        self.code.setAccessibleName(self.tr("One-time enrolment code"))
        self.code.textChanged.connect(self._update)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(self.choose)
        form = QFormLayout()
        form.addRow(self.tr("Organisation &file"), row)
        form.addRow("", self.org_label)
        form.addRow(self.tr("One-time &code"), self.code)
        form.labelForField(self.code).setBuddy(self.code)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName(self.tr("Enrolling"))
        self.progress.hide()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Enrolment status"))
        self.enrol_button = QPushButton(self.tr("&Enrol"))
        self.enrol_button.setAccessibleName(self.tr("Enrol this laptop"))
        self.enrol_button.setDefault(True)
        self.enrol_button.clicked.connect(self.enrol)
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.setAccessibleName(self.tr("Close"))
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.enrol_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.resize(560, self.sizeHint().height())
        if org_path is not None:
            self.set_org_file(org_path)
        self._update()

    def set_org_file(self, path: Path) -> bool:
        self.file_dialog = None
        self.path.setText(str(path))
        self.org, problem = load_org(path)
        if self.org is None:
            self.org_label.setText(problem)
            self.org_label.setObjectName("error")
        else:
            self.org_label.setText(
                self.tr("%1 · fingerprint %2: compare it with your coordinator's.")
                .replace("%1", self.org.name)
                .replace("%2", self.org.fingerprint)
            )
            self.org_label.setObjectName("hint")
        self.org_label.style().unpolish(self.org_label)
        self.org_label.style().polish(self.org_label)
        self._update()
        return self.org is not None

    def enrol(self) -> None:
        if self.org is None or self.busy or not self.code.text().strip():
            return
        from screening.sync.laptop import enrol_device

        vault, org, code = self.vault, self.org, self.code.text().strip()

        def work(_ctx: OpContext) -> Any:
            return enrol_device(vault, org, code)

        self.busy = True
        self.progress.show()
        self.message.setText(self.tr("Enrolling with the hub…"))
        self._update()
        self.runner.run(
            "enrol",
            work,
            on_success=self._done,
            on_failure=self._failed,
            on_finished=self._finished,
        )

    def _choose(self) -> None:
        self.file_dialog = org_file_dialog(self, self.set_org_file)
        self.file_dialog.open()

    def _update(self, *_: object) -> None:
        ready = self.org is not None and bool(self.code.text().strip()) and not self.busy
        self.enrol_button.setEnabled(ready)
        self.choose.setEnabled(not self.busy)
        self.code.setEnabled(not self.busy)

    def _done(self, identity: Any) -> None:
        assert self.org is not None
        self.message.setText(
            self.tr("Enrolled as device %1 with %2.")
            .replace("%1", str(identity.device_id))
            .replace("%2", self.org.name)
        )
        self.code.clear()
        self.enrolled.emit(str(identity.device_id))

    def _failed(self, exc: BaseException) -> bool:
        text = exc.message if isinstance(exc, ScreeningError) else None
        self.message.setText(text or self.tr("Enrolment failed; nothing was changed."))
        return isinstance(exc, ScreeningError)  # said here; anything else the runner reports

    def _finished(self) -> None:
        self.busy = False
        self.progress.hide()
        self._update()
