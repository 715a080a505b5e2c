"""XLSForms written for ODK that our whole-form checks once refused, although ODK Collect runs
them (xlsform.py's compile_check): each imports with a warning on its row, validates, and the
interview gives ODK's answer."""

from __future__ import annotations

from pathlib import Path

from screening.engine import InterviewSession
from screening.forms.compiler import compile_form
from screening.forms.xlsform import ImportResult, import_xlsform
from tests.screening.forms.xlsx_fixtures import write_xlsform

HEADER = ["type", "name", "label", "relevant", "calculation", "choice_filter"]


def imported(tmp_path: Path, survey: list[list[str]], choices: list[list[str]]) -> ImportResult:
    path = write_xlsform(tmp_path / "f.xlsx", [HEADER, *survey], choices)
    result = import_xlsform(path)
    assert not result.fatal
    assert not [p for p in result.problems if p.kind == "compile"], [
        str(p) for p in result.problems
    ]
    return result


def warnings(result: ImportResult) -> list[str]:
    return [str(p) for p in result.problems if "warning: " in p.message]


def session(result: ImportResult) -> InterviewSession:
    assert result.form is not None
    return InterviewSession(compile_form(result.form))


def test_selected_on_a_text_question_reads_its_words(tmp_path: Path) -> None:
    result = imported(
        tmp_path,
        [
            ["text", "interruption", "Why is the water cut?"],
            ["text", "reason", "Which reason?", "selected(${interruption}, 'repair')"],
        ],
        [["list_name", "name", "label"]],
    )
    assert warnings(result) == [
        "survey row 3, column 'relevant': warning: relevant: selected() expects a select question"
        " as its first argument, but ${interruption} is a text question; it runs as in ODK,"
        " reading the answer as space-separated words"
    ]
    interview = session(result)
    assert interview.answer("interruption", "pump repair")
    assert interview.is_relevant("reason")
    assert interview.answer("interruption", "repairs")
    assert not interview.is_relevant("reason")


def test_equals_on_a_select_multiple_compares_the_stored_answer(tmp_path: Path) -> None:
    result = imported(
        tmp_path,
        [
            ["select_multiple litter", "litter", "Litter?"],
            ["text", "why", "Why?", "${litter} = 'other'"],
        ],
        [["list_name", "name", "label"], ["litter", "bottles", "B"], ["litter", "other", "O"]],
    )
    assert warnings(result) == [
        "survey row 3, column 'relevant': warning: relevant: ${litter} = 'other' is only true"
        " when 'other' is the only choice selected; use selected(${litter}, 'other') unless that"
        " is meant (it runs as in ODK, comparing the whole answer)"
    ]
    interview = session(result)
    assert interview.answer("litter", ["other", "bottles"])
    assert not interview.is_relevant("why")  # 'other bottles' is not 'other'
    assert interview.answer("litter", ["other"])
    assert interview.is_relevant("why")


def test_a_choice_column_no_choice_has_reads_as_empty_text(tmp_path: Path) -> None:
    result = imported(
        tmp_path,
        [
            ["text", "category", "Category"],
            ["select_one historic", "heritage", "Which?", "", "", "category=${category}"],
        ],
        [["list_name", "name", "label"], ["historic", "fort", "F"], ["historic", "monument", "M"]],
    )
    assert warnings(result) == [
        "survey row 3, column 'choice_filter': warning: choice_filter: the choices of list"
        " 'historic' have no column 'category' (they have label, name), so it reads as '' for"
        " every choice, as in ODK"
    ]
    interview = session(result)
    # '' = ${category}: every choice while the question is unanswered, none once it is.
    assert [c.name for c in interview.choices("heritage")] == ["fort", "monument"]
    assert interview.answer("category", "historic")
    assert interview.choices("heritage") == ()


def test_a_note_can_be_read_and_is_empty(tmp_path: Path) -> None:
    result = imported(
        tmp_path,
        [
            ["calculate", "four", "", "", "2+2"],
            ["note", "shown", "2+2 = ${four}"],
            ["calculate", "test", "", "", "if(${shown}=${shown}, 'success', 'error')"],
            ["calculate", "empty", "", "", "string-length(${shown})"],
        ],
        [["list_name", "name", "label"]],
    )
    assert warnings(result) == [
        f"survey row {row}, column 'calculation': warning: calculation: ${{shown}} is a note and"
        " has no value, so it reads as empty, as in ODK"
        for row in (4, 5)
    ]
    calculated = session(result).calculated()
    assert calculated["test"] == "success"
    assert calculated["empty"] == 0
    assert calculated["four"] == 4
