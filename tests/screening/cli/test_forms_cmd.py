"""`screening forms validate|schema` through a real child process."""

from __future__ import annotations

import json
from pathlib import Path

from tests.screening.cli.clirun import screening
from tests.screening.formbuilder import form_data, q

ROOT = Path(__file__).resolve().parents[3]


def write(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_validate_ok_and_problems(tmp_path: Path) -> None:
    good = write(tmp_path / "good.json", form_data(q("text", "a")))
    bad = write(
        tmp_path / "bad.json",
        form_data(q("text", "a", relevant="${nobody} = 1"), q("select_one", "b", choices="x")),
    )
    run = screening("forms", "validate", str(good))
    assert run.code == 0 and "good.json: ok" in run.out and run.err == ""
    run = screening("forms", "validate", str(good), str(bad))
    assert run.code == 1
    lines = run.err.strip().splitlines()
    assert f"{bad}: question a: relevant: unknown name ${{nobody}}" in lines
    assert f"{bad}: question b: choice list 'x' does not exist" in lines
    assert "Traceback" not in run.err


def test_validate_unreadable_inputs_give_one_line_each(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{nope", encoding="utf-8")
    run = screening("forms", "validate", str(broken), str(tmp_path / "missing.json"))
    assert run.code == 1
    assert run.err.splitlines() == [
        f"{broken}: is not valid JSON (Expecting property name enclosed in double quotes "
        "at line 1, column 2)",
        f"{tmp_path / 'missing.json'}: file not found",
    ]


def test_committed_schema_matches_the_models() -> None:
    run = screening("forms", "schema")
    assert run.code == 0
    committed = json.loads((ROOT / "docs" / "form.schema.json").read_text(encoding="utf-8"))
    assert json.loads(run.out) == committed, "run: screening forms schema -o docs/form.schema.json"


def test_shipped_forms_validate() -> None:
    # Every .json in forms/ is a form: README says `screening forms validate forms/*.json`.
    files = sorted(str(p) for p in (ROOT / "forms").glob("*.json"))
    assert files, "no shipped forms"
    run = screening("forms", "validate", "--strict", *files)
    assert run.code == 0, run.err
    assert run.err == ""  # no warning either


def test_validate_prints_warnings_and_strict_refuses_them(tmp_path: Path) -> None:
    data = form_data(q("text", "t"), q("text", "u", relevant="selected(${t}, 'x')"))
    path = write(tmp_path / "odk.json", data)
    run = screening("forms", "validate", str(path))
    assert run.code == 0
    assert run.out.strip() == f"{path}: ok with 1 warning"
    assert run.err.splitlines() == [
        f"{path}: warning: question u: relevant: selected() expects a select question as its"
        " first argument, but ${t} is a text question; it runs as in ODK, reading the answer as"
        " space-separated words"
    ]
    # Publishing says it again before anything is sent (here no vault exists, so it stops).
    run = screening("forms", "publish", str(path), "--vault", str(tmp_path / "v"), "--user", "u")
    assert run.err.splitlines()[0].startswith(f"{path}: warning: question u: relevant:")
    assert run.code != 0 and "Traceback" not in run.err
    run = screening("forms", "validate", "--strict", str(path))
    assert run.code == 1 and run.out == ""
    assert run.err.splitlines() == [
        f"{path}: question u: relevant: selected() expects a select question as its first"
        " argument, but ${t} is a text question"
    ]


def test_import_reports_a_warning_once_and_writes_a_valid_form(tmp_path: Path) -> None:
    from tests.screening.forms.xlsx_fixtures import write_xlsform

    survey = [["type", "name", "label", "relevant"], ["text", "t", "T"],
              ["text", "u", "U", "selected(${t}, 'x')"]]  # fmt: skip
    source = write_xlsform(tmp_path / "odk.xlsx", survey)
    out = tmp_path / "odk.json"
    run = screening("forms", "import", str(source), "-o", str(out))
    assert run.code == 0, run.err
    warned = [line for line in run.err.splitlines() if ": warning: " in line]
    assert warned == [
        f"{source}: survey row 3, column 'relevant': warning: relevant: selected() expects a"
        " select question as its first argument, but ${t} is a text question; it runs as in"
        " ODK, reading the answer as space-separated words"
    ]
    assert screening("forms", "validate", str(out)).code == 0


def test_import_htcds_reference_form(tmp_path: Path) -> None:
    source = ROOT / "tests" / "data" / "htcds" / "htcds_xlsform.xlsx"
    out = tmp_path / "htcds.json"
    run = screening("forms", "import", str(source), "-o", str(out))
    assert run.code == 0, run.err
    assert "version" in run.err  # the non-numeric ODK version is reported, not hidden
    assert screening("forms", "validate", str(out)).code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    names = json.dumps(data)
    assert "con_Consent" in names and data["metadata"] == ["start", "end"]


def test_import_of_a_missing_file_names_it_once(tmp_path: Path) -> None:
    source = tmp_path / "nosuch.xlsx"
    run = screening("forms", "import", str(source), "-o", str(tmp_path / "out.json"))
    assert run.code == 1
    assert run.err.splitlines()[0] == f"{source}: file not found"
    assert all(line.count("nosuch.xlsx") == 1 for line in run.err.splitlines()), run.err


def test_import_not_an_xlsx_fails_and_writes_nothing(tmp_path: Path) -> None:
    source = tmp_path / "notes.xlsx"
    source.write_text("not a spreadsheet", encoding="utf-8")
    out = tmp_path / "out.json"
    run = screening("forms", "import", str(source), "-o", str(out))
    assert run.code == 1 and "nothing was written" in run.err and "Traceback" not in run.err
    assert not out.exists()


def test_a_form_awaiting_a_file_validates_but_is_not_published(tmp_path: Path) -> None:
    from tests.screening.forms.xlsx_fixtures import write_xlsform

    source = write_xlsform(
        tmp_path / "map.xlsx",
        [
            ["type", "name", "label"],
            ["select_one_from_file buildings.geojson", "existing", "Which building?"],
            ["text", "notes", "Notes"],
        ],
    )
    out = tmp_path / "map.json"
    run = screening("forms", "import", str(source), "-o", str(out))
    assert run.code == 0, run.err
    assert "buildings.geojson is not beside the XLSForm: put it there and import again" in run.err
    run = screening("forms", "validate", str(out))
    assert run.code == 0
    assert run.out.strip() == (
        f"{out}: ok, but it cannot be published: buildings.geojson was not beside the XLSForm,"
        " so its questions offer no choices yet; put the file(s) there and import again"
    )
    # Refused before the vault is opened: no vault exists here.
    run = screening("forms", "publish", str(out), "--vault", str(tmp_path / "v"), "--user", "u")
    assert run.code != 0
    assert run.err.strip().endswith(
        f"{out} was not published: buildings.geojson was not beside"
        " the XLSForm, so its questions offer no choices yet; put the file(s) there and import"
        " again."
    )
    assert "Traceback" not in run.err and not (tmp_path / "v").exists()
