"""Repeats inside repeats, with ODK's semantics (getodk/xforms-spec):

- "Repeats", A Big Deviation with XForms: a path inside a repeat "is evaluated as if it is the
  relative XPath", so `${x}` (pyxform writes it relative to the repeats the reader and `x`
  share) is `x` in the reader's own instance of every repeat they share, and `x` in every
  instance of the others: from a household, `${m_age}` is the ages of that household's members.
- "Repeat Functions", indexed-repeat(): "`indexed-repeat(//node, /path/to/repeat, //index1,
  /path/to/repeat/nested-repeat, //index2)` is meant to be a shortcut for
  `//repeat[position()=//index1]/nested-repeat[position()=index2]/node`": absolute paths,
  wherever the expression stands.
- position(..): the 1-based position of the instance the question is in (XPath position() of
  the parent node), so the inner repeat's number within its outer instance.

Expected values are worked out from these rules by hand, not printed by the code.
"""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from screening.engine import Answer, InterviewSession, format_path, parse_path
from screening.engine.replay import apply_step
from tests.screening.formbuilder import compiled, group, q

FORM = compiled(
    group(
        "household",
        q("integer", "head_age"),
        group(
            "member",
            q("integer", "m_age", constraint=". >= 0"),
            q("calculate", "m_pos", calculation="position()"),
            q("calculate", "is_older", calculation="if(${m_age} > ${head_age}, 'yes', 'no')"),
            q("calculate", "siblings", calculation="count(${member})"),
            q("text", "m_job", relevant="${m_age} >= 15"),
            repeat=True,
        ),
        q("calculate", "hh_members", calculation="count(${member})"),
        q("calculate", "hh_age_sum", calculation="sum(${m_age})"),
        q("integer", "n_children"),
        group("child", q("text", "c_name"), repeat=True, repeat_count="${n_children}"),
        repeat=True,
    ),
    q("calculate", "households", calculation="count(${household})"),
    q("calculate", "total_members", calculation="count(${member})"),
    q("calculate", "total_age", calculation="sum(${m_age})"),
    q("calculate", "h1_m2", calculation="indexed-repeat(${m_age}, ${household}, 1, ${member}, 2)"),
    q("calculate", "h2_m1", calculation="indexed-repeat(${m_age}, ${household}, 2, ${member}, 1)"),
    q("calculate", "h2_m2", calculation="indexed-repeat(${m_age}, ${household}, 2, ${member}, 2)"),
    q("calculate", "children", calculation="count(${child})"),
)

STEPS = [
    ("head_age[1]", 40),
    ("m_age[1][1]", 10),
    ("m_age[1][2]", 50),
    ("head_age[2]", 30),
    ("m_age[2][1]", 5),
]


def interview(incremental: bool = True) -> InterviewSession:
    session = InterviewSession(FORM, incremental=incremental)
    for key, value in STEPS:
        result = apply_step(session, key, value)
        assert result, result.error
    return session


def test_instances_are_numbered_within_their_outer_instance() -> None:
    session = interview()
    assert session.instance_count("household") == 2
    assert session.instance_count("member", (1,)) == 2
    assert session.instance_count("member", (2,)) == 1
    assert session.instance_counts() == {"household": 2, "member[1]": 2, "member[2]": 1}
    assert session.get("m_age[1][2]") == Answer(50)
    with pytest.raises(ValueError, match="household has no instance 3"):
        session.add_instance("member", (3,))
    assert not session.answer("m_age[2][2]", 1)  # no second member in household 2
    assert not session.answer("m_age[2]", 1)  # the path must name both instances


def test_references_read_the_nearest_instance_as_odk_does() -> None:
    calc = interview().calculated()
    # position(..) is the member's number within its household.
    assert [calc["m_pos[1][1]"], calc["m_pos[1][2]"], calc["m_pos[2][1]"]] == [1, 2, 1]
    # ${head_age} from a member is its own household's head.
    assert [calc["is_older[1][1]"], calc["is_older[1][2]"], calc["is_older[2][1]"]] == [
        "no",  # 10 > 40
        "yes",  # 50 > 40
        "no",  # 5 > 30
    ]
    # count(${member}) from inside a member: the members of the same household.
    assert [calc["siblings[1][1]"], calc["siblings[1][2]"], calc["siblings[2][1]"]] == [2, 2, 1]
    # From a household: its own members.
    assert (calc["hh_members[1]"], calc["hh_age_sum[1]"]) == (2, 60)
    assert (calc["hh_members[2]"], calc["hh_age_sum[2]"]) == (1, 5)
    # From outside every repeat: all of them.
    assert (calc["households"], calc["total_members"], calc["total_age"]) == (2, 3, 65)
    assert (calc["h1_m2"], calc["h2_m1"], calc["h2_m2"]) == (50, 5, None)


def test_relevance_and_constraints_hold_per_instance() -> None:
    session = interview()
    visible = session.visible_questions()
    assert "m_job[1][2]" in visible  # 50 >= 15
    assert "m_job[1][1]" not in visible and "m_job[2][1]" not in visible
    assert not session.answer("m_job[1][1]", "x")
    assert session.answer("m_job[1][2]", "fisher")
    refused = session.answer("m_age[2][1]", -1)
    assert not refused and session.get("m_age[2][1]") == Answer(5)
    assert session.answer("m_age[2][1]", 16)
    assert "m_job[2][1]" in session.visible_questions()
    assert session.calculated()["total_age"] == 76


def test_a_computed_count_inside_a_repeat_is_per_outer_instance() -> None:
    session = interview()
    assert session.answer("n_children[2]", 3)
    assert session.instance_count("child", (2,)) == 3
    assert session.instance_count("child", (1,)) == 0
    assert session.answer("c_name[2][3]", "Ana")
    assert session.calculated()["children"] == 3
    assert session.answer("n_children[2]", 1)
    assert "c_name[2][3]" not in session.visible_questions()
    assert session.calculated()["children"] == 1


def test_removing_an_outer_instance_moves_the_later_ones_with_their_inner_instances() -> None:
    session = interview()
    session.answer("m_job[1][2]", "fisher")
    session.remove_instance("household", 1)
    assert session.instance_count("household") == 1
    assert session.instance_count("member", (1,)) == 1
    assert session.get("m_age[1][1]") == Answer(5) and session.get("head_age[1]") == Answer(30)
    assert session.get("m_job[1][2]") is None and session.get("m_age[2][1]") is None
    assert session.calculated()["total_age"] == 5


def test_removing_an_inner_instance_touches_only_its_outer_instance() -> None:
    session = interview()
    session.remove_instance("member", 1, (1,))
    assert session.instance_count("member", (1,)) == 1
    assert session.get("m_age[1][1]") == Answer(50)
    assert session.get("m_age[2][1]") == Answer(5)
    assert session.calculated()["h1_m2"] is None
    with pytest.raises(ValueError):
        session.remove_instance("member", 2, (1,))


def test_a_resumed_draft_has_the_same_nested_instances() -> None:
    session = interview()
    session.add_instance("member", (2,))  # an empty member: only instance_counts knows it
    saved = {key: answer for key, answer in session.relevant_answers().items()}
    resumed = InterviewSession(FORM)
    assert resumed.restore(saved, session.instance_counts()) == []
    assert resumed.instance_count("member", (2,)) == 2
    assert resumed.calculated() == session.calculated()
    assert resumed.visible_questions() == session.visible_questions()
    # Keys of single-level repeats keep their meaning: `head_age[2]` is household 2's.
    assert parse_path("head_age[2]") == ("head_age", (2,))
    assert resumed.get("head_age[2]") == Answer(30)


def test_indexed_repeat_reads_other_instances_from_inside_a_repeat() -> None:
    form = compiled(
        group(
            "visit",
            q("integer", "day"),
            q("calculate", "prev", calculation="indexed-repeat(${day}, ${visit}, position() - 1)"),
            repeat=True,
        )
    )
    session = InterviewSession(form)
    for key, value in [("day[1]", 3), ("day[2]", 7), ("day[3]", 9)]:
        assert apply_step(session, key, value)
    calc = session.calculated()
    assert [calc["prev[1]"], calc["prev[2]"], calc["prev[3]"]] == [None, 3, 7]


KEYS = ["head_age[1]", "head_age[2]", "m_age[1][1]", "m_age[1][2]", "m_age[2][1]",
        "m_age[2][3]", "m_job[1][1]", "n_children[1]", "n_children[2]", "c_name[1][2]"]  # fmt: skip
actions = st.one_of(
    st.tuples(st.just("answer"), st.sampled_from(KEYS), st.integers(-2, 60)),
    st.tuples(st.just("job"), st.sampled_from(KEYS), st.sampled_from(["x", ""])),
    st.tuples(st.just("remove"), st.sampled_from(["household", "member"]), st.integers(1, 3)),
)


def _apply(session: InterviewSession, action: tuple) -> None:
    kind, target, value = action
    if kind == "remove":
        outer = () if target == "household" else (1,)
        with contextlib.suppress(ValueError):
            session.remove_instance(target, value, outer)
        return
    name, _ = parse_path(target)
    given = value if kind == "answer" or name in ("m_job", "c_name") else None
    apply_step(session, target, given if given != "" else None)


@settings(max_examples=60, deadline=None)
@given(st.lists(actions, max_size=20))
def test_incremental_evaluation_agrees_with_evaluating_everything(script: list[tuple]) -> None:
    fast, full = InterviewSession(FORM), InterviewSession(FORM, incremental=False)
    for action in script:
        _apply(fast, action)
        _apply(full, action)
    assert fast.calculated() == full.calculated()
    assert fast.visible_questions() == full.visible_questions()
    assert fast.relevant_answers() == full.relevant_answers()
    resumed = InterviewSession(FORM)
    resumed.restore(fast.relevant_answers(), fast.instance_counts())
    assert resumed.calculated() == fast.calculated()
    for key in fast.visible_questions():
        name, path = parse_path(key)
        assert format_path(name, path) == key
