"""The ODK functions of functions_odk.py and functions_dates.py: properties that must hold for
every input, and the functions that read the evaluation context (once, jr:choice-name)."""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from screening.expressions import Expression, parse, to_source
from screening.expressions.functions_dates import (
    date_time,
    decimal_date_time,
    format_date,
    parse_datetime,
)
from screening.expressions.functions_odk import substring_after, substring_before, translate

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20)
DATES = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))
MOMENTS = st.datetimes(
    min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1), timezones=st.just(UTC)
)


def value(text: str, answers: dict[str, object] | None = None, **kw: object) -> object:
    return Expression.compile(text).evaluate((answers or {}).get, **kw)


@given(TEXT, TEXT)
def test_substring_before_and_after_split_at_the_first_occurrence(text: str, sep: str) -> None:
    before, after = substring_before(text, sep), substring_after(text, sep)
    if sep and sep in text:
        assert before + sep + after == text and sep not in before
    elif not sep:
        assert (before, after) == ("", text)
    else:
        assert (before, after) == ("", "")


@given(TEXT, TEXT)
def test_translate_with_itself_changes_nothing_and_removes_what_has_no_target(
    text: str, chars: str
) -> None:
    assert translate(text, chars, chars) == text
    removed = translate(text, chars, "")
    assert not set(removed) & set(chars) and len(removed) <= len(text)


@given(DATES)
def test_format_date_writes_what_parses_back(day: date) -> None:
    assert format_date(day, "%Y-%m-%d") == day.isoformat()
    assert format_date(day.isoformat(), "%e/%n/%Y") == f"{day.day}/{day.month}/{day.year:04d}"


@given(MOMENTS)
def test_date_time_and_decimal_date_time_are_inverse(moment: datetime) -> None:
    moment = moment.replace(microsecond=moment.microsecond // 1000 * 1000)
    days = decimal_date_time(moment.isoformat())
    assert math.isclose(days, (moment - datetime(1970, 1, 1, tzinfo=UTC)) / timedelta(days=1))
    back = parse_datetime(date_time(days))
    assert back is not None and abs(back - moment) < timedelta(milliseconds=2)


@given(MOMENTS, st.integers(min_value=-14 * 60, max_value=14 * 60))
def test_the_offset_of_a_moment_is_taken_into_account(moment: datetime, minutes: int) -> None:
    sign = "-" if minutes < 0 else "+"
    local = moment + timedelta(minutes=minutes)
    offset = f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    text = local.replace(tzinfo=None).isoformat(timespec="milliseconds") + offset
    assert math.isclose(
        decimal_date_time(text), decimal_date_time(moment.isoformat()), abs_tol=1e-8
    )


def test_namespaced_function_names_print_and_parse_back() -> None:
    node = parse("jr:choice-name(${q}, '${q}')")
    assert to_source(node) == "jr:choice-name(${q}, '${q}')"
    assert parse(to_source(node)) == node


def test_choice_name_asks_the_caller_for_the_label() -> None:
    asked: list[tuple[str, str]] = []

    def label(question: str, choice: str) -> str | None:
        asked.append((question, choice))
        return {"yes": "Oui"}.get(choice)

    answers = {"q": "yes", "r": "maybe"}
    assert value("jr:choice-name(${q}, '${q}')", answers, choice_label=label) == "Oui"
    # pyxform writes the question's path as the second argument
    assert value("jr:choice-name(${q}, '/data/grp/q')", answers, choice_label=label) == "Oui"
    assert value("jr:choice-name(${r}, '${r}')", answers, choice_label=label) is None
    assert asked == [("q", "yes"), ("q", "yes"), ("r", "maybe")]


def test_once_keeps_the_value_it_is_given_as_current() -> None:
    expression = Expression.compile("once(${n} * 2)")
    assert expression.evaluate({"n": 4}.get) == 8
    assert expression.evaluate({"n": 5}.get, current=8) == 8


def test_values_of_the_moment_are_computed_each_time() -> None:
    expression = Expression.compile("uuid()")
    first, second = expression.evaluate(dict().get), expression.evaluate(dict().get)
    assert first != second
    assert re.fullmatch(
        r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", first
    )
    now = value("now()")
    moment = parse_datetime(now)
    assert moment is not None and moment.tzinfo is not None
    assert abs(moment - datetime.now(UTC)) < timedelta(minutes=1)


def test_a_node_set_compares_as_xpath_says() -> None:
    from screening.expressions import NodeSet

    ages = {"ages": NodeSet([30, None, 12]), "none": NodeSet([])}
    assert value("${ages} = 12", ages) is True  # one of the values
    assert value("${ages} != 30", ages) is True  # 12 is not 30
    assert value("${ages} < 18 and ${ages} > 18", ages) is True
    assert value("${ages} = '30'", ages) is True
    assert value("count(${ages}) + count(${none})", ages) == 3
    assert value("sum(${ages})", ages) is None  # an empty value is NaN, as in ODK
    assert value("count-non-empty(${ages})", ages) == 2
    assert value("max(${ages})", ages) == 30
    assert value("${ages} + 1", ages) == 31  # elsewhere: its first value
    assert value("boolean(${none})", ages) is False
    assert value("indexed-repeat(${ages}, ${none}, 3)", ages) == 12
