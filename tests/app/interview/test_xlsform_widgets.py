"""Widgets for imported XLSForm features: a choice filter shows only the choices the engine
offers, also when its parent is answered on the same page; a point is typed as text."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.interview.view import InterviewView
from screening.forms.compiler import compile_data
from tests.app.interview.support import press, show, type_keys


def _en(text: str) -> dict[str, str]:
    return {"en": text}


FORM = compile_data(
    {
        "id": "cascade-test",
        "version": "1.0",
        "title": _en("Cascade"),
        "languages": [{"code": "en", "name": "English"}],
        "default_language": "en",
        "choice_lists": {
            "states": [
                {"name": "texas", "label": _en("Texas")},
                {"name": "washington", "label": _en("Washington")},
            ],
            "counties": [
                {"name": "king", "label": _en("King"), "properties": {"cf": "washington"}},
                {"name": "pierce", "label": _en("Pierce"), "properties": {"cf": "washington"}},
                {"name": "cameron", "label": _en("Cameron"), "properties": {"cf": "texas"}},
            ],
        },
        "sections": [
            {
                "name": "main",
                "label": _en("Main"),
                "items": [
                    {
                        "type": "group",
                        "name": "place",
                        "label": _en("Place"),
                        "field_list": True,
                        "items": [
                            {
                                "type": "select_one",
                                "name": "state",
                                "label": _en("State?"),
                                "choices": "states",
                            },
                            {
                                "type": "select_one",
                                "name": "county",
                                "label": _en("County?"),
                                "choices": "counties",
                                "choice_filter": "${state} = cf",
                            },
                        ],
                    },
                    {"type": "geopoint", "name": "where", "label": _en("Where?")},
                ],
            }
        ],
    },
    "cascade-test.json",
)


def _visible(view: InterviewView, key: str) -> list[str]:
    choice = view.blocks[key].input
    return [name for name, b in zip(choice.names, choice.buttons, strict=True) if not b.isHidden()]


def test_a_filtered_select_shows_only_what_the_engine_offers(qtbot, vault):
    interview = vault.create_interview(
        form_id=FORM.id, form_version=FORM.version, form_hash=FORM.form_hash, language="en"
    )
    view = InterviewView(vault, interview, FORM, "en", "en")
    show(qtbot, view)
    assert view.current_questions() == ("state", "county")
    assert _visible(view, "county") == []
    view.blocks["state"].input.buttons[1].click()  # Washington, on the same page
    assert vault.answers(interview)["state"] == ("washington", None)
    assert _visible(view, "county") == ["king", "pierce"]
    view.blocks["state"].input.buttons[0].click()
    assert _visible(view, "county") == ["cameron"]
    assert not view.blocks["county"].pick(1), "a hidden choice cannot be picked by its number"
    view.blocks["county"].input.buttons[2].click()
    assert vault.answers(interview)["county"] == ("cameron", None)

    assert view.go_to("where")
    type_keys(qtbot, "43.84, 18.36")
    press(qtbot, Qt.Key.Key_Return)
    assert vault.answers(interview)["where"] == ("43.84 18.36 0 0", None)


APPEARANCES = compile_data(
    {
        "id": "appearance-test",
        "version": "1.0",
        "title": {"en": "Appearances", "fr": "Apparences"},
        "languages": [{"code": "en", "name": "English"}, {"code": "fr", "name": "Français"}],
        "default_language": "en",
        "choice_lists": {
            "agree": [
                {"name": str(n), "label": {"en": text, "fr": text}}
                for n, text in enumerate(("No", "Somewhat", "Yes"), 1)
            ]
        },
        "sections": [
            {
                "name": "main",
                "label": {"en": "Main", "fr": "Principal"},
                "items": [
                    {
                        "type": "group",
                        "name": "page",
                        "label": {"en": "Page", "fr": "Page"},
                        "field_list": True,
                        "items": [
                            {
                                "type": "text",
                                "name": "story",
                                "label": {"en": "What happened?", "fr": "Que s'est-il passé ?"},
                                "appearance": "multiline",
                            },
                            {
                                "type": "select_one",
                                "name": "scale",
                                "label": {"en": "Agree?", "fr": "D'accord ?"},
                                "choices": "agree",
                                "appearance": "likert",
                            },
                            {
                                "type": "select_one",
                                "name": "pick",
                                "label": {"en": "Pick one", "fr": "Choisissez"},
                                "choices": "agree",
                                "appearance": "minimal",
                            },
                        ],
                    }
                ],
            }
        ],
    },
    "appearance-test.json",
)


def test_multiline_text_and_likert_choices(qtbot, vault):
    from app.interview.choice_input import ChoiceInput
    from app.interview.widgets import MultilineInput

    interview = vault.create_interview(
        form_id=APPEARANCES.id,
        form_version=APPEARANCES.version,
        form_hash=APPEARANCES.form_hash,
        language="fr",
        screener_language="en",
    )
    view = InterviewView(vault, interview, APPEARANCES, "en", "fr")
    show(qtbot, view)
    story = view.blocks["story"].input
    assert isinstance(story, MultilineInput)
    story.focus_input()
    type_keys(qtbot, "We left at night")
    press(qtbot, Qt.Key.Key_Return)  # a new line, not the next question
    type_keys(qtbot, "by boat")
    press(qtbot, Qt.Key.Key_Tab)  # leaving the field saves it
    assert vault.answers(interview)["story"] == ("We left at night\nby boat", None)

    scale = view.blocks["scale"].input
    assert isinstance(scale, ChoiceInput)
    grid = scale.layout()
    places = [grid.getItemPosition(grid.indexOf(b))[:2] for b in scale.buttons]
    rows, columns = {r for r, _ in places}, [c for _, c in places]
    assert rows == {0} and columns == sorted(set(columns)), "the choices stand side by side"
    words = [grid.getItemPosition(grid.indexOf(w))[:2] for w in scale.labels]
    assert words == [(0, c + 1) for c in columns], "each choice's words beside its button"
    others = [grid.getItemPosition(grid.indexOf(o))[:2] for o in scale.others]
    assert others == [(1, c + 1) for c in columns], "the other language below the words"


def test_minimal_select_is_a_drop_down(qtbot, vault):
    from app.interview.choice_input import MinimalInput

    interview = vault.create_interview(
        form_id=APPEARANCES.id,
        form_version=APPEARANCES.version,
        form_hash=APPEARANCES.form_hash,
        language="en",
    )
    view = InterviewView(vault, interview, APPEARANCES, "en", "en")
    show(qtbot, view)
    pick = view.blocks["pick"].input
    assert isinstance(pick, MinimalInput)
    assert [pick.combo.itemText(i) for i in range(pick.combo.count())] == [
        "—", "No", "Somewhat", "Yes"
    ]  # fmt: skip
    assert view.blocks["pick"].pick(2)
    assert vault.answers(interview)["pick"] == ("2", None)
    assert pick.combo.currentText() == "Somewhat"
    pick.offer({"1", "2"})  # as a choice filter would
    assert pick.combo.count() == 3 and pick.combo.currentText() == "Somewhat"
    assert not pick.pick(3)


def test_a_label_shows_the_answer_it_names(qtbot, vault):
    form = compile_data(
        {
            "id": "output-test",
            "version": "1.0",
            "title": _en("Output"),
            "languages": [{"code": "en", "name": "English"}],
            "default_language": "en",
            "sections": [
                {
                    "name": "main",
                    "label": _en("Main"),
                    "items": [
                        {"type": "text", "name": "who", "label": _en("Name?")},
                        {"type": "integer", "name": "age", "label": _en("How old is ${who}?")},
                    ],
                }
            ],
        },
        "output-test.json",
    )
    interview = vault.create_interview(
        form_id=form.id, form_version=form.version, form_hash=form.form_hash, language="en"
    )
    view = InterviewView(vault, interview, form, "en", "en")
    show(qtbot, view)
    type_keys(qtbot, "Amina")
    press(qtbot, Qt.Key.Key_Return)
    assert view.current_questions() == ("age",)
    assert view.blocks["age"].screener_label.text() == "How old is Amina?"


def test_a_read_only_computed_question_shows_its_value(qtbot, vault):
    form = compile_data(
        {
            "id": "computed-test",
            "version": "1.0",
            "title": _en("Computed"),
            "languages": [{"code": "en", "name": "English"}],
            "default_language": "en",
            "sections": [
                {
                    "name": "main",
                    "label": _en("Main"),
                    "items": [
                        {
                            "type": "group",
                            "name": "page",
                            "label": _en("Page"),
                            "field_list": True,
                            "items": [
                                {"type": "integer", "name": "n", "label": _en("How many?")},
                                {
                                    "type": "integer",
                                    "name": "twice",
                                    "label": _en("Twice that"),
                                    "read_only": True,
                                    "calculation": "${n} * 2",
                                },
                            ],
                        }
                    ],
                }
            ],
        },
        "computed-test.json",
    )
    interview = vault.create_interview(
        form_id=form.id, form_version=form.version, form_hash=form.form_hash, language="en"
    )
    view = InterviewView(vault, interview, form, "en", "en")
    show(qtbot, view)
    assert view.blocks["twice"].value_label.text() == ""
    type_keys(qtbot, "21")
    press(qtbot, Qt.Key.Key_Tab)
    assert vault.answers(interview)["n"] == (21, None)
    assert view.blocks["twice"].value_label.text() == "42"


PREFILL = compile_data(
    {
        "id": "prefill-test",
        "version": "1.0",
        "title": _en("Prefill"),
        "languages": [{"code": "en", "name": "English"}],
        "default_language": "en",
        "choice_lists": {},
        "sections": [
            {
                "name": "main",
                "label": _en("Main"),
                "items": [
                    {
                        "type": "group",
                        "name": "household",
                        "label": _en("Household"),
                        "field_list": True,
                        "items": [
                            {"type": "integer", "name": "adults", "label": _en("Adults?")},
                            {
                                "type": "integer",
                                "name": "people",
                                "label": _en("People?"),
                                "calculation": "${adults} + 1",
                            },
                        ],
                    }
                ],
            }
        ],
    },
    "prefill-test.json",
)


def test_a_prefilled_answer_is_shown_saved_and_can_be_typed_over(qtbot, vault):
    interview = vault.create_interview(
        form_id=PREFILL.id,
        form_version=PREFILL.version,
        form_hash=PREFILL.form_hash,
        language="en",
    )
    view = InterviewView(vault, interview, PREFILL, "en", "en")
    show(qtbot, view)
    people = view.blocks["people"]
    assert any("Filled in by the form" in text for text in _texts(people))
    assert not any("Filled in by the form" in t for t in _texts(view.blocks["adults"]))
    view.blocks["adults"].input.edit.setFocus()
    type_keys(qtbot, "3")
    press(qtbot, Qt.Key.Key_Tab)  # hands the answer over; the form fills people in
    assert people.input.edit.text() == "4"
    assert vault.answers(interview) == {"adults": (3, None), "people": (4, None)}
    people.input.edit.setFocus()
    people.input.edit.selectAll()
    type_keys(qtbot, "6")  # the screener corrects it
    press(qtbot, Qt.Key.Key_Tab)
    assert vault.answers(interview)["people"] == (6, None)
    assert people.input.edit.text() == "6"


def _texts(block) -> list[str]:
    return [label.text() for label in block.findChildren(type(block.screener_label))]


def test_the_note_under_a_prefill_says_when_the_form_writes_it(qtbot, vault):
    from tests.screening.formbuilder import compiled, q

    form = compiled(
        q("integer", "weight", label={"en": "Weight in kg?"}),
        q("integer", "start", calculation="1", calculate_on="start"),
        q("integer", "later", calculation="${weight} * 2", calculate_on="${weight}"),
    )
    interview = vault.create_interview(
        form_id=form.id, form_version=form.version, form_hash=form.form_hash, language="en"
    )
    view = InterviewView(vault, interview, form, "en", "en")
    show(qtbot, view)
    assert view.go_to("start")
    assert any("when the interview began" in t for t in _texts(view.blocks["start"]))
    assert view.go_to("later")
    said = [t for t in _texts(view.blocks["later"]) if "Set by the form" in t]
    assert said == [
        "Set by the form each time the answer to “Weight in kg?” changes; you can change it."
    ]
