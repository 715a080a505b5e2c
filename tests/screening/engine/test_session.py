"""The interview engine on small forms: skip logic, validation, repeats, calculations."""

from __future__ import annotations

from datetime import date

import pytest

from screening.engine import InterviewSession, Special
from tests.screening.formbuilder import compiled, group, q, section


def test_relevance_follows_answers_and_irrelevant_answers_are_kept_but_excluded() -> None:
    form = compiled(
        q("select_one", "worked", choices="yes_no"),
        q("integer", "hours", relevant="${worked} = 'yes'"),
        q("text", "employer", relevant="${hours} > 60"),
    )
    s = InterviewSession(form)
    assert s.visible_questions() == ["worked"]
    assert s.answer("worked", "yes")
    assert s.visible_questions() == ["worked", "hours"]
    assert s.answer("hours", 70)
    assert s.answer("employer", "farm")
    assert s.visible_questions() == ["worked", "hours", "employer"]
    assert s.answer("worked", "no")
    assert s.visible_questions() == ["worked"]
    assert set(s.relevant_answers()) == {"worked"}
    # The kept answers come back when the question is relevant again.
    assert s.answer("worked", "yes")
    assert s.get("hours").value == 70
    assert set(s.relevant_answers()) == {"worked", "hours", "employer"}


def test_answer_to_invisible_or_unknown_question_is_rejected() -> None:
    form = compiled(
        q("select_one", "a", choices="yes_no"),
        q("text", "b", relevant="${a} = 'yes'"),
        q("note", "n"),
        q("calculate", "c", calculation="1 + 1"),
    )
    s = InterviewSession(form)
    assert s.answer("b", "x").error == "b is not visible now"
    assert "not a question" in s.answer("zzz", "x").error
    assert "takes no answer" in s.answer("n", "x").error
    assert "takes no answer" in s.answer("c", 3).error
    assert "not a question name" in s.answer("a b", "x").error


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("integer", "42", 42),
        ("integer", 7.0, 7),
        ("decimal", "2.5", 2.5),
        ("date", "2024-02-29", date(2024, 2, 29)),
        ("text", "ناديا", "ناديا"),
    ],
)
def test_values_are_typed(kind: str, value: object, expected: object) -> None:
    s = InterviewSession(compiled(q(kind, "x")))
    assert s.answer("x", value)
    stored = s.get("x").value
    assert stored == expected and type(stored) is type(expected)


@pytest.mark.parametrize(
    ("kind", "value", "fragment"),
    [
        ("integer", "4.5", "not a whole number"),
        ("integer", True, "whole number"),
        ("decimal", "abc", "not a number"),
        ("date", "2024-02-30", "not a date"),
        ("date", "yesterday", "not a date"),
        ("text", 12, "must be text"),
        ("select_one", "maybe", "not one of the choices"),
        ("select_multiple", ["yes", "yes"], "more than once"),
        ("select_multiple", ["nope"], "not one of the choices"),
    ],
)
def test_wrong_types_are_rejected_and_not_stored(kind: str, value: object, fragment: str) -> None:
    extra = {"choices": "yes_no"} if kind.startswith("select") else {}
    s = InterviewSession(compiled(q(kind, "x", **extra)))
    result = s.answer("x", value)
    assert not result.ok and fragment in result.error
    assert s.get("x") is None


def test_constraint_uses_current_value_and_message() -> None:
    form = compiled(
        q(
            "integer",
            "age",
            constraint=". >= 0 and . <= 120",
            constraint_message={"en": "Age must be between 0 and 120."},
        )
    )
    s = InterviewSession(form)
    assert s.answer("age", 130).error == "Age must be between 0 and 120."
    assert s.get("age") is None
    assert s.answer("age", 30)
    assert s.answer("age", -1).error == "Age must be between 0 and 120."
    assert s.get("age").value == 30  # the rejected change kept the earlier answer


def test_constraint_broken_by_a_later_change_is_reported_invalid() -> None:
    form = compiled(
        q("integer", "age"),
        q("integer", "years_working", constraint=". <= ${age}"),
    )
    s = InterviewSession(form)
    assert s.answer("age", 40) and s.answer("years_working", 20)
    assert s.invalid() == [] and s.complete
    assert s.answer("age", 15)
    assert s.invalid() == ["years_working"] and not s.complete


def test_required_static_and_dynamic() -> None:
    form = compiled(
        q("select_one", "consent", choices="yes_no", required=True),
        q("text", "reason", required="${consent} = 'no'"),
    )
    s = InterviewSession(form)
    assert s.missing_required() == ["consent"] and not s.complete
    s.answer("consent", "no")
    assert s.missing_required() == ["reason"]
    s.answer("consent", "yes")
    assert s.missing_required() == [] and s.complete


def test_declined_and_dont_know_are_answers_without_value() -> None:
    form = compiled(
        q("select_one", "a", choices="yes_no", required=True),
        q("integer", "b", allow_dont_know=True, required=True),
        q("text", "c", relevant="${a} = 'yes'"),
        q("text", "d", allow_declined=False),
    )
    s = InterviewSession(form)
    assert s.decline("a")
    assert s.dont_know("b")
    assert s.get("a").special is Special.DECLINED
    assert s.missing_required() == []
    assert s.visible_questions() == ["a", "b", "d"]  # declined reads as empty
    assert "not allowed" in s.dont_know("a").error  # form default: no don't-know
    assert "not allowed" in s.decline("d").error


def test_clear_and_empty_answer_remove_the_answer() -> None:
    s = InterviewSession(compiled(q("text", "a"), q("text", "b", relevant="${a} != ''")))
    s.answer("a", "x")
    assert s.visible_questions() == ["a", "b"]
    assert s.answer("a", "")
    assert s.get("a") is None and s.visible_questions() == ["a"]
    s.answer("a", "y")
    assert s.clear("a") and s.get("a") is None


def test_calculations_chain_and_follow_relevance() -> None:
    form = compiled(
        q("integer", "age"),
        q("calculate", "is_minor", calculation="if(${age} < 18, 'yes', 'no')"),
        q("calculate", "label_text", calculation="concat('minor: ', ${is_minor})"),
        q("note", "child_note", relevant="${is_minor} = 'yes'"),
    )
    s = InterviewSession(form)
    assert s.calculated() == {"is_minor": "no", "label_text": "minor: no"}
    s.answer("age", 15)
    assert s.calculated()["label_text"] == "minor: yes"
    assert "child_note" in s.pages() and "child_note" not in s.visible_questions()


def test_groups_hide_their_children_and_sections_progress() -> None:
    form = compiled(
        sections=[
            section("start", q("select_one", "consent", choices="yes_no", required=True)),
            section(
                "work",
                group(
                    "job",
                    q("text", "employer", required=True),
                    q("integer", "hours"),
                    relevant="${consent} = 'yes'",
                ),
                relevant="${consent} != 'no'",
            ),
        ]
    )
    s = InterviewSession(form)
    assert s.visible_questions() == ["consent"]
    s.answer("consent", "yes")
    assert s.visible_questions() == ["consent", "employer", "hours"]
    progress = {p.name: p for p in s.progress()}
    assert progress["start"].complete and progress["start"].answered == 1
    assert progress["work"].missing_required == 1 and not progress["work"].complete
    s.answer("consent", "no")
    progress = {p.name: p for p in s.progress()}
    assert not progress["work"].relevant and progress["work"].complete


def test_repeats_user_sized_with_instance_scoped_references() -> None:
    form = compiled(
        q("select_one", "travelled_with_others", choices="yes_no"),
        group(
            "companion",
            q("integer", "age"),
            q("select_one", "related", choices="yes_no", relevant="${age} < 18"),
            repeat=True,
            relevant="${travelled_with_others} = 'yes'",
            max_repeat=3,
        ),
    )
    s = InterviewSession(form)
    with pytest.raises(ValueError):
        s.add_instance("nope")
    assert s.answer("age[1]", 10).error == "repeat companion has no instance 1"
    s.answer("travelled_with_others", "yes")
    assert s.add_instance("companion") == 1
    assert s.add_instance("companion") == 2
    assert s.answer("age[1]", 30) and s.answer("age[2]", 12)
    assert s.visible_questions() == [
        "travelled_with_others",
        "age[1]",
        "age[2]",
        "related[2]",
    ]
    assert "say which instance" in s.answer("age", 3).error
    assert "no instance 3" in s.answer("age[3]", 3).error
    s.remove_instance("companion", 1)
    assert s.instance_count("companion") == 1
    assert s.get("age[1]").value == 12
    s.add_instance("companion")
    s.add_instance("companion")
    with pytest.raises(ValueError, match="at most 3"):
        s.add_instance("companion")


def test_repeat_count_expression_sizes_the_repeat() -> None:
    form = compiled(
        q("integer", "children"),
        group("child", q("integer", "child_age"), repeat=True, repeat_count="${children}"),
    )
    s = InterviewSession(form)
    assert s.instance_count("child") == 0
    s.answer("children", 2)
    assert s.instance_count("child") == 2
    assert s.visible_questions() == ["children", "child_age[1]", "child_age[2]"]
    s.answer("child_age[2]", 4)
    s.answer("children", 1)
    assert s.visible_questions() == ["children", "child_age[1]"]
    assert "child_age[2]" not in s.relevant_answers()
    s.answer("children", 3)
    assert s.get("child_age[2]").value == 4  # kept, as irrelevant answers are
    with pytest.raises(ValueError, match="computed by the form"):
        s.add_instance("child")


def test_navigation_steps_over_irrelevant_pages() -> None:
    form = compiled(
        q("select_one", "a", choices="yes_no"),
        q("text", "b", relevant="${a} = 'yes'"),
        q("note", "c"),
    )
    s = InterviewSession(form)
    assert s.start() == "a"
    assert s.next() == "c"
    s.answer("a", "yes")
    assert s.previous() == "b"
    assert s.previous() == "a"
    assert s.previous() is None and s.current == "a"
    s.go_to("b")
    s.answer("a", "no")  # the current page disappears
    assert s.next() == "c"


def test_incremental_reevaluates_only_dependents() -> None:
    items = [q("integer", "x")]
    items += [q("calculate", f"c{i}", calculation=f"${{x}} + {i}") for i in range(5)]
    items += [q("integer", f"free{i}", relevant="1 = 1") for i in range(50)]
    form = compiled(*items)
    incremental = InterviewSession(form)
    full = InterviewSession(form, incremental=False)
    before_inc, before_full = incremental.evaluations, full.evaluations
    incremental.answer("x", 3)
    full.answer("x", 3)
    assert incremental.calculated() == full.calculated()
    assert incremental.calculated()["c4"] == 7
    # x's value plus five calculations: nothing else is touched.
    assert incremental.evaluations - before_inc == 6
    assert full.evaluations - before_full > 100


def test_restore_brings_back_a_draft_exactly() -> None:
    form = compiled(
        q("select_one", "a", choices="yes_no"),
        q("text", "b", relevant="${a} = 'yes'"),
        group("g", q("integer", "n"), repeat=True),
    )
    s = InterviewSession(form)
    s.answer("a", "yes")
    s.answer("b", "story")
    s.add_instance("g")
    s.add_instance("g")
    s.answer("n[2]", 5)
    saved = dict(s.relevant_answers())
    resumed = InterviewSession(form)
    assert resumed.restore({**saved, "gone": saved["b"]}) == ["gone"]
    assert resumed.relevant_answers() == saved
    assert resumed.instance_count("g") == 2
