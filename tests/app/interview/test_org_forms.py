"""Forms from the organisation in the app: offered beside the shipped ones, labelled by origin,
started, answered, resumed after a restart and scored; a broken one explains itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from app import views
from app.interview import InterviewWorkspace, NewInterviewDialog
from screening.errors import ScreeningError
from screening.forms import library
from screening.vault import Vault
from tests.app.conftest import ADMIN, PASSPHRASE, unlock
from tests.app.interview.support import RAPID_VALUES, show
from tests.screening.orgforms import install, laptop_vault, org_form, org_keys, store_signed

HARBOUR = "Harbour rapid screening · version 1.0 · from your organisation"
SHIPPED_RAPID = "Rapid screening (first contact) · version 2.0.0 · shipped"


def _labels(dialog: NewInterviewDialog) -> list[str]:
    return [dialog.form_choice.itemText(i) for i in range(dialog.form_choice.count())]


def _active_dialog() -> NewInterviewDialog:
    (dialog,) = [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, NewInterviewDialog) and w.isVisible()
    ]
    return dialog


def test_an_installed_form_is_offered_started_and_answered(qtbot, tmp_path: Path) -> None:
    org = org_keys()
    vault = laptop_vault(tmp_path / "vault", ADMIN, PASSPHRASE, org)
    try:
        assert install(vault, org, org_form()).imported == 1
        dialog = NewInterviewDialog(vault, "en")
        show(qtbot, dialog)
        labels = _labels(dialog)
        assert HARBOUR in labels and SHIPPED_RAPID in labels
        assert dialog.withheld.isHidden(), "nothing was refused"

        dialog.form_choice.setCurrentIndex(labels.index(HARBOUR))
        assert dialog.compiled_form is not None and dialog.compiled_form.id == "harbour-rapid"
        assert dialog.start_button.isEnabled() and dialog.error.isHidden()
        created: list[str] = []
        dialog.created.connect(created.append)
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
        assert len(created) == 1
        record = vault.get_interview(created[0])
        assert (record.form_id, record.form_version) == ("harbour-rapid", "1.0")
        assert record.form_hash == dialog.compiled_form.form_hash

        workspace = InterviewWorkspace(vault, created[0])
        show(qtbot, workspace)
        assert workspace.form.id == "harbour-rapid"
        assert workspace.current_page() == "consent"
        qtbot.keyClicks(QApplication.focusWidget(), "1")  # consent: yes
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
        assert vault.answers(created[0])["consent"] == ("yes", None)
        assert workspace.current_page() == "interpreting"
    finally:
        vault.lock()


def test_a_draft_on_an_installed_form_resumes_after_a_restart_and_is_scored(
    qtbot, make_window, tmp_path: Path
) -> None:
    folder = tmp_path / "vault"
    org = org_keys()
    vault = laptop_vault(folder, ADMIN, PASSPHRASE, org)
    install(vault, org, org_form())
    vault.lock()

    # First run of the app: start the interview from the window's own dialog (Ctrl+N).
    window = make_window(folder)
    unlock(qtbot, window)
    window.new_interview()
    dialog = _active_dialog()
    dialog.form_choice.setCurrentIndex(_labels(dialog).index(HARBOUR))
    with qtbot.waitSignal(window.interview_opened):
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    interview = dialog.interview_id
    assert interview is not None
    qtbot.keyClicks(QApplication.focusWidget(), "1")  # consent: yes
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    window.close()
    window.runner.wait(10_000)

    # Between the runs every answer but the last arrives (as if typed on another day), and the
    # process forgets every compiled form: a restart keeps nothing but the vault.
    again = Vault.unlock(folder, ADMIN, PASSPHRASE)
    for key, value in RAPID_VALUES.items():
        if key not in ("consent", "refer_full_screening"):
            again.save_answer(interview, key, value)
    again.lock()
    library._compile.cache_clear()
    library._shipped.cache_clear()

    window = make_window(folder)
    unlock(qtbot, window)
    view = window.open_interview(interview, "refer_full_screening")
    assert isinstance(view, InterviewWorkspace), "the draft opens with its installed form"
    assert view.form.id == "harbour-rapid" and view.form.version == "1.0"
    assert window.vault.answers(interview)["consent"] == ("yes", None)
    assert view.current_page() == "refer_full_screening"
    qtbot.keyClicks(QApplication.focusWidget(), "1")  # yes
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    outcome = view.outcome_view
    assert outcome is not None, "the last answer leads to the outcome"
    assert outcome.result is not None and outcome.result.form_id == "harbour-rapid"
    assert outcome.outcome_label.text() != ""
    qtbot.mouseClick(outcome.complete_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(outcome.confirm_complete_button, Qt.MouseButton.LeftButton)
    assert window.vault.get_interview(interview).status == "completed"

    # A completed interview on the installed form reopens read-only at its outcome.
    reopened = window.open_interview(interview)
    assert isinstance(reopened, InterviewWorkspace) and reopened.outcome_view is not None
    assert reopened.outcome_view.read_only


def test_a_form_that_does_not_compile_shows_one_sentence(qtbot, tmp_path: Path) -> None:
    org = org_keys()
    vault = laptop_vault(tmp_path / "vault", ADMIN, PASSPHRASE, org)
    try:
        broken = org_form("harbour-broken", "1.0", title_en="Harbour broken form")
        broken["sections"][0]["items"][0]["relevant"] = "${nowhere} = 'yes'"
        store_signed(vault, org, broken)
        dialog = NewInterviewDialog(vault, "en")
        show(qtbot, dialog)
        label = "Harbour broken form · version 1.0 · from your organisation"
        dialog.form_choice.setCurrentIndex(_labels(dialog).index(label))
        assert dialog.compiled_form is None and not dialog.start_button.isEnabled()
        message = dialog.error.text()
        assert dialog.error.isVisible()
        assert message.startswith("The questionnaire Harbour broken form (version 1.0, from your")
        assert "\n" not in message and "Traceback" not in message and "nowhere" not in message
        assert message.endswith("cannot accept.")
        # Choosing a good form again clears the message and allows a start.
        dialog.form_choice.setCurrentIndex(_labels(dialog).index(SHIPPED_RAPID))
        assert dialog.error.isHidden() and dialog.start_button.isEnabled()

        # An interview recorded with it (by an older program) cannot be opened: one sentence.
        recorded = vault.create_interview(
            form_id="harbour-broken", form_version="1.0", form_hash="ab" * 32, language="en"
        )
        parent = QWidget()
        qtbot.addWidget(parent)
        with pytest.raises(ScreeningError) as caught:
            views.interview_workspace(vault, recorded, parent)
        assert caught.value.message == message
    finally:
        vault.lock()


def test_older_versions_are_one_tick_away(qtbot, tmp_path: Path) -> None:
    org = org_keys()
    vault = laptop_vault(tmp_path / "vault", ADMIN, PASSPHRASE, org)
    try:
        for cursor, version in enumerate(("1.0", "1.10", "1.9"), start=1):
            install(vault, org, org_form(version=version), cursor)
        dialog = NewInterviewDialog(vault, "en")
        show(qtbot, dialog)
        harbour = [t for t in _labels(dialog) if t.startswith("Harbour")]
        assert harbour == ["Harbour rapid screening · version 1.10 · from your organisation"]
        assert dialog.older_versions.isVisible()
        dialog.older_versions.setChecked(True)
        harbour = [t for t in _labels(dialog) if t.startswith("Harbour")]
        assert [t.split(" · ")[1] for t in harbour] == [
            "version 1.10",
            "version 1.9",
            "version 1.0",
        ]
        dialog.form_choice.setCurrentIndex(_labels(dialog).index(harbour[2]))
        assert dialog.compiled_form is not None and dialog.compiled_form.version == "1.0"
        # Hiding the older versions again falls back to the newest version of the same form.
        dialog.older_versions.setChecked(False)
        assert dialog.entry is not None
        assert (dialog.entry.id, dialog.entry.version) == ("harbour-rapid", "1.10")
        assert dialog.compiled_form is not None and dialog.compiled_form.version == "1.10"
    finally:
        vault.lock()
