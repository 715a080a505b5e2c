"""`screening demo seed`: fill a vault with realistic synthetic interviews."""

from __future__ import annotations

import argparse
import sys

from screening.cli.vault_cmd import guard_vault_io, unlocked, vault_options
from screening.errors import ScreeningError


def register(sub: argparse._SubParsersAction) -> None:
    demo = sub.add_parser("demo", help="synthetic demo data for training and benchmarks")
    actions = demo.add_subparsers(dest="demo_command", metavar="ACTION")
    actions.required = True
    seed = actions.add_parser(
        "seed", help="add synthetic interviews (no real person) to a vault, answer by answer"
    )
    vault_options(seed)
    seed.add_argument("--count", type=int, required=True, metavar="N")
    seed.add_argument("--seed", type=int, default=None, metavar="S", help="for repeatable data")
    seed.set_defaults(handler=_seed)


@guard_vault_io
def _seed(args: argparse.Namespace) -> int:
    from screening.demo.seed import seed_vault

    if not 1 <= args.count <= 1_000_000:
        raise ScreeningError("--count must be between 1 and 1,000,000.")
    with unlocked(args, "Passphrase") as vault:
        tally = seed_vault(vault, args.count, args.seed)
    print(f"Added {args.count} synthetic interviews:")
    for label, number in sorted(tally.items()):
        print(f"  {number:>6}  {label}")
    sys.stdout.flush()
    return 0
