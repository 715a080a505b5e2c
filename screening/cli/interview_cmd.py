"""`screening interview ...`: replay scripted answers through the engine."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from screening import jsonio
from screening.cli.vault_cmd import guard_vault_io, unlocked, vault_options
from screening.engine.replay import Step, replay
from screening.engine.results import interview_result, outcome_of
from screening.engine.session import InterviewSession
from screening.errors import ScreeningError
from screening.forms.compiler import CompiledForm, load_form
from screening.forms.library import FormNotAvailable
from screening.forms.problems import FormError
from screening.recording import store_replay
from screening.sync.offered import form_catalogue

if TYPE_CHECKING:
    from screening.vault import Vault


def register(sub: argparse._SubParsersAction) -> None:
    interview = sub.add_parser("interview", help="run and list interviews")
    interview_sub = interview.add_subparsers(dest="interview_command", metavar="ACTION")
    interview_sub.required = True

    run = interview_sub.add_parser(
        "run", help="replay answers through the engine and print the result as JSON"
    )
    run.add_argument(
        "--form",
        required=True,
        metavar="FORM.json|ID[@VERSION]",
        help="a form file, or the id (and version; the newest by default) of a shipped form "
        "or, with --vault, of a form installed from your organisation",
    )
    run.add_argument("--answers", type=Path, required=True, metavar="ANSWERS.json")
    run.add_argument("--lang", help="language of messages and explanations (default: the form's)")
    vault_options(run, required=False)
    run.add_argument(
        "--complete",
        action="store_true",
        help="with --vault: mark the stored interview completed (all required answers needed)",
    )
    run.add_argument("--location", metavar="CENTRE", help="with --vault: the reception centre")
    run.set_defaults(handler=_run)

    listing = interview_sub.add_parser("list", help="list the interviews in a vault")
    vault_options(listing, required=True)
    listing.add_argument("--status", choices=("draft", "completed", "stopped", "purged"))
    listing.add_argument("--form-id", metavar="ID")
    listing.add_argument("--limit", type=int, default=None, metavar="N")
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    listing.set_defaults(handler=_list)

    from screening.cli import link_cmd

    link_cmd.register(interview_sub)


def read_answers(path: Path) -> list[Step]:
    """Read `{"answers": [[name, value], ...]}`; raises one clear sentence on bad input."""
    data = jsonio.read(path)
    steps = data.get("answers") if isinstance(data, dict) else None
    if not isinstance(steps, list):
        raise ScreeningError(f'{path}: expected an object with a list under "answers".')
    result: list[Step] = []
    for number, step in enumerate(steps, start=1):
        if not (isinstance(step, list) and len(step) == 2 and isinstance(step[0], str)):
            raise ScreeningError(f"{path}: answer {number} is not a [name, value] pair.")
        result.append((step[0], step[1]))
    return result


def _load(path: Path) -> CompiledForm:
    try:
        form = load_form(path)
    except FormError as exc:
        for problem in exc.problems[1:]:
            print(f"screening: {problem}", file=sys.stderr)
        raise
    if form.form.missing_files:
        # Imported without the file its select reads: that question offers no choices.
        names = ", ".join(sorted(form.form.missing_files))
        raise ScreeningError(
            f"{path} cannot be used yet: it was imported without {names}; put the file(s)"
            " beside the XLSForm and import it again."
        )
    return form


def _form_reference(value: str) -> Path | tuple[str, str | None]:
    """`--form`: a file (a path that exists, or any name ending in .json), else ID[@VERSION]."""
    path = Path(value)
    if path.suffix.lower() == ".json" or path.is_file():
        return path
    form_id, _, version = value.partition("@")
    if not form_id:
        raise ScreeningError(f"--form {value!r}: expected a form file or ID[@VERSION].")
    return form_id, version or None


def _from_catalogue(vault: Vault | None, form_id: str, version: str | None) -> CompiledForm:
    """A shipped form, or one installed from the organisation in `vault`."""
    catalogue = form_catalogue(vault)
    if catalogue.find(form_id, version) is None:
        for problem in catalogue.problems:
            print(f"screening: {problem}", file=sys.stderr)
        known = ", ".join(sorted({f"{e.id}@{e.version}" for e in catalogue.entries}))
        where = "shipped or installed in this vault" if vault is not None else "shipped"
        wanted = form_id if version is None else f"{form_id}@{version}"
        raise FormNotAvailable(f"no form {wanted} is {where} (there are: {known}).")
    return catalogue.compiled(form_id, version)


def _language(form: CompiledForm, wanted: str | None) -> str:
    language = wanted or form.form.default_language
    if form.form.language(language) is None:
        codes = ", ".join(lang.code for lang in form.form.languages)
        raise ScreeningError(f"the form has no language {language!r} (it has {codes}).")
    return language


def _run(args: argparse.Namespace) -> int:
    reference = _form_reference(args.form)
    chosen: CompiledForm | tuple[str, str | None]
    if isinstance(reference, Path):
        # A form file is checked before anything else; an id may need the vault unlocked.
        chosen = _load(reference)
        _language(chosen, args.lang)
    else:
        chosen = reference
    steps = read_answers(args.answers)
    if args.vault is None:
        if args.user or args.complete or args.location:
            raise ScreeningError("--user, --complete and --location need --vault.")
        form = chosen if isinstance(chosen, CompiledForm) else _from_catalogue(None, *chosen)
        session = InterviewSession(form, language=_language(form, args.lang))
        output = interview_result(session, replay(session, steps))
    else:
        if not args.user:
            raise ScreeningError("--vault needs --user.")
        output = _run_into_vault(args, chosen, steps)
    json.dump(output, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


@guard_vault_io
def _run_into_vault(
    args: argparse.Namespace, chosen: CompiledForm | tuple[str, str | None], steps: list[Step]
) -> dict[str, Any]:
    with unlocked(args, "Passphrase") as vault:
        form = chosen if isinstance(chosen, CompiledForm) else _from_catalogue(vault, *chosen)
        language = _language(form, args.lang)
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


@guard_vault_io
def _list(args: argparse.Namespace) -> int:
    with unlocked(args, "Passphrase") as vault:
        rows = vault.list_interviews(status=args.status, form_id=args.form_id, limit=args.limit)
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
