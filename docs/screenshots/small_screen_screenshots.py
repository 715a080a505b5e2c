"""Take the whole-window screenshots at 1366x768 and 1024x600 (not a test).

    S=docs/screenshots/small_screen_screenshots.py
    xvfb-run -a -s "-screen 0 1366x768x24" python3 $S 1366x768
    xvfb-run -a -s "-screen 0 1024x600x24" python3 $S 1024x600 14

The real window, a throw-away vault with cheap key derivation and invented answers (nothing
about a person), in a private settings file. Saves `interview-<size>.png`,
`outcome-<size>.png`, `outcome-child-<size>.png`, `case-list-<size>.png` and
`coordinator-case-<size>.png` beside this file; the 1366x768 ones are named without the size
suffix where they replace older shots.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from PySide6.QtCore import QSettings, QStandardPaths, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

USER, PASSPHRASE = "Demo Coordinator", "orchid tundra saxophone velvet"
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


def _wait(condition, timeout_ms: int = 10_000) -> None:  # type: ignore[no-untyped-def]
    waited = 0
    while not condition() and waited < timeout_ms:
        QTest.qWait(20)
        waited += 20


def _draft(vault, form_id: str, interviewee: str, answers: dict) -> str:  # type: ignore[no-untyped-def]
    from app.interview.forms import compiled_form

    form = compiled_form(form_id)
    interview = vault.create_interview(
        form_id=form.id,
        form_version=form.version,
        form_hash=form.form_hash,
        language=interviewee,
        screener_language="en",
        interpreter_used=interviewee != "en",
        location="DEMO-1",
    )
    for key, value in answers.items():
        vault.save_answer(interview, key, value)
    return interview


def main() -> None:
    size = tuple(int(n) for n in (sys.argv[1] if len(sys.argv) > 1 else "1366x768").split("x"))
    points = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    suffix = "" if size == (1366, 768) else f"-{size[0]}x{size[1]}"
    QStandardPaths.setTestModeEnabled(True)  # nothing lands in the real user folders
    app = QApplication(sys.argv[:1])
    app.setApplicationName("Screening Desk")
    from app.window import MainWindow
    from screening.demo.seed import seed_vault
    from screening.vault import KdfParams, Vault
    from screening.vault.pauses import PAUSED

    base = Path(tempfile.mkdtemp(prefix="desk-small-"))
    vault = Vault.create(base / "vault", USER, PASSPHRASE, kdf=KdfParams.fast_for_tests())
    seed_vault(vault, 14, seed=3)
    interview = _draft(vault, "rapid-screening", "ar", RAPID)
    paused = _draft(vault, "screening-adult", "fr", {"consent": "yes"})
    vault.audit(PAUSED, paused)
    finished = _draft(
        vault,
        "rapid-screening",
        "ar",
        {**RAPID, "free_to_leave": "no_locked_in", "threats": ["threatened_me"]},
    )
    vault.save_answer(finished, "refer_full_screening", "yes")
    # A 16-year-old promised a job and exploited, with no force, threat or debt disclosed:
    # the child rule (no means needed) and child protection.
    no_means = {
        "age": 16,
        "someone_controls": "no",
        "documents_holder": "self",
        "owes_debt": "no",
        "depends_on_them": "no",
        "free_to_leave": "yes_freely",
        "threats": ["none"],
    }
    child_answers = {k: v for k, v in RAPID.items() if k != "debt_conditions"}
    child = _draft(vault, "rapid-screening", "en", {**child_answers, **no_means})
    vault.save_answer(child, "refer_full_screening", "yes")
    completed = [s.id for s in vault.list_interviews(status="completed")]
    vault.lock()

    settings = QSettings(str(base / "settings.ini"), QSettings.Format.IniFormat)
    if points:
        settings.setValue("ui/font_size", points)
    window = MainWindow(base / "vault", settings, KdfParams.fast_for_tests(), cache=base / "cache")
    window.resize(*size)
    window.show()
    QTest.qWaitForWindowExposed(window)

    fresh = MainWindow(base / "fresh", settings, KdfParams.fast_for_tests(), cache=base / "cache")
    fresh.resize(*size)
    fresh.show()
    QTest.qWaitForWindowExposed(fresh)
    page = fresh.first_run
    page.user.setText(USER)
    page.passphrase.setText(PASSPHRASE)
    page.repeat.setText(PASSPHRASE)
    page.meter.update_now()
    page.user.setFocus()
    QTest.qWait(250)
    fresh.grab().save(str(HERE / f"first-run{suffix}.png"))
    print(f"first-run{suffix}.png", fresh.width(), fresh.height())
    fresh.close()

    window.unlock_page.user.setText(USER)
    window.unlock_page.passphrase.setText(PASSPHRASE)
    QTest.keyClick(window.unlock_page.passphrase, Qt.Key.Key_Return)
    _wait(lambda: window.vault is not None)
    QTest.qWait(200)

    def shoot(name: str, widget=None) -> None:  # type: ignore[no-untyped-def]
        QTest.qWait(250)
        path = HERE / f"{name}{suffix}.png"
        (widget or window).grab().save(str(path))
        print(path.name, window.width(), window.height())

    window.case_list.table.selectRow(1)
    window.case_list.table.setFocus()
    shoot("case-list")

    workspace = window.open_interview(interview, "free_to_leave")
    view = workspace.interview_view  # type: ignore[union-attr]
    view.blocks["free_to_leave"].input.buttons[1].setFocus()
    shoot("interview")

    window.open_interview(paused, "age")
    age = window.current_view().interview_view.blocks["age"]  # type: ignore[union-attr]
    age.decline_button.click()
    age.dont_know_button.setFocus()
    shoot("interview-paused")

    workspace = window.open_interview(finished, "refer_full_screening")
    workspace.interview_view.go_next()  # type: ignore[union-attr]
    shoot("outcome")

    workspace = window.open_interview(child, "refer_full_screening")
    workspace.interview_view.go_next()  # type: ignore[union-attr]
    shoot("outcome-child")

    window.coordinator.show()
    coordinator = window.coordinator.workspace
    _wait(lambda: not coordinator.model.busy)
    coordinator.open_case(completed[0])
    _wait(lambda: coordinator.case_page.data is not None)
    shoot("coordinator-case")

    from screening.referrals import Referrals

    book = Referrals(window.vault)
    shelter = book.add_provider("Demo Safe House", "shelter", contact="+382 00 000 000")
    book.create(
        completed[0], shelter.id, consent="person", referrer_contact="+382 00 111 111",
        needs=["shelter"],
    )  # fmt: skip
    coordinator.case_page.referrals_button.click()
    dialog = coordinator.referrals_dialog
    dialog.resize(min(900, size[0] - 40), min(420, size[1] - 80))
    shoot("referrals", dialog)
    dialog.close()

    window.lock()
    window.unlock_page.passphrase.setText("x" * 14)
    window.unlock_page.passphrase.setFocus()
    shoot("unlock")
    window.close()
    app.processEvents()


if __name__ == "__main__":
    main()
