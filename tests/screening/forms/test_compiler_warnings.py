"""Warnings of the compiler (compiler.py): what ODK runs but is often an authoring mistake is
reported without refusing the form, runs with ODK's meaning, and is refused under `strict`, which
this project's own forms are held to."""

from __future__ import annotations

import pytest

from screening.engine import InterviewSession
from screening.forms.catalog import archived_form_files, shipped_form_files, shipped_form_text
from screening.forms.compiler import compile_data, compile_json
from screening.forms.problems import FormError, FormProblem, FormWarning
from tests.screening.formbuilder import form_data, q

SELECTED_ON_TEXT = (
    "relevant: selected() expects a select question as its first argument, but ${vehicle} is a"
    " text question; it runs as in ODK, reading the answer as space-separated words"
)
EQUALS_ON_MULTI = (
    "relevant: ${transport} = 'other' is only true when 'other' is the only choice selected; use"
    " selected(${transport}, 'other') unless that is meant (it runs as in ODK, comparing the"
    " whole answer)"
)
READS_A_NOTE = "calculation: ${intro} is a note and has no value, so it reads as empty, as in ODK"


def lenient_form() -> dict:
    data = form_data(
        q("text", "vehicle"),
        q("text", "which", relevant="selected(${vehicle}, 'bike')"),
        q("select_multiple", "transport", choices="modes"),
        q("text", "other_mode", relevant="${transport} = 'other'"),
        q("note", "intro"),
        q("calculate", "check", calculation="if(${intro} = '', 'empty', 'full')"),
    )
    data["choice_lists"] = {
        "modes": [
            {"name": name, "label": {"en": name.capitalize()}} for name in ("bike", "bus", "other")
        ]
    }
    return data


def test_patterns_odk_runs_are_warnings_that_name_the_question() -> None:
    form = compile_data(lenient_form(), "f.json")
    assert [str(w) for w in form.warnings] == [
        f"f.json: warning: question which: {SELECTED_ON_TEXT}",
        f"f.json: warning: question other_mode: {EQUALS_ON_MULTI}",
        f"f.json: warning: question check: {READS_A_NOTE}",
    ]
    assert all(isinstance(w, FormWarning) for w in form.warnings)


def test_the_form_runs_them_with_odk_meaning() -> None:
    session = InterviewSession(compile_data(lenient_form(), "f.json"))
    assert session.calculated()["check"] == "empty"  # the note reads as ''
    assert not session.is_relevant("which")
    assert session.answer("vehicle", "car bike")
    assert session.is_relevant("which")  # 'bike' is one of the words
    assert session.answer("vehicle", "bikes")
    assert not session.is_relevant("which")
    assert session.answer("transport", ["other", "bike"])
    assert not session.is_relevant("other_mode")  # the stored answer is 'other bike'
    assert session.answer("transport", ["other"])
    assert session.is_relevant("other_mode")


def test_strict_refuses_them_as_problems() -> None:
    with pytest.raises(FormError) as info:
        compile_data(lenient_form(), "f.json", strict=True)
    assert [str(p) for p in info.value.problems] == [
        f"f.json: question which: {SELECTED_ON_TEXT}".split("; it runs")[0],
        f"f.json: question other_mode: {EQUALS_ON_MULTI}".split(" unless")[0],
        f"f.json: question check: {READS_A_NOTE}".split(", so it")[0],
    ]
    assert all(type(p) is FormProblem for p in info.value.problems)
    assert info.value.warnings == []


def test_a_form_refused_for_a_problem_still_carries_its_warnings() -> None:
    data = lenient_form()
    data["sections"][0]["items"].append(q("integer", "n", relevant="${nope} > 1"))
    with pytest.raises(FormError) as info:
        compile_data(data, "f.json")
    assert [p.question for p in info.value.problems] == ["n"]
    assert [w.question for w in info.value.warnings] == ["which", "other_mode", "check"]


def test_a_form_without_such_patterns_has_no_warning() -> None:
    items = [q("select_multiple", "m", choices="yes_no"), q("text", "t", relevant="${m} = ''")]
    items.append(q("text", "u", relevant="selected(${m}, 'yes') and count-selected(${m}) > 1"))
    form = compile_data(form_data(*items), "f.json")
    assert form.warnings == ()


@pytest.mark.parametrize("filename", shipped_form_files() + archived_form_files())
def test_every_shipped_form_compiles_strictly_with_no_warning(filename: str) -> None:
    # Our own forms are held to the strict rules: a warning here is a screening mistake.
    form = compile_json(shipped_form_text(filename), filename, strict=True)
    assert form.warnings == ()
    assert compile_json(shipped_form_text(filename), filename).warnings == ()
