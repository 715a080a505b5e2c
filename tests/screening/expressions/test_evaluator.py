"""Evaluation: a table of expressions and their values, and the behaviour around it."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta

import pytest

from screening.expressions import Expression, ExpressionError, ExpressionSyntaxError

TODAY = date(2024, 3, 1)
ARABIC = "مرحبا بالعالم"

ANSWERS: dict[str, object] = {
    "age": 30,
    "age_blank": None,
    "blank": None,
    "empty_text": "",
    "zero": 0,
    "half": 0.5,
    "neg": -7,
    "name": "Amina",
    "consent": "yes",
    "flag": True,
    "off": False,
    "dob": date(2000, 2, 29),
    "arrival": date(2024, 1, 15),
    "docs": ["passport", "visa"],
    "docs_none": [],
    "docs_str": "passport visa",
    "arabic": ARABIC,
    "phone": "+961 70 123 456",
    "num_text": "42",
    "comma_num": "1,5",
    "bad_num": "abc",
    "pattern": "[A-Z][a-z]+",
}

INF = float("inf")
SHAPE = (
    "38.253094215699576 21.756382658677467;38.25021274773806 21.756382658677467;"
    "38.25007793942195 21.763892843919166;38.25290886154963 21.763935759263404;"
    "38.25146813817506 21.758421137528785"
)

CASES: list[tuple[str, object]] = [
    # Arithmetic, precedence, unary minus.
    ("1 + 2 * 3", 7),
    ("(1 + 2) * 3", 9),
    ("10 - 4 - 3", 3),
    ("2 * 3 mod 4", 2),
    ("7 div 2", 3.5),
    ("3 div 2 * 2", 3),
    ("-7 mod 3", -1),  # mod keeps the sign of the dividend, as in Java and XPath
    ("7 mod -3", 1),
    ("7.5 mod 2", 1.5),
    ("-2 * -3", 6),
    ("--5", 5),
    ("- ${neg}", 7),
    (".5 + .5", 1),
    ("0.1 + 0.2", 0.30000000000000004),
    ("${age} + 1", 31),
    ("${half} * 2", 1),
    ("${neg} + 0", -7),
    # Division by zero, as in XPath.
    ("1 div 0", INF),
    ("-1 div 0", -INF),
    ("1 div -0", -INF),
    ("0 div 0", None),
    ("5 mod 0", None),
    ("1 div ${zero}", INF),
    ("${age} div 0 > 1000", True),
    ("1 div 0 - 1 div 0", None),
    # Empty values: '' as text, NaN as number, false as boolean.
    ("${blank} + 1", None),
    ("${age_blank} > 18", False),
    ("${age_blank} < 18", False),
    ("${age_blank} = 18", False),
    ("${age_blank} != 18", True),
    ("${age_blank} = ''", True),
    ("${blank} = ''", True),
    ("${empty_text} = ''", True),
    ("${blank} = ${empty_text}", True),
    ("${age} = ''", False),
    ("${zero} = ''", False),
    ("not(${blank})", True),
    ("${blank} or ${zero}", False),
    ("${blank}", None),
    ("${empty_text}", None),
    ("''", None),
    # Text and number comparisons coerce like XPath.
    ("${name} = 'Amina'", True),
    ("${name} != 'amina'", True),
    ("'Amina' = ${name}", True),
    ("${num_text} = 42", True),
    ("42 = ${num_text}", True),
    ("${num_text} = '42.0'", False),  # two strings compare as text
    ("${num_text} > 41.5", True),
    ("41.5 < ${num_text}", True),
    ("${num_text} + 1", 43),
    ("${comma_num} * 2", 3),  # JavaRosa reads ',' as a decimal point
    ("${bad_num} + 1", None),
    ("'10' < '9'", False),  # relational operators always compare numbers
    ("'abc' < 'abd'", False),
    ("0.1 + 0.2 = 0.3", True),  # JavaRosa's 1e-12 tolerance
    ("0.1 + 0.2 != 0.3", False),
    # Booleans win in '=': the other side is converted with boolean().
    ("true() = 'false'", True),
    ("false() = ''", True),
    ("${flag} = 1", True),
    ("${flag} = 2", True),
    ("2 = ${flag}", True),
    ("${off} = 0", True),
    ("${off} = ${blank}", True),
    ("${flag} + ${flag}", 2),
    ("(1 = 1) + (2 = 2) + (1 = 2)", 2),
    ("1 < 2 < 3", True),
    ("3 > 2 > 1", False),
    ("1 = 1 = 1", True),
    # Logic.
    ("1 or 0 and 0", True),
    ("(1 or 0) and 0", False),
    ("not(0)", True),
    ("not('false')", False),
    ("true() and not(false())", True),
    ("${name} and ${age}", True),
    ("${age} > 18 and ${consent} = 'yes'", True),
    ("${age} > 18 and ${consent} = 'no'", False),
    # Dates compare as dates and count as days since 1970-01-01.
    ("${dob} < ${arrival}", True),
    ("${arrival} - ${dob}", (date(2024, 1, 15) - date(2000, 2, 29)).days),
    ("int((today() - ${dob}) div 365.25)", 24),
    ("today()", TODAY),
    ("today() > ${arrival}", True),
    ("today() = '2024-03-01'", True),
    ("${arrival} = '2024-01-15'", True),
    ("'2024-01-15' = ${arrival}", True),
    ("${arrival} > '2024-01-01'", True),
    ("${arrival} < '2024-01-01'", False),
    ("${arrival} >= '2024-01-15T08:00'", True),
    ("${arrival} < 'soon'", False),
    ("${arrival} = date('2024-01-15')", True),
    ("${arrival} = 19737", True),
    ("${arrival} > 19736", True),
    ("number(${arrival})", 19737),
    ("number(date('1970-01-02'))", 1),
    ("${arrival} + 1", 19738),
    ("date(${arrival} + 1)", date(2024, 1, 16)),
    ("date(19737)", date(2024, 1, 15)),
    ("date('2024-02-30')", None),
    ("date('')", None),
    ("date(${blank})", None),
    ("date('2024-01-15T10:30:00')", date(2024, 1, 15)),
    ("string(${arrival})", "2024-01-15"),
    ("concat('on ', ${arrival})", "on 2024-01-15"),
    ("${dob} = ''", False),
    ("${blank} < ${arrival}", False),
    ("${blank} > ${arrival}", False),
    ("boolean(${arrival})", True),
    ("coalesce(${blank}, ${arrival})", date(2024, 1, 15)),
    # int(), number(), string().
    ("int(7.9)", 7),
    ("int(-7.9)", -7),
    ("int('12.7')", 12),
    ("int('abc')", None),
    ("int(1 div 0)", INF),
    ("number('abc')", None),
    ("number(' 12 ')", 12),
    ("number('1e3')", None),
    ("number('')", None),
    ("number(true())", 1),
    ("string(7 div 2)", "3.5"),
    ("string(6 div 2)", "3"),
    ("string(1 div 3)", "0.3333333333333333"),
    ("string(1 div 0)", "Infinity"),
    ("string(-1 div 0)", "-Infinity"),
    ("string(0 div 0)", "NaN"),
    ("string(0.00001)", "0.00001"),
    ("string(100000000000000000000)", "100000000000000000000"),
    ("string(${age})", "30"),
    ("string(true())", "true"),
    ("string(${docs})", "passport visa"),
    ("string(${blank})", None),
    # if(): nested, and only the chosen branch counts.
    ("if(${age} >= 18, if(${age} >= 65, 'senior', 'adult'), 'child')", "adult"),
    ("if(${blank}, 'a', if(${zero}, 'b', if(${name}, 'c', 'd')))", "c"),
    ("if(${age} > 18, 1, 0) + if(${consent} = 'yes', 10, 0)", 11),
    ("if(true(), ${blank}, 'x')", None),
    ("if(${age_blank} > 18, 'adult', if(${age_blank} <= 18, 'minor', 'unknown'))", "unknown"),
    ("if(false(), 1 div 0, 2)", 2),
    # coalesce(): the first non-empty of two.
    ("coalesce(${blank}, 'fallback')", "fallback"),
    ("coalesce(${empty_text}, ${name})", "Amina"),
    ("coalesce(${age}, 0)", 30),
    ("coalesce(0 div 0, 5)", 5),
    ("coalesce(${docs_none}, 'none')", "none"),
    ("coalesce(${zero}, 9)", 0),
    ("coalesce(${off}, 'x')", False),
    ("coalesce(${blank}, ${blank})", None),
    # Selects: lists, space-separated strings, select_one text.
    ("selected(${docs}, 'visa')", True),
    ("selected(${docs}, 'vis')", False),
    ("selected(${docs}, ' visa ')", True),
    ("selected(${docs_str}, 'passport')", True),
    ("selected(${docs_str}, 'passport visa')", False),
    ("selected(${blank}, 'a')", False),
    ("selected(${docs_none}, 'a')", False),
    ("selected(${consent}, 'yes')", True),
    ("selected(${docs}, ${consent})", False),
    ("selected(${docs}, concat('pass', 'port'))", True),
    ("selected(${docs}, '')", False),
    ("not(selected(${docs}, 'visa'))", False),
    ("count-selected(${docs})", 2),
    ("count-selected(${docs_str})", 2),
    ("count-selected(${blank})", 0),
    ("count-selected(${docs_none})", 0),
    ("count-selected(${consent})", 1),
    ("count-selected(${docs}) >= 2", True),
    ("${docs} = 'passport visa'", True),
    ("${docs} = 'passport'", False),
    ("${docs}", ["passport", "visa"]),
    ("${docs_none}", None),
    ("selected-at(${docs}, 1)", "visa"),
    ("selected-at(${docs_str}, 0)", "passport"),
    ("selected-at(${docs}, 5)", None),
    ("selected-at(${docs}, -1)", None),
    # Text, with unicode: lengths count characters, not bytes.
    ("string-length(${arabic})", len(ARABIC)),
    ("string-length('مرحبا')", 5),
    ("string-length(${blank})", 0),
    ("string-length(12.50)", 4),
    ("concat(${arabic}, ' - ', ${name})", ARABIC + " - Amina"),
    ("concat('a')", "a"),
    ("concat(${blank}, ${blank})", None),
    ("concat(1, 2.5, true(), ' ', ${docs})", "12.5true passport visa"),
    ("contains(${name}, 'min')", True),
    ("starts-with(${arabic}, 'مرحبا')", True),
    ("ends-with(${name}, 'a')", True),
    ("substr('abcdef', 1, 3)", "bc"),
    ("substr('abcdef', -2)", "ef"),
    ("substr(${arabic}, 0, 5)", "مرحبا"),
    ("normalize-space('  a   b ')", "a b"),
    ('"it\'s"', "it's"),
    ("boolean-from-string('TRUE')", True),
    ("boolean-from-string('yes')", False),
    ("boolean('')", False),
    ("boolean(0.5)", True),
    ("boolean(0 div 0)", False),
    # regex(): the whole text must match, as in ODK.
    ("regex(${phone}, '\\+961[0-9 ]+')", True),
    ("regex(${name}, '[A-Z][a-z]+')", True),
    ("regex(${name}, '[a-z]+')", False),
    ("regex('abc123', '[0-9]+')", False),
    ("regex('abc123', '.*[0-9]+')", True),
    ("regex(${arabic}, '[ء-ي ]+')", True),
    ("regex(${blank}, '.*')", True),
    ("regex(${blank}, '.+')", False),
    ("regex(${name}, ${pattern})", True),
    ("regex(12345, '[0-9]{5}')", True),
    # Numbers.
    ("round(2.5)", 3),
    ("round(-2.5)", -2),
    ("round(1.005, 2)", 1.01),
    ("round(1234.5, -2)", 1200),
    ("round(1.5, 99)", None),
    ("round(${blank})", None),
    ("abs(-3)", 3),
    ("pow(2, 10)", 1024),
    ("pow(-8, 1 div 3)", None),
    ("pow(10, 400)", INF),
    ("pow(-10, 401)", -INF),
    ("min(3, ${blank}, 1)", 1),
    ("max(1, '7', 3)", 7),
    ("max(${blank})", None),
    # The rest of the ODK function list; values as JavaRosa and Enketo give them.
    ("sqrt(16)", 4),
    ("sqrt(-1)", None),
    ("exp(0)", 1),
    ("exp10(2)", 100),
    ("log(1)", 0),
    ("log(0)", -INF),
    ("log(-1)", None),
    ("log10(1000)", 3),
    ("sin(0) + tan(0) + acos(1) + atan(0)", 0),
    ("cos(0)", 1),
    ("asin(1) * 2 = pi()", True),
    ("atan2(1, 0) = pi() div 2", True),
    ("round(pi(), 4)", 3.1416),
    ("floor(-1.5)", -2),
    ("ceiling(-1.5)", -1),
    ("floor(${blank})", None),
    ("count(${age}, ${blank})", 2),
    ("count-non-empty(${age}, ${blank}, ${empty_text}, ${docs})", 2),
    ("sum(${age}, 2)", 32),
    ("sum(${blank})", None),
    ("join(', ', ${docs}, ${name})", "passport visa, Amina"),
    ("checklist(1, 1, ${flag}, ${off})", True),
    ("checklist(-1, 0, ${flag})", False),
    ("weighted-checklist(3, -1, true(), 2, true(), 1, false(), 5)", True),
    ("substring-before('1999/04/01', '/')", "1999"),
    ("substring-before('abc', 'x')", None),
    ("substring-after('1999/04/01', '/')", "04/01"),
    ("substring-after('abc', '')", "abc"),
    ("translate('bar', 'abc', 'ABC')", "BAr"),
    ("translate('--aaa--', 'abc-', 'ABC')", "AAA"),
    (
        "digest('abc', 'SHA-256', 'hex')",
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    ),
    ("digest('abc', 'MD5')", "kAFQmDzST7DWlj99KOF/cg=="),
    ("digest('abc', 'SHA-3')", None),
    ("base64-decode('SGVsbG8gV29ybGQ=')", "Hello World"),
    ("base64-decode('not base64!')", None),
    ("format-date(${arrival}, '%e %b %Y, %a')", "15 Jan 2024, Mon"),
    ("format-date('2024-05-01', '%Y/%m/%d %y %n')", "2024/05/01 24 5"),
    ("format-date('not a date', '%Y')", None),
    ("format-date-time('2024-05-01T14:05:09.123+02:00', '%H:%M:%S.%3 %h')", "14:05:09.123 14"),
    ("decimal-date-time('1970-01-02T06:00:00.000Z')", 1.25),
    ("decimal-date-time('1970-01-01T02:00:00.000+02:00')", 0),
    ("decimal-date-time(${arrival})", 19737),
    ("decimal-date-time('x')", None),
    ("decimal-time('06:00:00.000Z')", 0.25),
    ("decimal-time('25:00')", None),
    ("date-time(0)", "1970-01-01T00:00:00.000Z"),
    ("date-time(1.5)", "1970-01-02T12:00:00.000Z"),
    ("substr(now(), 10, 11) = 'T'", True),
    ("random() >= 0 and random() < 1", True),
    ("string-length(uuid())", 36),
    ("string-length(uuid(12))", 12),
    ("once(${age})", 30),
    ("jr:choice-name(${consent}, '${consent}')", None),  # no labels given: empty
    ("pulldata('fruits', 'name', 'key', 'mango')", None),  # no tables given: empty
    ("indexed-repeat(${age}, ${age}, 1)", 30),  # outside repeats a question is one node
    ("indexed-repeat(${age}, ${age}, 2)", None),
    ("position()", None),  # outside a repeat instance
    # JavaRosa's GeoShapeAreaTest shape: 151,452 m² ± 0.5, 1,801 m ± 0.5
    (f"round(area('{SHAPE}'))", 151452),
    (f"round(distance('{SHAPE}'))", 1801),
    ("enclosed-area('0 0; 0 1')", 0),
    ("distance('0 0', '0 90') = round(6378100 * pi() div 2, 2)", True),
    ("distance('91 0;0 0')", None),
]


def lookup(name: str) -> object:
    return ANSWERS[name]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_expression_values(text: str, expected: object) -> None:
    expression = Expression.compile(text)
    result = expression.evaluate(lookup, today=TODAY)
    assert result == expected
    assert type(result) is type(expected)
    # evaluate_bool is XPath boolean() of the same value.
    truthy = expression.evaluate_bool(lookup, today=TODAY)
    assert truthy is (result is not None and result is not False and result != 0)


def test_the_table_covers_every_function() -> None:
    from screening.expressions import FUNCTIONS

    used = {name for name in FUNCTIONS if any(f"{name}(" in text for text, _ in CASES)}
    assert used == set(FUNCTIONS)


@pytest.mark.parametrize(
    ("text", "current", "expected"),
    [
        (". > 0 and . < 120", 30, True),
        (". > 0 and . < 120", 130, False),
        (". > 0 and . < 120", None, False),
        (". > 0 and . < 120", "abc", False),
        ("string-length(.) <= 5", "مرحبا", True),
        ("regex(., '[0-9]{3}')", 123, True),
        (". <= today()", date(2024, 2, 1), True),
        (". <= today()", datetime(2024, 3, 2, 1, 0), False),
        ("count-selected(.) <= 2", ("a", "b", "c"), False),
        (". = ''", "", True),
    ],
)
def test_current_value(text: str, current: object, expected: bool) -> None:
    expression = Expression.compile(text)
    assert expression.uses_current
    assert expression.evaluate_bool(lookup, current=current, today=TODAY) is expected


class RecordingLookup:
    def __init__(self, answers: dict[str, object]) -> None:
        self.answers = answers
        self.asked: list[str] = []

    def __call__(self, name: str) -> object:
        self.asked.append(name)
        return self.answers.get(name)


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("if(${yes}, ${a}, ${b})", ["yes", "a"]),
        ("if(${no}, ${a}, ${b})", ["no", "b"]),
        ("coalesce(${a}, ${b})", ["a"]),
        ("coalesce(${none}, ${b})", ["none", "b"]),
        ("${no} and ${a}", ["no"]),
        ("${yes} or ${a}", ["yes"]),
        ("${no} or ${a}", ["no", "a"]),
    ],
)
def test_only_the_needed_operands_are_evaluated(text: str, asked: list[str]) -> None:
    recorder = RecordingLookup({"yes": True, "no": False, "a": "A", "b": "B", "none": None})
    Expression.compile(text).evaluate(recorder)
    assert recorder.asked == asked


def test_the_unchosen_branch_cannot_fail() -> None:
    expression = Expression.compile("if(${ok}, 'fine', regex(${x}, '['))")
    assert expression.evaluate({"ok": True, "x": "y"}.get) == "fine"
    with pytest.raises(ExpressionError, match="invalid regular expression"):
        expression.evaluate({"ok": False, "x": "y"}.get)


def test_today_defaults_to_the_real_date() -> None:
    before = date.today()
    result = Expression.compile("today()").evaluate(lambda name: None)
    assert result in (before, before + timedelta(days=1))


def test_today_may_be_given_as_a_datetime() -> None:
    expression = Expression.compile("today()")
    assert expression.evaluate(lambda name: None, today=datetime(2024, 3, 1, 23, 59)) == TODAY
    with pytest.raises(ExpressionError, match="today must be a date, not str"):
        expression.evaluate(lambda name: None, today="2024-03-01")  # type: ignore[arg-type]


def test_today_is_read_once_per_evaluation() -> None:
    expression = Expression.compile("today() - today()")
    assert expression.evaluate(lambda name: None) == 0


@pytest.mark.parametrize(
    ("text", "expected_type"),
    [
        ("2 * 3", int),
        ("7 div 2", float),
        ("pow(2, 60)", float),  # integral but beyond 2**53: stays a float
        ("1 div 0", float),
        ("'x'", str),
        ("1 = 1", bool),
        ("today()", date),
        ("${docs}", list),
    ],
)
def test_result_types(text: str, expected_type: type) -> None:
    result = Expression.compile(text).evaluate(lookup, today=TODAY)
    assert type(result) is expected_type


def test_list_results_are_copies() -> None:
    answers: dict[str, object] = {"m": ["a", "b"]}
    result = Expression.compile("${m}").evaluate(answers.get)
    assert isinstance(result, list)
    result.append("c")
    assert answers["m"] == ["a", "b"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (5, 5),
        (True, True),
        (("a", "b"), ["a", "b"]),
        ({"b", "a"}, ["a", "b"]),
        (datetime(2024, 1, 15, 12, 0), date(2024, 1, 15)),
        (10**400, INF),
    ],
)
def test_answers_of_other_python_types_are_normalised(value: object, expected: object) -> None:
    assert Expression.compile("${x}").evaluate({"x": value}.get) == expected


def test_unsupported_answer_types_raise_a_clear_error() -> None:
    with pytest.raises(ExpressionError, match=r"the value of \$\{x\} has a type .*\(dict\)"):
        Expression.compile("${x} + 1").evaluate({"x": {"a": 1}}.get)
    with pytest.raises(ExpressionError, match=r"the current value \(\.\)"):
        Expression.compile(". > 1").evaluate(lambda name: None, current=object())


def test_invalid_literal_regex_fails_at_evaluation_with_the_pattern() -> None:
    expression = Expression.compile("regex(${a}, '(unclosed')")
    with pytest.raises(ExpressionError, match=r"invalid regular expression '\(unclosed'"):
        expression.evaluate({"a": "x"}.get)


def test_invalid_computed_regex_does_not_repeat_the_answer() -> None:
    expression = Expression.compile("regex(${a}, ${p})")
    with pytest.raises(ExpressionError) as caught:
        expression.evaluate({"a": "x", "p": "secret(["}.get)
    assert "secret" not in caught.value.message
    assert "regex()" in caught.value.message


def test_too_long_regex_is_refused() -> None:
    expression = Expression.compile("regex(${a}, '" + "a" * 1001 + "')")
    with pytest.raises(ExpressionError, match="too long"):
        expression.evaluate({"a": "a"}.get)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("foo(1)", "unknown function foo()"),
        ("if(1, 2)", "wrong number of arguments to if() (expects 3, got 2)"),
        ("concat()", "wrong number of arguments to concat() (expects at least 1, got 0)"),
        ("today(1)", "wrong number of arguments to today() (expects 0, got 1)"),
        ("round(1, 2, 3)", "wrong number of arguments to round() (expects 1 or 2, got 3)"),
    ],
)
def test_compile_refuses_unknown_functions_and_wrong_arity(text: str, message: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        Expression.compile(text)
    assert caught.value.message == message
    assert not isinstance(caught.value, ExpressionSyntaxError)


def test_compile_reports_syntax_errors() -> None:
    with pytest.raises(ExpressionSyntaxError) as caught:
        Expression.compile("${a} > ")
    assert caught.value.position == 7


def test_lookup_errors_are_the_callers_and_pass_through() -> None:
    # A KeyError means the caller asked about a name it does not know: a bug, not bad input.
    with pytest.raises(KeyError):
        Expression.compile("${missing}").evaluate({}.__getitem__)


def test_expression_attributes() -> None:
    expression = Expression.compile("if(${a} > 1, ${b}, .)")
    assert expression.source == "if(${a} > 1, ${b}, .)"
    assert expression.refs == frozenset({"a", "b"})
    assert expression.uses_current is True
    assert repr(expression) == "Expression('if(${a} > 1, ${b}, .)')"
    rebuilt = Expression(expression.node)
    assert rebuilt.source == expression.source
    assert rebuilt.evaluate({"a": 2, "b": "x"}.get) == "x"


def test_deep_expressions_evaluate_without_hitting_the_recursion_limit() -> None:
    from screening.expressions.parser import MAX_DEPTH

    text = " + ".join(["${a}"] * MAX_DEPTH)
    assert Expression.compile(text).evaluate({"a": 1}.get) == MAX_DEPTH
    nested = "if(${a}, " * 39 + "1" + ", 0)" * 39
    assert Expression.compile(nested).evaluate({"a": 1}.get) == 1


def test_nan_never_leaks_out() -> None:
    for text in ("0 div 0", "number('x')", "${x} * 2", "int('')"):
        result = Expression.compile(text).evaluate({"x": None}.get)
        assert result is None
        assert not (isinstance(result, float) and math.isnan(result))


def test_catastrophic_regex_finishes_on_a_long_answer() -> None:
    """#13 item 3: `(a+)+$` on "aaa…a!" doubled its time per character with Python's re (13 s
    at 28 characters); with a linear-time engine 5,000 characters are nothing. On the old
    engine this evaluation would never end, so the thread below would still be running."""
    import threading

    expression = Expression.compile("regex(., '(a+)+$')")
    results: list[bool] = []
    worker = threading.Thread(
        target=lambda: results.append(
            expression.evaluate(lambda n: None, current="a" * 5000 + "!")
        ),
        daemon=True,
    )
    worker.start()
    worker.join(timeout=60)
    assert results == [False]
    assert Expression.compile("regex(., '(a+)+$')").evaluate(lambda n: None, current="a" * 5000)


@pytest.mark.parametrize(
    ("pattern", "subject", "expected"),
    [
        # Java's \w and \d are ASCII unless a flag says otherwise; RE2's are too (Python's re
        # would match Arabic digits and accented letters here).
        (r"\d+", "١٢٣", False),
        (r"\w+", "héllo", False),
        (r"\p{L}+", "héllo", True),  # Unicode classes, as in Java
        (r"\p{Arabic}+", "مرحبا", True),
        ("[[:digit:]]{3}", "123", True),
        ("(?i)abc", "ABC", True),
    ],
)
def test_regex_dialect_matches_java_where_it_matters(
    pattern: str, subject: str, expected: bool
) -> None:
    expression = Expression.compile(f"regex(., '{pattern}')")
    assert expression.evaluate(lambda n: None, current=subject) is expected


@pytest.mark.parametrize("pattern", [r"(a)\1", "(?=a)a", "(?<=a)b", "a++", "a{1001}"])
def test_java_features_re2_lacks_are_refused_with_a_sentence(pattern: str) -> None:
    expression = Expression.compile(f"regex(., '{pattern}')")
    with pytest.raises(ExpressionError, match="invalid regular expression"):
        expression.evaluate(lambda n: None, current="aa")


# -- what ODK runs although the checker warns (docs/forms.md, "Warnings") ----------------------


@pytest.mark.parametrize(
    ("text", "answers", "expected"),
    [
        # selected() on a text answer: membership among its space-separated words.
        ("selected('a b', 'b')", {}, True),
        ("selected(${t}, 'b')", {"t": "a b"}, True),
        ("selected(${t}, 'b')", {"t": "ab"}, False),
        ("selected(${t}, ${w})", {"t": " x  y ", "w": "y"}, True),
        ("count-selected(${t})", {"t": "a b c"}, 3.0),
        ("selected-at(${t}, 1)", {"t": "a b c"}, "b"),
        # '=' on a select_multiple compares the whole stored answer, space-separated.
        ("${m} = 'other'", {"m": ["other", "bike"]}, False),
        ("${m} = 'other'", {"m": ["other"]}, True),
        ("${m} = 'other bike'", {"m": ["other", "bike"]}, True),
        ("${m} != 'other'", {"m": ["other", "bike"]}, True),
        ("'other' = ${m}", {"m": ["bike", "other"]}, False),
        # A note has no value: it reads as empty.
        ("if(${note} = ${note}, 'success', 'error')", {"note": None}, "success"),
        ("${note} = ''", {"note": None}, True),
    ],
)
def test_odk_meaning_of_the_patterns_the_checker_warns_about(
    text: str, answers: dict[str, object], expected: object
) -> None:
    assert Expression.compile(text).evaluate(answers.get) == expected
