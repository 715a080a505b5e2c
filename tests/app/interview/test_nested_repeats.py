"""A repeat inside a repeat in the interview: each household has its own "add another" page for
its members; members are added, answered and removed within their household, and the vault
keeps them under `name[household][member]`."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.interview.view import InterviewView
from screening.forms.compiler import compile_data
from tests.app.interview.support import press, show, type_keys


def _en(text: str) -> dict[str, str]:
    return {"en": text}


FORM = compile_data(
    {
        "id": "nested-test",
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
                                "items": [
                                    {"type": "text", "name": "who", "label": _en("Who?")},
                                    {
                                        "type": "note",
                                        "name": "where_note",
                                        "label": _en("Lives in ${place}"),
                                    },
                                ],
                            },
                        ],
                    },
                    {"type": "text", "name": "end", "label": _en("Anything else?")},
                ],
            }
        ],
    },
    "nested-test.json",
)


def _button(view: InterviewView, text: str):  # type: ignore[no-untyped-def]
    return next(b for b in view.findChildren(type(view.next_button)) if b.text() == text)


def _texts(view: InterviewView) -> str:
    from PySide6.QtWidgets import QLabel

    return " | ".join(label.text() for label in view.findChildren(QLabel) if label.isVisible())


def test_inner_instances_are_added_answered_and_removed_within_their_outer_one(qtbot, vault):
    interview = vault.create_interview(
        form_id=FORM.id, form_version=FORM.version, form_hash=FORM.form_hash, language="en"
    )
    view = InterviewView(vault, interview, FORM, "en", "en", start_page="+household")
    show(qtbot, view)
    qtbot.mouseClick(_button(view, "Add another"), Qt.MouseButton.LeftButton)
    assert view.current_page() == "place[1]"
    type_keys(qtbot, "Harbour Street")
    press(qtbot, Qt.Key.Key_Return)
    # The members of household 1 get their own page to add to.
    assert view.current_page() == "+member[1]"
    assert "Household 1 › Member" in _texts(view)
    for name in ("Ana", "Bo"):
        qtbot.mouseClick(_button(view, "Add another"), Qt.MouseButton.LeftButton)
        type_keys(qtbot, name)
        press(qtbot, Qt.Key.Key_Return)
        assert "Lives in Harbour Street" in _texts(view)  # ${place} of its own household
        press(qtbot, Qt.Key.Key_Return)
    assert view.current_page() == "+member[1]"
    assert view.session.instance_count("member", (1,)) == 2
    assert vault.answers(interview) == {
        "place[1]": ("Harbour Street", None),
        "who[1][1]": ("Ana", None),
        "who[1][2]": ("Bo", None),
    }
    press(qtbot, Qt.Key.Key_Return)  # past the members: household's own "add another"
    assert view.current_page() == "+household"
    qtbot.mouseClick(_button(view, "Add another"), Qt.MouseButton.LeftButton)
    assert view.current_page() == "place[2]"
    type_keys(qtbot, "Mill Lane")
    press(qtbot, Qt.Key.Key_Return)
    assert view.current_page() == "+member[2]"
    assert view.session.instance_count("member", (2,)) == 0

    # Removing Ana renumbers Bo within household 1 only, in the session and the vault.
    assert view.go_to("who[1][1]")
    assert "Household 1 › Member: 1 of 2" in _texts(view)
    qtbot.mouseClick(_button(view, "Remove this one"), Qt.MouseButton.LeftButton)
    assert view.current_page() == "+member[1]"
    assert vault.answers(interview) == {
        "place[1]": ("Harbour Street", None),
        "place[2]": ("Mill Lane", None),
        "who[1][1]": ("Bo", None),
    }
    # Removing household 1 takes its member with it and moves household 2 up.
    assert view.go_to("place[1]")
    qtbot.mouseClick(_button(view, "Remove this one"), Qt.MouseButton.LeftButton)
    assert vault.answers(interview) == {"place[1]": ("Mill Lane", None)}
    assert view.session.instance_count("household") == 1
    assert view.session.instance_count("member", (1,)) == 0
