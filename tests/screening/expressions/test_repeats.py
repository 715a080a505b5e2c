"""indexed-repeat() over nested repeats, against the ODK XForms spec's definition: "
`indexed-repeat(//node, /path/to/repeat, //index1, /path/to/repeat/nested-repeat, //index2)` is
meant to be a shortcut for `//repeat[position()=//index1]/nested-repeat[position()=index2]/node`".
The evaluator reads the value and the repeats from the top of the form (absolute paths)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from screening.expressions import ABSOLUTE, Expression, NodeSet

households = st.lists(st.lists(st.integers(0, 99), max_size=4), max_size=4)


def lookup_for(ages: list[list[int]]):  # type: ignore[no-untyped-def]
    outer = [(h,) for h in range(1, len(ages) + 1)]
    inner = [(h, m) for h, members in enumerate(ages, 1) for m in range(1, len(members) + 1)]
    values = [ages[h - 1][m - 1] for h, m in inner]
    first = len(ages[0]) if ages else 0
    table = {
        ABSOLUTE + "hh": NodeSet([None] * len(outer), outer),
        ABSOLUTE + "mem": NodeSet([None] * len(inner), inner),
        ABSOLUTE + "age": NodeSet(values, inner),
        # Where the expression stands (inside household 1) ${age} alone is that household's.
        "age": NodeSet(values[:first], inner[:first]),
    }
    return table.__getitem__


@given(households, st.integers(-1, 5), st.integers(-1, 5))
def test_two_levels_pick_the_member_of_the_household(ages, i, j) -> None:
    expr = Expression.compile(f"indexed-repeat(${{age}}, ${{hh}}, {i}, ${{mem}}, {j})")
    expected = ages[i - 1][j - 1] if 1 <= i <= len(ages) and 1 <= j <= len(ages[i - 1]) else None
    assert expr.evaluate(lookup_for(ages)) == expected


@given(households, st.integers(-1, 5))
def test_one_level_over_a_nested_value_is_the_first_in_that_household(ages, i) -> None:
    # //hh[position()=i]/mem/age as a string: the first node of the set.
    expr = Expression.compile(f"indexed-repeat(${{age}}, ${{hh}}, {i})")
    expected = ages[i - 1][0] if 1 <= i <= len(ages) and ages[i - 1] else None
    assert expr.evaluate(lookup_for(ages)) == expected


def test_an_even_number_of_arguments_is_refused() -> None:
    from screening.expressions import ExpressionError

    try:
        Expression.compile("indexed-repeat(${age}, ${hh}, 1, ${mem})")
    except ExpressionError as exc:
        assert "3, 5 or 7" in exc.message
    else:
        raise AssertionError("4 arguments were accepted")
