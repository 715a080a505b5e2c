"""`screening org|hub|device|sync …`: organisation keys, enrolment, devices, and sync.

    screening org init --vault DIR --user NAME --name ORG --hub-url URL [--hub-ca FILE]
                       --out ORG.json
    screening org export --vault DIR --user NAME --out ORG.json
    screening hub enrol-code --vault DIR --user NAME [--days N]
    screening device enrol --vault DIR --user NAME --org ORG.json --code CODE
    screening device list --vault DIR --user NAME [--json]
    screening device revoke DEVICE_ID --vault DIR --user NAME
    screening sync --vault DIR --user NAME [--json]
    screening sync --held --vault DIR --user NAME [--json]
    screening sync resolve ENVELOPE_ID --keep local|incoming --vault DIR --user NAME

Every command unlocks the vault with the user's passphrase (a hidden prompt, or one line on
standard input with --passphrase-stdin). Errors are one sentence on stderr: exit code 2 for
a refusal (wrong passphrase, role, file), 3 when the hub refused or could not be reached
(nothing is lost; run it again later). See docs/sync.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from screening.cli.vault_cmd import guard_vault_io, unlocked, vault_options
from screening.cli.wording import count
from screening.errors import ScreeningError


def _write_new_file(path: Path, data: bytes) -> None:
    """Write `path` atomically (temp file, fsync, rename); refuse to replace a file."""
    if path.exists():
        raise ScreeningError(f"{path} already exists; choose another file name.")
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


# ----------------------------------------------------------------------------------- org


@guard_vault_io
def _org_init(args: argparse.Namespace) -> int:
    from screening.org.orgfile import OrgFileError, check_ca_pem, check_hub_url
    from screening.sync import coordinator

    out = Path(args.out)
    if out.exists():
        raise ScreeningError(f"{out} already exists; choose another --out file.")
    check_hub_url(args.hub_url)
    ca_pem = None
    if args.hub_ca:
        try:
            ca_pem = Path(args.hub_ca).read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError) as exc:
            raise OrgFileError(f"The hub CA file {args.hub_ca} cannot be read: {exc}.") from None
        check_ca_pem(ca_pem)
    with unlocked(args) as vault:
        org = coordinator.init_org(vault, args.name, args.hub_url, ca_pem)
    try:
        _write_new_file(out, org.public.to_json_bytes())
    except OSError as exc:
        raise ScreeningError(
            f"The organisation keys are in the vault, but {out} could not be written "
            f"({exc.strerror}); write it with 'screening org export'."
        ) from None
    print(f"Created the organisation keys of {org.public.name} in the vault {args.vault}.")
    print(f"Wrote the organisation file {out} (give it to the hub and to each laptop).")
    print(f"Fingerprint: {org.public.fingerprint}")
    print("The organisation key is now this vault's recovery key.")
    return 0


@guard_vault_io
def _org_export(args: argparse.Namespace) -> int:
    from screening.sync import state

    out = Path(args.out)
    if out.exists():
        raise ScreeningError(f"{out} already exists; choose another --out file.")
    with unlocked(args) as vault:
        org = state.org_public(vault)
    if org is None:
        from screening.sync.errors import NotSetUp

        raise NotSetUp("This vault belongs to no organisation yet: run 'screening org init'.")
    _write_new_file(out, org.to_json_bytes())
    print(f"Wrote the organisation file of {org.name} to {out}; fingerprint {org.fingerprint}.")
    return 0


# ----------------------------------------------------------------------------------- hub


@guard_vault_io
def _enrol_code(args: argparse.Namespace) -> int:
    from screening.sync import coordinator, state

    with unlocked(args) as vault:
        code, expires = coordinator.create_enrol_code(vault, days=args.days)
        org = state.org_public(vault)
    print(code)
    sys.stdout.flush()
    fingerprint = f" (fingerprint {org.fingerprint})" if org else ""
    print(
        f"One-time code for enrolling one laptop, valid until {expires}; give it together "
        f"with the organisation file{fingerprint}.",
        file=sys.stderr,
    )
    return 0


# -------------------------------------------------------------------------------- device


@guard_vault_io
def _device_enrol(args: argparse.Namespace) -> int:
    from screening.org.orgfile import load_org_file
    from screening.sync import laptop

    org = load_org_file(args.org)  # verified before anything is unlocked or stored
    with unlocked(args) as vault:
        identity = laptop.enrol_device(vault, org, args.code)
    print(f"Enrolled this laptop as device {identity.device_id} with {org.name}.")
    print(f"Organisation fingerprint: {org.fingerprint}")
    print("The organisation key is now this vault's recovery key.")
    return 0


@guard_vault_io
def _device_revoke(args: argparse.Namespace) -> int:
    from screening.sync import coordinator

    with unlocked(args) as vault:
        revoked_at = coordinator.revoke_device(vault, args.device_id)
    print(f"Revoked device {args.device_id} at the hub ({revoked_at}); it can no longer sync.")
    return 0


@guard_vault_io
def _device_list(args: argparse.Namespace) -> int:
    from screening.sync import coordinator

    with unlocked(args) as vault:
        devices = coordinator.list_devices(vault)
    if args.json:
        print(json.dumps([d.to_json() for d in devices], indent=2))
        return 0
    if not devices:
        print("No devices are enrolled.")
    for d in devices:
        state = "revoked " + str(d.revoked_at) if d.revoked_at else "active"
        trust = "trusted" if d.trusted else f"NOT TRUSTED: {d.problem}"
        rotated = len(d.key_chain) - 1
        keys_note = f"  key replaced {rotated} time(s)" if rotated > 0 else ""
        print(
            f"{d.device_id}  enrolled {d.enrolled_at}  {state}  {d.last_seq} envelopes  "
            f"{trust}{keys_note}"
        )
        for alert in d.alerts:
            print(f"  ALERT: {alert}")
    return 0


# ---------------------------------------------------------------------------------- sync


@guard_vault_io
def _sync(args: argparse.Namespace) -> int:
    from screening.sync.client import sync

    if args.action is not None:
        return _resolve(args)
    if args.envelope_id is not None:
        raise ScreeningError(f"Unexpected '{args.envelope_id}': did you mean 'sync resolve'?")
    with unlocked(args) as vault:
        if args.held:
            return _held(vault, as_json=args.json)
        try:
            report = sync(vault)
        except ScreeningError as exc:
            partial = getattr(exc, "report", None)
            if args.json and partial is not None:
                payload = partial.to_json()
                payload["error"] = {"code": getattr(exc, "code", "error"), "message": exc.message}
                print(json.dumps(payload, indent=2, ensure_ascii=False))
            raise
    if args.json:
        print(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        for line in _describe(report):
            print(line)
        for problem in report.problems:
            print(f"problem: {problem}", file=sys.stderr)
        for alert in report.alerts:
            print(f"ALERT: {alert}", file=sys.stderr)
    if report.alerts and not report.rejected:
        raise ScreeningError(
            f"{len(report.alerts)} alert(s) about devices' keys need a coordinator to act "
            "(see above; 'screening device list' shows each device).",
            exit_code=1,
        )
    if report.rejected:
        raise ScreeningError(
            f"{report.rejected} item(s) were refused and need a person to look "
            "(they are kept and tried again on every sync).",
            exit_code=1,
        )
    return 0


def _held(vault: Any, *, as_json: bool) -> int:
    """What the coordinator holds back: ids, codes and reasons only, never contents."""
    from screening.sync import state
    from screening.sync.importer import rejected_envelopes

    if state.sync_status(vault).mode != "coordinator":
        raise ScreeningError(
            "Only the organisation's coordinator vault holds envelopes back; this vault does not."
        )
    held = rejected_envelopes(vault)
    if as_json:
        print(json.dumps(held, indent=2, ensure_ascii=False))
        return 0
    if not held:
        print("Nothing is held back: every envelope received was imported.")
    for h in held:
        print(
            f"envelope {h['envelope_id']}  device {h['device_id']}  seq {h['seq']}  "
            f"{h['code']}: {h['message']}  (tried {h['attempts']} time(s), last {h['last_at']})"
        )
    if any(h["code"] == "update_conflict" for h in held):
        print(
            "A conflict between two copies is resolved by choosing one: "
            "screening sync resolve ENVELOPE_ID --keep local|incoming (or in the app)."
        )
    return 0


def _resolve(args: argparse.Namespace) -> int:
    """`sync resolve ID --keep local|incoming`: a coordinator's choice on a held conflict."""
    from screening.sync.conflicts import CHOICES, resolve_conflict

    if args.action != "resolve":
        raise ScreeningError(f"Unknown sync action '{args.action}'; the one action is 'resolve'.")
    if not args.envelope_id:
        raise ScreeningError(
            "Name the held envelope to resolve: 'screening sync --held' lists their ids."
        )
    if args.keep not in CHOICES:
        raise ScreeningError(
            "Say which copy to keep: --keep local (the copy here) or --keep incoming "
            "(the laptop's copy)."
        )
    if args.held:
        raise ScreeningError("--held lists held envelopes; leave it out when resolving one.")
    with unlocked(args) as vault:
        done = resolve_conflict(vault, args.envelope_id, args.keep)
    if args.json:
        print(json.dumps({"envelope_id": done.envelope_id, "interview_id": done.interview_id,
                          "kept": done.choice, "resolved_at": done.resolved_at}))  # fmt: skip
    elif done.choice == "local":
        print(
            f"Kept the copy here of interview {done.interview_id}; the laptop's copy "
            f"(envelope {done.envelope_id}) is kept in the vault, set aside."
        )
    else:
        print(
            f"Took the laptop's copy of interview {done.interview_id} (envelope "
            f"{done.envelope_id}); the copy it replaced is kept in the vault, set aside."
        )
    return 0


def _describe(report: Any) -> list[str]:
    if report.mode == "device":
        return [
            f"Sealed {count(report.sealed, 'finished interview')}; sent"
            f" {count(report.pushed, 'envelope')}; the hub acknowledged {report.acknowledged}.",
            f"Received {count(report.pulled, 'form')}; installed {report.imported}; refused "
            f"{report.rejected}.",
        ]
    return [
        f"Received {count(report.pulled, 'envelope')}; imported"
        f" {count(report.imported, 'interview')}; updated {report.updated};"
        f" {report.duplicates} already here; refused {report.rejected}.",
        f"Acknowledged {count(report.acknowledged, 'envelope')} to the hub.",
    ]


# ------------------------------------------------------------------------------ parsers


def _days(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("must be a whole number of days") from None
    if not 1 <= value <= 30:
        raise argparse.ArgumentTypeError("must be 1 to 30 days")
    return value


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    org = sub.add_parser("org", help="the organisation's keys (coordinator)")
    org_actions = org.add_subparsers(dest="org_command", metavar="ACTION")
    org_actions.required = True
    init = org_actions.add_parser(
        "init",
        help="create the organisation keys in this vault and write the organisation file",
    )
    vault_options(init)
    init.add_argument("--name", required=True, metavar="ORG", help="the organisation's name")
    init.add_argument("--hub-url", required=True, metavar="URL", help="https://hub.example.org")
    init.add_argument("--hub-ca", metavar="FILE", help="the hub's CA certificate (PEM) to pin")
    init.add_argument("--out", required=True, metavar="ORG.json", help="organisation file")
    init.set_defaults(handler=_org_init)
    export = org_actions.add_parser("export", help="write the organisation file again")
    vault_options(export)
    export.add_argument("--out", required=True, metavar="ORG.json")
    export.set_defaults(handler=_org_export)

    hub = sub.add_parser("hub", help="talk to the sync hub as the organisation")
    hub_actions = hub.add_subparsers(dest="hub_command", metavar="ACTION")
    hub_actions.required = True
    code = hub_actions.add_parser("enrol-code", help="make a one-time code to enrol a laptop")
    vault_options(code)
    code.add_argument("--days", type=_days, default=7, help="valid for N days (1-30, default 7)")
    code.set_defaults(handler=_enrol_code)

    device = sub.add_parser("device", help="enrol this laptop; list or revoke devices")
    device_actions = device.add_subparsers(dest="device_command", metavar="ACTION")
    device_actions.required = True
    enrol = device_actions.add_parser("enrol", help="enrol this laptop with a one-time code")
    vault_options(enrol)
    enrol.add_argument("--org", required=True, type=Path, metavar="ORG.json")
    enrol.add_argument("--code", required=True, metavar="CODE")
    enrol.set_defaults(handler=_device_enrol)
    listing = device_actions.add_parser("list", help="devices enrolled at the hub (coordinator)")
    vault_options(listing)
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=_device_list)
    revoke = device_actions.add_parser("revoke", help="revoke a lost or stolen laptop")
    revoke.add_argument("device_id", metavar="DEVICE_ID")
    vault_options(revoke)
    revoke.set_defaults(handler=_device_revoke)

    run = sub.add_parser(
        "sync",
        help="send finished interviews and get forms (laptop); import interviews (coordinator)",
    )
    vault_options(run)
    run.add_argument("--json", action="store_true", help="print the counts as JSON")
    run.add_argument(
        "--held",
        action="store_true",
        help="list the envelopes held back for a person to look at, instead of syncing "
        "(coordinator)",
    )
    run.add_argument(
        "action", nargs="?", metavar="resolve", help="resolve a held conflict (coordinator)"
    )
    run.add_argument("envelope_id", nargs="?", metavar="ENVELOPE_ID", help="the held envelope")
    run.add_argument(
        "--keep", metavar="local|incoming", help="with resolve: which copy of the interview stays"
    )
    run.set_defaults(handler=_sync)
