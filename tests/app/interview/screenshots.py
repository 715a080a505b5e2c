"""Render the interview and outcome screenshots in docs/screenshots/ (not a test).

    xvfb-run -a -s "-screen 0 1400x900x24" python3 -m tests.app.interview.screenshots
    xvfb-run -a -s "-screen 0 1400x900x24" python3 -m tests.app.interview.screenshots new-interview
    xvfb-run -a -s "-screen 0 1400x900x24" python3 -m tests.app.interview.screenshots prefill

Uses a throwaway vault in a temporary folder with invented answers; nothing about a person.
`new-interview` takes only the new-interview dialog with its list open: the shipped forms and
one installed from a throwaway organisation (real keys, a real signed form).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from app.interview import InterviewWorkspace, NewInterviewDialog
from app.interview.forms import compiled_form
from screening.vault import KdfParams, Vault

OUT = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
SIZE = (1280, 760)


def _shoot(widget: QWidget, name: str, size: tuple[int, int] = SIZE) -> Path:
    widget.resize(*size)
    widget.show()
    QTest.qWaitForWindowExposed(widget)
    QTest.qWait(150)
    path = OUT / name
    widget.grab().save(str(path))
    return path


def _workspace(vault: Vault, form_id: str, interviewee: str, screener: str, answers: dict):
    form = compiled_form(form_id)
    interview = vault.create_interview(
        form_id=form.id,
        form_version=form.version,
        form_hash=form.form_hash,
        language=interviewee,
        screener_language=screener,
        interpreter_used=interviewee != screener,
        location="DEMO-1",
    )
    for key, value in answers.items():
        vault.save_answer(interview, key, value)
    return InterviewWorkspace(vault, interview), interview


RAPID = {
    "consent": "yes",
    "interpreting": "professional",
    "age": 27,
    "safe_now": "yes",
    "needs_medical": "yes",
    "someone_controls": "yes",
    "documents_holder": "organiser",
    "owes_debt": "yes",
    "debt_conditions": ["must_work_to_repay", "debt_keeps_growing"],
    "job_promised": "yes",
    "promise_broken": ["kind_of_work", "pay"],
    "work_conditions": ["no_or_low_pay", "excessive_hours"],
    "depends_on_them": "yes",
}


def _new_interview(folder: Path) -> Path:
    """The dialog with its questionnaire list open, popup and dialog painted together."""
    from tests.screening.orgforms import install, laptop_vault, org_form, org_keys

    org = org_keys("Harbour Outreach")
    vault = laptop_vault(folder / "laptop", "Demo Screener", "demo lantern copper orbit", org)
    try:
        install(vault, org, org_form(version="1.1"))
        dialog = NewInterviewDialog(vault, "en", centre="BAR-2")
        dialog.resize(620, dialog.sizeHint().height())
        dialog.move(40, 40)
        dialog.show()
        QTest.qWaitForWindowExposed(dialog)
        dialog.form_choice.setCurrentIndex(dialog.form_choice.findData("harbour-rapid"))
        dialog.form_choice.showPopup()
        QTest.qWait(300)
        popup = dialog.form_choice.view().window()
        area = dialog.geometry().united(popup.geometry()).adjusted(-16, -16, 16, 16)
        canvas = QPixmap(area.size())
        canvas.fill(dialog.palette().window().color().darker(115))
        painter = QPainter(canvas)
        painter.drawPixmap(dialog.geometry().topLeft() - area.topLeft(), dialog.grab())
        painter.drawPixmap(popup.geometry().topLeft() - area.topLeft(), popup.grab())
        painter.end()
        path = OUT / "new-interview-org-form.png"
        canvas.save(str(path))
        dialog.form_choice.hidePopup()
        dialog.close()
        return path
    finally:
        vault.lock()


def _prefill(folder: Path) -> Path:
    """An imported form's prefill (a calculation on a question that can be answered) after
    the question it reads was answered: the value filled in, and the line saying so."""
    from PySide6.QtGui import QFont

    from app.interview.view import InterviewView
    from screening.forms.compiler import compile_data

    def en(text: str) -> dict[str, str]:
        return {"en": text}

    form = compile_data(
        {
            "id": "household-prefill",
            "version": "1.0",
            "title": en("Household"),
            "languages": [{"code": "en", "name": "English"}],
            "default_language": "en",
            "choice_lists": {},
            "sections": [
                {
                    "name": "household",
                    "label": en("Household"),
                    "items": [
                        {
                            "type": "group",
                            "name": "members",
                            "label": en("Who travelled with you"),
                            "field_list": True,
                            "items": [
                                {"type": "integer", "name": "adults", "label": en("Adults?")},
                                {"type": "integer", "name": "children", "label": en("Children?")},
                                {
                                    "type": "integer",
                                    "name": "people",
                                    "label": en("How many people in all?"),
                                    "calculation": "${adults} + ${children}",
                                },
                            ],
                        }
                    ],
                }
            ],
        },
        "household-prefill.json",
    )
    vault = Vault.create(
        folder / "vault",
        "Demo Screener",
        "demo lantern copper orbit",
        kdf=KdfParams.fast_for_tests(),
    )
    try:
        interview = vault.create_interview(
            form_id=form.id, form_version=form.version, form_hash=form.form_hash, language="en"
        )
        font = QApplication.font()
        QApplication.setFont(QFont(font.family(), 14))
        view = InterviewView(vault, interview, form, "en", "en")
        view.resize(1024, 600)
        view.show()
        QTest.qWaitForWindowExposed(view)
        for key, typed in (("adults", "2"), ("children", "3")):
            edit = view.blocks[key].input.edit  # type: ignore[union-attr]
            edit.setFocus()
            QTest.keyClicks(edit, typed)
            QTest.keyClick(edit, Qt.Key.Key_Tab)
        path = _shoot(view, "interview-prefill-1024x600.png", (1024, 600))
        view.close()
        QApplication.setFont(font)
        return path
    finally:
        vault.lock()


def main(argv: list[str] | None = None) -> int:
    only = (argv if argv is not None else sys.argv[1:])[:1]
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication(sys.argv[:1])
    OUT.mkdir(parents=True, exist_ok=True)
    if only == ["prefill"]:
        with tempfile.TemporaryDirectory() as folder:
            print(_prefill(Path(folder)))
        app.processEvents()
        return 0
    if only == ["new-interview"]:
        with tempfile.TemporaryDirectory() as folder:
            print(_new_interview(Path(folder)))
        app.processEvents()
        return 0
    with tempfile.TemporaryDirectory() as folder:
        vault = Vault.create(
            Path(folder) / "vault",
            "Demo Screener",
            "demo lantern copper orbit",
            kdf=KdfParams.fast_for_tests(),
        )
        try:
            # English screener, Arabic interviewee: a multiple choice with a hint.
            workspace, _ = _workspace(vault, "rapid-screening", "ar", "en", RAPID)
            workspace.show_page("free_to_leave")
            print(_shoot(workspace, "interview-en-ar.png"))
            workspace.close()

            # French throughout, with the engine's validation message on screen.
            workspace, _ = _workspace(
                vault, "screening-adult", "fr", "fr", {"consent": "yes", "preferred_name": "—"}
            )
            workspace.show_page("age")
            edit = workspace.interview_view.blocks["age"].input.edit  # type: ignore[union-attr]
            QTest.keyClicks(edit, "130")
            QTest.keyClick(edit, Qt.Key.Key_Return)
            print(_shoot(workspace, "interview-fr.png"))
            workspace.close()

            # The outcome of a finished rapid screening, before completing it.
            answers = {
                **RAPID,
                "free_to_leave": "no_locked_in",
                "threats": ["threatened_me"],
                "refer_full_screening": "yes",
            }
            workspace, _ = _workspace(vault, "rapid-screening", "ar", "en", answers)
            workspace.show_page("refer_full_screening")
            workspace.interview_view.go_next()  # type: ignore[union-attr]
            print(_shoot(workspace, "outcome.png", (1280, 960)))
            workspace.close()
        finally:
            vault.lock()
    app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
