"""Choose the interviewee's language mid-interview (the form's languages only)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from screening.forms.compiler import CompiledForm


class LanguageDialog(QDialog):
    def __init__(self, form: CompiledForm, current: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Interviewee's language"))
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "The questions will be shown in this language from now on. Answers already "
                "given stay as they are; the change is recorded in the audit log."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.choice = QComboBox()
        self.choice.setAccessibleName(self.tr("Interviewee's language"))
        for language in form.form.languages:
            self.choice.addItem(language.name, language.code)
        self.choice.setCurrentIndex(max(0, self.choice.findData(current)))
        layout.addWidget(self.choice)
        box = QDialogButtonBox()
        self.save_button = box.addButton(self.tr("Change"), QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = box.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.setAccessibleName(self.tr("Change language"))
        cancel.setAccessibleName(self.tr("Cancel"))
        self.save_button.setDefault(True)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        layout.addWidget(box)

    def language(self) -> str:
        return str(self.choice.currentData())
