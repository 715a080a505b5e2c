"""`screening interview ...`: replay scripted answers through the engine."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from screening.engine.replay import Step
from screening.engine.results import interview_result
from screening.engine.session import InterviewSession
from screening.errors import ScreeningError
from screening.forms.compiler import load_form
from screening.forms.problems import FormError


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
    run.set_defaults(handler=_run)


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
    from screening.engine.replay import replay

    session = InterviewSession(form, language=language)
    rejected = replay(session, steps)
    output = interview_result(session, rejected)
    json.dump(output, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0
