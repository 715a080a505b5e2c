"""The bounded JSON reader (#13 item 6): deep nesting is one sentence, never a RecursionError."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from screening import jsonio
from screening.canonical import CanonicalJSONError, parse_json
from screening.forms.compiler import compile_json
from screening.forms.problems import FormError
from screening.vault import VaultTampered, slots
from tests.screening.cli.clirun import screening

DEEP = 100_000


def _depth(value: object) -> int:
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    return 0


@pytest.mark.parametrize("deep", ["[" * DEEP + "]" * DEEP, '{"a":' * DEEP + "1" + "}" * DEEP])
def test_deep_nesting_is_one_sentence(deep: str) -> None:
    with pytest.raises(RecursionError):
        json.loads(deep)  # what every reader did before
    with pytest.raises(jsonio.JSONInputError) as caught:
        jsonio.loads(deep)
    assert caught.value.message == "The JSON is nested more than 64 levels deep."
    with pytest.raises(CanonicalJSONError, match="nested more than 64 levels"):
        parse_json(deep)


def test_brackets_in_strings_and_escapes_do_not_count() -> None:
    text = json.dumps(["[" * 500, '{"\\"[[[', "\\" * 3, {"k]]]": "}}}"}])
    assert jsonio.loads(text) == json.loads(text)
    assert jsonio.loads("[" * 64 + "]" * 64) is not None
    with pytest.raises(jsonio.JSONInputError):
        jsonio.loads("[" * 65 + "]" * 65)


@pytest.mark.parametrize("tail", ['"\\' * 500_000, '"' * 1_000_000, '"\\"' * 300_000])
def test_the_depth_scan_is_linear_on_unterminated_strings(tail: str) -> None:
    """A first version scanned from every quote to the end: 100 KB of `"\\` took 90 s. On
    that version the thread below would still be running when the join gives up."""
    import threading

    outcome: list[str] = []

    def scan() -> None:
        try:
            jsonio.loads("[" * 70 + tail)
        except jsonio.JSONInputError as exc:
            outcome.append(exc.detail)

    worker = threading.Thread(target=scan, daemon=True)
    worker.start()
    worker.join(timeout=60)
    assert outcome == ["is nested more than 64 levels deep"]


def test_other_problems_are_sentences_too(tmp_path: Path) -> None:
    with pytest.raises(jsonio.JSONInputError, match=r"is not valid JSON \(Expecting"):
        jsonio.loads("{")
    with pytest.raises(jsonio.JSONInputError, match="is not UTF-8 text"):
        jsonio.loads(b"\xff[]")
    with pytest.raises(jsonio.JSONInputError, match=r"x\.json: file not found\.$"):
        jsonio.read(tmp_path / "x.json")
    assert isinstance(jsonio.JSONInputError("x"), ValueError)  # old `except ValueError` holds


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='[]{}"\\ab'),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text(alphabet='[]{}"\\ab', max_size=4), children, max_size=3)
    ),
    max_leaves=30,
)


@given(json_values, st.integers(min_value=0, max_value=8))
def test_depth_limit_is_exact_and_parsing_unchanged(value: object, limit: int) -> None:
    text = json.dumps(value)
    assert jsonio.too_deep(text, limit) == (_depth(value) > limit)
    if _depth(value) <= limit:
        assert jsonio.loads(text, max_depth=limit) == value


@given(st.text(alphabet='[]{}"a, ', max_size=300), st.integers(min_value=0, max_value=8))
def test_the_scan_between_quotes_agrees_with_the_general_scan(text: str, limit: int) -> None:
    """Text without a backslash takes the scan that jumps from quote to quote; on any such
    text, valid JSON or not, unterminated strings included, it must say what the general
    scan says."""
    assert jsonio.too_deep(text, limit) == jsonio._too_deep_scan(text, limit)
    assert jsonio._too_deep_unescaped(text, limit) == jsonio._too_deep_scan(text, limit)


@pytest.mark.parametrize("deep", [True, False])
def test_many_tiny_strings_before_deep_nesting(deep: bool) -> None:
    """Past its budget of strings the quote-to-quote scan hands over to the general scan,
    which must still find nesting that comes after them."""
    nested = "[" * 70 + "]" * 70 if deep else "[[]]"
    text = "[" + '"",' * 100_000 + nested + "]"
    assert jsonio.too_deep(text) is deep
    assert jsonio.too_deep('["' + "[" * 70) is False  # inside an unterminated string


def test_deep_form_file_is_a_form_problem() -> None:
    with pytest.raises(FormError) as caught:
        compile_json("[" * DEEP, "deep.json")
    assert "nested more than 64 levels deep" in str(caught.value.problems[0])


def test_deep_slots_file_is_damage_not_a_crash() -> None:
    with pytest.raises(VaultTampered, match="key slots file is damaged"):
        slots.loads(b'{"users":' * DEEP)


@pytest.mark.parametrize("which", ["form", "answers"])
def test_deep_input_files_on_the_command_line(tmp_path: Path, which: str) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * DEEP + "]" * DEEP)
    answers = tmp_path / "answers.json"
    answers.write_text('{"answers": []}')
    form = deep if which == "form" else Path(__file__).parents[2] / "forms" / "rapid-screening.json"
    run = screening(
        "interview", "run", "--form", str(form), "--answers",
        str(deep if which == "answers" else answers),
    )  # fmt: skip
    assert run.code == 1, run
    assert "Traceback" not in run.err and "RecursionError" not in run.err
    assert "nested more than 64 levels deep" in run.err
    assert len(run.err.strip().splitlines()) == 1
