"""XLSForms as pyxform reads them: its own example forms (vendored in tests/data/pyxform), type
and header spellings from pyxform/aliases.py, curly quotes, and sheets that declare far more rows
than they hold."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Font

from screening.forms.model import Form, Group, Question
from screening.forms.xlsform import ImportResult, import_xlsform
from screening.forms.xlsform_sheets import MAX_ADJACENT_EMPTY_ROWS, parse_header
from screening.forms.xlsform_types import classify, clean_expression
from tests.screening.forms.xlsx_fixtures import simple_survey, write_xlsform, yes_no

PYXFORM = Path(__file__).resolve().parents[2] / "data" / "pyxform"


def walk(items):
    for item in items:
        yield item
        if isinstance(item, Group):
            yield from walk(item.items)


def items(form: Form) -> dict[str, Question | Group]:
    return {item.name: item for section in form.sections for item in walk(section.items)}


def shape(form: Form) -> dict[str, tuple[str, str | None]]:
    return {name: (item.type, getattr(item, "choices", None)) for name, item in items(form).items()}


def imported(name: str) -> ImportResult:
    result = import_xlsform(PYXFORM / name)
    assert not result.fatal and result.form is not None, [str(p) for p in result.problems]
    return result


def messages(result: ImportResult, kinds=("unsupported", "invalid", "compile")) -> list[str]:
    return [str(p) for p in result.problems if p.kind in kinds]


# -- pyxform's example forms ---------------------------------------------------------------


def test_pyxform_text_and_integer_with_single_colon_language() -> None:
    result = imported("text_and_integer.xlsx")
    form = result.form
    assert shape(form) == {"your_name": ("text", None), "your_age": ("integer", None)}
    assert [lang.name for lang in form.languages] == ["english"]
    assert items(form)["your_age"].label == {"en": "How many years old are you?"}
    assert messages(result) == []


def test_pyxform_select_one_from() -> None:
    result = imported("yes_or_no_question.xlsx")  # 'select one from yes_or_no', 'list name'
    assert shape(result.form) == {"good_day": ("select_one", "yes_or_no")}
    assert [c.name for c in result.form.choice_lists["yes_or_no"]] == ["yes", "no"]
    assert messages(result) == []


def test_pyxform_group_and_phone_number() -> None:
    result = imported("group.xlsx")
    assert shape(result.form) == {
        "family_name": ("text", None),
        "phone_number": ("text", None),
        "age": ("integer", None),
    }
    assert [s.name for s in result.form.sections] == ["main", "father"]
    assert messages(result) == []


def test_pyxform_field_list_with_end_group_spelling() -> None:
    result = imported("field-list.xlsx")
    assert shape(result.form) == {"table_list_question": ("select_one", "yes_no")}
    assert messages(result) == []


def test_pyxform_survey_on_the_only_sheet() -> None:
    result = imported("survey_no_name.xlsx")
    assert shape(result.form) == {"state": ("text", None)}
    assert [p.message for p in result.problems if p.kind == "adapted"] == [
        "the only sheet is read as the survey sheet"
    ]


def test_pyxform_spec_test_keeps_every_core_question() -> None:
    result = imported("flat_xlsform_test.xlsx")
    found = shape(result.form)
    assert found["a_decimal"] == ("decimal", None)
    assert items(result.form)["a_decimal"].constraint == ". <= ${a_integer}"
    assert found["select_multiple_test"] == ("select_multiple", "yes_no")
    assert found["calculate_test"] == ("calculate", None)
    assert found["date_test"] == ("date", None)
    assert not [m for m in messages(result) if "(whole-form check)" in m]


# -- type spellings ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "kind", "qtype", "list_name", "extra"),
    [
        ("select one from yes_no", "select", "select_one", "yes_no", []),
        ("select all that apply from yes_no", "select", "select_multiple", "yes_no", []),
        ("select all that apply yes_no", "select", "select_multiple", "yes_no", []),
        ("select1 yes_no", "select", "select_one", "yes_no", []),
        ("Select_One  yes_no", "select", "select_one", "yes_no", []),
        ("add select one prompt using yes_no", "select", "select_one", "yes_no", []),
        ("select_multiple yes_no or specify other", "select", "select_multiple", "yes_no",
         ["or_other"]),
        ("select_one yes_no or other", "select", "select_one", "yes_no", ["or_other"]),
        ("int", "input", "integer", None, []),
        ("q int", "input", "integer", None, []),
        ("string", "input", "text", None, []),
        ("add text prompt", "input", "text", None, []),
        ("phone number", "input", "text", None, []),
        ("add decimal prompt", "input", "decimal", None, []),
        ("q date", "input", "date", None, []),
        ("q note", "note", "note", None, []),
        ("add calculate prompt", "calculate", "calculate", None, []),
        ("get start time", "metadata", "start", None, []),
        ("end time", "metadata", "end", None, []),
        ("imei", "ignored", "deviceid", None, []),
        ("begin_repeat", "begin", "repeat", None, []),
        ("begin lgroup", "begin", "repeat", None, []),
        ("begin looped group", "begin", "repeat", None, []),
        ("End Group", "end", "group", None, []),
    ],
)  # fmt: skip
def test_type_spellings_of_pyxform(written, kind, qtype, list_name, extra) -> None:
    spec = classify(written)
    assert (spec.kind, spec.qtype, spec.list_name, spec.extra) == (kind, qtype, list_name, extra)


def test_select_spellings_import_as_selects(tmp_path: Path) -> None:
    survey = simple_survey(
        ["select one from yes_no", "a", "A"],
        ["select all that apply from yes_no", "b", "B"],
        ["select1 yes_no", "c", "C"],
        ["int", "d", "D"],
        ["string", "e", "E"],
    )
    path = write_xlsform(tmp_path / "f.xlsx", survey, [["list_name", "name", "label"], *yes_no()])
    result = import_xlsform(path)
    assert shape(result.form) == {
        "a": ("select_one", "yes_no"),
        "b": ("select_multiple", "yes_no"),
        "c": ("select_one", "yes_no"),
        "d": ("integer", None),
        "e": ("text", None),
    }
    assert messages(result) == []


# -- header spellings ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "double", "base", "language"),
    [
        ("bind:relevant", False, "relevant", None),
        ("bind:constraint", False, "constraint", None),
        ("bind:required", False, "required", None),
        ("bind:calculate", False, "calculation", None),
        ("bind:readonly", False, "read_only", None),
        ("bind:jr:constraintMsg", False, "constraint_message", None),
        ("jr:constraintMsg:English (en)", False, "constraint_message", "English (en)"),
        ("jr:count", False, "repeat_count", None),
        ("label:Français (fr)", False, "label", "Français (fr)"),
        ("bind::relevant", True, "relevant", None),
        ("control::appearance", True, "appearance", None),
        ("body::appearance", True, "appearance", None),
        ("bind::saveIncomplete", True, "bind::saveincomplete", None),
        ("Relevance", True, "relevant", None),
        ("constraining message", True, "constraint_message", None),
        # with '::' elsewhere in the sheet, a single colon is part of the name, as in pyxform
        ("label:English", True, "label:english", None),
    ],
)
def test_header_spellings_of_pyxform(header, double, base, language) -> None:
    column = parse_header(0, header, double_colon=double)
    assert (column.base, column.language) == (base, language)


def test_single_colon_headers_keep_skip_logic(tmp_path: Path) -> None:
    survey = [
        ["type", "name", "label:English (en)", "label:Français (fr)", "bind:relevant",
         "bind:constraint", "jr:constraintMsg:English (en)", "bind:required"],
        ["integer", "age", "Age", "Âge", None, ". < 120", "Too old", "yes"],
        ["text", "job", "Job", "Travail", "${age} >= 16"],
    ]  # fmt: skip
    result = import_xlsform(write_xlsform(tmp_path / "f.xlsx", survey))
    found = items(result.form)
    assert found["job"].relevant == "${age} >= 16"
    assert found["age"].constraint == ". < 120" and found["age"].required is True
    assert found["age"].constraint_message["en"] == "Too old"
    assert found["age"].label == {"en": "Age", "fr": "Âge"}
    assert messages(result) == []


# -- curly quotes and non-breaking spaces ---------------------------------------------------


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("../zone = '1_NW'", "${zone} = '1_NW'"),
        ("/data/grp/age > 3 and /data/b != ''", "${age} > 3 and ${b} != ''"),
        ("position(..) + ../../x", "position() + ${x}"),
        ("10 div /data/y", "10 div ${y}"),
        ("regex(., '^[0-9]+/[a-z]+/x$')", "regex(., '^[0-9]+/[a-z]+/x$')"),  # quoted: kept
        ("'/data/x' = \"../y\"", "'/data/x' = \"../y\""),
    ],
)
def test_xpath_paths_to_questions_become_references(written: str, read: str) -> None:
    assert clean_expression(written) == read


def test_clean_expression_as_pyxform() -> None:
    assert clean_expression("${a}\u00a0=\u00a0\u2018yes\u2019") == "${a} = 'yes'"
    assert clean_expression("concat(\u201cx\u201d, ${b})") == 'concat("x", ${b})'


def test_curly_quotes_in_expressions_are_straightened(tmp_path: Path) -> None:
    survey = simple_survey(
        ["select_one yes_no", "a", "A"],
        ["text", "b", "B", "${a} = \u2018yes\u2019", "${a}\u00a0=\u00a0\u201cyes\u201d"],
    )
    path = write_xlsform(tmp_path / "f.xlsx", survey, [["list_name", "name", "label"], *yes_no()])
    result = import_xlsform(path)
    b = items(result.form)["b"]
    assert b.required == "${a} = 'yes'" and b.relevant == '${a} = "yes"'
    assert messages(result) == []


# -- sheets larger than what they hold -----------------------------------------------------


def _formatted_far_below(path: Path, rows: int, column: int) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "survey"
    sheet.append(["type", "name", "label"])
    for n in range(rows):
        sheet.append(["text", f"q{n}", f"Question {n}"])
    # An empty but formatted cell in the last row (and column) Excel allows: the sheet then
    # declares 1,048,576 rows; read-only openpyxl would yield every one of them, each padded
    # to the declared width.
    sheet.cell(row=1_048_576, column=column).font = Font(bold=True)
    book.save(path)
    return path


def test_a_sheet_declaring_a_million_rows_reads_only_what_it_holds(tmp_path: Path) -> None:
    path = _formatted_far_below(tmp_path / "big.xlsx", 300, 16_384)
    book = openpyxl.load_workbook(path, read_only=True)
    assert (book["survey"].max_row, book["survey"].max_column) == (1_048_576, 16_384)
    book.close()
    result = import_xlsform(path)
    assert not result.fatal
    assert list(items(result.form)) == [f"q{n}" for n in range(300)]


def test_reading_stops_after_a_run_of_empty_rows_as_in_pyxform(tmp_path: Path) -> None:
    gap = MAX_ADJACENT_EMPTY_ROWS
    survey = [
        ["type", "name", "label"],
        ["text", "a", "A"],
        *[[None] * 3] * gap,
        ["text", "b", "B"],  # after exactly `gap` empty rows: still read
        *[[None] * 3] * (gap + 1),
        ["text", "c", "C"],  # after one more: pyxform no longer reads it, nor do we
    ]
    result = import_xlsform(write_xlsform(tmp_path / "f.xlsx", survey))
    assert list(items(result.form)) == ["a", "b"]


# -- choice filters, or_other and the types imported in another shape -----------------------


def test_pyxform_cascading_selects_keep_their_filters() -> None:
    result = imported("choice_filter_test.xlsx")
    found = items(result.form)
    assert found["county"].choice_filter == "${state}=cf"
    assert found["city"].choice_filter == "${county}=cf"
    pierce = next(c for c in result.form.choice_lists["counties"] if c.name == "pierce")
    assert pierce.properties == {"cf": "washington"}
    # pyxform's allow_choice_duplicates: our lists keep one 'king' and say so
    assert any("'king' is already in list 'counties'" in m for m in messages(result))
    assert not [m for m in messages(result) if "(whole-form check)" in m]


def test_pyxform_or_other_adds_the_other_choice() -> None:
    result = imported("or_other.xlsx")
    found = items(result.form)
    # pyxform adds 'other' to the list itself, which fav_pastel shares
    assert found["fav_color"].choices == "colors"
    names = [c.name for c in result.form.choice_lists["colors"]]
    assert names == ["red", "green", "blue", "mauve", "apricot", "other"]
    assert found["fav_color_other"].relevant == "selected(${fav_color}, 'other')"
    assert found["fav_pastel"].choices == "colors"
    assert found["fav_pastel"].choice_filter == "pastel=yes"
    # In XPath the bare `yes` is a column of the choice, which none has: ODK reads it as '', so
    # the filter offers the colours whose pastel is empty: only the 'other' pyxform added. The
    # form imports, with a warning.
    assert messages(result) == []
    assert messages(result, ("warning",)) == [
        "survey row 3, column 'choice_filter': warning: choice_filter: the choices of list"
        " 'colors' have no column 'yes' (they have label, name, pastel), so it reads as '' for"
        " every choice, as in ODK"
    ]
    from screening.engine import InterviewSession
    from screening.forms.compiler import compile_form

    session = InterviewSession(compile_form(result.form))
    assert [c.name for c in session.choices("fav_pastel")] == ["other"]
    assert [p.row for p in result.problems if "or_other" in p.message] == [2]


def test_instance_name_is_kept(tmp_path: Path) -> None:
    path = write_xlsform(
        tmp_path / "f.xlsx",
        simple_survey(["text", "who", "Who"]),
        None,
        {"instance_name": "concat('Case ', ${who})", "form_id": "named"},
    )
    result = import_xlsform(path)
    assert result.form.instance_name == "concat('Case ', ${who})"
    assert messages(result) == []


def test_an_instance_name_that_does_not_parse_is_left_out(tmp_path: Path) -> None:
    # pyxform copies instance_name into the XForm unchecked; here it only labels cases, so a
    # label that is not an expression costs the label, not the form
    path = write_xlsform(
        tmp_path / "f.xlsx",
        simple_survey(["text", "who", "Who"]),
        None,
        {"instance_name": "concat('Case ', ${who}", "form_id": "named"},
    )
    result = import_xlsform(path)
    assert result.form is not None and result.form.instance_name is None
    assert [(p.sheet, p.column) for p in result.problems if "left out" in p.message] == [
        ("settings", "instance_name")
    ]
    assert not [m for m in messages(result) if "(whole-form check)" in m]


def test_rank_imports_over_its_list_and_keeps_its_logic(tmp_path: Path) -> None:
    survey = simple_survey(
        ["select_one yes_no", "ok", "OK?"],
        ["rank yes_no", "order", "Order them", "yes", "${ok} = 'yes'"],
        ["calculate", "top", "", "", "", "", "selected-at(${order}, 0)"],
    )
    path = write_xlsform(tmp_path / "f.xlsx", survey, [["list_name", "name", "label"], *yes_no()])
    result = import_xlsform(path)
    assert shape(result.form)["order"] == ("rank", "yes_no")
    order = items(result.form)["order"]
    assert (order.required, order.relevant) == (True, "${ok} = 'yes'")
    assert messages(result) == []


# -- old .xls workbooks -------------------------------------------------------------------------


def test_pyxform_xls_workbooks_import_like_xlsx() -> None:
    gps = imported("gps.xls")
    assert shape(gps.form) == {"location": ("geopoint", None)}
    assert messages(gps) == []
    tutorial = imported("tutorial.xls")
    found = items(tutorial.form)
    assert found["member"].type == "repeat"
    assert found["age_in_years"].relevant == "${older_than_five}='yes'"
    assert found["age_in_months"].constraint == ". <= 72"
    assert found["literate"].choices == "yes_no"
    assert not [m for m in messages(tutorial) if "(whole-form check)" in m]
    # an Excel time cell becomes the time question's default
    demo = imported("default_time_demo.xls")
    assert items(demo.form)["start_time"].type == "time"
    assert items(demo.form)["start_time"].default == "09:30:00"


def test_a_broken_xls_file_is_one_clear_problem(tmp_path: Path) -> None:
    path = tmp_path / "form.xls"
    path.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"not really a workbook")
    result = import_xlsform(path)
    assert result.fatal
    assert len(result.problems) == 1
    assert "cannot be read as an .xls workbook" in str(result.problems[0])  # the CLI names it


def test_pyxform_select_one_external_reads_the_external_choices_sheet() -> None:
    result = imported("case_insensitivity.xlsx")  # upper-case headers and sheet names too
    found = items(result.form)
    assert shape(result.form) == {"q1": ("select_one", "c1"), "q2": ("select_one", "c1_external")}
    assert found["q2"].choice_filter == "YES_NO=${q1}"
    external = result.form.choice_lists["c1_external"]
    assert [(c.name, c.properties) for c in external] == [
        ("n1-e", {"YES_NO": "yes"}),
        ("n2-e", {"YES_NO": "yes"}),
    ]
    assert [c.name for c in result.form.choice_lists["c1"]] == ["n1-c", "n2-c"]
    assert messages(result) == [
        "SURVEY row 4, column 'TYPE': type 'osm c1' is not supported; the row is skipped",
        "ENTITIES: ODK entities are not supported; the sheet is ignored",
        "OSM: the sheet is not part of an XLSForm; the sheet is ignored",
    ]


def test_pyxform_specify_other_and_custom_attribute_columns() -> None:
    other = imported("specify_other.xlsx")  # 'select_one sexes or specify other'
    assert shape(other.form) == {"sex": ("select_one", "sexes"), "sex_other": ("text", None)}
    assert [c.name for c in other.form.choice_lists["sexes"]][-1] == "other"
    result = imported("attribute_columns_test.xlsx")
    assert found_types(result.form) >= {"text", "integer", "decimal", "date", "select_one"}
    custom = [p for p in result.problems if "custom XForm attributes" in p.message]
    assert custom and all(p.column.startswith(("bind::", "instance::", "body::")) for p in custom)
    assert not [m for m in messages(result) if "(whole-form check)" in m]


def found_types(form: Form) -> set[str]:
    return {str(item.type) for item in items(form).values()}


def test_a_repeat_inside_a_repeat_imports_with_its_logic(tmp_path: Path) -> None:
    from screening.engine import InterviewSession
    from screening.engine.replay import apply_step
    from screening.forms.compiler import compile_form

    survey = simple_survey(
        ["begin repeat", "hh", "Household"],
        ["integer", "head_age", "Head's age"],
        ["begin repeat", "mem", "Member"],
        ["integer", "age", "Age", "", "", ". < 130"],
        ["calculate", "pos", "", "", "", "", "position(..)"],
        ["text", "job", "Job", "", "${age} > ${head_age}"],
        ["end repeat", "", ""],
        ["calculate", "hh_sum", "", "", "", "", "sum(${age})"],
        ["end repeat", "", ""],
        ["calculate", "all", "", "", "", "", "count(${mem})"],
        ["calculate", "h2m1", "", "", "", "", "indexed-repeat(${age}, ${hh}, 2, ${mem}, 1)"],
    )
    result = import_xlsform(write_xlsform(tmp_path / "f.xlsx", survey))
    assert messages(result) == []
    found = items(result.form)
    assert (found["hh"].type, found["mem"].type) == ("repeat", "repeat")
    assert found["job"].relevant == "${age} > ${head_age}"
    session = InterviewSession(compile_form(result.form))
    for key, value in [("head_age[1]", 40), ("age[1][1]", 41), ("age[1][2]", 9),
                       ("head_age[2]", 20), ("age[2][1]", 7)]:  # fmt: skip
        assert apply_step(session, key, value)
    calc = session.calculated()
    assert (calc["pos[1][2]"], calc["hh_sum[1]"], calc["hh_sum[2]"]) == (2, 50, 7)
    assert (calc["all"], calc["h2m1"]) == (3, 7)
    assert [k for k in session.visible_questions() if k.startswith("job")] == ["job[1][1]"]
