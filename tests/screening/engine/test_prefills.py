"""Answerable questions with a calculation (ODK's editable calculation, an XForms calculate
bind on a node with an input): the engine fills the answer in when the form starts and again
whenever the computed value changes; in between, what the screener gives stands.

Expected values follow the rules in `screening/engine/prefills.py` (Enketo's behaviour; see
getodk/xforms-spec#306), worked by hand from each form below.
"""

from __future__ import annotations

from screening.engine import Answer, InterviewSession, Special
from screening.engine.replay import apply_step
from tests.screening.formbuilder import compiled, group, q

FORM = compiled(
    q("integer", "adults", default="2"),
    q("integer", "people", calculation="${adults} + 1"),
    q("select_one", "many", choices="yes_no", calculation="if(${adults} > 3, 'yes', 'no')"),
    q("text", "summary", calculation="concat(${adults}, ' adults')", relevant="${adults} > 0"),
    q("integer", "bad", calculation="concat('x', ${adults})"),
)


def value(session: InterviewSession, key: str) -> object:
    answer = session.get(key)
    return None if answer is None else answer.value


def test_a_new_interview_starts_with_the_computed_answers_written() -> None:
    session = InterviewSession(FORM)
    assert value(session, "people") == 3  # 2 + 1, from the default of adults
    assert value(session, "many") == "no"
    assert value(session, "summary") == "2 adults"
    assert session.get("bad") is None  # "x2" is not a whole number: not written
    # Every answer the engine wrote is waiting to be stored, the default included.
    assert session.engine_writes() == ["adults", "many", "people", "summary"]
    session.engine_writes_stored(["adults", "people"])
    assert session.engine_writes() == ["many", "summary"]


def test_the_screeners_answer_stands_until_an_input_changes() -> None:
    session = InterviewSession(FORM)
    assert session.answer("people", 7)
    assert value(session, "people") == 7
    assert session.answer("adults", 2)  # the same value: nothing the calculation reads changed
    assert value(session, "people") == 7
    assert session.answer("adults", 4)
    assert value(session, "people") == 5  # 4 + 1 replaces what was typed, as ODK does
    assert value(session, "many") == "yes"
    assert "people" in session.engine_writes() and "many" in session.engine_writes()


def test_a_computed_value_that_did_not_change_leaves_the_answer_alone() -> None:
    session = InterviewSession(FORM)
    assert session.answer("many", "yes")
    assert session.answer("adults", 3)  # if(3 > 3, ...) is still 'no': the 'yes' stands
    assert value(session, "many") == "yes"
    assert session.answer("adults", 5)  # now 'yes' is computed: the same as given
    assert session.answer("adults", 1)
    assert value(session, "many") == "no"


def test_declined_and_dont_know_stand_against_a_computed_value() -> None:
    session = InterviewSession(FORM)
    assert session.decline("people")
    assert session.answer("adults", 6)
    assert session.get("people") == Answer(None, Special.DECLINED)


def test_an_input_cleared_clears_the_computed_answer() -> None:
    session = InterviewSession(FORM)
    assert value(session, "people") == 3
    assert session.clear("adults")
    # ${adults} + 1 of an empty answer is empty: ODK writes the empty value too.
    assert session.get("people") is None
    assert "people" in session.engine_writes()
    # summary is hidden now (empty > 0 is false): its answer is left as it was.
    assert not session.is_relevant("summary") and value(session, "summary") == "2 adults"


def test_a_hidden_question_is_filled_in_when_it_is_shown_again() -> None:
    session = InterviewSession(FORM)
    assert session.answer("summary", "typed by hand")
    assert session.answer("adults", 0)  # summary hidden (relevant: adults > 0)
    assert not session.is_relevant("summary")
    assert value(session, "summary") == "typed by hand"  # kept, read as empty, as ODK does
    assert session.answer("adults", 3)
    assert value(session, "summary") == "3 adults"


def test_a_resumed_draft_keeps_what_was_stored() -> None:
    session = InterviewSession(FORM)
    resumed = InterviewSession(FORM)
    stored = {"adults": Answer(4), "people": Answer(9)}  # 9 typed over the computed 5
    assert resumed.restore(stored) == []
    assert value(resumed, "people") == 9
    assert resumed.get("many") is None  # not stored: not computed again on resume
    assert resumed.engine_writes() == []
    assert resumed.answer("adults", 5)
    assert value(resumed, "people") == 6
    # A draft opened for the first time (nothing stored) keeps its start values to store.
    assert session.restore({}) == []
    assert value(session, "people") == 3 and "people" in session.engine_writes()
    # A received interview is exactly what was stored.
    received = InterviewSession(FORM)
    received.restore({}, exact=True)
    assert received.get("people") is None and received.get("adults") is None


def test_a_cleared_default_stays_cleared_on_resume() -> None:
    resumed = InterviewSession(FORM)
    resumed.restore({"people": Answer(1)})
    assert resumed.get("adults") is None


def test_each_repeat_entry_is_filled_in_from_its_own_answers() -> None:
    form = compiled(
        group(
            "member",
            q("integer", "age"),
            q("select_one", "minor", choices="yes_no", calculation="if(${age} < 18, 'yes', 'no')"),
            repeat=True,
        )
    )
    session = InterviewSession(form)
    first = session.add_instance("member")
    second = session.add_instance("member")
    assert session.answer(f"age[{first}]", 15) and session.answer(f"age[{second}]", 40)
    assert value(session, "minor[1]") == "yes"
    assert value(session, "minor[2]") == "no"
    assert session.answer("minor[2]", "yes")
    assert session.answer("age[1]", 16)  # entry 1 changed: entry 2's correction stands
    assert value(session, "minor[2]") == "yes"
    session.remove_instance("member", 1)  # entry 2 moves down with its answers as stored
    assert value(session, "age[1]") == 40 and value(session, "minor[1]") == "yes"


def test_incremental_and_full_evaluation_write_the_same_answers() -> None:
    steps = [("adults", 4), ("people", 1), ("adults", 4), ("many", "no"), ("adults", 0)]
    steps += [("summary", "x"), ("adults", 7), ("people", None), ("adults", 8)]
    incremental, full = InterviewSession(FORM), InterviewSession(FORM, incremental=False)
    for name, given in steps:
        assert apply_step(incremental, name, given).ok == apply_step(full, name, given).ok
        assert incremental.relevant_answers() == full.relevant_answers()
    assert value(incremental, "people") == 9 and value(incremental, "many") == "yes"


TIMED = compiled(
    q("integer", "weight"),
    q("integer", "height"),
    q(
        "text",
        "weighed",
        calculation="concat('w', ${weight}, ' h', ${height})",
        calculate_on="${weight}",
    ),
    q("text", "emptied", calculate_on="${weight}"),
    q("integer", "size", default="2"),
    q("integer", "start", calculation="${size} + 1", calculate_on="start"),
    group(
        "member",
        q("integer", "order", calculation="position() * 10", calculate_on="start"),
        repeat=True,
    ),
)


def test_a_trigger_writes_the_calculation_only_when_its_question_changes() -> None:
    session = InterviewSession(TIMED)
    assert session.get("weighed") is None  # ODK's trigger fires on a change, not at start
    assert session.answer("height", 150)
    assert session.get("weighed") is None  # height is read, but it is not the trigger
    assert session.answer("emptied", "kept until weight changes")
    assert session.answer("weight", 60)
    assert value(session, "weighed") == "w60 h150"
    assert session.get("emptied") is None  # a trigger without a value empties the answer
    assert session.answer("weighed", "corrected")
    assert session.answer("height", 160)
    assert value(session, "weighed") == "corrected"
    assert session.answer("weight", 60)  # the same value: no change, no write
    assert value(session, "weighed") == "corrected"
    assert session.answer("weight", 61)
    assert value(session, "weighed") == "w61 h160"


def test_a_dynamic_default_is_written_once_at_the_start_and_per_new_entry() -> None:
    session = InterviewSession(TIMED)
    assert value(session, "start") == 3
    assert session.answer("size", 9)
    assert value(session, "start") == 3  # computed once, never again
    session.add_instance("member")
    session.add_instance("member")
    assert value(session, "order[1]") == 10 and value(session, "order[2]") == 20
    assert session.answer("order[2]", 5)
    session.add_instance("member")
    assert value(session, "order[2]") == 5 and value(session, "order[3]") == 30


def test_trigger_and_start_agree_between_incremental_and_full_evaluation() -> None:
    steps = [("weight", 1), ("weighed", "x"), ("height", 3), ("weight", 2), ("size", 4)]
    steps += [("emptied", "y"), ("weight", 2), ("weight", None), ("start", 8)]
    incremental, full = InterviewSession(TIMED), InterviewSession(TIMED, incremental=False)
    for name, given in steps:
        assert apply_step(incremental, name, given).ok == apply_step(full, name, given).ok
        assert incremental.relevant_answers() == full.relevant_answers()
    assert value(incremental, "start") == 8
    assert value(incremental, "weighed") == "w h3"  # weight emptied: concat() of '' and 3


def test_calculate_on_is_checked_when_the_form_loads() -> None:
    import pytest

    from screening.forms.problems import FormError

    for item, words in (
        (q("integer", "a", calculate_on="start"), "needs a calculation"),
        (q("note", "a", calculate_on="${b}"), "needs a calculation"),
        (q("integer", "a", calculation="1", calculate_on="soon"), "must be 'start'"),
        (q("integer", "a", calculation="1", calculate_on="${nope}"), "must be 'start'"),
        (q("integer", "a", calculation="1", calculate_on="${a}"), "the question itself"),
        (q("integer", "a", calculation="1", read_only=True, calculate_on="start"), "answered"),
    ):
        with pytest.raises(FormError, match=words):
            compiled(item)
