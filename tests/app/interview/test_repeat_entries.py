"""Repeat entries survive closing, locking and reopening the draft: the entry counts are in
the vault the moment an entry is added or removed (an empty entry has no answer to tell of
it), the draft reopens at the page it was left at, and a removal renumbers the later entries'
answers in the vault in one transaction."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton

from app.interview import InterviewWorkspace
from app.interview.view import InterviewView
from screening.forms.compiler import compile_data
from screening.vault import Vault
from tests.app.interview.support import PASSPHRASE, USER, press, show, type_keys
from tests.screening.orgforms import install, laptop_vault, org_keys


def _en(text: str) -> dict[str, str]:
    return {"en": text}


# Households and their members; installed as the organisation's form, so the workspace finds
# it the way the window opens any draft.
DATA = {
    "id": "households",
    "version": "1.0",
    "title": _en("Households"),
    "languages": [{"code": "en", "name": "English"}],
    "default_language": "en",
    "sections": [
        {
            "name": "main",
            "label": _en("Main"),
            "items": [
                {
                    "type": "repeat",
                    "name": "household",
                    "label": _en("Household"),
                    "items": [
                        {"type": "text", "name": "place", "label": _en("Where?")},
                        {
                            "type": "repeat",
                            "name": "member",
                            "label": _en("Member"),
                            "items": [{"type": "text", "name": "who", "label": _en("Who?")}],
                        },
                    ],
                },
                {"type": "text", "name": "end", "label": _en("Anything else?")},
            ],
        }
    ],
}
FORM = compile_data(copy.deepcopy(DATA), "households.json")


@pytest.fixture
def vault_dir(tmp_path: Path) -> Path:
    return tmp_path / "vault"


@pytest.fixture
def vault(vault_dir: Path) -> Iterator[Vault]:
    org = org_keys()
    v = laptop_vault(vault_dir, USER, PASSPHRASE, org)
    assert install(v, org, copy.deepcopy(DATA)).imported == 1
    yield v
    v.lock()


def _draft(vault: Vault) -> str:
    return vault.create_interview(
        form_id=FORM.id, form_version=FORM.version, form_hash=FORM.form_hash, language="en"
    )


def _open(qtbot, vault: Vault, interview: str, page: str | None = None) -> InterviewView:  # type: ignore[no-untyped-def]
    workspace = InterviewWorkspace(vault, interview, start_page=page)
    show(qtbot, workspace)
    view = workspace.interview_view
    assert view is not None
    return view


def _click(qtbot, view: InterviewView, text: str) -> None:  # type: ignore[no-untyped-def]
    button = next(b for b in view.findChildren(QPushButton) if b.text() == text)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _texts(view: InterviewView) -> str:
    return " | ".join(label.text() for label in view.findChildren(QLabel) if label.isVisible())


def _add(qtbot, view: InterviewView, answer: str | None) -> None:  # type: ignore[no-untyped-def]
    """On a repeat's own page: "Add another", then answer its first question (or not)."""
    _click(qtbot, view, "Add another")
    if answer is not None:
        type_keys(qtbot, answer)
        press(qtbot, Qt.Key.Key_Return)


def test_entries_left_empty_are_there_after_closing_and_reopening(qtbot, vault):  # type: ignore[no-untyped-def]
    interview = _draft(vault)
    view = _open(qtbot, vault, interview, "+household")
    _add(qtbot, view, "Harbour Street")
    assert view.current_page() == "+member[1]"
    _add(qtbot, view, "Ana")
    assert view.current_page() == "+member[1]"
    _add(qtbot, view, None)  # member 2 of household 1: added, not answered yet
    assert view.current_page() == "who[1][2]"
    # Committed before the new entry was on screen, though it holds no answer.
    assert vault.get_interview(interview).instance_counts == {"household": 1, "member[1]": 2}
    press(qtbot, Qt.Key.Key_Return)  # past the empty member
    press(qtbot, Qt.Key.Key_Return)  # past household 1's members
    assert view.current_page() == "+household"
    _add(qtbot, view, None)  # household 2: added, nothing in it yet
    assert view.current_page() == "place[2]"
    view.window().close()

    again = _open(qtbot, vault, interview)  # from the case list: no page given
    assert again.current_page() == "place[2]"
    session = again.session
    assert session.instance_count("household") == 2
    assert session.instance_count("member", (1,)) == 2
    assert session.instance_count("member", (2,)) == 0
    assert again.go_to("who[1][2]")
    assert "Household 1 › Member: 2 of 2" in _texts(again)
    assert vault.answers(interview) == {
        "place[1]": ("Harbour Street", None),
        "who[1][1]": ("Ana", None),
    }


def test_entries_and_page_come_back_after_a_lock(qtbot, vault, vault_dir):  # type: ignore[no-untyped-def]
    interview = _draft(vault)
    workspace = InterviewWorkspace(vault, interview, start_page="+household")
    show(qtbot, workspace)
    view = workspace.interview_view
    _add(qtbot, view, "Mill Lane")
    _add(qtbot, view, None)  # an empty member
    page = workspace.current_page()
    assert page == "who[1][1]"
    # What the shell does on lock: hide the view, then lock the vault.
    workspace.hide()
    vault.lock()

    unlocked = Vault.unlock(vault_dir, USER, PASSPHRASE)
    try:
        for start in (page, None):  # the shell's kept page, or reopened from the list
            resumed = _open(qtbot, unlocked, interview, start)
            assert resumed.current_page() == "who[1][1]"
            assert resumed.session.instance_count("member", (1,)) == 1
    finally:
        unlocked.lock()


def test_removing_a_middle_entry_renumbers_the_answers_in_the_vault(qtbot, vault):  # type: ignore[no-untyped-def]
    interview = _draft(vault)
    view = _open(qtbot, vault, interview, "+household")
    _add(qtbot, view, "Harbour Street")
    for name in ("Ana", "Bo", "Cy", "Di"):
        _add(qtbot, view, name)
    assert view.go_to("who[1][2]")
    _click(qtbot, view, "Remove this one")

    assert view.current_page() == "+member[1]"
    assert "3 added so far." in _texts(view)
    assert vault.answers(interview) == {
        "place[1]": ("Harbour Street", None),
        "who[1][1]": ("Ana", None),
        "who[1][2]": ("Cy", None),
        "who[1][3]": ("Di", None),
    }
    assert vault.get_interview(interview).instance_counts == {"household": 1, "member[1]": 3}
    view.window().close()

    again = _open(qtbot, vault, interview)
    assert again.current_page() == "+member[1]"
    assert again.session.instance_count("member", (1,)) == 3
    assert again.session.get("who[1][2]").value == "Cy"


def test_a_removal_the_vault_refuses_is_shown_and_changes_nothing(qtbot, vault):  # type: ignore[no-untyped-def]
    interview = _draft(vault)
    view = _open(qtbot, vault, interview, "+household")
    _add(qtbot, view, "Harbour Street")
    for name in ("Ana", "Bo", "Cy"):
        _add(qtbot, view, name)
    stored = vault.answers(interview)
    # The last write of the renumbering fails inside the database (a full disk, say).
    vault.connection().execute(
        "CREATE TEMP TRIGGER refuse AFTER UPDATE ON answers WHEN NEW.name = 'who[1][3]'"
        " BEGIN SELECT RAISE(ABORT, 'disk full'); END"
    )
    assert view.go_to("who[1][1]")
    _click(qtbot, view, "Remove this one")
    vault.connection().execute("DROP TRIGGER refuse")

    assert "Not saved:" in view.message.text() and view.message.isVisible()
    assert vault.answers(interview) == stored
    assert vault.get_interview(interview).instance_counts == {"household": 1, "member[1]": 3}
    # The screen shows what the vault holds: Ana is still the first member.
    assert view.session.instance_count("member", (1,)) == 3
    assert view.go_to("who[1][1]")
    assert view.session.get("who[1][1]").value == "Ana"
