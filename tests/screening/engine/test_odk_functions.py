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


# -- choice filters ---------------------------------------------------------------------------


def cascading_form():
    data = form_data(
        q("select_one", "state", choices="states"),
        q("select_one", "county", choices="counties", choice_filter="${state} = cf"),
        q("select_multiple", "avoid", choices="states"),
        q(
            "select_one",
            "other_state",
            choices="states",
            choice_filter="not(selected(${avoid}, name))",
        ),
    )
    data["choice_lists"] = {
        "states": [
            {"name": "texas", "label": {"en": "Texas"}},
            {"name": "washington", "label": {"en": "Washington"}},
        ],
        "counties": [
            {"name": "king", "label": {"en": "King"}, "properties": {"cf": "washington"}},
            {"name": "pierce", "label": {"en": "Pierce"}, "properties": {"cf": "washington"}},
            {"name": "cameron", "label": {"en": "Cameron"}, "properties": {"cf": "texas"}},
        ],
    }
    return compile_data(data, "test.json")


def names(choices) -> list[str]:
    return [choice.name for choice in choices]


def test_a_choice_filter_offers_the_matching_choices_with_odk_semantics() -> None:
    session = InterviewSession(cascading_form())
    assert names(session.choices("state")) == ["texas", "washington"]
    assert names(session.choices("county")) == []  # ${state} empty: '' = cf holds for none
    assert session.answer("state", "washington")
    assert names(session.choices("county")) == ["king", "pierce"]
    refused = session.answer("county", "cameron")
    assert not refused and refused.error == "'cameron' is not offered here"
    assert session.answer("county", "pierce")
    assert session.answer("state", "texas")
    assert names(session.choices("county")) == ["cameron"]
    # `name` is the choice's own name
    assert names(session.choices("other_state")) == ["texas", "washington"]
    assert session.answer("avoid", ["texas"])
    assert names(session.choices("other_state")) == ["washington"]


def test_a_column_a_choice_lacks_reads_as_empty_text_as_in_odk() -> None:
    import pytest

    from screening.forms.compiler import FormError

    data = form_data(
        q("text", "region"),
        q("select_one", "a", choices="places", choice_filter="region = ${region}"),
        q("select_one", "b", choices="places", choice_filter="zone = ''"),
        q("select_one", "c", choices="places", choice_filter="string-length(zone) = 0"),
    )
    data["choice_lists"] = {
        "places": [
            {"name": "north", "label": {"en": "North"}, "properties": {"region": "n"}},
            {"name": "nowhere", "label": {"en": "Nowhere"}},
        ]
    }
    form = compile_data(data, "test.json")
    # No choice has `zone`: ODK runs the filter, so the form loads and the author is warned.
    assert [(w.question, w.message) for w in form.warnings] == [
        (
            name,
            "choice_filter: the choices of list 'places' have no column 'zone' (they have"
            " label, name, region), so it reads as '' for every choice, as in ODK",
        )
        for name in ("b", "c")
    ]
    session = InterviewSession(form)
    # `nowhere` lacks `region`: it reads as '', equal to the unanswered ${region}.
    assert names(session.choices("a")) == ["nowhere"]
    assert session.answer("region", "n")
    assert names(session.choices("a")) == ["north"]
    assert names(session.choices("b")) == ["north", "nowhere"]
    assert names(session.choices("c")) == ["north", "nowhere"]
    with pytest.raises(FormError, match="have no column 'zone'"):
        compile_data(data, "test.json", strict=True)
    data = form_data(q("text", "b", choice_filter="name = 'x'"))
    with pytest.raises(FormError, match="cannot have a choice_filter"):
        compile_data(data, "test.json")


# -- defaults, ODK text types, instance_name ---------------------------------------------------


def test_defaults_start_a_new_interview_and_can_be_changed() -> None:
    form = compiled(
        q("integer", "n", default="3"),
        q("select_multiple", "m", choices="yes_no", default="no yes"),
        q("date", "d", default="not a date"),  # does not fit: left out
        q("calculate", "twice", calculation="${n} * 2"),
    )
    session = InterviewSession(form)
    assert session.get("n").value == 3 and session.get("m").value == ["yes", "no"]
    assert session.get("d") is None
    assert session.calculated() == {"twice": 6}
    assert session.answer("n", 5)
    assert session.calculated() == {"twice": 10}


def test_times_dates_with_times_and_points_are_stored_as_odk_text() -> None:
    form = compiled(
        q("time", "t"),
        q("datetime", "dt"),
        q("geopoint", "gp"),
        q("geotrace", "gt"),
        q("geoshape", "gs", relevant="${gp} != ''"),
    )
    session = InterviewSession(form)
    assert session.answer("t", "9:05+02:00")
    assert session.get("t").value == "09:05:00.000+02:00"
    assert session.answer("dt", "2024-05-01 14:30Z")
    assert session.get("dt").value == "2024-05-01T14:30:00.000+00:00"
    assert not session.answer("dt", "2024-02-30 10:00")
    assert session.answer("gp", "43.84, 18.36")
    assert session.get("gp").value == "43.84 18.36 0 0"
    assert session.answer("gs", "0 0; 0 1; 1 1")
    assert session.get("gs").value == "0 0 0 0;0 1 0 0;1 1 0 0;0 0 0 0"
    for key, bad in (("gp", "91 10"), ("gp", "north"), ("gt", "1 2"), ("t", "24:00")):
        result = session.answer(key, bad)
        assert not result and result.error


def test_instance_name_names_the_interview() -> None:
    form = compiled(
        q("text", "who"),
        instance_name="concat('Case ', ${who}, ' ', jr:choice-name(${ok}, '${ok}'))",
        sections=[
            {
                "name": "main",
                "label": {"en": "Main"},
                "items": [q("text", "who"), q("select_one", "ok", choices="yes_no")],
            }
        ],
    )
    session = InterviewSession(form)
    assert session.instance_name() == "Case  "
    assert session.answer("who", "A-12") and session.answer("ok", "yes")
    assert session.instance_name() == "Case A-12 yes"


# -- repeats read from outside: count(), sum(), join(), indexed-repeat(), position() ---------


def test_repeat_values_are_a_node_set_outside_the_repeat() -> None:
    from tests.screening.formbuilder import group

    form = compiled(
        group(
            "people",
            q("text", "who"),
            q("integer", "age"),
            q("calculate", "number", calculation="position()"),
            q("calculate", "label", calculation="concat(position(), ': ', ${who})"),
            repeat=True,
        ),
        q("calculate", "n", calculation="count(${people})"),
        q("calculate", "total", calculation="sum(${age})"),
        q("calculate", "oldest", calculation="max(${age})"),
        q("calculate", "names", calculation="join(', ', ${who})"),
        q("calculate", "second", calculation="indexed-repeat(${who}, ${people}, 2)"),
        q("text", "note_if_child", relevant="${age} < 18"),  # any instance under 18
    )
    session = InterviewSession(form)
    assert session.calculated()["n"] == 0
    for who, age in (("Ana", 30), ("Bo", 12)):
        instance = session.add_instance("people")
        assert session.answer(f"who[{instance}]", who)
        assert session.answer(f"age[{instance}]", age)
    calculated = session.calculated()
    assert calculated["n"] == 2 and calculated["total"] == 42 and calculated["oldest"] == 30
    assert calculated["names"] == "Ana, Bo" and calculated["second"] == "Bo"
    assert calculated["label[2]"] == "2: Bo" and calculated["number[1]"] == 1
    assert "note_if_child" in session.visible_questions()
    assert session.answer("age[2]", 19)
    assert session.calculated()["total"] == 49
    assert "note_if_child" not in session.visible_questions()
    session.remove_instance("people", 1)
    assert session.calculated()["names"] == "Bo" and session.calculated()["n"] == 1


def test_labels_show_answers_as_odk_does() -> None:
    from datetime import date

    from tests.screening.formbuilder import group

    form = compiled(
        q("text", "name"),
        q("date", "arrived"),
        q("select_multiple", "docs", choices="yes_no"),
        q("calculate", "days", calculation="2.0 * 3"),
        group("kids", q("text", "kid"), repeat=True),
    )
    session = InterviewSession(form)
    text = "${name} came on ${arrived} with ${docs} after ${days} days; ${nope} stays"
    assert session.fill(text) == " came on  with  after 6 days; ${nope} stays"
    assert session.answer("name", "Amina") and session.answer("arrived", date(2024, 5, 1))
    assert session.answer("docs", ["no", "yes"])
    assert session.fill(text) == "Amina came on 2024-05-01 with yes no after 6 days; ${nope} stays"
    for kid in ("Ali", "Sara"):
        instance = session.add_instance("kids")
        assert session.answer(f"kid[{instance}]", kid)
    assert session.fill("About ${kid}", "kid[2]") == "About Sara"  # the same instance
    assert session.fill("First: ${kid}") == "First: Ali"  # outside: the first, as in ODK


def test_a_read_only_question_can_compute_its_value() -> None:
    import pytest

    from screening.forms.compiler import FormError

    form = compiled(
        q("integer", "adults"),
        q("integer", "children"),
        q("integer", "people", read_only=True, calculation="${adults} + ${children}"),
    )
    session = InterviewSession(form)
    assert session.answer("adults", 2) and session.answer("children", 3)
    assert session.calculated() == {"people": 5}
    assert "people" in session.visible_questions()
    assert "takes no answer" in session.answer("people", 9).error
    with pytest.raises(FormError, match="a note cannot have a calculation"):
        compiled(q("note", "n", calculation="1 + 1"))
