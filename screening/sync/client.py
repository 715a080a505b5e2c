"""`sync(vault)`: one sync run, as a laptop or as the organisation's coordinator.

    from screening.sync.client import sync
    report = sync(vault)               # SyncReport; SyncError/ProtocolError when it stopped

A vault enrolled as a device seals its finished interviews, pushes what the hub does not
hold yet and installs newly published forms. A vault holding the organisation's keys pulls,
verifies, opens and imports envelopes, then acknowledges them. Whatever stops a run (a dead
network, a hub that is down), nothing is lost: the next run carries on from where the vault
says things stand. The error carries the counts of the partial run as `.report`.
"""

from __future__ import annotations

import contextlib
import logging

import httpx

from screening.errors import ScreeningError
from screening.sync import coordinator, importer, keyrotation, laptop, state
from screening.sync.errors import NotSetUp
from screening.sync.protocol import ProtocolError
from screening.sync.report import Progress, SyncReport
from screening.sync.transport import HubSession, RetryPolicy
from screening.vault import Vault, audit

log = logging.getLogger("screening.sync")


def sync_mode(vault: Vault) -> str:
    """The vault's sync role: "device" or "coordinator" (NotSetUp when it has none)."""
    status = state.sync_status(vault)
    if status.mode == "none" or (status.mode == "device" and status.device_id is None):
        raise NotSetUp(
            "This vault is not set up for sync: enrol the laptop with 'screening device "
            "enrol', or create the organisation with 'screening org init'."
        )
    return status.mode


def sync(
    vault: Vault,
    *,
    policy: RetryPolicy | None = None,
    transport: httpx.BaseTransport | None = None,
    progress: Progress | None = None,
) -> SyncReport:
    """One sync run. `progress(done, total)` follows a long transfer: a laptop's envelopes
    as the hub acknowledges them, or the envelopes a coordinator has received (total 0: the
    hub does not say how many remain)."""
    mode = sync_mode(vault)
    report = SyncReport(mode=mode)
    try:
        if mode == "device":
            identity, org = state.require_device(vault)
            keyrotation.check_not_replaced(vault)
            laptop.seal_pending(vault, report)
            # A key replaced since the last sync (a user removed, a backup restored) is
            # registered first: until then the hub knows only the old one.
            keyrotation.register_pending(
                vault, org, identity, report, policy=policy, transport=transport,
                progress=progress,
            )  # fmt: skip
            with HubSession(
                org.hub_url, org.hub_ca_pem, identity.private_key, policy=policy,
                transport=transport,
            ) as session:  # fmt: skip
                try:
                    laptop.push(vault, session, identity, report, progress)
                    laptop.pull_forms(vault, session, org, report)
                except ProtocolError as exc:
                    if exc.code == "key_rotated":  # another copy of the vault rotated it
                        raise keyrotation.mark_replaced(vault, None, exc.code) from None
                    raise
        else:
            keys = state.require_org_keys(vault, "sync as the organisation")
            with coordinator.coordinator_session(
                keys, policy=policy, transport=transport
            ) as session:
                importer.pull_and_import(vault, session, keys, report, progress)
    except ScreeningError as exc:
        exc.report = report  # type: ignore[attr-defined]
        with contextlib.suppress(ScreeningError):
            _record_run(vault, report, failed=exc)
        raise
    _record_run(vault, report, failed=None)
    log.info("sync finished: %s", report.summary())
    return report


def _record_run(vault: Vault, report: SyncReport, failed: ScreeningError | None) -> None:
    if vault.is_locked:
        return
    with vault.transaction() as tx:
        if failed is None:
            state.set_meta(tx, state.META_LAST_SYNC, audit.now_iso())
        if report.busy() or failed is not None:
            code = getattr(failed, "code", None)
            detail = report.summary() + (f"; stopped: {code or 'error'}" if failed else "")
            audit.append(tx, vault.user, "sync_run", None, detail)
