"""The interview view's fixed frame: title bar, languages, section list, page area, buttons.

Everything here must fit a 1024x600 netbook screen at 16 pt text: the title and captions wrap
instead of widening the window, the section list takes a share of the width rather than a
fixed 300 px, and the page area scrolls.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.form_text import is_rtl, text_label
from app.interview.navigator import SectionNavigator
from app.style import scale_font
from screening.forms.compiler import CompiledForm

PAUSE_KEYS = ("F8", "Pause")


if TYPE_CHECKING:
    _Base = QWidget
else:
    _Base = object


class Chrome(_Base):
    """The frame's widgets, as attributes of the view: `InterviewView` inherits this (through
    `InterviewSafety`) and `build_chrome` fills it, so the view, its safety mixin and the
    tests name them alike (`view.next_button`) without copying each one over."""

    pause_button: QPushButton
    stop_button: QPushButton
    language_label: QLabel
    language_button: QPushButton
    paused_banner: QFrame
    paused_label: QLabel
    reason_button: QPushButton
    child_banner: QFrame
    child_button: QPushButton
    navigator: SectionNavigator
    progress: QProgressBar
    progress_label: QLabel
    section_title: QLabel
    scroll: QScrollArea
    message: QLabel
    previous_button: QPushButton
    save_status: QLabel
    next_button: QPushButton


def _button(text: str, keys: str = "") -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(text.strip("←→… "))
    # Enter on a focused button presses it (the view's Enter = next applies elsewhere).
    button.setAutoDefault(True)
    if keys:
        button.setToolTip(keys)
    return button


def _banner(name: str, label: QLabel, button: QPushButton) -> QFrame:
    """A strip across the view, hidden until its state applies: a text and its action."""
    banner = QFrame()
    banner.setObjectName(name)
    row = QHBoxLayout(banner)
    row.setContentsMargins(8, 4, 8, 4)
    row.addWidget(label, 1)
    row.addWidget(button)
    banner.hide()
    return banner


def build_chrome(view: Chrome, form: CompiledForm, screener: str, interviewee: str) -> None:
    outer = QVBoxLayout(view)
    outer.setContentsMargins(8, 6, 8, 6)
    outer.setSpacing(6)
    top = QHBoxLayout()
    title = text_label(form.text(form.form.title, screener), rtl=is_rtl(form, screener))
    scale_font(title, 1.2, bold=True)
    top.addWidget(title, 1)
    view.pause_button = _button(QCoreApplication.translate("InterviewView", "Pause (F8)"), "F8")
    view.pause_button.setAccessibleName(
        QCoreApplication.translate("InterviewView", "Pause the interview now")
    )
    view.pause_button.setProperty("role", "pause")
    top.addWidget(view.pause_button)
    view.stop_button = _button(QCoreApplication.translate("InterviewView", "Stop…"))
    view.stop_button.setAccessibleName(
        QCoreApplication.translate("InterviewView", "Stop the interview")
    )
    top.addWidget(view.stop_button)
    outer.addLayout(top)

    languages = QHBoxLayout()
    view.language_label = text_label(
        "", role="language", name=QCoreApplication.translate("InterviewView", "Languages")
    )
    languages.addWidget(view.language_label, 1)
    view.language_button = _button(QCoreApplication.translate("InterviewView", "Change language…"))
    languages.addWidget(view.language_button)
    outer.addLayout(languages)

    view.paused_label = text_label(
        "", role="banner", name=QCoreApplication.translate("InterviewView", "Paused")
    )
    view.reason_button = _button(QCoreApplication.translate("InterviewView", "Add a reason…"))
    view.paused_banner = _banner("pausedBanner", view.paused_label, view.reason_button)
    outer.addWidget(view.paused_banner)

    child_label = text_label(
        QCoreApplication.translate(
            "InterviewView",
            "Under 18: this person must be interviewed with the child screening interview, "
            "and child protection informed.",
        ),
        role="banner",
        name=QCoreApplication.translate("InterviewView", "Under 18"),
    )
    view.child_button = _button(
        QCoreApplication.translate("InterviewView", "Start the child interview…")
    )
    view.child_banner = _banner("childBanner", child_label, view.child_button)
    outer.addWidget(view.child_banner)

    body = QHBoxLayout()
    side = QVBoxLayout()
    sections = QLabel(QCoreApplication.translate("InterviewView", "Sections"))
    side.addWidget(sections)
    labels = {s.name: form.text(s.source.label, screener) for s in form.sections()}
    view.navigator = SectionNavigator(labels, is_rtl(form, screener))
    # A share of the width, never a fixed 300 px: at 16 pt on a netbook that is a third.
    view.navigator.setMinimumWidth(150)
    view.navigator.setMaximumWidth(320)
    view.navigator.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
    side.addWidget(view.navigator, 1)
    view.progress_label = QLabel()
    view.progress_label.setWordWrap(True)
    view.progress_label.setAccessibleName(QCoreApplication.translate("InterviewView", "Progress"))
    side.addWidget(view.progress_label)
    view.progress = QProgressBar()
    view.progress.setTextVisible(False)  # the label above says it; text inside a 10 px bar is cut
    view.progress.setAccessibleName(QCoreApplication.translate("InterviewView", "Progress"))
    side.addWidget(view.progress)
    body.addLayout(side, 1)

    main = QVBoxLayout()
    view.section_title = text_label("", role="section")
    scale_font(view.section_title, 1.1, bold=True)
    main.addWidget(view.section_title)
    view.scroll = QScrollArea()
    view.scroll.setWidgetResizable(True)
    view.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    view.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    main.addWidget(view.scroll, 1)
    view.message = text_label(
        "", role="error", name=QCoreApplication.translate("InterviewView", "Message")
    )
    view.message.hide()
    main.addWidget(view.message)
    nav = QHBoxLayout()
    view.previous_button = _button(
        QCoreApplication.translate("InterviewView", "← Previous"), "Alt+Left"
    )
    nav.addWidget(view.previous_button)
    view.save_status = QLabel(
        QCoreApplication.translate("InterviewView", "Every answer is saved the moment it is given")
    )
    view.save_status.setWordWrap(True)
    view.save_status.setAlignment(Qt.AlignmentFlag.AlignCenter)
    view.save_status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    view.save_status.setProperty("role", "caption")
    view.save_status.setAccessibleName(QCoreApplication.translate("InterviewView", "Save state"))
    nav.addWidget(view.save_status, 1)
    view.next_button = _button(
        QCoreApplication.translate("InterviewView", "Next →"), "Enter, Alt+Right"
    )
    nav.addWidget(view.next_button)
    main.addLayout(nav)
    body.addLayout(main, 3)
    outer.addLayout(body, 1)
