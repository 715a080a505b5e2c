"""Field-list groups share a page; repeats the screener sizes get "Add another" and "Remove"."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.interview.view import InterviewView
from screening.forms.compiler import compile_data
from tests.app.interview.support import focused, press, show, type_keys


def _en(text: str) -> dict[str, str]:
    return {"en": text}


FORM = compile_data(
    {
        "id": "groups-test",
        "version": "1.0",
        "title": _en("Groups"),
        "languages": [{"code": "en", "name": "English"}],
        "default_language": "en",
        "choice_lists": {
            "yes_no": [{"name": "yes", "label": _en("Yes")}, {"name": "no", "label": _en("No")}]
        },
        "sections": [
            {
                "name": "main",
                "label": _en("Main"),
                "items": [
                    {
                        "type": "group",
                        "name": "contact",
                        "label": _en("Contact"),
                        "field_list": True,
                        "items": [
                            {"type": "integer", "name": "a", "label": _en("How many?")},
                            {
                                "type": "select_one",
                                "name": "b",
                                "label": _en("Any more?"),
                                "choices": "yes_no",
                            },
                            {
                                "type": "text",
                                "name": "c",
                                "label": _en("Which?"),
                                "relevant": "${b} = 'yes'",
                            },
                        ],
                    },
                    {
                        "type": "repeat",
                        "name": "people",
                        "label": _en("People travelling with you"),
                        "items": [
                            {"type": "text", "name": "who", "label": _en("Who is it?")},
                            {"type": "integer", "name": "age", "label": _en("How old?")},
                        ],
                    },
                    {"type": "note", "name": "end", "label": _en("Thank you.")},
                ],
            }
        ],
    },
    "groups-test.json",
)


def _interview(vault) -> str:  # type: ignore[no-untyped-def]
    return vault.create_interview(
        form_id=FORM.id, form_version=FORM.version, form_hash=FORM.form_hash, language="en"
    )


def test_field_list_questions_share_a_page_and_new_ones_appear(qtbot, vault):
    interview = _interview(vault)
    view = InterviewView(vault, interview, FORM, "en", "en")
    show(qtbot, view)
    assert view.current_page() == "contact"
    assert view.current_questions() == ("a", "b")
    type_keys(qtbot, "3")  # into the number field: digits are typed, not picked
    press(qtbot, Qt.Key.Key_Tab)  # leaving the field saves it
    assert vault.answers(interview)["a"] == (3, None)
    for _ in range(4):  # past the first question's Declined / Don't know / Clear buttons
        if view.blocks["b"].isAncestorOf(focused()):
            break
        press(qtbot, Qt.Key.Key_Tab)
    assert view.blocks["b"].isAncestorOf(focused())
    type_keys(qtbot, "1")  # now a digit picks "Yes" in the focused question
    assert vault.answers(interview)["b"] == ("yes", None)
    assert view.current_questions() == ("a", "b", "c"), "the page grows with the new question"
    assert view.blocks["b"].isAncestorOf(focused()), "focus stays where the screener was"


def test_add_another_and_remove_keep_the_vault_in_step(qtbot, vault):
    interview = _interview(vault)
    view = InterviewView(vault, interview, FORM, "en", "en", start_page="+people")
    show(qtbot, view)
    assert view.current_page() == "+people"
    panel_button = next(
        b for b in view.findChildren(type(view.next_button)) if b.text() == "Add another"
    )
    qtbot.mouseClick(panel_button, Qt.MouseButton.LeftButton)
    assert view.current_page() == "who[1]"
    for text in ("Ana", "30", "Bo", "40"):
        if view.current_page() == "+people":
            add = next(
                b for b in view.findChildren(type(view.next_button)) if b.text() == "Add another"
            )
            qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
        type_keys(qtbot, text)
        press(qtbot, Qt.Key.Key_Return)
    assert view.current_page() == "+people"
    assert vault.answers(interview) == {
        "who[1]": ("Ana", None),
        "age[1]": (30, None),
        "who[2]": ("Bo", None),
        "age[2]": (40, None),
    }
    assert view.go_to("who[1]")
    remove = next(
        b for b in view.findChildren(type(view.next_button)) if b.text() == "Remove this one"
    )
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    assert vault.answers(interview) == {"who[1]": ("Bo", None), "age[1]": (40, None)}
    assert view.session.instance_count("people") == 1

    view.close()
    again = InterviewView(vault, interview, FORM, "en", "en")
    show(qtbot, again)
    assert again.session.instance_count("people") == 1
    assert again.session.get("who[1]").value == "Bo"
