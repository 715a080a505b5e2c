"""XLSForm rows imported in another shape (xlsform_rows.py): barcode, acknowledge, range,
hidden, media, appearances; loops unrolled; selects and pulldata() from CSV files."""

from __future__ import annotations

from pathlib import Path

from screening.forms.xlsform import import_xlsform
from tests.screening.forms.test_xlsform_pyxform import imported, items, messages, shape
from tests.screening.forms.xlsx_fixtures import write_xlsform, yes_no


def test_types_imported_in_another_shape(tmp_path: Path) -> None:
    survey = [
        ["type", "name", "label", "parameters", "default", "calculation", "appearance"],
        ["time", "t", "T"],
        ["dateTime", "dt", "DT"],
        ["geopoint", "gp", "GP"],
        ["geotrace", "gt", "GT"],
        ["geoshape", "gs", "GS"],
        ["barcode", "bc", "BC"],
        ["acknowledge", "ack", "Ack"],
        ["trigger", "go", "Go"],
        ["range", "r", "R", "start=0 end=20 step=5"],
        ["range", "rd", "RD", "start=0 end=1 step=0.1"],
        ["hidden", "h", None, None, "fixed"],
        ["image", "photo", "Photo"],
        ["audio", "sound", "Sound"],
        ["integer", "n", "N", None, "3", None, "minimal"],
        ["integer", "m", "M", None, "${n}", None, "minimal"],
        ["range", "down", "Down", "start=10 end=-5 step=inf"],
    ]
    result = import_xlsform(write_xlsform(tmp_path / "f.xlsx", survey))
    found = items(result.form)
    assert {name: found[name].type for name in found} == {
        "t": "time", "dt": "datetime", "gp": "geopoint", "gt": "geotrace", "gs": "geoshape",
        "bc": "text", "ack": "select_one", "go": "select_one", "r": "integer",
        "rd": "decimal", "h": "calculate", "photo": "note", "sound": "note", "n": "integer",
        "m": "integer", "down": "integer",
    }  # fmt: skip
    assert [c.name for c in result.form.choice_lists[found["ack"].choices]] == ["OK"]
    assert found["r"].constraint == ". >= 0 and . <= 20 and (. - 0) mod 5 = 0"
    assert found["rd"].constraint == ". >= 0 and . <= 1"
    assert found["down"].constraint == ". >= -5 and . <= 10"
    assert [m for m in messages(result) if "range step 'inf' is not a number" in m]
    assert found["h"].calculation == "'fixed'"
    assert "does not capture" in found["photo"].hint["en"]
    assert found["n"].default == "3" and found["m"].default is None
    adapted = [p for p in result.problems if p.kind == "adapted"]
    media = [p for p in adapted if "media questions" in p.message]
    assert len(media) == 1 and media[0].message.startswith("rows 13–14")
    assert not [p for p in adapted if "'minimal'" in p.message]  # shown: nothing to report
    assert found["n"].appearance == "minimal"
    # A default computed by an expression is ODK's dynamic default: a prefill at the start.
    assert found["m"].calculation == "${n}" and found["m"].calculate_on == "start"
    assert not [m for m in messages(result) if "default" in m]
    assert not [m for m in messages(result) if "(whole-form check)" in m]


def test_the_trigger_column_writes_the_calculation_when_its_question_changes(
    tmp_path: Path,
) -> None:
    survey = [
        ["type", "name", "label", "calculation", "trigger", "read_only", "default"],
        ["integer", "weight", "Weight"],
        ["dateTime", "weighed_at", "When weighed", "now()", "${weight}"],
        ["text", "note_again", "Note", None, "${weight}"],  # no value: emptied, as pyxform
        ["integer", "shown", "Shown", "${weight}", "${weight}", "yes"],
        ["text", "both", "Both", None, "${weight} ${nope}"],
        ["text", "start", "Start", "'a'", None, None, "concat('x', ${weight})"],
    ]
    result = import_xlsform(write_xlsform(tmp_path / "f.xlsx", survey))
    found = items(result.form)
    assert (found["weighed_at"].calculation, found["weighed_at"].calculate_on) == (
        "now()",
        "${weight}",
    )
    assert (found["note_again"].calculation, found["note_again"].calculate_on) == (
        None,
        "${weight}",
    )
    assert found["shown"].calculate_on is None  # read-only: reported, ignored
    assert found["both"].calculate_on is None
    assert found["start"].calculation == "'a'" and found["start"].calculate_on is None
    said = messages(result)
    assert [m for m in said if "read-only question cannot be triggered" in m]
    assert [m for m in said if "must name one question" in m]
    assert [m for m in said if "also has a calculation" in m]


# -- CSV files beside the XLSForm -----------------------------------------------------------


def test_pyxform_pulldata_bundles_the_csv(tmp_path: Path) -> None:
    result = imported("pull_data.xlsx")  # fruits.csv lies beside it
    assert result.form.data_files["fruits"][0] == {"name_key": "mango", "name": "Mango"}
    assert items(result.form)["fruit"].calculation.startswith("pulldata('fruits'")
    assert messages(result) == []
    from screening.engine import InterviewSession
    from screening.forms.compiler import compile_form

    form = compile_form(result.form)
    expression = form.nodes["fruit"].calculation
    tables = result.form.data_files
    assert expression.evaluate(dict().get, tables=tables) is None  # pyxform's key is 'Mango'
    looked_up = type(expression).compile("pulldata('fruits', 'name', 'name_key', 'papaya')")
    assert looked_up.evaluate(dict().get, tables=tables) == "Papaya"
    assert InterviewSession(form).calculated() == {"fruit": None}


def test_select_from_file_reads_the_csv_beside_the_form(tmp_path: Path) -> None:
    (tmp_path / "places.csv").write_text(
        "name,label,region\nsa,Sarajevo,ba\nmo,Mostar,ba\npg,Podgorica,me\nsa,Again,ba\n",
        encoding="utf-8",
    )
    (tmp_path / "codes.csv").write_text("code,text\n1,One\n2,Two\n", encoding="utf-8")
    survey = [
        ["type", "name", "label", "choice_filter", "parameters"],
        ["select_one yes_no", "in_ba", "In Bosnia?"],
        ["select_one_from_file places.csv", "town", "Town?", "region = 'ba'"],
        ["select_multiple_from_file places.csv", "towns", "Towns?"],
        ["select one from file codes.csv", "code", "Code?", None, "value=code label=text"],
        ["select_one_from_file missing.csv", "gone", "Gone?"],
    ]
    path = write_xlsform(tmp_path / "f.xlsx", survey, [["list_name", "name", "label"], *yes_no()])
    result = import_xlsform(path)
    found = items(result.form)
    assert shape(result.form) == {
        "in_ba": ("select_one", "yes_no"),
        "town": ("select_one", "places"),
        "towns": ("select_multiple", "places"),
        "code": ("select_one", "codes"),
        "gone": ("select_one", "missing"),  # kept, awaiting its file (test_xlsform_files.py)
    }
    places = result.form.choice_lists["places"]
    assert [(c.name, c.label["en"], c.properties) for c in places] == [
        ("sa", "Sarajevo", {"region": "ba"}),
        ("mo", "Mostar", {"region": "ba"}),
        ("pg", "Podgorica", {"region": "me"}),
    ]
    assert [c.label["en"] for c in result.form.choice_lists["codes"]] == ["One", "Two"]
    assert found["town"].choice_filter == "region = 'ba'"
    assert messages(result) == [
        "survey row 6, column 'type': missing.csv is not beside the XLSForm: put it there and"
        " import again; until then the question offers no choices and the form cannot be"
        " published"
    ]
    assert result.form.missing_files == {"missing.csv": "missing"}
    assert result.form.choice_lists["missing"] == []


# -- loops ------------------------------------------------------------------------------------


def test_pyxform_loop_is_unrolled_once_per_choice() -> None:
    result = imported("loop.xlsx")
    found = items(result.form)
    # 'other' too: the list's or_other select adds it to the list itself, as pyxform does
    kinds = ["pit_latrine_with_slab", "open_pit_latrine", "bucket_system", "other"]
    section = next(s for s in result.form.sections if s.name == "loop_toilet_types")
    assert [g.name for g in section.items] == [f"loop_toilet_types_{k}" for k in kinds]
    assert found["number_bucket_system"].type == "integer"
    assert found["number_bucket_system"].label == {
        "en": "How many Bucket system are on the premises?"
    }
    assert found["loop_toilet_types_open_pit_latrine"].label == {
        "en": "Pit latrine without slab/open pit"
    }
    assert [p.row for p in result.problems if "begin loop is unrolled" in p.message] == [3]


def test_a_loop_renames_references_inside_each_copy(tmp_path: Path) -> None:
    survey = [
        ["type", "name", "label::English (en)", "label::Français (fr)", "relevant"],
        ["begin loop over animals", "each", "Each", "Chaque"],
        ["integer", "count", "How many %(label)s?", "Combien de %(label)s ?"],
        ["text", "why", "Why %(name)s?", None, "${count} > 2"],
        ["end loop"],
    ]
    choices = [
        ["list_name", "name", "label::English (en)", "label::Français (fr)"],
        ["animals", "cow", "cows", "vaches"],
        ["animals", "goat", "goats"],  # no French: filled from English, in the copies too
    ]
    survey.insert(3, ["date", "counted", "Counted on", None, None, "today()", "${count}"])
    survey[0] = [*survey[0], "calculation", "trigger"]
    result = import_xlsform(write_xlsform(tmp_path / "f.xlsx", survey, choices))
    found = items(result.form)
    assert found["why_goat"].relevant == "${count_goat} > 2"
    assert found["counted_goat"].calculate_on == "${count_goat}"  # a trigger, renamed too
    assert found["count_cow"].label == {"en": "How many cows?", "fr": "Combien de vaches ?"}
    assert found["count_goat"].label == {"en": "How many goats?", "fr": "Combien de goats ?"}
    assert found["why_cow"].label == {"en": "Why cow?", "fr": "Why cow?"}
    assert not [m for m in messages(result) if "(whole-form check)" in m]


def test_a_loop_fills_the_choice_name_in_expressions(tmp_path: Path) -> None:
    # pyxform's builder applies `% column` to every text of a looped row, binds included, so
    # selected(${used}, '%(name)s') asks about the loop's own choice in each copy.
    survey = [
        ["type", "name", "label", "relevant", "constraint"],
        ["select_multiple animals", "used", "Which?"],
        ["begin loop over animals", "each", "Each"],
        ["integer", "count", "How many %(label)s?", "selected(${used}, '%(name)s')",
         ". < 100 or '%(name)s' = 'goat'"],
        ["end loop"],
    ]  # fmt: skip
    choices = [
        ["list_name", "name", "label"],
        ["animals", "cow", "Cows"],
        ["animals", "goat", "Goats"],
    ]
    result = import_xlsform(write_xlsform(tmp_path / "f.xlsx", survey, choices))
    found = items(result.form)
    assert found["count_cow"].relevant == "selected(${used}, 'cow')"
    assert found["count_goat"].relevant == "selected(${used}, 'goat')"
    assert found["count_goat"].constraint == ". < 100 or 'goat' = 'goat'"
    assert not [m for m in messages(result) if "(whole-form check)" in m]


def test_or_other_adds_other_to_the_list_and_asks_to_specify(tmp_path: Path) -> None:
    # pyxform/xls2json.py: 'other' (label 'Other') is appended to the list itself, so a loop
    # over it has an 'other' copy too, and a text `{name}_other` labelled 'Specify other.' is
    # written after the select, relevant when selected(../name, 'other').
    survey = [
        ["type", "name", "label"],
        ["select_multiple animals or_other", "kept", "Kept?"],
        ["begin loop over animals", "each", "Each"],
        ["integer", "count", "How many %(label)s?"],
        ["end loop"],
    ]
    choices = [["list_name", "name", "label"], ["animals", "cow", "Cows"]]
    result = import_xlsform(write_xlsform(tmp_path / "f.xlsx", survey, choices))
    found = items(result.form)
    assert found["kept"].choices == "animals"
    assert [(c.name, c.label) for c in result.form.choice_lists["animals"]] == [
        ("cow", {"en": "Cows"}),
        ("other", {"en": "Other"}),
    ]
    other = found["kept_other"]
    assert (other.type, other.label) == ("text", {"en": "Specify other."})
    assert other.relevant == "selected(${kept}, 'other')"
    assert {"count_cow", "count_other"} <= set(found)
    assert not [m for m in messages(result) if "(whole-form check)" in m]


def test_types_with_a_built_in_constraint(tmp_path: Path) -> None:
    # pyxform's question-type dictionary binds these with a constraint; a row's own one wins.
    survey = [
        ["type", "name", "label", "constraint"],
        ["phone number", "tel", "Phone"],
        ["percentage", "share", "Share"],
        ["phone number", "own", "Own", "string-length(.) = 9"],
    ]
    result = import_xlsform(write_xlsform(tmp_path / "f.xlsx", survey))
    found = items(result.form)
    assert (found["tel"].type, found["tel"].constraint) == ("text", "regex(., '^\\d*$')")
    assert (found["share"].type, found["share"].constraint) == (
        "integer",
        "0 <= . and . <= 100",
    )
    assert found["own"].constraint == "string-length(.) = 9"
    assert not [m for m in messages(result) if "(whole-form check)" in m]


def test_a_question_keeps_a_name_it_shares_with_its_repeat(tmp_path: Path) -> None:
    # pyxform accepts a repeat `gps` holding a geopoint `gps` (their paths differ)
    survey = [
        ["type", "name", "label"],
        ["begin repeat", "gps", "Places"],
        ["geopoint", "gps", "Where?"],
        ["end repeat"],
    ]
    result = import_xlsform(write_xlsform(tmp_path / "f.xlsx", survey))
    found = items(result.form)
    assert found["gps"].type == "geopoint"
    assert found["gps_repeat"].type == "repeat"
    assert [p.row for p in result.problems if "shares the name 'gps'" in p.message] == [2]


def test_a_bare_word_as_required_is_never_true_as_in_odk(tmp_path: Path) -> None:
    # pyxform copies `basic` into the bind unchanged; XPath reads it as a path to a child node
    # that does not exist, an empty node-set, and boolean() of an empty node-set is false
    # (XPath 1.0, 4.3), so ODK never requires the question. `yes` still means required.
    survey = [
        ["type", "name", "label", "required"],
        ["text", "model", "Model", "basic"],
        ["text", "brand", "Brand", "yes"],
        ["text", "size", "Size", "${brand} != ''"],
    ]
    result = import_xlsform(write_xlsform(tmp_path / "f.xlsx", survey))
    found = items(result.form)
    assert (found["model"].required, found["brand"].required) == (False, True)
    assert found["size"].required == "${brand} != ''"
    assert messages(result) == [
        "survey row 2, column 'required': required 'basic' is neither yes/no nor an expression;"
        " ODK reads it as a path to nothing, which is false, so the question is not required"
    ]


def test_a_boolean_cell_reads_as_pyxform_writes_it(tmp_path: Path) -> None:
    # pyxform's readers turn a boolean cell into "TRUE" / "FALSE" (xls2json_backends.py)
    survey = [["type", "name", "label"], ["text", False, "Boolean name"]]
    result = import_xlsform(write_xlsform(tmp_path / "f.xlsx", survey))
    assert shape(result.form) == {"FALSE": ("text", None)}


def test_metadata_a_form_reads_becomes_a_calculate(tmp_path: Path) -> None:
    # ODK fills username, deviceid … from the device, empty when it lacks them; a desktop has
    # none, so ${username} reads empty; ${today} is today's date, as today() (ODK's preload)
    survey = [
        ["type", "name", "label", "relevant"],
        ["username", "username"],
        ["today", "day"],
        ["deviceid", "device"],  # not read by any expression: not recorded, as before
        ["note", "hello", "Hello", "${username} != '' or ${day} = today()"],
    ]
    result = import_xlsform(write_xlsform(tmp_path / "f.xlsx", survey))
    found = items(result.form)
    assert (found["username"].type, found["username"].calculation) == ("calculate", "''")
    assert (found["day"].type, found["day"].calculation) == ("calculate", "today()")
    assert "device" not in found
    assert found["hello"].relevant == "${username} != '' or ${day} = today()"
    assert [p.row for p in result.problems if "reads as empty" in p.message] == [2]
    assert not [m for m in messages(result) if "(whole-form check)" in m]


def test_a_calculation_is_kept_on_read_only_and_on_answerable_questions(tmp_path: Path) -> None:
    survey = [
        ["type", "name", "label", "read_only", "calculation"],
        ["integer", "a", "A"],
        ["integer", "total", "Total", "yes", "${a} * 2"],
        ["text", "typed", "Typed", None, "concat('x', ${a})"],
    ]
    result = import_xlsform(write_xlsform(tmp_path / "f.xlsx", survey))
    found = items(result.form)
    assert found["total"].calculation == "${a} * 2" and found["total"].read_only
    # Answerable: ODK's editable calculation, filled in by the engine (engine/prefills.py).
    assert found["typed"].calculation == "concat('x', ${a})" and not found["typed"].read_only
    assert not [m for m in messages(result) if "calculation" in m]
    assert not [m for m in messages(result) if "(whole-form check)" in m]


def test_a_list_name_pyxform_accepts_is_renamed_on_both_sheets(tmp_path: Path) -> None:
    # pyxform accepts any list_name its select row spells the same (HOT's OSM forms use tag
    # names such as `isced:level`); here a list name is a name, so `isced_level`, unless taken.
    survey = [
        ["type", "name", "label"],
        ["select_one isced:level", "level", "Level?"],
        ["select_multiple a:b", "clash", "Clash?"],
        ["select_one a_b", "real", "Real?"],
    ]
    choices = [
        ["list_name", "name", "label"],
        ["isced:level", "1", "Primary"],
        ["isced:level", "2", "Secondary"],
        ["a:b", "x", "X"],
        ["a_b", "y", "Y"],
    ]
    result = import_xlsform(write_xlsform(tmp_path / "f.xlsx", survey, choices))
    assert shape(result.form) == {
        "level": ("select_one", "isced_level"),
        "clash": ("text", None),
        "real": ("select_one", "a_b"),
    }
    assert [c.name for c in result.form.choice_lists["isced_level"]] == ["1", "2"]
    assert [c.name for c in result.form.choice_lists["a_b"]] == ["y"]
    assert (
        "choices, column 'list_name': rows 2–3: list name 'isced:level' is renamed 'isced_level'"
        " (letters, digits, _ . -), on the questions that name it too"
    ) in [str(p) for p in result.problems]
    assert messages(result) == [
        "survey row 3, column 'type': choice list 'a:b' is not in the choices sheet; imported"
        " as text",
        "choices row 4, column 'list_name': 'a:b' is not a valid list name; its choices are"
        " skipped",
    ]


def test_a_bare_word_calculation_is_read_as_odk_reads_it(tmp_path: Path) -> None:
    # HOT's wastedisposal.xls writes `yes` where it meant 'yes': a path to nothing in ODK.
    survey = [
        ["type", "name", "label", "calculation"],
        ["select_one yes_no", "fee", "Fee?", "yes"],
        ["text", "other", "Other", "'yes'"],
    ]
    choices = [["list_name", "name", "label"], ["yes_no", "yes", "Yes"], ["yes_no", "no", "No"]]
    result = import_xlsform(write_xlsform(tmp_path / "f.xlsx", survey, choices))
    found = items(result.form)
    assert found["fee"].calculation is None
    assert found["other"].calculation == "'yes'"
    assert [m for m in messages(result) if "bare word" in m and "path to nothing" in m]


def test_a_lone_hidden_row_is_a_calculation_with_an_empty_value(tmp_path: Path) -> None:
    from screening.engine import InterviewSession
    from screening.forms.compiler import compile_form

    # pyxform's hidden.xls: its only row is a hidden question with neither default nor
    # calculation, a node with no control whose value is empty; so it is here.
    path = write_xlsform(tmp_path / "f.xlsx", [["type", "name", "label"], ["hidden", "h", None]])
    result = import_xlsform(path)
    assert not result.fatal and result.form is not None
    found = items(result.form)
    assert (found["h"].type, found["h"].calculation) == ("calculate", "''")
    assert [str(p) for p in result.problems if p.kind == "adapted" and p.row == 2] == [
        "survey row 2, column 'type': a hidden question without a default or calculation"
        " becomes a calculation whose value is empty ('')"
    ]
    # The form asks nothing, which is said, but it is valid, as in ODK.
    assert [str(p) for p in result.problems if p.kind == "warning"] == [
        "survey: the form asks nothing (it holds only calculations and notes); an interview"
        " with it records no answer"
    ]
    compiled = compile_form(result.form)
    assert compiled.warnings == ()
    session = InterviewSession(compiled)
    assert session.calculated() == {"h": None}  # the empty value
    assert session.pages() == [] and session.complete
    # Beside an askable question, nothing is said about asking.
    survey = [["type", "name", "label"], ["hidden", "h", None], ["text", "t", "T"]]
    result = import_xlsform(write_xlsform(tmp_path / "g.xlsx", survey))
    assert not [p for p in result.problems if "asks nothing" in p.message]


def test_last_saved_is_refused_for_it_would_copy_the_previous_persons_answer(
    tmp_path: Path,
) -> None:
    survey = [
        ["type", "name", "label", "calculation", "default"],
        ["text", "material", "Material", "${last-saved#material}"],
        ["text", "village", "Village", None, "${last-saved#village}"],
        ["calculate", "again", None, "${ last-saved#material}"],
        ["text", "kept", "Kept", "concat('a', ${material})"],
    ]
    result = import_xlsform(write_xlsform(tmp_path / "f.xlsx", survey))
    found = items(result.form)
    assert found["material"].calculation is None
    assert found["village"].calculation is None and found["village"].calculate_on is None
    assert found["again"].calculation == "''"
    assert found["kept"].calculation == "concat('a', ${material})"
    refused = [m for m in messages(result) if "the previous person's" in m]
    assert len(refused) == 3
