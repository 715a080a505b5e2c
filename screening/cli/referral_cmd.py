"""`screening referral …`: service providers, referrals, status changes and referral slips.

Coordinators and admins only. Ids may be given in full or as a unique prefix (at least six
characters), as `interview list` and `referral list` print them.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from screening.cli.export_cmd import parse_day
from screening.cli.vault_cmd import guard_vault_io, unlocked, vault_options
from screening.errors import ScreeningError

if TYPE_CHECKING:
    from screening.referrals import Referrals
    from screening.vault import Vault

# Spelled out so that building the parser stays cheap; a test keeps them equal to the domain.
KINDS = ("shelter", "medical", "psychosocial", "legal_aid", "avrr", "child_protection")
STATUSES = ("sent", "accepted", "declined", "closed")
URGENCIES = ("routine", "urgent", "emergency")
CONSENT = ("person", "guardian", "best_interests")
NEEDS = (
    "safety", "medical", "psychosocial", "shelter", "legal", "avrr", "family_contact",
    "family_tracing", "guardian", "child_protection", "education", "material", "work_training",
)  # fmt: skip
SLIP_LANGUAGES = ("en", "cnr", "fr", "ar")


def register(sub: argparse._SubParsersAction) -> None:
    referral = sub.add_parser("referral", help="service providers and referrals (coordinators)")
    actions = referral.add_subparsers(dest="referral_command", metavar="ACTION")
    actions.required = True

    providers = actions.add_parser("providers", help="list the service providers")
    vault_options(providers)
    providers.add_argument("--kind", choices=KINDS)
    providers.add_argument("--all", action="store_true", help="include inactive providers")
    providers.add_argument("--json", action="store_true")
    providers.set_defaults(handler=_providers)

    add = actions.add_parser("add-provider", help="add a service provider to the directory")
    vault_options(add)
    add.add_argument("--name", required=True)
    add.add_argument("--kind", required=True, choices=KINDS)
    add.add_argument("--contact", help="the organisation's phone, e-mail or address")
    add.add_argument("--languages", help="languages served, comma-separated codes")
    add.add_argument("--notes")
    add.set_defaults(handler=_add_provider)

    update = actions.add_parser("update-provider", help="change or deactivate a provider")
    vault_options(update)
    update.add_argument("--id", required=True, dest="provider")
    update.add_argument("--name")
    update.add_argument("--contact")
    update.add_argument("--languages")
    update.add_argument("--notes")
    update.add_argument("--active", choices=("yes", "no"))
    update.set_defaults(handler=_update_provider)

    listing = actions.add_parser("list", help="list referrals, newest first")
    vault_options(listing)
    listing.add_argument("--interview", metavar="ID")
    listing.add_argument("--provider", metavar="ID")
    listing.add_argument("--status", choices=STATUSES)
    listing.add_argument("--limit", type=int, default=None, metavar="N")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=_list)

    create = actions.add_parser("create", help="record a referral of an interview (status sent)")
    vault_options(create)
    create.add_argument("--interview", required=True, metavar="ID")
    create.add_argument("--provider", required=True, metavar="ID")
    create.add_argument(
        "--consent",
        required=True,
        choices=CONSENT,
        help="person: the person agreed; guardian: a parent or guardian agreed (child);"
        " best_interests: a child referred to child protection",
    )
    create.add_argument(
        "--contact", required=True, help="how the provider reaches you (printed on the slip)"
    )
    create.add_argument(
        "--needs",
        help="comma-separated need codes (default: those the interview's answers suggest): "
        + ", ".join(NEEDS),
    )
    create.add_argument("--urgency", choices=URGENCIES)
    create.add_argument("--language", help="the person's language code, e.g. tigrinya")
    create.add_argument("--interpreter", choices=("yes", "no"))
    create.add_argument("--interpreter-language", metavar="CODE")
    create.add_argument(
        "--include-identity",
        action="store_true",
        help="print the person's name, age and sex on the slip (audited)",
    )
    create.add_argument("--date", help="the day the referral was sent (default: now)")
    create.set_defaults(handler=_create)

    status = actions.add_parser("status", help="record that a referral was accepted, ...")
    vault_options(status)
    status.add_argument("--id", required=True, dest="referral")
    status.add_argument("--status", required=True, choices=STATUSES[1:])
    status.add_argument("--date", help="the day it happened (default: now)")
    status.set_defaults(handler=_status)

    identity = actions.add_parser("identity", help="include or remove the name on the slip")
    vault_options(identity)
    identity.add_argument("--id", required=True, dest="referral")
    choice = identity.add_mutually_exclusive_group(required=True)
    choice.add_argument("--include", action="store_true")
    choice.add_argument("--exclude", action="store_true")
    identity.set_defaults(handler=_identity)

    slip = actions.add_parser("slip", help="write the referral slip as PDF")
    vault_options(slip)
    slip.add_argument("--id", required=True, dest="referral")
    slip.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")
    slip.add_argument("--lang", choices=SLIP_LANGUAGES, default="en")
    slip.set_defaults(handler=_slip)


@contextmanager
def _opened(args: argparse.Namespace) -> Iterator[tuple[Vault, Referrals]]:
    """The unlocked vault and its referral book; the vault is locked again however the
    command ends."""
    from screening.referrals import Referrals

    with unlocked(args, "Passphrase") as vault:
        yield vault, Referrals(vault)


def resolve(vault: Vault, table: str, given: str, what: str) -> str:
    """A full id from a unique prefix of at least six characters."""
    given = given.strip()
    if len(given) < 6:
        raise ScreeningError(f"Give at least six characters of the {what} id.")
    pattern = given.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    rows = (
        vault.connection()
        .execute(f"SELECT id FROM {table} WHERE id LIKE ? ESCAPE '\\' LIMIT 2", (pattern,))
        .fetchall()
    )
    if not rows:
        raise ScreeningError(f"There is no {what} {given} in this vault.")
    if len(rows) > 1:
        raise ScreeningError(f"More than one {what} id starts with {given}; give more of it.")
    return str(rows[0][0])


def _codes(text: str | None) -> list[str] | None:
    if text is None:
        return None
    return [part.strip() for part in text.split(",") if part.strip()]


def _print_json(items: list[Any]) -> None:
    json.dump([asdict(item) for item in items], sys.stdout, ensure_ascii=False, indent=2)
    print()


@guard_vault_io
def _providers(args: argparse.Namespace) -> int:
    with _opened(args) as (_vault, book):
        items = book.providers(kind=args.kind, include_inactive=args.all)
    if args.json:
        _print_json(items)
        return 0
    if not items:
        print("No providers yet: add one with 'screening referral add-provider'.")
    for p in items:
        state = "" if p.active else "  (inactive)"
        contact = f"  {p.contact}" if p.contact else ""
        print(f"{p.id[:8]}  {p.kind:<16} {p.name}{contact}{state}")
    return 0


@guard_vault_io
def _add_provider(args: argparse.Namespace) -> int:
    with _opened(args) as (_vault, book):
        provider = book.add_provider(
            args.name,
            args.kind,
            contact=args.contact,
            languages=_codes(args.languages) or [],
            notes=args.notes,
        )
    print(f"Added provider {provider.id} ({provider.kind}): {provider.name}")
    return 0


@guard_vault_io
def _update_provider(args: argparse.Namespace) -> int:
    with _opened(args) as (vault, book):
        provider = book.update_provider(
            resolve(vault, "providers", args.provider, "provider"),
            name=args.name,
            contact=args.contact,
            languages=_codes(args.languages),
            notes=args.notes,
            active=None if args.active is None else args.active == "yes",
        )
    state = "active" if provider.active else "inactive"
    print(f"Provider {provider.id} ({provider.kind}, {state}): {provider.name}")
    return 0


@guard_vault_io
def _list(args: argparse.Namespace) -> int:
    with _opened(args) as (vault, book):
        items = book.list(
            interview_id=resolve(vault, "interviews", args.interview, "interview")
            if args.interview
            else None,
            provider_id=resolve(vault, "providers", args.provider, "provider")
            if args.provider
            else None,
            status=args.status,
            limit=args.limit,
        )
    if args.json:
        _print_json(items)
        return 0
    if not items:
        print("No referrals.")
    for r in items:
        print(
            f"{r.id[:8]}  {r.case_code}  {r.status:<8} {r.sent_at[:10]}  {r.urgency:<9}"
            f" {r.provider_kind:<16} {r.provider_name}  interview {r.interview_id[:8]}"
        )
    return 0


@guard_vault_io
def _create(args: argparse.Namespace) -> int:
    with _opened(args) as (vault, book):
        referral = book.create(
            resolve(vault, "interviews", args.interview, "interview"),
            resolve(vault, "providers", args.provider, "provider"),
            consent=args.consent,
            referrer_contact=args.contact,
            needs=_codes(args.needs),
            urgency=args.urgency,
            language=args.language,
            interpreter_needed=None if args.interpreter is None else args.interpreter == "yes",
            interpreter_language=args.interpreter_language,
            include_identity=args.include_identity,
            sent_at=parse_day(args.date, "--date"),
        )
    print(
        f"Referral {referral.id} sent to {referral.provider_name}: case code"
        f" {referral.case_code}, {referral.urgency}, needs {', '.join(referral.needs)}."
    )
    if referral.include_identity:
        print("The slip will show the person's name, age and sex (recorded in the audit log).")
    return 0


@guard_vault_io
def _status(args: argparse.Namespace) -> int:
    with _opened(args) as (vault, book):
        referral = book.set_status(
            resolve(vault, "referrals", args.referral, "referral"),
            args.status,
            at=parse_day(args.date, "--date"),
        )
    print(f"Referral {referral.id} is now {referral.status}.")
    return 0


@guard_vault_io
def _identity(args: argparse.Namespace) -> int:
    with _opened(args) as (vault, book):
        referral = book.set_identity(
            resolve(vault, "referrals", args.referral, "referral"), bool(args.include)
        )
    shown = "will show" if referral.include_identity else "will not show"
    print(f"The slip of referral {referral.id} {shown} the person's name.")
    return 0


@guard_vault_io
def _slip(args: argparse.Namespace) -> int:
    if not args.out.parent.is_dir():
        raise ScreeningError(f"The folder {args.out.parent} does not exist.")
    with _opened(args) as (vault, book):
        path = book.write_slip(
            resolve(vault, "referrals", args.referral, "referral"), args.out, language=args.lang
        )
    print(f"Wrote the referral slip to {path}.")
    return 0
