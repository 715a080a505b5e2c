"""`screening interview link`: record that two interviews are of one person (audited)."""

from __future__ import annotations

import argparse

from screening.cli.vault_cmd import guard_vault_io, unlocked, vault_options


def register(interview_sub: argparse._SubParsersAction) -> None:
    link = interview_sub.add_parser(
        "link",
        help="record that two interviews are of one person (coordinators and admins)",
        description=(
            "Link two interviews of one person, for example a rapid screening and the full"
            " interview that followed it. Exports then count the person once (the newest"
            " completed interview). The link and its reason go into the audit log."
        ),
    )
    vault_options(link)
    link.add_argument("first", metavar="INTERVIEW_ID")
    link.add_argument("second", metavar="INTERVIEW_ID")
    link.add_argument(
        "--reason", required=True, help="why they are one person (kept in the audit log)"
    )
    link.set_defaults(handler=_link)


@guard_vault_io
def _link(args: argparse.Namespace) -> int:
    with unlocked(args, "Passphrase") as vault:
        vault.link_interviews(args.first, args.second, args.reason)
        linked = vault.interviews_of_person(args.first)
    print(f"Linked: {len(linked)} interviews of one person ({', '.join(linked)}).")
    return 0
