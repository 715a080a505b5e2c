"""check(): the problems a form author should hear about when the form loads."""

from __future__ import annotations

import pytest

from screening.expressions import ValueType, check, parse

NAMES = {
    "age": ValueType.NUMBER,
    "name": ValueType.TEXT,
    "dob": ValueType.DATE,
    "consent": ValueType.SELECT_ONE,
    "docs": ValueType.SELECT_MULTIPLE,
    "flag": ValueType.BOOLEAN,
    "calc": ValueType.ANY,
}


@pytest.mark.parametrize(
    "text",
    [
        "${age} > 18 and selected(${docs}, 'passport')",
        "if(${age} >= 18, 'adult', 'child')",
        "count-selected(${docs}) >= 2 or ${docs} = ''",
        "selected(${consent}, 'yes') and ${consent} != 'no'",
        "(${consent} = 'yes') + (${flag}) + ${consent}",  # adding booleans, numeric choices
        "${age} + '3'",
        "${dob} < '2020-01-01' and ${dob} > date('1900-01-01') and ${dob} <= today()",
        "today() - ${dob} > 365",
        "${calc} < '2020-01-01'",
        "count-selected(${calc}) + selected-at(${docs}, 0)",
        "selected(concat(${name}, ' x'), 'x')",
        "regex(${name}, '[A-Za-z ]+')",
        "coalesce(${age}, 0) * 2",
        "string-length(${name}) <= 20",
    ],
)
def test_valid_expressions_have_no_problems(text: str) -> None:
    assert check(parse(text), NAMES) == []


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        ("${agee} > 18", ["unknown name ${agee} (did you mean ${age}?)"]),
        ("${zzz} + ${zzz} + ${yyy}", ["unknown name ${zzz}", "unknown name ${yyy}"]),
        ("bar(1)", ["unknown function bar()"]),
        (
            "count_selected(${docs})",
            ["unknown function count_selected() (did you mean count-selected()?)"],
        ),
        ("if(${age} > 3, 1)", ["wrong number of arguments to if() (expects 3, got 2)"]),
        ("concat()", ["wrong number of arguments to concat() (expects at least 1, got 0)"]),
        ("round(1, 2, 3)", ["wrong number of arguments to round() (expects 1 or 2, got 3)"]),
        ("substr('a')", ["wrong number of arguments to substr() (expects 2 or 3, got 1)"]),
        ("today(1)", ["wrong number of arguments to today() (expects 0, got 1)"]),
        (
            "count-selected(${consent})",
            [
                "count-selected() expects a select_multiple question as its first argument, "
                "but ${consent} is a select_one question"
            ],
        ),
        (
            "count-selected(${age})",
            [
                "count-selected() expects a select_multiple question as its first argument, "
                "but ${age} is a number question"
            ],
        ),
        (
            "selected(${age}, 'a')",
            [
                "selected() expects a select question as its first argument, "
                "but ${age} is a number question"
            ],
        ),
        (
            "selected(${name}, 'a')",
            [
                "selected() expects a select question as its first argument, "
                "but ${name} is a text question"
            ],
        ),
        (
            "selected(1 + 2, 'a')",
            ["selected() expects a select question as its first argument, not a number"],
        ),
        (
            "${docs} = 'passport'",
            [
                "${docs} = 'passport' is only true when 'passport' is the only choice selected; "
                "use selected(${docs}, 'passport')"
            ],
        ),
        ("${docs} + 1", ["${docs} is a select_multiple question and cannot be used with '+'"]),
        ("-${docs}", ["${docs} is a select_multiple question and cannot be used with '-'"]),
        (
            "${docs} > 1",
            ["${docs} is a select_multiple question and cannot be compared with '>'"],
        ),
        ("${age} * 'abc'", ["'abc' is not a number and cannot be used with '*'"]),
        ("${dob} < '2020-13-01'", ["'2020-13-01' is not a date (write dates as YYYY-MM-DD)"]),
        ("${dob} = 'yesterday'", ["'yesterday' is not a date (write dates as YYYY-MM-DD)"]),
        ("date('01/02/2020')", ["'01/02/2020' is not a date (write dates as YYYY-MM-DD)"]),
        (
            "${name} < 'm'",
            [
                "'<' compares numbers or dates, but 'm' is neither, "
                "so the comparison is always false"
            ],
        ),
        (
            "${name} >= '2020-01-01'",
            [
                "'2020-01-01' is a date, but the other side of '>=' is not, "
                "so the comparison is always false"
            ],
        ),
        (
            "${flag} = 'false'",
            [
                "${flag} = 'false' compares a true/false value with text, and any non-empty "
                "text counts as true; use true() or false()"
            ],
        ),
    ],
)
def test_problems(text: str, problems: list[str]) -> None:
    assert check(parse(text), NAMES) == problems


def test_invalid_literal_regex() -> None:
    (problem,) = check(parse("regex(${name}, '[a-')"), NAMES)
    assert problem.startswith("invalid regular expression '[a-' (")
    assert problem.endswith(") in regex()")
    (problem,) = check(parse("regex(${name}, '" + "a" * 1001 + "')"), NAMES)
    assert "too long" in problem


def test_several_problems_come_in_source_order() -> None:
    problems = check(parse("bar(${nope}) + if(1, 2) + count-selected(${age})"), NAMES)
    assert [p.split(" ")[0] for p in problems] == [
        "unknown",
        "unknown",
        "wrong",
        "count-selected()",
    ]
    assert problems[0] == "unknown name ${nope}"
    assert problems[1] == "unknown function bar()"


def test_the_current_value_can_be_typed() -> None:
    assert check(parse(". > 3"), NAMES, current=ValueType.NUMBER) == []
    assert check(parse("count-selected(.)"), NAMES, current=ValueType.TEXT) == [
        "count-selected() expects a select_multiple question as its first argument, "
        "but '.' is a text question"
    ]
    assert check(parse("count-selected(.)"), NAMES) == []  # unknown type: no complaint


def test_if_and_coalesce_take_the_type_of_their_branches() -> None:
    assert check(parse("if(1, ${docs}, ${docs}) + 1"), NAMES) == [
        "if(1, ${docs}, ${docs}) is a select_multiple value and cannot be used with '+'"
    ]
    assert check(parse("if(1, ${docs}, ${age}) + 1"), NAMES) == []
    assert check(parse("count-selected(coalesce(${age}, 1))"), NAMES) == [
        "count-selected() expects a select_multiple question as its first argument, not a number"
    ]


def test_names_may_be_given_as_plain_strings() -> None:
    names = {"age": "number", "docs": "select_multiple", "odd": "no-such-type"}
    assert check(parse("${age} + count-selected(${docs}) + ${odd}"), names) == []  # type: ignore[arg-type]
    assert check(parse("${docs} * 2"), names) != []  # type: ignore[arg-type]


def test_regex_features_outside_re2_are_reported_when_the_form_loads(capfd) -> None:
    (problem,) = check(parse(r"regex(${name}, '(a)\1')"), NAMES)
    assert "invalid regular expression" in problem and "in regex()" in problem
    # RE2 logs parse errors to stderr unless told not to; the CLI prints one sentence only.
    assert capfd.readouterr().err == ""


# -- what ODK runs: warnings when the caller asks for them --------------------------------------


@pytest.mark.parametrize(
    ("text", "warning"),
    [
        (
            "selected(${name}, 'a')",
            "selected() expects a select question as its first argument, but ${name} is a text"
            " question; it runs as in ODK, reading the answer as space-separated words",
        ),
        (
            "count-selected(${consent}) > 1",
            "count-selected() expects a select_multiple question as its first argument, but"
            " ${consent} is a select_one question; it runs as in ODK, reading the answer as"
            " space-separated words",
        ),
        (
            "${docs} = 'passport'",
            "${docs} = 'passport' is only true when 'passport' is the only choice selected; use"
            " selected(${docs}, 'passport') unless that is meant (it runs as in ODK, comparing"
            " the whole answer)",
        ),
    ],
)
def test_patterns_odk_runs_are_warnings_when_asked_for(text: str, warning: str) -> None:
    warnings: list[str] = []
    assert check(parse(text), NAMES, warnings=warnings) == []
    assert warnings == [warning]
    # Without the list (this project's own forms) they stay problems, as before.
    assert check(parse(text), NAMES) == [warning.split("; it runs")[0].split(" unless")[0]]


def test_certain_mistakes_stay_problems_when_warnings_are_asked_for() -> None:
    warnings: list[str] = []
    text = "selected(1 + 2, 'a') and ${docs} + 1 > 0 and selected(${name}, 'a')"
    assert check(parse(text), NAMES, warnings=warnings) == [
        "selected() expects a select question as its first argument, not a number",
        "${docs} is a select_multiple question and cannot be used with '+'",
    ]
    assert [w.split(" expects")[0] for w in warnings] == ["selected()"]


def test_warnings_are_added_once_to_the_list_given() -> None:
    warnings = ["already there"]
    check(parse("selected(${name}, 'a') or selected(${name}, 'a')"), NAMES, warnings=warnings)
    check(parse("selected(${name}, 'a')"), NAMES, warnings=warnings)
    assert len(warnings) == 2 and warnings[0] == "already there"
