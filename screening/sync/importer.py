"""The coordinator's import: pull pages of envelopes, verify, open, import, acknowledge.

Import order for every envelope (docs/protocol.md, "Coordinator"): the hub's description
must match the envelope; the device must be listed by the hub *and* its key attested with an
enrolment code this vault made; the device signature must verify; the envelope must extend
that device's verified chain (sequence and previous hash). Only then is it decrypted, and
the record checked and imported, idempotently by envelope id and interview id, in one
transaction per page together with the new cursor. Acknowledgements follow the commit. The
next page is fetched while one is checked and written.

An envelope of an interview already here is a laptop's update: it replaces the copy here only
when it comes from the same device and its audit trail extends the one imported, and is
refused (`update_conflict`) otherwise; an older one changes nothing
(screening/vault/recordupdate.py). An envelope that cannot be imported is never acknowledged
and never skipped silently: it is kept (ciphertext only) in `sync_rejected`, reported, and
tried again on every sync.

This module runs the pages (pulled one ahead, held ones asked for again, acknowledged after
each commit); the checks of a page are in screening/sync/import_checks.py and its writing in
screening/sync/import_writes.py.
"""

from __future__ import annotations

import base64
import binascii
import logging
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ed25519

from screening.envelope import envelope_hash
from screening.org.orgkeys import OrgKeys
from screening.sync import protocol, state
from screening.sync.coordinator import HubDevice, fetch_devices
from screening.sync.import_checks import EnvelopeChecks, Item, Opener
from screening.sync.import_writes import PageWrites
from screening.sync.report import Progress, SyncReport
from screening.sync.transport import HubSession, is_hex64, is_int, page_items, require
from screening.vault import Vault, audit

log = logging.getLogger("screening.sync")

PAGE = 200
WORKERS = max(2, min(4, os.cpu_count() or 2))  # threads checking envelopes (see check_all)
ACK_BATCH = 1000
REFETCH_LIMIT = 100  # held envelopes asked for again per run (the rest use the kept copy)
REFETCH_GAP = 4  # held cursors this close share a request when asked for again
# Rejections found after the chain link was verified: the envelope is authentic and in its
# place, only its contents could not be used. The chain moves on past it. An update refused
# against the copy here (`update_conflict`) is found later still, while writing the page.
_CHAINED = frozenset({"wrong_org_key", "envelope_decrypt_failed", "bad_record", "update_conflict"})


def _page_validator(after: int) -> Any:
    def valid(body: dict[str, Any]) -> None:
        for e in page_items(body, "envelopes", after):
            require(isinstance(e.get("envelope_id"), str), "id")
            require(isinstance(e.get("device_id"), str), "device")
            require(is_int(e.get("seq"), 1), "seq")
            require(is_hex64(e.get("hash")), "hash")
            require(isinstance(e.get("data"), str), "data")

    return valid


def _decode(e: dict[str, Any]) -> Item:
    try:
        data = base64.b64decode(e["data"].encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        data = b""
    return Item(e["envelope_id"], e["device_id"], e["seq"], e["hash"], e["cursor"], data)


class Importer(EnvelopeChecks, PageWrites):
    """One coordinator sync: pull pages, verify, open, import, acknowledge."""

    def __init__(
        self,
        vault: Vault,
        session: HubSession,
        org: OrgKeys,
        report: SyncReport,
        progress: Progress | None = None,
    ) -> None:
        self.vault = vault
        self.progress = progress
        self.session = session
        self.org = org
        self.report = report
        self.devices: dict[str, HubDevice] = {}
        self._refreshed = False
        self._opener = Opener(org.kem, org.encryption_key_id, org.encryption_private_key)
        self._device_keys: dict[bytes, ed25519.Ed25519PublicKey] = {}
        self._pool: ThreadPoolExecutor | None = None
        self._pending: dict[str, tuple[Any, ...]] = {}  # sync_imports rows not yet written
        self._written: set[str] = set()  # ... and those written in this page's transaction

    # ---- the run -----------------------------------------------------------------------

    def run(self) -> None:
        with ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="import") as pool:
            self._pool = pool
            try:
                self._run()
            finally:
                self._pool = None

    def _run(self) -> None:
        self.acknowledge()
        self.devices = fetch_devices(self.vault, self.session)
        for device in self.devices.values():
            if device.revoked_at is None:  # a revoked device's alerts are dealt with
                self.report.alerts.extend(device.alerts)
        # Held envelopes first, in hub order: a device trusted since, or an envelope the hub
        # now serves intact, lets the chain move on before the new pages are checked.
        self.retry_rejected()
        cursor = state.get_cursor(self.vault, state.META_ENVELOPE_CURSOR)
        # The next page travels while this one is checked and written (the hub reads and
        # sends it on a core of its own meanwhile). Pages are still imported one after
        # another in hub order, each in its own transaction: only the fetching overlaps.
        puller = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pull")
        try:
            pending = puller.submit(self.pull_page, cursor)
            while True:
                items, cursor, more = pending.result()
                if more:
                    pending = puller.submit(self.pull_page, cursor)
                self.report.pulled += len(items)
                self.import_items(items, cursor=cursor)
                self.acknowledge()
                if self.progress is not None:
                    self.progress(self.report.pulled, 0)  # the hub does not say how many remain
                if not more:
                    break
        finally:
            # A run that stops does not wait for a page still on its way; nothing reads it.
            puller.shutdown(wait=False, cancel_futures=True)

    def pull_page(self, after: int) -> tuple[list[Item], int, bool]:
        """The page after `after`: its envelopes, the cursor to ask after next, and whether
        the hub holds more."""
        _, page = self.session.call(
            "GET",
            protocol.PATH_ENVELOPES,
            query={"after": after, "limit": PAGE},
            validate=_page_validator(after),
        )
        return [_decode(e) for e in page["envelopes"]], page["next_cursor"], page["more"]

    def import_items(self, items: list[Item], *, cursor: int) -> None:
        if items:
            marks = ",".join("?" * len(items))
            done = {
                str(r[0])
                for r in self.vault.connection().execute(
                    f"SELECT envelope_id FROM sync_imports WHERE envelope_id IN ({marks})",
                    [i.envelope_id for i in items],
                )
            }
            held = {
                str(r[0])
                for r in self.vault.connection().execute(
                    f"SELECT envelope_id FROM sync_rejected WHERE envelope_id IN ({marks})",
                    [i.envelope_id for i in items],
                )
            }
        else:
            done, held = set(), set()
        fresh = []
        for item in items:
            if item.envelope_id in done:
                self.report.duplicates += 1  # imported before; its ack may still be pending
                continue
            if item.envelope_id in held:
                continue  # retried below, in cursor order with the others held back
            fresh.append(item)
        verdicts = self.check_all(fresh, self.heads(), [False] * len(fresh))
        self.commit(verdicts, cursor=cursor)

    def retry_rejected(self) -> None:
        """Try again what was held back (a device trusted since, a gap filled since).

        Each held envelope is asked for again at its cursor, so bytes the hub served damaged
        once are replaced by what it serves now; the kept copy is used when it cannot say.
        """
        rows = (
            self.vault.connection()
            .execute(
                "SELECT envelope_id, device_id, seq, hub_cursor, code, data FROM sync_rejected"
                " ORDER BY hub_cursor"
            )
            .fetchall()
        )
        if not rows:
            return
        asked = {
            str(envelope_id): int(cursor)
            for envelope_id, _, _, cursor, _, _ in rows[:REFETCH_LIMIT]
        }
        served = self.refetch(asked)
        items, chained = [], []
        for envelope_id, device_id, seq, cursor, code, data in rows:
            items.append(
                served.get(envelope_id)
                or Item(
                    envelope_id,
                    device_id,
                    int(seq),
                    envelope_hash(bytes(data)),
                    cursor,
                    bytes(data),
                )
            )
            chained.append(code in _CHAINED)
        self.commit(self.check_all(items, self.heads(), chained), cursor=None)

    def refetch(self, asked: dict[str, int]) -> dict[str, Item]:
        """What the hub serves now at each held envelope's cursor: for each id, the first
        envelope the hub holds at or after its cursor, if it is that envelope.

        Held envelopes usually sit side by side (a device's run of them, held together), so
        neighbours are asked for with one page request per run instead of one request each;
        a run is cut where the gap to the next held cursor would fetch more than a few
        envelopes nobody asked for.
        """
        cursors = sorted(set(asked.values()))
        runs: list[tuple[int, int]] = []
        for cursor in cursors:
            if runs and cursor - runs[-1][1] <= REFETCH_GAP and cursor - runs[-1][0] < PAGE:
                runs[-1] = (runs[-1][0], cursor)
            else:
                runs.append((cursor, cursor))
        pages: list[Item] = []  # every envelope served for the runs, in cursor order
        for first, last in runs:
            after = first - 1
            while after < last:
                _, page = self.session.call(
                    "GET",
                    protocol.PATH_ENVELOPES,
                    query={"after": after, "limit": last - after},
                    validate=_page_validator(after),
                )
                items = [_decode(e) for e in page["envelopes"]]
                pages.extend(items)
                if not items or not page["more"] or page["next_cursor"] <= after:
                    break
                after = page["next_cursor"]
        served: dict[str, Item] = {}
        ordered = sorted(pages, key=lambda i: i.cursor)
        for envelope_id, cursor in asked.items():
            first_at = next((i for i in ordered if i.cursor >= cursor), None)
            if first_at is not None and first_at.envelope_id == envelope_id:
                served[envelope_id] = first_at
        return served

    def acknowledge(self) -> None:
        while True:
            ids = [
                str(r[0])
                for r in self.vault.connection().execute(
                    "SELECT envelope_id FROM sync_imports WHERE acked_at IS NULL"
                    " ORDER BY hub_cursor LIMIT ?",
                    (ACK_BATCH,),
                )
            ]
            if not ids:
                return
            _, body = self.session.call(
                "POST",
                protocol.PATH_ACK,
                json_body={"envelope_ids": ids},
                validate=_ack_validator(set(ids)),
            )
            if body["unknown"]:
                log.warning("hub no longer holds %d imported envelopes", len(body["unknown"]))
            now = audit.now_iso()
            with self.vault.transaction() as tx:
                tx.executemany(
                    "UPDATE sync_imports SET acked_at = ? WHERE envelope_id = ?",
                    [(now, i) for i in ids],
                )
            self.report.acknowledged += len(ids) - len(body["unknown"])


def _ack_validator(ids: set[str]) -> Any:
    def valid(body: dict[str, Any]) -> None:
        require(is_int(body.get("acknowledged")), "count")
        unknown = body.get("unknown")
        require(isinstance(unknown, list), "unknown")
        require(all(u in ids for u in unknown), "unknown ids")
        require(body["acknowledged"] + len(set(unknown)) == len(ids), "count")

    return valid


def pull_and_import(
    vault: Vault,
    session: HubSession,
    org: OrgKeys,
    report: SyncReport,
    progress: Progress | None = None,
) -> None:
    """Pull, check, open and import everything new; `progress(received, 0)` after each page."""
    Importer(vault, session, org, report, progress).run()


def rejected_envelopes(vault: Vault) -> list[dict[str, Any]]:
    """Envelopes held back, for a person to look at (ids, codes and reasons; no contents)."""
    rows = vault.connection().execute(
        "SELECT envelope_id, device_id, seq, hub_cursor, code, message, first_at, last_at,"
        " attempts FROM sync_rejected ORDER BY hub_cursor"
    )
    names = (
        "envelope_id",
        "device_id",
        "seq",
        "cursor",
        "code",
        "message",
        "first_at",
        "last_at",
        "attempts",
    )
    return [dict(zip(names, row, strict=True)) for row in rows]
