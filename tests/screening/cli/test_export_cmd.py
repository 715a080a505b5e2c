"""`screening export` end to end, in child processes, as a coordinator would run it."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from pycanon import anonymity

from screening.cli import export_cmd
from screening.export import FORMATS
from tests.screening.cli.clirun import Run, screening

ADMIN, ADMIN_PASS = "Amira Haddad", "violet kettle marathon orbit"
COORD, COORD_PASS = "Leila Okafor", "glacier velvet pumpkin ferry"
SCREENER, SCREENER_PASS = "Tomas Ferreira", "copper lantern drizzle wombat"


def one_sentence(run: Run, expected: str, code: int = 2) -> None:
    assert run.code == code, (run.out, run.err)
    assert "Traceback" not in run.err
    lines = run.err.splitlines()
    assert len(lines) == 1, run.err
    assert lines[0].startswith("screening: ") and lines[0].endswith("."), lines[0]
    assert expected in lines[0], lines[0]


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli-export") / "vault"
    steps = [
        (("vault", "init", "--user", ADMIN), ADMIN_PASS + "\n"),
        (
            ("vault", "add-user", "--as", ADMIN, "--user", COORD, "--role", "coordinator"),
            f"{ADMIN_PASS}\n{COORD_PASS}\n",
        ),
        (
            ("vault", "add-user", "--as", ADMIN, "--user", SCREENER, "--role", "screener"),
            f"{ADMIN_PASS}\n{SCREENER_PASS}\n",
        ),
        (("demo", "seed", "--user", COORD, "--count", "60", "--seed", "5"), COORD_PASS + "\n"),
    ]  # fmt: skip
    for args, stdin in steps:
        run = screening(*args, "--vault", str(folder), "--passphrase-stdin", stdin=stdin)
        assert run.code == 0, run.err
    return folder


def export(vault: Path, *args: str, user: str = COORD, passphrase: str = COORD_PASS) -> Run:
    return screening(
        "export",
        "--vault",
        str(vault),
        "--user",
        user,
        "--passphrase-stdin",
        *args,
        stdin=passphrase + "\n",
    )


def test_csv_export_prints_a_summary_and_is_k_anonymous(vault: Path, tmp_path: Path) -> None:
    out = tmp_path / "stats.csv"
    run = export(vault, "--format", "csv", "--k", "5", "--out", str(out))
    assert run.code == 0, run.err
    assert run.err == ""
    report = json.loads((tmp_path / "stats.csv.report.json").read_text(encoding="utf-8"))
    exported = report["rows"]["exported"]
    assert run.out.splitlines()[0].startswith(f"Exported {exported} people to {out} (k=5")
    assert "Generalised for k=5: " in run.out
    assert "form: form" not in run.out and "form form" not in run.out
    assert f"Report: {out}.report.json" in run.out
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert len(frame) == exported
    if exported:
        released = [c for c in frame.columns if c != "case_code"]
        assert anonymity.k_anonymity(frame, released) >= 5


def test_stable_codes_warn_on_the_command_line(vault: Path, tmp_path: Path) -> None:
    out = tmp_path / "stable.csv"
    run = export(vault, "--format", "csv", "--k", "2", "--stable-codes", "--out", str(out))
    assert run.code == 0, run.err
    report = json.loads((tmp_path / "stable.csv.report.json").read_text(encoding="utf-8"))
    assert run.err.strip() == f"WARNING: {report['case_codes']['warning']}"
    fresh = export(vault, "--format", "csv", "--k", "2", "--out", str(tmp_path / "fresh.csv"))
    assert fresh.code == 0 and "WARNING" not in fresh.err


def test_l_diversity_option(vault: Path, tmp_path: Path) -> None:
    out = tmp_path / "l.csv"
    run = export(vault, "--format", "csv", "--k", "2", "--l-diversity", "2", "--out", str(out))
    assert run.code == 0, run.err
    report = json.loads((tmp_path / "l.csv.report.json").read_text(encoding="utf-8"))
    assert report["l_diversity"]["enforced"] == 2
    assert report["l_diversity"]["groups_with_one_outcome"] == 0


@pytest.mark.parametrize("fmt", ["xlsx", "htcds-json", "pdf"])
def test_other_formats(vault: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"out.{fmt}"
    run = export(vault, "--format", fmt, "--out", str(out), "--from", "2026-01-01")
    assert run.code == 0, run.err
    assert out.stat().st_size > 0
    report = json.loads(Path(f"{out}.report.json").read_text(encoding="utf-8"))
    assert report["export_format"] == fmt
    assert report["filters"]["from"] == "2026-01-01"


def test_form_filter(vault: Path, tmp_path: Path) -> None:
    out = tmp_path / "rapid.csv"
    run = export(
        vault, "--format", "csv", "--form", "rapid-screening", "--k", "2", "--out", str(out)
    )
    assert run.code == 0, run.err
    report = json.loads(Path(f"{out}.report.json").read_text(encoding="utf-8"))
    assert {v["form_id"] for v in report["form_versions"]} <= {"rapid-screening"}


def test_screener_is_refused(vault: Path, tmp_path: Path) -> None:
    run = export(
        vault,
        "--format",
        "csv",
        "--out",
        str(tmp_path / "x.csv"),
        user=SCREENER,
        passphrase=SCREENER_PASS,
    )
    one_sentence(run, "Only coordinator or admin users can export data.")
    assert list(tmp_path.iterdir()) == []


def test_wrong_passphrase(vault: Path, tmp_path: Path) -> None:
    run = export(
        vault, "--format", "csv", "--out", str(tmp_path / "x.csv"), passphrase="not it at all"
    )
    assert run.code == 2 and "Traceback" not in run.err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--k", "1"), "k must be a whole number from 2 to 1000."),
        (("--from", "yesterday"), "--from must be a date like 2026-01-31."),
        (("--from", "2026-05-01", "--to", "2026-04-01"), "--from must not be after --to."),
        (("--max-suppressed", "80"), "must be from 0% to 50%."),
        (("--l-diversity", "9"), "l (distinct outcomes per group) must be a whole number"),
    ],
)
def test_bad_options_are_one_sentence(
    vault: Path, tmp_path: Path, args: tuple[str, ...], expected: str
) -> None:
    run = export(vault, "--format", "csv", "--out", str(tmp_path / "x.csv"), *args)
    one_sentence(run, expected, code=1)
    assert list(tmp_path.iterdir()) == []


def test_an_export_that_releases_nothing_writes_nothing(vault: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    out.write_text("an earlier export\n", encoding="utf-8")
    run = export(vault, "--format", "csv", "--k", "1000", "--out", str(out))
    one_sentence(run, "No interview can be released at k=1000", code=1)
    assert "Nothing was written." in run.err
    # The earlier file is untouched, no report and no staging folder is left behind.
    assert out.read_text(encoding="utf-8") == "an earlier export\n"
    assert list(tmp_path.iterdir()) == [out]


def test_unknown_format_is_an_argparse_error(vault: Path, tmp_path: Path) -> None:
    run = export(vault, "--format", "parquet", "--out", str(tmp_path / "x"))
    assert run.code == 1 and "invalid choice" in run.err  # a usage mistake is bad input


def test_cli_formats_match_the_domain() -> None:
    assert export_cmd.FORMATS == FORMATS
