"""Exit codes mean one thing each (#13 item 11): 1 bad input, 2 authentication or integrity,
3 network or protocol; the table is in README.md and at the end of every --help."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from screening.canonical import CanonicalJSONError
from screening.cli import EXIT_CODES, build_parser, main
from screening.envelope.errors import EnvelopeError
from screening.errors import ScreeningError
from screening.forms.problems import FormError
from screening.jsonio import JSONInputError
from screening.org.orgfile import OrgFileError
from screening.sync.errors import SyncError
from screening.sync.protocol import ProtocolError
from screening.vault import errors as vault_errors

README = Path(__file__).resolve().parents[3] / "README.md"


def _parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    found = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                found += _parsers(child)
    return found


def test_readme_has_the_same_table() -> None:
    assert EXIT_CODES in README.read_text(encoding="utf-8")


def test_every_help_ends_with_the_table() -> None:
    parsers = _parsers(build_parser())
    assert len(parsers) > 30
    for parser in parsers:
        assert parser.format_help().rstrip().endswith(EXIT_CODES.splitlines()[-1]), parser.prog
        assert "exit codes:" in parser.format_help(), parser.prog


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (ScreeningError, 1),
        (FormError, 1),
        (JSONInputError, 1),
        (vault_errors.VaultError, 1),
        (vault_errors.VaultNotFound, 1),
        (vault_errors.VaultExists, 1),
        (vault_errors.WeakPassphrase, 1),
        (vault_errors.RecordNotFound, 1),
        (vault_errors.ReadOnlyInterview, 1),
        (vault_errors.WrongCredentials, 2),
        (vault_errors.VaultTampered, 2),
        (vault_errors.VaultLocked, 2),
        (vault_errors.PermissionDenied, 2),
        (CanonicalJSONError, 2),
        (EnvelopeError, 2),
        (OrgFileError, 2),
        (SyncError, 3),
        (ProtocolError, 3),
    ],
)
def test_each_kind_of_error_has_its_code(error: type[ScreeningError], code: int) -> None:
    assert error.exit_code == code


def test_a_usage_mistake_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["vault", "check", "--no-such-option"])
    assert caught.value.code == 1  # argparse's own default, 2, means integrity here
    assert "the following arguments are required" in capsys.readouterr().err
