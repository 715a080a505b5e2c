"""Coordinator vaults for the tests: an admin, a coordinator and a screener, with interviews.

Interviews come from `screening.demo.seed.seed_vault` (synthetic people, answered question
by question as a screener would) plus a few recorded here with known answers: a declined
question, a "don't know", a repeat with two entries, a typed name and a date, so that what
the case page shows can be checked word for word.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from app.interview.forms import compiled_form
from app.window import MainWindow
from screening.demo.seed import seed_vault
from screening.engine import Answer, InterviewSession, Special
from screening.engine.results import outcome_of
from screening.vault import Vault
from tests.app.conftest import ADMIN, FAST, PASSPHRASE, unlock

COORDINATOR = "Coordinator Marta"
COORDINATOR_PASSPHRASE = "granite pelican mustard harbour"
SCREENER = "Screener Jovan"
SCREENER_PASSPHRASE = "lantern cobalt hazelnut meadow"
NAME_MARKER = "Xmarker Preferred"  # a typed answer: shown as an answer, never in the audit
REASON = "Ymarker: she was kept from leaving at night."  # the override's written reason
SEEDED = 14

# The adult screening, answered so that a repeat has two entries, one question is declined,
# one is "don't know", and a date and a typed name are there.
ADULT: dict[str, object] = {
    "consent": "yes",
    "interview_language": "english",
    "interpreter_present": "no",
    "interview_private": "yes",
    "preferred_name": NAME_MARKER,
    "age": 29,
    "sex": "declined",
    "nationality": "dont_know",
    "family_travel": "yes",
    "family_travel_count": 2,
    "family_relation[1]": "child",
    "family_member_age[1]": 7,
    "family_relation[2]": "spouse",
    "family_member_age[2]": 31,
    "arrival_date": date(2024, 3, 5),
}


@dataclass
class Cases:
    directory: Path
    adult: str  # the adult interview recorded above
    overridden: str  # a rapid screening with the screener's override
    rapid: str  # a rapid screening without override (another centre)
    seeded: int


def record(
    vault: Vault,
    form_id: str,
    answers: dict[str, object],
    *,
    language: str = "en",
    location: str,
    started_at: datetime | None = None,
) -> str:
    """Record and complete one interview the way the app does (answers, outcome, complete)."""
    form = compiled_form(form_id)
    interview = vault.create_interview(
        form_id=form.id,
        form_version=form.version,
        form_hash=form.form_hash,
        language=language,
        screener_language="en",
        location=location,
        started_at=started_at,
    )
    for key, value in answers.items():
        if value in ("declined", "dont_know"):
            vault.save_answer(interview, key, None, str(value))
        else:
            vault.save_answer(interview, key, value)
    session = InterviewSession(form, language="en")
    session.restore(
        {
            k: Answer(None if s else v, Special(s) if s else None)
            for k, (v, s) in vault.answers(interview).items()
        }
    )
    result = outcome_of(session)
    vault.complete_interview(
        interview, outcome=None if result is None else result.model_dump(mode="json")
    )
    return interview


def build(directory: Path, seeded: int = SEEDED) -> Cases:
    from tests.app.interview.support import RAPID_VALUES

    vault = Vault.create(directory, ADMIN, PASSPHRASE, kdf=FAST)
    try:
        vault.add_user(COORDINATOR, COORDINATOR_PASSPHRASE, role="coordinator", kdf=FAST)
        vault.add_user(SCREENER, SCREENER_PASSPHRASE, role="screener", kdf=FAST)
        seed_vault(vault, seeded, seed=11)
        adult = record(
            vault,
            "screening-adult",
            ADULT,
            location="Kotor harbour office",
            started_at=datetime(2024, 3, 6, 9, 30, tzinfo=UTC),
        )
        overridden = record(
            vault,
            "rapid-screening",
            {**RAPID_VALUES, "safe_now": "declined"},
            location="Ulcinj day centre",
            started_at=datetime(2024, 3, 7, 10, 0, tzinfo=UTC),
        )
        vault.set_override(overridden, "possible_trafficking", REASON)
        rapid = record(
            vault,
            "rapid-screening",
            RAPID_VALUES,
            location="Tivat bus station",
            started_at=datetime(2024, 3, 8, 11, 0, tzinfo=UTC),
        )
    finally:
        vault.lock()
    return Cases(directory, adult, overridden, rapid, seeded)


@pytest.fixture
def cases(vault_dir: Path) -> Cases:
    return build(vault_dir)


@pytest.fixture
def coordinator_window(
    qtbot, make_window: Callable[[Path], MainWindow], cases: Cases
) -> Iterator[MainWindow]:
    window = make_window(cases.directory)
    unlock(qtbot, window, COORDINATOR, COORDINATOR_PASSPHRASE)
    yield window


def open_received(qtbot, window: MainWindow):  # type: ignore[no-untyped-def]
    """Ctrl+R, as a coordinator would; waits until the rows are in."""
    from PySide6.QtCore import Qt

    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    workspace = window.coordinator.workspace
    assert workspace is not None
    qtbot.waitUntil(lambda: not workspace.model.busy and workspace.model.rowCount() > 0)
    return workspace


def open_case(qtbot, workspace, interview_id: str) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(workspace.case_opened, timeout=10_000):
        workspace.open_case(interview_id)
