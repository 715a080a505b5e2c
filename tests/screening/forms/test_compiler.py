"""Whole-form checks: every malformed form gives a clear error naming file and question."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from screening.forms.compiler import compile_data, load_form
from screening.forms.problems import FormError
from tests.screening.formbuilder import form_data, q


def problems_of(data: object) -> list[str]:
    with pytest.raises(FormError) as info:
        compile_data(data, "bad.json")
    return [str(p) for p in info.value.problems]


def test_valid_form_compiles_with_hash_and_nodes() -> None:
    form = compile_data(form_data(q("text", "a"), q("integer", "b")), "ok.json")
    assert [n.name for n in form.questions()] == ["a", "b"]
    assert len(form.form_hash) == 64
    other = compile_data(form_data(q("text", "a"), q("integer", "c")), "ok.json")
    assert other.form_hash != form.form_hash


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        (
            [q("text", "a"), q("text", "a")],
            "bad.json: question a: the name is used more than once",
        ),
        (
            [q("select_one", "a", choices="missing")],
            "bad.json: question a: choice list 'missing' does not exist",
        ),
        ([q("select_one", "a")], "bad.json: question a: a select_one question needs a choice list"),
        (
            [q("text", "a", relevant="${ghost} = 1")],
            "bad.json: question a: relevant: unknown name ${ghost}",
        ),
        (
            [q("text", "a", relevant="${a} = ")],
            "bad.json: question a: relevant '${a} = ': ",
        ),
        (
            [q("calculate", "x", calculation="${y} + 1"), q("calculate", "y", calculation="${x}")],
            "bad.json: question x: expressions refer to each other in a cycle: x → y → x",
        ),
        (
            [q("text", "a", relevant="${a} != ''")],
            "expressions refer to each other in a cycle: a → a",
        ),
        ([q("calculate", "x")], "bad.json: question x: a calculate question needs a calculation"),
        (
            [q("text", "a", relevant="if(1, 2)")],
            "bad.json: question a: relevant 'if(1, 2)': wrong number of arguments to if()",
        ),
        (
            [q("text", "a", relevant=". = 'x'")],
            "only meaningful in a constraint",
        ),
        (
            [q("text", "a", label={"fr": "A"})],
            "bad.json: question a: label lacks the language(s) en",
        ),
    ],
)
def test_malformed_forms_name_the_problem(items: list[dict], expected: str) -> None:
    found = problems_of(form_data(*items))
    assert any(expected in p for p in found), found


def test_unknown_type_and_unknown_field_are_named() -> None:
    found = problems_of(form_data(q("geopunkt", "where"), q("text", "b", relevnt="1")))
    assert any("question where" in p and "unknown type 'geopunkt'" in p for p in found), found
    assert any("question b" in p and "unknown field 'relevnt'" in p for p in found), found


def test_missing_language_in_declared_languages_is_reported() -> None:
    data = form_data(q("text", "a"))
    data["languages"].append({"code": "ar", "name": "العربية", "direction": "rtl"})
    found = problems_of(data)
    assert "bad.json: title lacks the language(s) ar" in found
    assert "bad.json: question a: label lacks the language(s) ar" in found


def test_bad_json_and_missing_file(tmp_path: Path) -> None:
    bad = tmp_path / "broken.json"
    bad.write_text('{"id": "x",', encoding="utf-8")
    with pytest.raises(FormError, match=r"broken.json: is not valid JSON"):
        load_form(bad)
    with pytest.raises(FormError, match="file not found"):
        load_form(tmp_path / "nope.json")
    bad.write_text(json.dumps([1, 2]), encoding="utf-8")
    with pytest.raises(FormError, match=r"broken\.json"):
        load_form(bad)


def test_indicator_rules_are_checked() -> None:
    tag = {"element": "exploitation", "strength": "strong", "indicator": "no_pay"}
    found = problems_of(
        form_data(
            q("select_multiple", "m", choices="yes_no", indicators=[tag]),
            q("select_one", "s", choices="yes_no", indicators=[tag], indicator_choice="oui"),
            q("note", "n", indicators=[tag]),
        )
    )
    assert any("question m: put indicators" in p for p in found)
    assert any("question s: indicator_choice 'oui'" in p for p in found)
    assert any("question n: a note cannot carry indicators" in p for p in found)
    bad_tag = {"element": "exploitation", "strength": "huge", "indicator": "x"}
    found = problems_of(form_data(q("select_one", "z", choices="yes_no", indicators=[bad_tag])))
    assert any("question z" in p and "strength" in p for p in found), found


def test_fields_added_later_leave_the_hash_of_forms_that_do_not_use_them() -> None:
    import hashlib
    import json as json_module

    from screening.forms.form_hash import form_hash
    from screening.forms.model import Form

    data = form_data(q("select_one", "a", choices="yes_no"))
    form = Form.model_validate(data)
    later = {"choice_filter", "default", "properties", "instance_name", "data_files", "appearance"}
    later |= {"text_variants", "review", "strength", "acts", "catalogue", "age_question"}
    later |= {"age_at_recruitment_question", "sexual_exploitation_answers"}
    later |= {"labour_exploitation_answers", "unaccompanied_answers", "exploitation_answers"}
    later |= {"child_exploitation_answers", "missing_files", "calculate_on"}

    def dumped(value):
        if isinstance(value, dict):
            return {k: dumped(v) for k, v in value.items() if k not in later}
        return [dumped(v) for v in value] if isinstance(value, list) else value

    # the hash recorded interviews carry: the dump as it was before these fields existed
    before = json_module.dumps(
        dumped(form.model_dump(mode="json")),
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    assert form_hash(form) == hashlib.sha256(before.encode("utf-8")).hexdigest()
    data["sections"][0]["items"][0]["choice_filter"] = "name = 'yes'"
    assert form_hash(Form.model_validate(data)) != form_hash(form)
