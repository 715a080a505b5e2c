"""The rank widget: the choices are put in order with the keyboard (Ctrl+Up/Down), the buttons
or the mouse, and the vault keeps ODK's text form (every choice, space-separated, first first)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.interview.rank_input import RankInput
from app.interview.view import InterviewView
from screening.forms.compiler import compile_data
from tests.app.interview.support import press, show


def _en(text: str) -> dict[str, str]:
    return {"en": text}


FORM = compile_data(
    {
        "id": "rank-test",
        "version": "1.0",
        "title": _en("Rank"),
        "languages": [{"code": "en", "name": "English"}],
        "default_language": "en",
        "choice_lists": {
            "needs": [
                {"name": name, "label": _en(name.capitalize())}
                for name in ("shelter", "medical", "legal")
            ]
        },
        "sections": [
            {
                "name": "main",
                "label": _en("Main"),
                "items": [
                    {
                        "type": "rank",
                        "name": "priorities",
                        "label": _en("Which needs come first?"),
                        "choices": "needs",
                    },
                    {"type": "text", "name": "after", "label": _en("Anything else?")},
                ],
            }
        ],
    },
    "rank-test.json",
)


def test_the_order_is_set_by_keyboard_buttons_and_kept_as_odk_text(qtbot, vault):
    interview = vault.create_interview(
        form_id=FORM.id, form_version=FORM.version, form_hash=FORM.form_hash, language="en"
    )
    view = InterviewView(vault, interview, FORM, "en", "en")
    show(qtbot, view)
    rank = view.blocks["priorities"].input
    assert isinstance(rank, RankInput)
    assert rank.order() == ["shelter", "medical", "legal"]
    assert "priorities" not in vault.answers(interview)  # nothing recorded before a choice

    rank.list.setFocus()
    rank.list.setCurrentRow(2)
    press(qtbot, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)  # legal one place up
    assert vault.answers(interview)["priorities"] == ("shelter legal medical", None)
    press(qtbot, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)  # and to the top
    assert vault.answers(interview)["priorities"] == ("legal shelter medical", None)
    assert rank.list.item(0).text() == "1. Legal"

    rank.list.setCurrentRow(1)
    qtbot.mouseClick(rank.down, Qt.MouseButton.LeftButton)
    assert vault.answers(interview)["priorities"] == ("legal medical shelter", None)
    assert view.session.get("priorities").value == "legal medical shelter"

    # Coming back to the page shows the stored order.
    again = InterviewView(vault, interview, FORM, "en", "en")
    show(qtbot, again)
    assert again.go_to("priorities")
    assert again.blocks["priorities"].input.order() == ["legal", "medical", "shelter"]


def test_keep_this_order_records_the_order_as_shown(qtbot, vault):
    interview = vault.create_interview(
        form_id=FORM.id, form_version=FORM.version, form_hash=FORM.form_hash, language="en"
    )
    view = InterviewView(vault, interview, FORM, "en", "en")
    show(qtbot, view)
    rank = view.blocks["priorities"].input
    qtbot.mouseClick(rank.keep, Qt.MouseButton.LeftButton)
    assert vault.answers(interview)["priorities"] == ("shelter medical legal", None)
    rank.list.setCurrentRow(0)
    qtbot.mouseClick(rank.up, Qt.MouseButton.LeftButton)  # already first: nothing moves
    assert vault.answers(interview)["priorities"] == ("shelter medical legal", None)
