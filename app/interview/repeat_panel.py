"""Repeats the screener sizes: "Add another" on the repeat's own page, "Remove" on each entry."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from app.form_text import is_rtl, text_label
from app.interview.pages import user_sized
from app.style import scale_font
from screening.engine import InterviewSession, Path
from screening.forms.compiler import CompiledForm


class RepeatPanel(QWidget):
    # (repeat, outer instance path): a repeat inside a repeat is added to and removed from
    # within one instance of the outer one.
    add_requested = Signal(str, object)
    remove_requested = Signal(str, int, object)

    def __init__(
        self,
        form: CompiledForm,
        repeat: str,
        session: InterviewSession,
        language: str,
        *,
        instance: int | None = None,
        outer: Path = (),
    ) -> None:
        super().__init__()
        node = form.nodes[repeat]
        self.repeat = repeat
        self.outer = outer
        label = form.text(getattr(node.source, "label", None), language) or repeat
        count = session.instance_count(repeat, outer)
        # "Household 2 › Members": which outer instance a nested repeat belongs to.
        holders = session.repeat_chain(repeat)
        within = [
            f"{form.text(getattr(form.nodes[h].source, 'label', None), language) or h} {n}"
            for h, n in zip(holders, outer, strict=True)
        ]
        if within:
            label = " › ".join([*within, label])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 8)
        row = QHBoxLayout()
        if instance is None:
            title = text_label(label, rtl=is_rtl(form, language), role="question")
            scale_font(title, 1.15, bold=True)
            layout.addWidget(title)
            self.count_label = text_label(self.tr("{0} added so far.").format(count), role="state")
            row.addWidget(self.count_label, 1)
            self.add_button = QPushButton(self.tr("Add another"))
            self.add_button.setAccessibleName(self.tr("Add another"))
            self.add_button.setAutoDefault(True)
            self.add_button.clicked.connect(lambda: self.add_requested.emit(repeat, outer))
            row.addWidget(self.add_button)
        else:
            where = self.tr("{0}: {1} of {2}").format(label, instance, count)
            row.addWidget(text_label(where, rtl=is_rtl(form, language), role="caption"), 1)
            if user_sized(node):
                self.remove_button = QPushButton(self.tr("Remove this one"))
                self.remove_button.setAccessibleName(self.tr("Remove this one"))
                self.remove_button.setAutoDefault(True)
                self.remove_button.clicked.connect(
                    lambda: self.remove_requested.emit(repeat, instance, outer)
                )
                row.addWidget(self.remove_button)
        layout.addLayout(row)
