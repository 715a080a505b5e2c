"""The one place where a page turns a key into its signal and retranslates itself."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from app.coordinator.casepage import CasePage
from app.neutral import NeutralPage
from app.page_events import PageEvents


class _Page(PageEvents, QWidget):
    KEY_SIGNALS = ((Qt.Key.Key_Escape, "left"), (Qt.Key.Key_F2, "other"))

    left = Signal()
    other = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.retranslated = 0

    def retranslate(self) -> None:
        self.retranslated += 1


def test_each_key_emits_its_own_signal_and_other_keys_go_on(qtbot) -> None:
    page = _Page()
    qtbot.addWidget(page)
    left: list[str] = []
    page.left.connect(lambda: left.append("left"))
    page.other.connect(lambda: left.append("other"))
    qtbot.keyClick(page, Qt.Key.Key_Escape)
    qtbot.keyClick(page, Qt.Key.Key_F2)
    qtbot.keyClick(page, Qt.Key.Key_A)
    assert left == ["left", "other"]


def test_a_language_change_retranslates_once(qtbot) -> None:
    page = _Page()
    qtbot.addWidget(page)
    QApplication.sendEvent(page, QEvent(QEvent.Type.LanguageChange))
    QApplication.sendEvent(page, QEvent(QEvent.Type.FontChange))
    assert page.retranslated == 1


def test_the_case_page_and_the_neutral_page_keep_their_keys(qtbot) -> None:
    case = CasePage()
    qtbot.addWidget(case)
    with qtbot.waitSignal(case.back_requested, timeout=1000):
        qtbot.keyClick(case, Qt.Key.Key_Escape)
    neutral = NeutralPage()
    qtbot.addWidget(neutral)
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
        with qtbot.waitSignal(neutral.done, timeout=1000):
            qtbot.keyClick(neutral, key)
    with qtbot.assertNotEmitted(neutral.done):
        qtbot.keyClick(neutral, Qt.Key.Key_Escape)


def test_a_key_a_child_field_does_not_take_reaches_the_page(qtbot) -> None:
    page = _Page()
    field = QLineEdit(page)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.left, timeout=1000):
        qtbot.keyClick(field, Qt.Key.Key_Escape)
