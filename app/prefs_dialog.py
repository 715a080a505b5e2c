"""The settings dialog: interface language, font size, minutes until the screen locks."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QSpinBox,
    QWidget,
)

from app.settings import LANGUAGES, MAX_FONT, MIN_FONT, Preferences


class SettingsDialog(QDialog):
    """Edits `Preferences`; the window applies them when the dialog is accepted."""

    def __init__(self, prefs: Preferences, current_font: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self.setAccessibleName(self.tr("Settings"))
        self.language = QComboBox(self)
        for code, name in LANGUAGES:
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(prefs.language)))
        self.font_size = QSpinBox(self)
        self.font_size.setRange(MIN_FONT, MAX_FONT)
        self.font_size.setValue(prefs.font_size or current_font)
        self.font_size.setSuffix(" pt")
        self.idle = QDoubleSpinBox(self)
        self.idle.setDecimals(0)
        self.idle.setRange(1, 60)
        self.idle.setValue(round(prefs.idle_minutes))
        self.idle.setSuffix(self.tr(" min"))
        buttons = QDialogButtonBox(self)
        ok = self.save_button = buttons.addButton(
            self.tr("Save"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        cancel = buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        ok.setAccessibleName(self.tr("Save settings"))
        cancel.setAccessibleName(self.tr("Cancel"))
        ok.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QFormLayout(self)
        rows = (
            (self.tr("Interface language"), self.language),
            (self.tr("Font size"), self.font_size),
            (self.tr("Lock after idle time"), self.idle),
        )
        for text, field in rows:
            field.setAccessibleName(text)
            layout.addRow(text, field)
            layout.labelForField(field).setBuddy(field)
        layout.addRow(buttons)

    def store(self, prefs: Preferences) -> None:
        prefs.language = self.language.currentData()
        prefs.font_size = self.font_size.value()
        prefs.idle_minutes = self.idle.value()
        prefs.sync()
