"""`screening referral …` end to end: providers, a referral, its status and its slip."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from screening.cli import referral_cmd
from screening.export.fields import NEEDS, PROVIDER_KINDS
from screening.referrals import CONSENT_BASES, STATUSES, URGENCIES
from screening.referrals.slip import LANGUAGES as SLIP_LANGUAGES
from tests.screening.cli.clirun import Run, screening
from tests.screening.cli.test_export_cmd import (
    COORD,
    COORD_PASS,
    SCREENER,
    SCREENER_PASS,
    one_sentence,
)
from tests.screening.cli.test_export_cmd import vault as vault
from tests.screening.export.conftest import pdftotext


def referral(vault: Path, *args: str, user: str = COORD, passphrase: str = COORD_PASS) -> Run:
    return screening(
        "referral",
        args[0],
        "--vault",
        str(vault),
        "--user",
        user,
        "--passphrase-stdin",
        *args[1:],
        stdin=passphrase + "\n",
    )


def completed_adult(vault: Path) -> str:
    run = screening(
        "interview",
        "list",
        "--vault",
        str(vault),
        "--user",
        COORD,
        "--passphrase-stdin",
        "--status",
        "completed",
        "--form-id",
        "screening-adult",
        "--json",
        stdin=COORD_PASS + "\n",
    )
    assert run.code == 0, run.err
    return str(json.loads(run.out)[0]["id"])


def test_referral_workflow(vault: Path, tmp_path: Path) -> None:
    run = referral(vault, "add-provider", "--name", "Sigurna kuća Bar", "--kind", "shelter",
                   "--contact", "+382 30 000 000", "--languages", "arabic,bcms")  # fmt: skip
    assert run.code == 0, run.err
    provider_id = re.search(r"Added provider (\S+) ", run.out).group(1)  # type: ignore[union-attr]
    run = referral(vault, "providers")
    assert "Sigurna kuća Bar" in run.out and provider_id[:8] in run.out
    interview_id = completed_adult(vault)
    run = referral(vault, "create", "--interview", interview_id[:8], "--provider",
                   provider_id[:8], "--consent", "person", "--contact",
                   "Leila Okafor, +382 67 111 222", "--needs", "shelter,medical",
                   "--urgency", "urgent")  # fmt: skip
    assert run.code == 0, run.err
    found = re.search(r"Referral (\S+) sent to .*case code (R-[0-9A-Z-]+),", run.out)
    assert found, run.out
    referral_id, code = found.group(1), found.group(2)
    run = referral(vault, "list", "--json")
    listed = {item["id"]: item for item in json.loads(run.out)}
    assert listed[referral_id]["status"] == "sent"
    assert listed[referral_id]["needs"] == ["medical", "shelter"]  # in the standard order
    run = referral(vault, "status", "--id", referral_id[:8], "--status", "accepted")
    assert run.code == 0 and "is now accepted" in run.out
    slip = tmp_path / "slip.pdf"
    run = referral(vault, "slip", "--id", referral_id, "--out", str(slip))
    assert run.code == 0, run.err
    text = pdftotext(slip)
    assert code in text and "Sigurna kuća Bar" in text
    run = referral(vault, "status", "--id", referral_id, "--status", "declined")
    one_sentence(run, "An accepted referral cannot become declined", code=1)
    run = referral(vault, "list", "--status", "accepted")
    assert referral_id[:8] in run.out and code in run.out


def test_errors_are_one_sentence(vault: Path, tmp_path: Path) -> None:
    one_sentence(
        referral(vault, "status", "--id", "ffffffff", "--status", "closed"),
        "There is no referral ffffffff in this vault.",
        code=1,
    )
    one_sentence(
        referral(vault, "status", "--id", "ab", "--status", "closed"),
        "Give at least six characters of the referral id.",
        code=1,
    )
    one_sentence(
        referral(vault, "providers", user=SCREENER, passphrase=SCREENER_PASS),
        "Only coordinator or admin users can manage referrals.",
    )
    one_sentence(
        referral(vault, "slip", "--id", "ffffffff", "--out", str(tmp_path / "no" / "s.pdf")),
        "does not exist.",
        code=1,
    )


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (referral_cmd.KINDS, PROVIDER_KINDS),
        (referral_cmd.STATUSES, STATUSES),
        (referral_cmd.URGENCIES, URGENCIES),
        (referral_cmd.CONSENT, CONSENT_BASES),
        (referral_cmd.NEEDS, NEEDS),
        (referral_cmd.SLIP_LANGUAGES, SLIP_LANGUAGES),
    ],
)
def test_cli_choices_match_the_domain(ours: tuple[str, ...], theirs: tuple[str, ...]) -> None:
    assert ours == theirs


def test_create_help_lists_the_need_codes() -> None:
    run = screening("referral", "create", "--help")
    assert run.code == 0
    help_text = " ".join(run.out.split())  # argparse wraps lines
    assert all(code in help_text for code in NEEDS), run.out
