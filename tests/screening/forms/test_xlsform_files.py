"""Files beside an XLSForm (xlsform_files.py): GeoJSON choices, ODK's instance() lookup read as
pulldata(), and a select whose file is not beside the workbook."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from screening.expressions import Expression, ExpressionError
from screening.expressions.nodes import Call, Ref, String
from screening.expressions.parser import parse
from screening.forms.compiler import compile_form
from screening.forms.model import Form
from screening.forms.problems import FormError
from screening.forms.xlsform import import_xlsform
from screening.forms.xlsform_files import instance_lookups_as_pulldata
from tests.screening.forms.test_xlsform_pyxform import items, messages, shape
from tests.screening.forms.xlsx_fixtures import write_xlsform

SURVEY = [
    ["type", "name", "label", "relevant", "calculation"],
    ["select_one_from_file buildings.geojson", "existing", "Which building?"],
    ["calculate", "xroof", None, None, "instance('buildings')/root/item[id=${existing}]/roof"],
    ["text", "notes", "Notes", "${xroof} != ''"],
]


def test_a_geojson_select_offers_its_features(tmp_path: Path) -> None:
    # ODK docs, "Selects from GeoJSON": a feature's id (its own, else an `id` property) is the
    # choice's value and its `title` property the label; other properties can be looked up.
    (tmp_path / "buildings.geojson").write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "id": "b1",
                        "geometry": {"type": "Point", "coordinates": [18.4, 43.85]},
                        "properties": {"title": "School", "roof": "tin"},
                    },
                    {
                        "type": "Feature",
                        "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]},
                        "properties": {"id": "b2", "title": "Clinic", "roof": "tile"},
                    },
                    {"type": "Feature", "properties": {"title": "no id, no choice"}},
                ],
            }
        ),
        encoding="utf-8",
    )
    result = import_xlsform(write_xlsform(tmp_path / "f.xlsx", SURVEY))
    assert messages(result) == []
    form = result.form
    assert shape(form)["existing"] == ("select_one", "buildings")
    choices = form.choice_lists["buildings"]
    assert [(c.name, c.label["en"]) for c in choices] == [("b1", "School"), ("b2", "Clinic")]
    assert choices[0].properties == {"roof": "tin", "geometry": "43.85 18.4 0 0"}
    assert items(form)["xroof"].calculation == "pulldata('buildings', 'roof', 'id', ${existing})"
    assert form.data_files["buildings"][1]["roof"] == "tile"
    assert form.missing_files == {}
    roof = compile_form(form).nodes["xroof"].calculation
    answers = {"existing": "b2"}
    assert roof.evaluate(answers.get, tables=form.data_files) == "tile"


@pytest.mark.parametrize(
    ("content", "why"),
    [
        ("{not json", "is not readable GeoJSON"),
        ('{"type": "Feature"}', "is not a GeoJSON FeatureCollection"),
        ("[1, 2]", "is not a GeoJSON FeatureCollection"),
        ('{"type": "FeatureCollection", "features": [1, {"properties": {}}]}', "holds no choice"),
    ],
)
def test_a_geojson_file_that_cannot_be_read_is_reported(
    tmp_path: Path, content: str, why: str
) -> None:
    (tmp_path / "buildings.geojson").write_text(content, encoding="utf-8")
    result = import_xlsform(write_xlsform(tmp_path / "f.xlsx", SURVEY))
    assert "existing" not in items(result.form)  # skipped, as an unreadable CSV is
    row_two = [m for m in messages(result) if m.startswith("survey row 2, column 'type'")]
    assert len(row_two) == 1 and why in row_two[0], messages(result)


def test_a_select_whose_file_is_missing_keeps_its_question(tmp_path: Path) -> None:
    result = import_xlsform(write_xlsform(tmp_path / "f.xlsx", SURVEY))
    form = result.form
    assert shape(form) == {
        "existing": ("select_one", "buildings"),
        "xroof": ("calculate", None),
        "notes": ("text", None),
    }
    assert items(form)["notes"].relevant == "${xroof} != ''"
    assert form.choice_lists["buildings"] == []
    assert form.missing_files == {"buildings.geojson": "buildings"}
    # One problem, on the select's row; the lookup into the same file adds none.
    assert messages(result) == [
        "survey row 2, column 'type': buildings.geojson is not beside the XLSForm: put it there"
        " and import again; until then the question offers no choices and the form cannot be"
        " published"
    ]
    compile_form(form)  # the definition is sound; publishing refuses it (test_forms_cmd.py)


def test_a_pulldata_table_that_is_missing_is_awaited_too(tmp_path: Path) -> None:
    survey = [
        ["type", "name", "label", "calculation"],
        ["text", "code", "Code"],
        ["calculate", "price", None, "instance('fruits')/root/item[name = ${code}]/price"],
    ]
    result = import_xlsform(write_xlsform(tmp_path / "f.xlsx", survey))
    assert result.form.missing_files == {"fruits.csv": "fruits"}
    assert [m.split(": ", 1)[1] for m in messages(result)] == [
        f"pulldata(): fruits.csv is not beside the XLSForm ({tmp_path}): put it there and import"
        " again; until then the form cannot be published"
    ]
    compile_form(result.form)
    data = result.form.model_dump(mode="json", exclude_defaults=True)
    del data["missing_files"]  # neither carried nor awaited: the whole-form check refuses it
    with pytest.raises(FormError, match="pulldata\\(\\) reads 'fruits', which the form does not"):
        compile_form(Form.model_validate(data))


def test_an_empty_list_must_await_a_file(tmp_path: Path) -> None:
    result = import_xlsform(write_xlsform(tmp_path / "f.xlsx", SURVEY))
    data = result.form.model_dump(mode="json", exclude_defaults=True)
    del data["missing_files"]
    with pytest.raises(ValidationError, match="choice list 'buildings' is empty"):
        Form.model_validate(data)


_NAMES = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True)


@given(table=_NAMES, key=_NAMES, column=_NAMES, question=_NAMES, spaces=st.sampled_from(["", " "]))
def test_an_instance_lookup_is_the_pulldata_call_it_equals(
    table: str, key: str, column: str, question: str, spaces: str
) -> None:
    s = spaces
    text = f"instance({s}'{table}'{s})/root/item[{s}{key}{s}={s}${{{question}}}{s}]/{column}"
    node = parse(instance_lookups_as_pulldata(f"concat({text}, 'x')"))
    assert isinstance(node, Call) and node.name == "concat"
    lookup = node.args[0]
    assert isinstance(lookup, Call) and lookup.name == "pulldata"
    assert lookup.args[:3] == (String(table), String(column), String(key))
    assert lookup.args[3] == Ref(question)


def test_a_column_named_with_a_prefix_is_looked_up_whole() -> None:
    # HOT's OSM forms read GeoJSON properties named by OSM tags, `fuel:diesel`.
    text = "instance('amenities')/root/item[id=${existing}]/fuel:diesel"
    rewritten = instance_lookups_as_pulldata(text)
    assert rewritten == "pulldata('amenities', 'fuel:diesel', 'id', ${existing})"
    table = {"amenities": [{"id": "a1", "fuel:diesel": "yes"}]}
    answers = {"existing": "a1"}
    assert Expression.compile(rewritten).evaluate(answers.get, tables=table) == "yes"


@given(st.text(alphabet=st.sampled_from("instace()'\"/rotm[]=${}x _"), max_size=60) | st.text())
def test_other_text_is_left_for_the_parser_to_judge(text: str) -> None:
    rewritten = instance_lookups_as_pulldata(text)
    if "instance" not in text:
        assert rewritten == text
    with contextlib.suppress(ExpressionError):  # a one-sentence refusal, never a crash
        Expression.compile(rewritten)
