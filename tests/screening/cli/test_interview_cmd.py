"""`screening interview run`: replaying scripted answers, as the issue specifies the JSON."""

from __future__ import annotations

import json
from pathlib import Path

from tests.screening.cli.clirun import screening
from tests.screening.formbuilder import form_data, group, q


def setup(tmp_path: Path, answers: list, *items: dict) -> tuple[Path, Path]:
    form = tmp_path / "form.json"
    form.write_text(json.dumps(form_data(*items)), encoding="utf-8")
    script = tmp_path / "answers.json"
    script.write_text(json.dumps({"answers": answers}), encoding="utf-8")
    return form, script


def test_run_prints_the_specified_json(tmp_path: Path) -> None:
    form, script = setup(
        tmp_path,
        [
            ["consent", "yes"],
            ["age", "abc"],
            ["age", 17],
            ["age", 19],
            ["ghost", 1],
            ["job", "x"],
            ["met", "2024-05-01"],
            ["secret", {"special": "declined"}],
            ["member_age[2]", 4],
            ["member_age[1]", 40],
        ],
        q("select_one", "consent", choices="yes_no", required=True),
        q("integer", "age", relevant="${consent} = 'yes'", required=True),
        q("text", "job", relevant="${age} < 18"),
        q("date", "met"),
        q("text", "secret"),
        q("text", "contact", required=True),
        q("calculate", "adult", calculation="${age} >= 18"),
        group("members", q("integer", "member_age"), repeat=True),
    )
    run = screening("interview", "run", "--form", str(form), "--answers", str(script))
    assert run.code == 0, run.err
    out = json.loads(run.out)
    assert out["form"] == "test-form" and out["version"] == "1.0.0"
    assert out["visible"] == [
        "consent",
        "age",
        "met",
        "secret",
        "contact",
        "member_age[1]",
        "member_age[2]",
    ]
    assert out["answers"] == {
        "consent": "yes",
        "age": 19,
        "met": "2024-05-01",
        "secret": {"special": "declined"},
        "member_age[1]": 40,
        "member_age[2]": 4,
    }
    rejected = {(r["name"], r["error"]) for r in out["rejected"]}
    assert ("age", "'abc' is not a whole number") in rejected
    assert ("ghost", "ghost is not a question in this form") in rejected
    assert ("job", "job is not visible now") in rejected
    assert len(out["rejected"]) == 3
    assert out["missing_required"] == ["contact"]
    assert out["complete"] is False
    assert out["calculated"] == {"adult": True}


def test_infinite_calculations_print_as_odk_stores_them(tmp_path: Path) -> None:
    form, script = setup(
        tmp_path,
        [["n", 2]],
        q("integer", "n"),
        q("calculate", "up", calculation="${n} div 0"),
        q("calculate", "down", calculation="-${n} div 0"),
        q("calculate", "half", calculation="${n} div 4"),
    )
    run = screening("interview", "run", "--form", str(form), "--answers", str(script))
    assert run.code == 0, run.err
    out = json.loads(run.out)
    assert out["calculated"] == {"up": "Infinity", "down": "-Infinity", "half": 0.5}


def test_bad_inputs_give_one_sentence_and_nonzero_exit(tmp_path: Path) -> None:
    form, script = setup(tmp_path, [["a", "x"]], q("text", "a"))
    cases = [
        (["--form", str(tmp_path / "none.json"), "--answers", str(script)], "file not found"),
        (["--form", str(form), "--answers", str(tmp_path / "none.json")], "file not found"),
        (["--form", str(form), "--answers", str(script), "--lang", "xx"], "no language 'xx'"),
    ]
    script_bad = tmp_path / "bad.json"
    for content, message in [
        ("{", "is not valid JSON"),
        ('{"answers": {"a": 1}}', 'expected an object with a list under "answers"'),
        ('{"answers": [["a"]]}', "answer 1 is not a [name, value] pair"),
    ]:
        script_bad.write_text(content, encoding="utf-8")
        run = screening("interview", "run", "--form", str(form), "--answers", str(script_bad))
        assert run.code != 0 and message in run.err and "Traceback" not in run.err
        assert len(run.err.strip().splitlines()) == 1
    for args, message in cases:
        run = screening("interview", "run", *args)
        assert run.code != 0 and message in run.err and "Traceback" not in run.err


def test_a_form_awaiting_its_choices_file_is_not_run(tmp_path: Path) -> None:
    data = form_data(q("select_one", "b", choices="buildings"))
    data["choice_lists"]["buildings"] = []
    data["missing_files"] = {"buildings.geojson": "buildings"}
    form = tmp_path / "form.json"
    form.write_text(json.dumps(data), encoding="utf-8")
    script = tmp_path / "answers.json"
    script.write_text(json.dumps({"answers": []}), encoding="utf-8")
    run = screening("interview", "run", "--form", str(form), "--answers", str(script))
    assert run.code != 0 and "Traceback" not in run.err
    assert run.err.strip() == (
        f"screening: {form} cannot be used yet: it was imported without buildings.geojson; put"
        " the file(s) beside the XLSForm and import it again."
    )


PASSPHRASE = "correct horse battery staple 42\n"


def test_run_into_vault_saves_answers_and_completes(tmp_path: Path) -> None:
    vault = str(tmp_path / "vault")
    init = screening(
        "vault", "init", "--vault", vault, "--user", "amira", "--role", "admin",
        "--passphrase-stdin", stdin=PASSPHRASE,
    )  # fmt: skip
    assert init.code == 0, init.err
    form, script = setup(
        tmp_path,
        [["consent", "yes"], ["age", 200], ["age", 31]],
        q("select_one", "consent", choices="yes_no", required=True),
        q("integer", "age", constraint=". <= 120", required=True),
        q("text", "note_text"),
    )
    base = ["interview", "run", "--form", str(form), "--answers", str(script)]
    creds = ["--vault", vault, "--user", "amira", "--passphrase-stdin"]
    run = screening(*base, *creds, "--complete", stdin=PASSPHRASE)
    assert run.code == 0, run.err
    out = json.loads(run.out)
    assert len(out["interview_id"]) == 36 and out["answers"] == {"consent": "yes", "age": 31}
    listed = screening("interview", "list", *creds, "--json", stdin=PASSPHRASE)
    assert listed.code == 0, listed.err
    rows = json.loads(listed.out)
    assert [(r["id"], r["status"]) for r in rows] == [(out["interview_id"], "completed")]

    script.write_text(json.dumps({"answers": [["consent", "yes"]]}), encoding="utf-8")
    run = screening(*base, *creds, "--complete", stdin=PASSPHRASE)
    assert run.code == 1 and "cannot be completed" in run.err and "age" in run.err
    wrong = screening(*base, *creds, stdin="not the passphrase\n")
    assert wrong.code == 2 and "Traceback" not in wrong.err
    rows = json.loads(screening("interview", "list", *creds, "--json", stdin=PASSPHRASE).out)
    assert sorted(r["status"] for r in rows) == ["completed", "draft"]


def test_demo_seed_through_the_cli(tmp_path: Path) -> None:
    vault = str(tmp_path / "vault")
    screening(
        "vault", "init", "--vault", vault, "--user", "amira", "--role", "admin",
        "--passphrase-stdin", stdin=PASSPHRASE,
    )  # fmt: skip
    creds = ["--vault", vault, "--user", "amira", "--passphrase-stdin"]
    run = screening("demo", "seed", *creds, "--count", "12", "--seed", "4", stdin=PASSPHRASE)
    assert run.code == 0, run.err
    assert "Added 12 synthetic interviews" in run.out
    rows = json.loads(screening("interview", "list", *creds, "--json", stdin=PASSPHRASE).out)
    assert len(rows) == 12
    bad = screening("demo", "seed", *creds, "--count", "0", stdin=PASSPHRASE)
    assert bad.code == 1 and "--count" in bad.err
