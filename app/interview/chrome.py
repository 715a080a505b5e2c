"""The interview view's fixed frame: title bar, languages, section list, page area, buttons.

Everything here must fit a 1024x600 netbook screen at 16 pt text: the title and captions wrap
instead of widening the window, the section list takes a share of the width rather than a
fixed 300 px, and the page area scrolls.
"""

from __future__ import annotations

from dataclasses import dataclass

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

from app.interview.forms import is_rtl
from app.interview.langs import text_label
from app.interview.navigator import SectionNavigator
from app.interview.style import scale_font
from screening.forms.compiler import CompiledForm

PAUSE_KEYS = ("F8", "Pause")


@dataclass
class Chrome:
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


def build_chrome(view: QWidget, form: CompiledForm, screener: str, interviewee: str) -> Chrome:
    outer = QVBoxLayout(view)
    outer.setContentsMargins(8, 6, 8, 6)
    outer.setSpacing(6)
    top = QHBoxLayout()
    title = text_label(form.text(form.form.title, screener), rtl=is_rtl(form, screener))
    scale_font(title, 1.2, bold=True)
    top.addWidget(title, 1)
    pause_button = _button(QCoreApplication.translate("InterviewView", "Pause (F8)"), "F8")
    pause_button.setAccessibleName(
        QCoreApplication.translate("InterviewView", "Pause the interview now")
    )
    pause_button.setProperty("role", "pause")
    top.addWidget(pause_button)
    stop_button = _button(QCoreApplication.translate("InterviewView", "Stop…"))
    stop_button.setAccessibleName(QCoreApplication.translate("InterviewView", "Stop the interview"))
    top.addWidget(stop_button)
    outer.addLayout(top)

    languages = QHBoxLayout()
    language_label = text_label(
        "", role="language", name=QCoreApplication.translate("InterviewView", "Languages")
    )
    languages.addWidget(language_label, 1)
    language_button = _button(QCoreApplication.translate("InterviewView", "Change language…"))
    languages.addWidget(language_button)
    outer.addLayout(languages)

    paused_banner = QFrame()
    paused_banner.setObjectName("pausedBanner")
    banner = QHBoxLayout(paused_banner)
    banner.setContentsMargins(8, 4, 8, 4)
    paused_label = text_label(
        "", role="banner", name=QCoreApplication.translate("InterviewView", "Paused")
    )
    banner.addWidget(paused_label, 1)
    reason_button = _button(QCoreApplication.translate("InterviewView", "Add a reason…"))
    banner.addWidget(reason_button)
    paused_banner.hide()
    outer.addWidget(paused_banner)

    child_banner = QFrame()
    child_banner.setObjectName("childBanner")
    row = QHBoxLayout(child_banner)
    row.setContentsMargins(8, 4, 8, 4)
    child_label = text_label(
        QCoreApplication.translate(
            "InterviewView",
            "Under 18: this person must be interviewed with the child screening interview, "
            "and child protection informed.",
        ),
        role="banner",
        name=QCoreApplication.translate("InterviewView", "Under 18"),
    )
    row.addWidget(child_label, 1)
    child_button = _button(
        QCoreApplication.translate("InterviewView", "Start the child interview…")
    )
    row.addWidget(child_button)
    child_banner.hide()
    outer.addWidget(child_banner)

    body = QHBoxLayout()
    side = QVBoxLayout()
    sections = QLabel(QCoreApplication.translate("InterviewView", "Sections"))
    side.addWidget(sections)
    labels = {s.name: form.text(s.source.label, screener) for s in form.sections()}
    navigator = SectionNavigator(labels, is_rtl(form, screener))
    # A share of the width, never a fixed 300 px: at 16 pt on a netbook that is a third.
    navigator.setMinimumWidth(150)
    navigator.setMaximumWidth(320)
    navigator.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
    side.addWidget(navigator, 1)
    progress_label = QLabel()
    progress_label.setWordWrap(True)
    progress_label.setAccessibleName(QCoreApplication.translate("InterviewView", "Progress"))
    side.addWidget(progress_label)
    progress = QProgressBar()
    progress.setTextVisible(False)  # the label above says it; text inside a 10 px bar is cut
    progress.setAccessibleName(QCoreApplication.translate("InterviewView", "Progress"))
    side.addWidget(progress)
    body.addLayout(side, 1)

    main = QVBoxLayout()
    section_title = text_label("", role="section")
    scale_font(section_title, 1.1, bold=True)
    main.addWidget(section_title)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    main.addWidget(scroll, 1)
    message = text_label(
        "", role="error", name=QCoreApplication.translate("InterviewView", "Message")
    )
    message.hide()
    main.addWidget(message)
    nav = QHBoxLayout()
    previous_button = _button(QCoreApplication.translate("InterviewView", "← Previous"), "Alt+Left")
    nav.addWidget(previous_button)
    save_status = QLabel(
        QCoreApplication.translate("InterviewView", "Every answer is saved the moment it is given")
    )
    save_status.setWordWrap(True)
    save_status.setAlignment(Qt.AlignmentFlag.AlignCenter)
    save_status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    save_status.setProperty("role", "caption")
    save_status.setAccessibleName(QCoreApplication.translate("InterviewView", "Save state"))
    nav.addWidget(save_status, 1)
    next_button = _button(QCoreApplication.translate("InterviewView", "Next →"), "Enter, Alt+Right")
    nav.addWidget(next_button)
    main.addLayout(nav)
    body.addLayout(main, 3)
    outer.addLayout(body, 1)
    return Chrome(
        pause_button,
        stop_button,
        language_label,
        language_button,
        paused_banner,
        paused_label,
        reason_button,
        child_banner,
        child_button,
        navigator,
        progress,
        progress_label,
        section_title,
        scroll,
        message,
        previous_button,
        save_status,
        next_button,
    )
