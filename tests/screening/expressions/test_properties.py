"""Property tests: printing round-trips, parsing never crashes, evaluation never crashes."""

from __future__ import annotations

import contextlib
from datetime import date, datetime

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from screening.expressions import (
    FUNCTIONS,
    Binary,
    Call,
    Current,
    Expression,
    ExpressionError,
    ExpressionSyntaxError,
    Negate,
    Node,
    Number,
    Ref,
    String,
    ValueType,
    check,
    parse,
    to_source,
)
from screening.expressions.nodes import BINARY_PRECEDENCE, children

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

NAMES = st.from_regex(r"[A-Za-z_][A-Za-z0-9_.\-]{0,8}", fullmatch=True)
OPERATORS = st.sampled_from(sorted(BINARY_PRECEDENCE))
# Text with both kinds of quote cannot be written as an XPath literal, so the parser never
# produces it; everything else, including unicode and newlines, must survive the round trip.
STRING_VALUES = st.text(max_size=8).filter(lambda s: not ("'" in s and '"' in s))
NUMBER_VALUES = st.one_of(
    st.integers(min_value=0, max_value=10**6).map(float),
    st.floats(min_value=0.0, allow_nan=False, allow_infinity=False),
)


def depth(node: Node) -> int:
    return 1 + max((depth(child) for child in children(node)), default=0)


def trees(
    names: st.SearchStrategy[str], *, known_functions: bool = False
) -> st.SearchStrategy[Node]:
    leaves = st.one_of(
        st.builds(Number, NUMBER_VALUES),
        st.builds(String, STRING_VALUES),
        st.builds(Ref, names),
        st.just(Current()),
    )

    def extend(inner: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
        options = [
            st.builds(Negate, inner),
            st.builds(Binary, OPERATORS, inner, inner),
        ]
        if known_functions:
            options.append(known_calls(inner))
        else:
            options.append(st.builds(Call, NAMES, st.lists(inner, max_size=4).map(tuple)))
        return st.one_of(options)

    return st.recursive(leaves, extend, max_leaves=24)


def known_calls(inner: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
    """Calls to registered functions with an acceptable number of arguments."""

    @st.composite
    def build(draw: st.DrawFn) -> Node:
        spec = FUNCTIONS[draw(st.sampled_from(sorted(FUNCTIONS)))]
        high = spec.max_args if spec.max_args is not None else spec.min_args + 3
        count = draw(st.integers(spec.min_args, high).filter(spec.accepts))
        return Call(spec.name, tuple(draw(inner) for _ in range(count)))

    return build()


@SETTINGS
@given(trees(NAMES))
def test_to_source_round_trips(tree: Node) -> None:
    assume(depth(tree) <= 30)
    text = to_source(tree)
    assert parse(text) == tree
    assert to_source(parse(text)) == text  # canonical text is a fixed point


EXPRESSION_CHARS = st.sampled_from([*"${}()'\" .,=!<>+-*/_aAdivmorn0123456789\t\n", "and"])


@SETTINGS
@given(st.one_of(st.text(), st.lists(EXPRESSION_CHARS, max_size=30).map("".join)))
def test_parse_raises_nothing_but_syntax_errors(text: str) -> None:
    try:
        tree = parse(text)
    except ExpressionSyntaxError as exc:
        assert 0 <= exc.position <= len(text)
        assert exc.message
        assert "\n" not in exc.message
        return
    assert parse(to_source(tree)) == tree


ANSWER_NAMES = ["a", "b", "c", "m"]
ANSWER_VALUES = st.one_of(
    st.none(),
    st.text(max_size=6),
    st.sampled_from(["", "0", "12", "-3.5", "1,5", "2024-01-15", "yes", "a b", "true"]),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.lists(st.sampled_from(["a", "b", "yes", "1"]), max_size=3),
    st.lists(st.integers(), max_size=2).map(tuple),
)
UNSUPPORTED_VALUES = st.one_of(st.dictionaries(st.text(), st.integers()), st.just(object()))
RESULT_TYPES = (type(None), bool, int, float, str, date, list)


@SETTINGS
@given(
    trees(st.sampled_from(ANSWER_NAMES), known_functions=True),
    st.fixed_dictionaries({name: ANSWER_VALUES for name in ANSWER_NAMES}),
    ANSWER_VALUES,
    st.one_of(st.dates(), st.datetimes()),
)
def test_evaluation_raises_nothing_but_expression_errors(
    tree: Node, answers: dict[str, object], current: object, today: date
) -> None:
    assume(depth(tree) <= 30)
    expression = Expression(tree)
    try:
        result = expression.evaluate(answers.__getitem__, current=current, today=today)
    except ExpressionError:
        return
    assert isinstance(result, RESULT_TYPES)
    assert not isinstance(result, datetime)
    assert result != "" and result != []
    assert isinstance(expression.evaluate_bool(answers.__getitem__, current, today), bool)


@SETTINGS
@given(trees(st.sampled_from(ANSWER_NAMES), known_functions=True), UNSUPPORTED_VALUES)
def test_unsupported_answers_give_expression_errors(tree: Node, odd: object) -> None:
    assume(depth(tree) <= 30)
    with contextlib.suppress(ExpressionError):
        Expression(tree).evaluate(lambda name: odd, current=odd)


@SETTINGS
@given(trees(NAMES), st.dictionaries(NAMES, st.sampled_from(list(ValueType)), max_size=5))
def test_check_never_raises(tree: Node, names: dict[str, ValueType]) -> None:
    assume(depth(tree) <= 30)
    problems = check(tree, names)
    assert all(isinstance(p, str) and p and "\n" not in p for p in problems)
    assert len(problems) == len(set(problems))


@SETTINGS
@given(trees(st.sampled_from(ANSWER_NAMES), known_functions=True))
def test_well_formed_trees_with_known_functions_compile(tree: Node) -> None:
    assume(depth(tree) <= 30)
    expression = Expression(tree)
    assert expression.refs <= set(ANSWER_NAMES)
    problems = check(tree, dict.fromkeys(ANSWER_NAMES, ValueType.ANY))
    assert not any(p.startswith(("unknown", "wrong number")) for p in problems)


# The shapes the lenient check turns into warnings, mixed into random trees so they are common.
ODK_PATTERNS = st.one_of(
    st.builds(
        Call,
        st.sampled_from(["selected", "count-selected", "selected-at"]),
        st.tuples(st.builds(Ref, st.sampled_from(ANSWER_NAMES)), st.builds(String, STRING_VALUES)),
    ),
    st.builds(
        Binary,
        st.sampled_from(["=", "!="]),
        st.builds(Ref, st.sampled_from(ANSWER_NAMES)),
        st.builds(String, STRING_VALUES),
    ),
)


@SETTINGS
@given(
    st.builds(
        Binary,
        st.sampled_from(["and", "or", "+"]),
        trees(st.sampled_from(ANSWER_NAMES), known_functions=True),
        ODK_PATTERNS,
    ),
    st.lists(st.sampled_from(list(ValueType)), min_size=4, max_size=4),  # one per answer name
)
def test_warnings_are_the_strict_problems_the_lenient_check_leaves_out(
    tree: Node, kinds: list[ValueType]
) -> None:
    """With a warnings list every strict problem is either still a problem or a warning that
    begins with it; nothing is lost and nothing new appears."""
    assume(depth(tree) <= 30)
    names = dict(zip(ANSWER_NAMES, kinds, strict=True))
    strict = check(tree, names)
    warnings: list[str] = []
    lenient = check(tree, names, warnings=warnings)
    assert all(problem in strict for problem in lenient)
    moved = [problem for problem in strict if problem not in lenient]
    assert len(moved) == len(warnings)
    assert all(w.startswith(p) and "as in ODK" in w for p, w in zip(moved, warnings, strict=True))


WORDS = st.lists(st.from_regex(r"[a-z0-9_]{1,4}", fullmatch=True), max_size=4)


@SETTINGS
@given(WORDS, st.from_regex(r"[a-z0-9_]{1,4}", fullmatch=True), st.sampled_from([" ", "  "]))
def test_odk_reads_a_text_as_words_and_a_select_multiple_as_its_stored_text(
    words: list[str], word: str, gap: str
) -> None:
    text = gap.join(words)
    assert Expression.compile("selected(${t}, ${w})").evaluate_bool({"t": text, "w": word}.get) == (
        word in words
    )
    assert Expression.compile(f"selected(${{t}}, '{word}')").evaluate_bool({"t": text}.get) == (
        word in words
    )
    assert Expression.compile(f"${{m}} = '{word}'").evaluate_bool({"m": words}.get) == (
        " ".join(words) == word
    )
    assert Expression.compile("${m} = ${t}").evaluate_bool({"m": words, "t": text}.get) == (
        " ".join(words) == text
    )
