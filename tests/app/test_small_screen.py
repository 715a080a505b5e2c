"""A 1024x600 netbook at 14 pt (and every size from 9 to 16 pt): every interview action is on
screen and reachable, text wraps instead of widening the window, and the font setting reaches
widgets that already exist."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from app.interview.forms import compiled_form
from app.prefs_dialog import SettingsDialog
from tests.app.conftest import unlock

SMALL = (1024, 600)
FORMS_AND_LANGUAGES = (("rapid-screening", "ar", "en"), ("screening-adult", "fr", "en"))


def _inside(window: QWidget, widget: QWidget) -> bool:
    """Visible, and its whole rectangle is inside the window and its clipping parents."""
    if not widget.isVisible() or widget.width() <= 0 or widget.height() <= 0:
        return False
    rect = QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())
    if not window.rect().contains(rect):
        return False
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        clip = QRect(parent.mapTo(window, parent.rect().topLeft()), parent.size())
        if not clip.contains(rect):
            return False
        parent = parent.parentWidget()
    return True


def _new_draft(window, form_id: str, interviewee: str, screener: str) -> str:  # type: ignore[no-untyped-def]
    form = compiled_form(form_id)
    return window.vault.create_interview(
        form_id=form.id,
        form_version=form.version,
        form_hash=form.form_hash,
        language=interviewee,
        screener_language=screener,
        interpreter_used=True,
        location="TEST-1",
    )


def _check_every_page(qtbot, window) -> int:  # type: ignore[no-untyped-def]
    workspace = window.current_view()
    view = workspace.interview_view
    fixed = (view.pause_button, view.stop_button, view.previous_button, view.next_button)
    checked = 0
    for page in list(view._pages):
        view.go_to(page.key)
        qtbot.wait(5)
        for button in fixed:
            assert _inside(window, button), f"{button.text()!r} is off-screen on page {page.key}"
        for block in view.blocks.values():
            for button in (block.decline_button, block.dont_know_button, block.clear_button):
                if button is None:
                    continue
                view.scroll.ensureWidgetVisible(button)
                qtbot.wait(1)
                assert _inside(window, button), f"{button.text()!r} unreachable on {page.key}"
                checked += 1
            for label in (block.screener_label, block.interviewee_label):
                if label is not None:
                    assert label.wordWrap() and label.width() <= view.scroll.viewport().width()
    return checked


@pytest.mark.parametrize(("form_id", "interviewee", "screener"), FORMS_AND_LANGUAGES)
def test_every_interview_action_fits_1024x600_at_14pt(
    qtbot, make_window, made_vault: Path, settings, form_id, interviewee, screener
):
    settings.setValue("ui/font_size", 14)
    window = make_window(made_vault)
    unlock(qtbot, window)
    window.resize(*SMALL)
    qtbot.wait(20)
    assert QApplication.font().pointSize() == 14
    interview = _new_draft(window, form_id, interviewee, screener)
    window.vault.save_answer(interview, "consent", "yes")  # every other page opens up
    window.open_interview(interview)
    qtbot.wait(20)
    assert window.width() <= SMALL[0] and window.height() <= SMALL[1], (
        f"the window grew to {window.width()}x{window.height()}"
    )
    assert _check_every_page(qtbot, window) > 5


@pytest.mark.parametrize("points", [9, 12, 16])
def test_interview_and_case_list_fit_at_every_font_size(
    qtbot, make_window, made_vault: Path, settings, points
):
    settings.setValue("ui/font_size", points)
    window = make_window(made_vault)
    unlock(qtbot, window)
    window.resize(*SMALL)
    qtbot.wait(20)
    assert window.width() <= SMALL[0] and window.height() <= SMALL[1]
    interview = _new_draft(window, "rapid-screening", "ar", "en")
    window.open_interview(interview)
    qtbot.wait(20)
    assert window.width() <= SMALL[0] and window.height() <= SMALL[1]
    view = window.current_view().interview_view
    for button in (view.pause_button, view.stop_button, view.previous_button, view.next_button):
        assert _inside(window, button)


def test_font_setting_applies_to_open_widgets_at_once(qtbot, make_window, made_vault: Path):
    window = make_window(made_vault)
    unlock(qtbot, window)
    interview = _new_draft(window, "rapid-screening", "en", "en")
    window.open_interview(interview)
    view = window.current_view().interview_view
    window.show_settings()
    dialog = next(w for w in window.findChildren(SettingsDialog))
    dialog.font_size.setValue(15)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert view.next_button.font().pointSize() == 15, "an existing button follows the setting"
    title = view.section_title
    assert title.font().pointSizeF() == pytest.approx(15 * 1.1), "scaled text keeps its scale"
    assert title.font().bold()
    assert window.toolbar.font().pointSize() == 15


def test_window_is_never_larger_than_the_free_screen(qtbot, make_window, made_vault: Path):
    window = make_window(made_vault)
    free = window.screen().availableGeometry()
    window.resize(free.width() + 400, free.height() + 300)
    window.fit_to_screen()
    assert window.width() <= free.width() and window.height() <= free.height()


def test_no_push_button_is_wider_than_half_a_netbook(qtbot, make_window, made_vault, settings):
    settings.setValue("ui/font_size", 16)
    window = make_window(made_vault)
    unlock(qtbot, window)
    interview = _new_draft(window, "rapid-screening", "ar", "en")
    window.open_interview(interview)
    for button in window.findChildren(QPushButton):
        if button.isVisible():
            assert button.sizeHint().width() < SMALL[0] // 2, button.text()


def test_lock_and_hide_keep_their_words_on_a_netbook_toolbar(
    qtbot, make_window, made_vault: Path, settings
):
    settings.setValue("ui/font_size", 14)
    window = make_window(made_vault)
    unlock(qtbot, window)
    window.resize(*SMALL)
    qtbot.wait(20)
    for action in (window.lock_action, window.hide_action, window.new_action):
        button = window.toolbar.widgetForAction(action)
        assert _inside(window, button), action.text()
        assert button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon
    window.resize(1366, 768)
    qtbot.wait(20)
    settings_button = window.toolbar.widgetForAction(window.settings_action)
    assert settings_button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon


@pytest.mark.parametrize("points", [14, 16])
def test_every_screen_fits_a_netbook(qtbot, make_window, made_vault: Path, settings, points):
    """Unlock, case list, outcome, received list and case page, settings: none widens or
    heightens the window past 1024x600."""
    settings.setValue("ui/font_size", points)
    window = make_window(made_vault)

    def fits(where: str) -> None:
        window.resize(*SMALL)
        qtbot.wait(10)
        assert window.width() <= SMALL[0] and window.height() <= SMALL[1], (
            f"{where} at {points} pt: {window.width()}x{window.height()}"
        )

    fits("unlock")
    unlock(qtbot, window)
    fits("case list")
    interview = _new_draft(window, "rapid-screening", "ar", "en")
    for key, value in (("consent", "yes"), ("interpreting", "none"), ("age", 30)):
        window.vault.save_answer(interview, key, value)
    workspace = window.open_interview(interview, "age")
    workspace._show_outcome(read_only=False)
    fits("outcome")
    window.vault.complete_interview(interview)
    window.coordinator.show()
    coordinator = window.coordinator.workspace
    qtbot.waitUntil(lambda: not coordinator.model.busy, timeout=10_000)
    fits("received interviews")
    with qtbot.waitSignal(coordinator.case_opened, timeout=10_000):
        coordinator.open_case(interview)
    fits("case page")
    for button in (coordinator.case_page.referrals_button, coordinator.case_page.back):
        assert _inside(window, button)


def test_dialogs_fit_a_netbook_at_16pt(qtbot, make_window, made_vault: Path, settings):
    from app.coordinator.export_dialog import ExportDialog
    from app.coordinator.referrals_dialog import NewReferralDialog, ReferralsDialog
    from app.enrol_dialog import EnrolDialog
    from app.interview.new_dialog import NewInterviewDialog
    from app.interview.stop_dialog import PauseReasonDialog, StopDialog
    from screening.referrals import Referrals

    settings.setValue("ui/font_size", 16)
    window = make_window(made_vault)
    unlock(qtbot, window)
    vault = window.vault
    interview = _new_draft(window, "rapid-screening", "en", "en")
    book = Referrals(vault)
    book.add_provider("A shelter with a rather long name", "shelter", contact="+382 0")
    dialogs = [
        NewInterviewDialog(vault, "en", window),
        StopDialog(window),
        PauseReasonDialog(window),
        EnrolDialog(vault, window.runner, window),
        ExportDialog(vault, window.runner, window),
        ReferralsDialog(book, interview, "en", "en", window),
        NewReferralDialog(book, interview, "en", window),
        SettingsDialog(window.prefs, 16, window),
    ]
    for dialog in dialogs:
        size = dialog.minimumSizeHint()
        assert size.width() <= SMALL[0] and size.height() <= SMALL[1] - 40, (
            f"{type(dialog).__name__} needs {size.width()}x{size.height()}"
        )
        dialog.deleteLater()
