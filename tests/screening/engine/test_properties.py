"""Property tests: random answer sequences never crash the engine, and incremental
re-evaluation always agrees with evaluating everything from scratch."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from screening.engine import Answer, InterviewSession, format_path
from screening.engine.replay import apply_step
from tests.screening.formbuilder import compiled, group, q

FORM = compiled(
    q("select_one", "consent", choices="yes_no", required=True),
    q("integer", "age", relevant="${consent} = 'yes'", constraint=". >= 0 and . <= 120"),
    q("calculate", "minor", calculation="if(${age} < 18, 'yes', 'no')"),
    q("select_multiple", "control", choices="ctl", relevant="${minor} = 'no'"),
    q("text", "detail", relevant="selected(${control}, 'docs') or ${age} > 60", required=True),
    q("decimal", "debt", relevant="count-selected(${control}) >= 2"),
    q("date", "arrived", relevant="${consent} != 'no'", constraint=". <= today()"),
    q("calculate", "big_debt", calculation="coalesce(${debt}, 0) > 1000"),
    # Prefilled (an answerable question with a calculation): the engine writes the answer.
    q("decimal", "estimate", calculation="${age} * 2", relevant="${consent} = 'yes'"),
    q("note", "warn", relevant="${big_debt}"),
    group(
        "companions",
        q("integer", "c_age"),
        q("select_one", "c_related", choices="yes_no", relevant="${c_age} < ${age}"),
        q("text", "c_note", calculation="concat('aged ', ${c_age})"),
        repeat=True,
        relevant="${consent} = 'yes'",
        max_repeat=3,
    ),
    choice_lists={"yes_no": ["yes", "no"], "ctl": ["docs", "threats", "locked", "debt"]},
)

names = [
    *("consent", "age", "control", "detail", "debt", "arrived", "estimate"),
    *("c_age[1]", "c_related[2]", "c_note[1]"),
]
values = st.one_of(
    st.none(),
    st.sampled_from(["yes", "no", "maybe", "", "docs", "2020-01-01", "2999-01-01"]),
    st.integers(min_value=-5, max_value=200),
    st.floats(allow_nan=True, allow_infinity=True),
    st.lists(st.sampled_from(["docs", "threats", "locked", "debt", "bad"]), max_size=4),
    st.sampled_from([{"special": "declined"}, {"special": "dont_know"}, {"special": "x"}]),
)
steps = st.lists(st.tuples(st.sampled_from(names), values), max_size=25)


def test_resume_keeps_an_unanswered_repeat_instance() -> None:
    session = InterviewSession(FORM)
    apply_step(session, "consent", "yes")
    apply_step(session, "c_related[2]", "yes")  # adds two instances, answer itself rejected
    assert session.instance_count("companions") == 2
    resumed = InterviewSession(FORM)
    resumed.restore(session.relevant_answers(), session.instance_counts())
    assert resumed.visible_questions() == session.visible_questions()


def snapshot(session: InterviewSession) -> tuple:
    return (
        session.visible_questions(),
        session.pages(),
        session.relevant_answers(),
        session.calculated(),
        session.missing_required(),
        session.invalid(),
        session.complete,
    )


@given(steps)
def test_incremental_agrees_with_full_evaluation(script: list[tuple[str, object]]) -> None:
    incremental = InterviewSession(FORM)
    full = InterviewSession(FORM, incremental=False)
    for name, value in script:
        first = apply_step(incremental, name, value)
        second = apply_step(full, name, value)
        assert first.ok == second.ok and first.error == second.error
        assert snapshot(incremental) == snapshot(full)


@given(steps)
def test_visibility_invariant_and_resume(script: list[tuple[str, object]]) -> None:
    session = InterviewSession(FORM)
    for name, value in script:
        apply_step(session, name, value)
    visible = session.visible_questions()
    # Every visible question is relevant, and every relevant answer is of a visible question.
    assert all(session.is_relevant(key) for key in visible)
    assert set(session.relevant_answers()) <= set(visible)
    # Nothing visible hides behind a consent that was refused.
    if session.get("consent") is None or session.get("consent").value != "yes":
        assert not any(key.startswith(("age", "c_age", "c_related")) for key in visible)
    # A resumed draft is the same interview.
    stored = dict(session._answers)
    resumed = InterviewSession(FORM)
    saved = {format_path(n, path): a for (n, path), a in stored.items()}
    resumed.restore(saved, session.instance_counts())
    assert snapshot(resumed) == snapshot(session)
    assert all(isinstance(a, Answer) for a in resumed.relevant_answers().values())
