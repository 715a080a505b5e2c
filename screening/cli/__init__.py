"""The `screening` command line: one sub-command module per area, errors as one sentence."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from screening.errors import ScreeningError


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

    parser = argparse.ArgumentParser(
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
