"""`screening-hub`: the sync hub's command line.

The hub itself is built under the sync issue; until then the command says so plainly rather
than pretending to serve.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="screening-hub", description="Screening Desk sync hub")
    parser.add_argument("command", nargs="?", choices=["init", "serve", "dev-cert"])
    args, _ = parser.parse_known_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    print(f"screening-hub: '{args.command}' is not available in this version yet.", file=sys.stderr)
    return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
