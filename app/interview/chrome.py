"""The interview view's fixed frame: title bar, section list, progress, page area, buttons."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.interview.forms import is_rtl, language_name
from app.interview.langs import text_label
from app.interview.navigator import SectionNavigator
from app.interview.style import scale_font
from screening.forms.compiler import CompiledForm


@dataclass
class Chrome:
    stop_button: QPushButton
    navigator: SectionNavigator
    progress: QProgressBar
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
    t = QCoreApplication.translate
    outer = QVBoxLayout(view)
    top = QHBoxLayout()
    title = text_label(form.text(form.form.title, screener), rtl=is_rtl(form, screener))
    scale_font(title, 1.2, bold=True)
    top.addWidget(title, 1)
    languages = t("InterviewView", "Interview in {0} · screener: {1}").format(
        language_name(form, interviewee), language_name(form, screener)
    )
    caption = text_label(languages, role="caption")
    caption.setWordWrap(False)
    top.addWidget(caption)
    stop_button = _button(t("InterviewView", "Pause / stop interview…"))
    top.addWidget(stop_button)
    outer.addLayout(top)

    body = QHBoxLayout()
    side = QVBoxLayout()
    side.addWidget(QLabel(t("InterviewView", "Sections")))
    labels = {s.name: form.text(s.source.label, screener) for s in form.sections()}
    navigator = SectionNavigator(labels, is_rtl(form, screener))
    navigator.setMinimumWidth(300)
    navigator.setMaximumWidth(340)
    side.addWidget(navigator, 1)
    progress = QProgressBar()
    progress.setAccessibleName(t("InterviewView", "Progress"))
    side.addWidget(progress)
    body.addLayout(side)

    main = QVBoxLayout()
    section_title = text_label("", role="section")
    scale_font(section_title, 1.1, bold=True)
    main.addWidget(section_title)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    main.addWidget(scroll, 1)
    message = text_label("", role="error", name=t("InterviewView", "Message"))
    message.hide()
    main.addWidget(message)
    nav = QHBoxLayout()
    previous_button = _button(t("InterviewView", "← Previous"), "Alt+Left")
    nav.addWidget(previous_button)
    save_status = QLabel(t("InterviewView", "Every answer is saved the moment it is given"))
    save_status.setProperty("role", "caption")
    save_status.setAccessibleName(t("InterviewView", "Save state"))
    nav.addWidget(save_status, 1, Qt.AlignmentFlag.AlignCenter)
    next_button = _button(t("InterviewView", "Next →"), "Enter, Alt+Right")
    nav.addWidget(next_button)
    main.addLayout(nav)
    body.addLayout(main, 1)
    outer.addLayout(body, 1)
    return Chrome(
        stop_button,
        navigator,
        progress,
        section_title,
        scroll,
        message,
        previous_button,
        save_status,
        next_button,
    )
