"""`screening forms ...`: validate form files, import XLSForms, write the JSON Schema."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from screening.errors import ScreeningError
from screening.forms.compiler import awaiting_files, load_form
from screening.forms.problems import FormError


def register(sub: argparse._SubParsersAction) -> None:
    forms = sub.add_parser("forms", help="validate, import and describe form definitions")
    forms_sub = forms.add_subparsers(dest="forms_command", metavar="ACTION")
    forms_sub.required = True

    validate = forms_sub.add_parser(
        "validate", help="check form files; exit 1 on any problem (warnings do not fail)"
    )
    validate.add_argument("files", nargs="+", type=Path, metavar="FILE")
    validate.add_argument(
        "--strict",
        action="store_true",
        help="treat warnings (what ODK runs but is often a mistake) as problems",
    )
    validate.set_defaults(handler=_validate)

    imp = forms_sub.add_parser(
        "import", help="convert an XLSForm (.xlsx or .xls) to our JSON format"
    )
    imp.add_argument("source", type=Path, metavar="IN.xlsx|IN.xls")
    imp.add_argument("-o", "--output", type=Path, required=True, metavar="OUT.json")
    imp.add_argument("--form-id", help="form id to use instead of the one in the settings sheet")
    imp.set_defaults(handler=_import)

    publish = forms_sub.add_parser(
        "publish", help="sign a form with the organisation key and publish it through the hub"
    )
    publish.add_argument("form", type=Path, metavar="FORM.json")
    from screening.cli.vault_cmd import vault_options  # the vault is only loaded to publish

    vault_options(publish)
    publish.set_defaults(handler=_publish)

    schema = forms_sub.add_parser("schema", help="print the JSON Schema of the form format")
    schema.add_argument("-o", "--output", type=Path, metavar="FILE")
    schema.set_defaults(handler=_schema)


def _validate(args: argparse.Namespace) -> int:
    failed = False
    for path in args.files:
        try:
            form = load_form(path, strict=args.strict)
        except FormError as exc:
            failed = True
            for problem in [*exc.problems, *exc.warnings]:
                print(problem, file=sys.stderr)
        else:
            for warning in form.warnings:
                print(warning, file=sys.stderr)
            awaiting = awaiting_files(form)
            warned = len(form.warnings)
            print(
                f"{path}: ok"
                + (f" with {warned} warning{'s' if warned > 1 else ''}" if warned else "")
                + (f", but it cannot be published: {awaiting}" if awaiting else "")
            )
    return 1 if failed else 0


def _import(args: argparse.Namespace) -> int:
    from screening.forms.compiler import compile_form
    from screening.forms.xlsform import import_xlsform

    result = import_xlsform(args.source, form_id=args.form_id)
    for problem in result.problems:
        print(f"{args.source}: {problem}", file=sys.stderr)
    if result.fatal or result.form is None:
        raise ScreeningError(f"{args.source} could not be imported; nothing was written.")
    _write_json(args.output, result.form.model_dump(mode="json", exclude_defaults=True))
    try:
        compile_form(result.form, str(args.output))
    except FormError as exc:
        for problem in exc.problems:  # its warnings are among the import's problems above
            print(problem, file=sys.stderr)
        # Written anyway so the author can fix it, but it is not usable as it stands.
        raise ScreeningError(
            f"{args.output} was written but does not validate yet; fix the problems above."
        ) from None
    print(f"{args.output}: written ({len(result.problems)} problem(s) reported)")
    return 0


def _publish(args: argparse.Namespace) -> int:
    from screening.canonical import CanonicalJSONError, parse_json
    from screening.cli.vault_cmd import guard_vault_io, unlocked
    from screening.sync import coordinator

    try:
        compiled = load_form(args.form)
    except FormError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        raise ScreeningError(f"{args.form} does not validate; it was not published.") from None
    awaiting = awaiting_files(compiled)
    if awaiting:
        raise ScreeningError(f"{args.form} was not published: {awaiting}.")
    # Not a refusal (ODK runs them), but every laptop will: said once more before it goes.
    for warning in compiled.warnings:
        print(warning, file=sys.stderr)
    try:
        form = parse_json(args.form.read_bytes())
    except (OSError, CanonicalJSONError) as exc:
        raise ScreeningError(f"{args.form} cannot be read: {exc}.") from None

    @guard_vault_io
    def publish() -> tuple[int, dict]:
        with unlocked(args) as vault:
            return coordinator.publish_form(vault, form)

    status, answer = publish()
    what = "Published" if status == 201 else "Already published:"
    print(
        f"{what} form {answer['form_id']} version {answer['version']} "
        f"(hash {answer['form_hash'][:16]}…); laptops install it at their next sync."
    )
    return 0


def _schema(args: argparse.Namespace) -> int:
    from screening.forms.schema import form_json_schema

    text = json.dumps(form_json_schema(), indent=2, ensure_ascii=False) + "\n"
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def _write_json(path: Path, data: object) -> None:
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ScreeningError(f"cannot write {path}: {exc.strerror or exc}.") from None
