"""`rank`: the choices of a list put in order. The ODK XForms spec (getodk/xforms-spec,
_sections/40-body.md, `<odk:rank>`): "The ordered options are recorded as a space-separated list
(as with `<select>`). The recorded list always includes all options." Read with selected-at()."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from screening.engine import InterviewSession
from screening.forms.compiler import FormError, compile_data
from tests.screening.formbuilder import compiled, form_data, q

FRUITS = ["mango", "papaya", "guava", "lime"]


def rank_form(**extra):
    return compiled(
        q("rank", "order", choices="fruits", **extra),
        q("calculate", "first", calculation="selected-at(${order}, 0)"),
        q("calculate", "how_many", calculation="count-selected(${order})"),
        q("note", "papaya_first", relevant="${order} = 'papaya mango guava lime'"),
        choice_lists={"fruits": FRUITS, "regions": ["north", "south"]},
    )


@given(st.permutations(FRUITS))
def test_any_order_of_every_choice_is_kept_as_odk_text(order: list[str]) -> None:
    session = InterviewSession(rank_form())
    result = session.answer("order", order)
    assert result, result.error
    assert session.get("order").value == " ".join(order)
    assert session.calculated() == {"first": order[0], "how_many": len(FRUITS)}
    # The same ranking given as ODK's text form reads the same.
    again = InterviewSession(rank_form())
    assert again.answer("order", " ".join(order))
    assert again.get("order").value == " ".join(order)


@given(st.lists(st.sampled_from([*FRUITS, "apple"]), max_size=6))
def test_a_ranking_that_is_not_every_choice_once_is_refused(items: list[str]) -> None:
    session = InterviewSession(rank_form())
    result = session.answer("order", items)
    if not items:
        assert result and session.get("order") is None  # an empty answer clears
    elif sorted(items) == sorted(FRUITS):
        assert result and session.get("order").value == " ".join(items)
    else:
        assert not result and result.error and session.get("order") is None


def test_a_ranking_is_compared_as_text_in_expressions() -> None:
    session = InterviewSession(rank_form())
    assert "papaya_first" not in session.pages()
    assert session.answer("order", "papaya mango guava lime")
    assert "papaya_first" in session.pages()


def test_with_a_choice_filter_exactly_the_offered_choices_are_ranked() -> None:
    data = form_data(
        q("select_one", "region", choices="regions"),
        q("rank", "order", choices="fruits", choice_filter="${region} = 'north' or name != 'lime'"),
        choice_lists={"fruits": FRUITS, "regions": ["north", "south"]},
    )
    session = InterviewSession(compile_data(data, "t.json"))
    assert session.answer("region", "south")
    assert [c.name for c in session.choices("order")] == ["mango", "papaya", "guava"]
    assert not session.answer("order", "guava mango papaya lime")  # lime is not offered
    assert not session.answer("order", "guava mango")  # papaya left unranked
    assert session.answer("order", "guava mango papaya")


def test_rank_needs_a_choice_list() -> None:
    with pytest.raises(FormError, match="a rank question needs a choice list"):
        compile_data(form_data(q("rank", "order")), "t.json")
