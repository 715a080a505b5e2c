"""The `screening` command line: one sub-command module per area, errors as one sentence."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from screening.errors import ScreeningError

# The same table is in README.md ("Exit codes"); a test keeps the two equal.
EXIT_CODES = """\
exit codes:
  0    success
  1    bad input: an option, file, form or answer that cannot be used, or a request the
       vault's current state does not allow
  2    authentication or integrity: wrong user or passphrase, locked out, not allowed for
       your role; a seal, signature or checksum that does not verify; a damaged vault,
       backup or envelope; key slots weaker than the current default
  3    network or protocol: the hub cannot be reached, refused the request, or answered
       outside the protocol
  130  interrupted"""


class Parser(argparse.ArgumentParser):
    """Every command's --help ends with the exit codes; a usage mistake exits 1 (bad input).

    argparse's own default is 2, which here means authentication or integrity.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("epilog", EXIT_CODES)
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(1, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    # Imported here so that `screening --help` stays cheap and each area owns its commands.
    from screening.cli import (
        demo_cmd,
        export_cmd,
        forms_cmd,
        interview_cmd,
        referral_cmd,
        sync_cmd,
        vault_cmd,
    )

    parser = Parser(
        prog="screening",
        description="Screening Desk command line: forms, vault, interviews, sync, export.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for module in (
        forms_cmd,
        interview_cmd,
        vault_cmd,
        demo_cmd,
        sync_cmd,
        export_cmd,
        referral_cmd,
    ):
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except ScreeningError as exc:
        print(f"screening: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("screening: interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
