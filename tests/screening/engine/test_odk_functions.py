"""ODK functions that need the interview: jr:choice-name() reads the form's choice labels in
the interview's language, once() keeps the first value a calculation had."""

from __future__ import annotations

from screening.engine import InterviewSession
from screening.forms.compiler import compile_data
from tests.screening.formbuilder import compiled, form_data, q


def test_choice_name_gives_the_label_in_the_interview_language() -> None:
    data = form_data(
        q("select_one", "colour", choices="colours", label={"en": "Colour", "fr": "Couleur"}),
        q("calculate", "colour_label", calculation="jr:choice-name(${colour}, '${colour}')"),
    )
    data["languages"].append({"code": "fr", "name": "Français"})
    data["title"]["fr"] = "Formulaire"
    data["choice_lists"] = {
        "colours": [
            {"name": "r", "label": {"en": "Red", "fr": "Rouge"}},
            {"name": "g", "label": {"en": "Green", "fr": "Vert"}},
        ]
    }
    data["sections"][0]["label"]["fr"] = "Principal"
    form = compile_data(data, "test.json")
    english, french = InterviewSession(form), InterviewSession(form, language="fr")
    for session in (english, french):
        assert session.calculated()["colour_label"] is None
        assert session.answer("colour", "g")
    assert english.calculated()["colour_label"] == "Green"
    assert french.calculated()["colour_label"] == "Vert"


def test_once_keeps_the_first_value_of_a_calculation() -> None:
    form = compiled(
        q("integer", "n"),
        q("calculate", "first_n", calculation="once(${n})"),
        q("calculate", "last_n", calculation="${n}"),
    )
    session = InterviewSession(form)
    assert session.answer("n", 3)
    assert session.answer("n", 4)
    assert session.calculated() == {"first_n": 3, "last_n": 4}
