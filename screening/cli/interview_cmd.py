"""`screening interview ...`: replay scripted answers through the engine."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from screening.cli.vault_cmd import Passphrases, guard_vault_io, unlock_vault
from screening.engine.replay import Step, replay
from screening.engine.results import interview_result, outcome_of
from screening.engine.session import InterviewSession
from screening.errors import ScreeningError
from screening.forms.compiler import load_form
from screening.forms.problems import FormError
from screening.recording import store_replay


def register(sub: argparse._SubParsersAction) -> None:
    interview = sub.add_parser("interview", help="run and list interviews")
    interview_sub = interview.add_subparsers(dest="interview_command", metavar="ACTION")
    interview_sub.required = True

    run = interview_sub.add_parser(
        "run", help="replay answers through the engine and print the result as JSON"
    )
    run.add_argument("--form", type=Path, required=True, metavar="FORM.json")
    run.add_argument("--answers", type=Path, required=True, metavar="ANSWERS.json")
    run.add_argument("--lang", help="language of messages and explanations (default: the form's)")
    _vault_options(run, required=False)
    run.add_argument(
        "--complete",
        action="store_true",
        help="with --vault: mark the stored interview completed (all required answers needed)",
    )
    run.add_argument("--location", metavar="CENTRE", help="with --vault: the reception centre")
    run.set_defaults(handler=_run)

    listing = interview_sub.add_parser("list", help="list the interviews in a vault")
    _vault_options(listing, required=True)
    listing.add_argument("--status", choices=("draft", "completed", "stopped", "purged"))
    listing.add_argument("--form-id", metavar="ID")
    listing.add_argument("--limit", type=int, default=None, metavar="N")
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    listing.set_defaults(handler=_list)


def _vault_options(parser: argparse.ArgumentParser, *, required: bool) -> None:
    parser.add_argument("--vault", type=Path, required=required, metavar="DIR")
    parser.add_argument("--user", required=required, metavar="NAME")
    parser.add_argument(
        "--passphrase-stdin",
        action="store_true",
        help="read the passphrase from the first line of standard input instead of prompting",
    )


def read_answers(path: Path) -> list[Step]:
    """Read `{"answers": [[name, value], ...]}`; raises one clear sentence on bad input."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScreeningError(f"{path}: file not found.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScreeningError(f"{path}: cannot be read ({exc}).") from None
    except json.JSONDecodeError as exc:
        raise ScreeningError(
            f"{path}: is not valid JSON ({exc.msg} at line {exc.lineno})."
        ) from None
    steps = data.get("answers") if isinstance(data, dict) else None
    if not isinstance(steps, list):
        raise ScreeningError(f'{path}: expected an object with a list under "answers".')
    result: list[Step] = []
    for number, step in enumerate(steps, start=1):
        if not (isinstance(step, list) and len(step) == 2 and isinstance(step[0], str)):
            raise ScreeningError(f"{path}: answer {number} is not a [name, value] pair.")
        result.append((step[0], step[1]))
    return result


def _load(path: Path):
    try:
        return load_form(path)
    except FormError as exc:
        for problem in exc.problems[1:]:
            print(f"screening: {problem}", file=sys.stderr)
        raise


def _run(args: argparse.Namespace) -> int:
    form = _load(args.form)
    language = args.lang or form.form.default_language
    if form.form.language(language) is None:
        codes = ", ".join(lang.code for lang in form.form.languages)
        raise ScreeningError(f"the form has no language {language!r} (it has {codes}).")
    steps = read_answers(args.answers)
    if args.vault is None:
        if args.user or args.complete or args.location:
            raise ScreeningError("--user, --complete and --location need --vault.")
        session = InterviewSession(form, language=language)
        output = interview_result(session, replay(session, steps))
    else:
        if not args.user:
            raise ScreeningError("--vault needs --user.")
        output = _run_into_vault(args, form, language, steps)
    json.dump(output, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


@guard_vault_io
def _run_into_vault(args: argparse.Namespace, form, language: str, steps: list[Step]) -> dict:
    vault = unlock_vault(args, Passphrases(args.passphrase_stdin), args.user, "Passphrase")
    try:
        interview_id, session, rejected = store_replay(
            vault, form, language, steps, location=args.location
        )
        output = interview_result(session, rejected)
        output["interview_id"] = interview_id
        if args.complete:
            if not session.complete:
                missing = ", ".join(session.missing_required() + session.invalid()) or "repeats"
                raise ScreeningError(
                    f"interview {interview_id} was saved as a draft but cannot be completed: "
                    f"unanswered or invalid: {missing}."
                )
            outcome = outcome_of(session)
            vault.complete_interview(
                interview_id, outcome=None if outcome is None else outcome.model_dump(mode="json")
            )
        return output
    finally:
        vault.lock()


@guard_vault_io
def _list(args: argparse.Namespace) -> int:
    vault = unlock_vault(args, Passphrases(args.passphrase_stdin), args.user, "Passphrase")
    try:
        rows = vault.list_interviews(status=args.status, form_id=args.form_id, limit=args.limit)
    finally:
        vault.lock()
    if args.json:
        data = [
            {
                "id": row.id,
                "form_id": row.form_id,
                "form_version": row.form_version,
                "status": row.status,
                "created_at": row.created_at,
                "outcome": row.outcome,
                "delivered": row.delivered,
            }
            for row in rows
        ]
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    print(f"{'id':<36}  {'form':<18}  {'status':<9}  {'started':<20}  outcome")
    for row in rows:
        print(
            f"{row.id:<36}  {row.form_id:<18}  {row.status:<9}  {row.created_at[:19]:<20}"
            f"  {row.outcome or ''}"
        )
    return 0
