"""Messages quote at most ~80 characters of an expression (#13 item 7)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from screening.expressions import ExpressionError, check, parse
from screening.expressions.errors import MAX_QUOTED, shorten
from screening.forms.problems import FormError
from tests.screening.formbuilder import compiled, q

HUGE = 200_000
LIMIT = 300  # a whole message: the quoted part plus the sentence around it


@given(st.text(max_size=300))
def test_shorten_is_bounded_one_line_and_keeps_short_text(text: str) -> None:
    short = shorten(text)
    assert len(short) <= MAX_QUOTED and "\n" not in short
    if len(text) <= MAX_QUOTED and text.isprintable():
        assert short == text


def test_a_huge_expression_in_a_form_gives_a_short_problem() -> None:
    constraint = "1 + " * (HUGE // 4) + "+"  # ends in a syntax error
    with pytest.raises(FormError) as caught:
        compiled(q("integer", "age", constraint=constraint))
    message = str(caught.value.problems[0])
    assert "constraint '1 + 1 + " in message and "...'" in message
    assert len(message) < LIMIT


def test_a_huge_name_in_a_syntax_error_is_cut() -> None:
    with pytest.raises(ExpressionError) as caught:
        parse("1 " + "x" * HUGE)
    assert len(caught.value.message) < LIMIT


def test_a_huge_unknown_name_is_cut() -> None:
    (problem,) = check(parse("${" + "n" * HUGE + "} > 1"), {})
    assert problem.startswith("unknown name ${nnn") and len(problem) < LIMIT


def test_evaluation_failure_quotes_a_short_source() -> None:
    from screening.expressions.evaluator import _failure

    error = _failure("'" + "a" * HUGE + "'", ValueError("b" * HUGE))
    assert error.message.startswith("could not evaluate 'aaa") and len(error.message) < LIMIT
