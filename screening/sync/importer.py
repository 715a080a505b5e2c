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
"""

from __future__ import annotations

import base64
import binascii
import logging
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ed25519

from screening.envelope import (
    GENESIS_HASH,
    Envelope,
    EnvelopeError,
    envelope_hash,
    open_verified,
    verify,
)
from screening.org import keys
from screening.org.orgkeys import OrgKeys
from screening.sync import protocol, state
from screening.sync.coordinator import HubDevice, fetch_devices
from screening.sync.report import Progress, SyncReport
from screening.sync.transport import HubSession, is_hex64, is_int, page_items, require
from screening.vault import Vault, audit
from screening.vault.database import Connection
from screening.vault.interchange import RecordError, check_record, has_interview, import_record
from screening.vault.recordupdate import UpdateRefused, apply_update, plan_update

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


@dataclass(frozen=True, slots=True)
class Item:
    """One envelope as the hub described it, with its bytes."""

    envelope_id: str
    device_id: str
    seq: int
    hash: str
    cursor: int
    data: bytes


@dataclass
class Verdict:
    item: Item
    code: str | None = None  # None: accepted
    message: str = ""
    record: dict[str, Any] | None = None
    chain_head: tuple[int, str] | None = None  # the device's head after this envelope
    signer: bytes | None = None  # the device key its signature verified with

    @property
    def accepted(self) -> bool:
        return self.code is None


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


@dataclass(frozen=True, slots=True)
class _Opener:
    """What `open_envelope` reads from OrgKeys, with the private key loaded once per run
    instead of once per envelope."""

    kem: str
    encryption_key_id: str
    encryption_private_key: Any


class Importer:
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
        self._opener = _Opener(org.kem, org.encryption_key_id, org.encryption_private_key)
        self._device_keys: dict[bytes, ed25519.Ed25519PublicKey] = {}
        self._pool: ThreadPoolExecutor | None = None
        self._pending: dict[str, tuple[Any, ...]] = {}  # sync_imports rows not yet written
        self._written: set[str] = set()  # ... and those written in this page's transaction

    # ---- devices ------------------------------------------------------------------------

    def device(self, device_id: str) -> HubDevice | None:
        if device_id not in self.devices and not self._refreshed:
            # Enrolled since the list was fetched: ask once more in this run.
            self.devices = fetch_devices(self.vault, self.session)
            self._refreshed = True
        return self.devices.get(device_id)

    # ---- checking envelopes ---------------------------------------------------------------

    def check_all(
        self, items: list[Item], heads: dict[str, tuple[int, str]], chained: list[bool]
    ) -> list[Verdict]:
        """Check a page in three steps, in the order every envelope's checks must run:
        authenticate (parse, the hub's description, the device, the signature), then the
        chain link (in hub order, on this thread: each link depends on the one before), then
        open (decrypt, check the record). The first and last run on a thread pool:
        cryptography's signature check and HPKE release the GIL, so they overlap with each
        other and with the Python around them."""
        for item in items:
            self.device(item.device_id)  # here, not on the pool: a refresh asks the hub
        first = list(self._map(self.authenticate, items))
        for (verdict, env, _), is_chained in zip(first, chained, strict=True):
            if verdict.accepted and env is not None and not is_chained:
                self.link(verdict, env, heads)
        return list(self._map(self.unseal, first))

    def _map(self, fn: Any, values: list[Any]) -> Any:
        if self._pool is None or len(values) < 2:
            return map(fn, values)
        return self._pool.map(fn, values)

    def authenticate(
        self, item: Item
    ) -> tuple[Verdict, Envelope | None, ed25519.Ed25519PublicKey | None]:
        verdict = Verdict(item)

        def reject(code: str, message: str) -> tuple[Verdict, None, None]:
            verdict.code, verdict.message = code, message
            return verdict, None, None

        try:
            env = Envelope.from_bytes(item.data)
        except EnvelopeError as exc:
            return reject(exc.code, "it is not a valid envelope")
        header = env.header
        if (
            envelope_hash(item.data) != item.hash
            or header.envelope_id != item.envelope_id
            or header.device_id != item.device_id
            or header.seq != item.seq
        ):
            return reject("hub_mismatch", "the hub's description does not match the envelope")
        device = self.devices.get(header.device_id)
        if device is None:
            return reject("unknown_device", "the hub does not list its device")
        if not device.trusted:
            return reject("untrusted_device", f"its device is not trusted: {device.problem}")
        raw_key = device.key_for_seq(header.seq)  # the key that signed it (after rotations)
        public_key = self._device_keys.get(raw_key)
        if public_key is None:
            public_key = keys.load_ed25519_public(raw_key)
            self._device_keys[raw_key] = public_key
        try:
            verify(env, public_key)
        except EnvelopeError as exc:
            return reject(exc.code, "its device signature does not verify")
        verdict.signer = raw_key
        return verdict, env, public_key

    @staticmethod
    def link(verdict: Verdict, env: Envelope, heads: dict[str, tuple[int, str]]) -> None:
        """The chain check: the envelope must be the next one of its device's chain."""
        header = env.header
        last_seq, last_hash = heads.get(header.device_id, (0, GENESIS_HASH))
        if header.seq > last_seq + 1:
            verdict.code = "sequence_gap"
            verdict.message = f"envelopes {last_seq + 1} to {header.seq - 1} are missing"
        elif header.seq <= last_seq:
            verdict.code = "sequence_fork"
            verdict.message = "another envelope holds its place in the chain"
        elif header.prev_hash != last_hash:
            verdict.code = "chain_mismatch"
            verdict.message = "it does not follow the device's last envelope"
        else:
            verdict.chain_head = (header.seq, verdict.item.hash)
            heads[header.device_id] = verdict.chain_head

    def unseal(
        self, checked: tuple[Verdict, Envelope | None, ed25519.Ed25519PublicKey | None]
    ) -> Verdict:
        """Decrypt and check the record of an envelope authenticated and in its place."""
        verdict, env, _ = checked
        if not verdict.accepted or env is None:
            return verdict
        try:
            record = open_verified(env, self._opener)  # type: ignore[arg-type]
        except EnvelopeError as exc:
            verdict.code = exc.code
            verdict.message = "it cannot be opened with the organisation's key"
            return verdict
        try:
            check_record(record)
        except RecordError as exc:
            verdict.code, verdict.message = "bad_record", exc.message.rstrip(".")
            return verdict
        verdict.record = record
        return verdict

    # ---- writing a page ---------------------------------------------------------------------

    def commit(self, verdicts: list[Verdict], *, cursor: int | None) -> None:
        vault, report = self.vault, self.report
        now = audit.now_iso()
        # The rows every envelope adds to the sync tables, written together once the page's
        # records are in (same transaction): a chain head per device, an import row each.
        heads: dict[str, tuple[int, str]] = {}
        imports = self._pending
        imports.clear()
        self._written.clear()
        with vault.transaction() as tx:
            for v in verdicts:
                item = v.item
                if v.chain_head is not None:
                    heads[item.device_id] = max(heads.get(item.device_id, (0, "")), v.chain_head)
                if v.accepted:
                    assert v.record is not None
                    if (
                        item.envelope_id in imports
                        or item.envelope_id in self._written
                        or tx.execute(
                            "SELECT 1 FROM sync_imports WHERE envelope_id = ?", (item.envelope_id,)
                        ).fetchone()
                    ):
                        report.duplicates += 1
                        continue
                    refusal = self.write_import(tx, v, now)
                    if refusal is None:
                        imports[item.envelope_id] = (
                            item.envelope_id,
                            item.device_id,
                            item.seq,
                            item.hash,
                            v.record["interview"]["id"],
                            item.cursor,
                            now,
                        )
                        continue
                    # Refused against the copy here: held like any other rejection.
                    v.code, v.message = UpdateRefused.code, refusal
                report.rejected += 1
                known = tx.execute(
                    "SELECT 1 FROM sync_rejected WHERE envelope_id = ?", (item.envelope_id,)
                ).fetchone()
                # A conflict is resolved later by a person (screening/sync/conflicts.py): the
                # key that verified it lets the envelope be checked again then, offline.
                signer = v.signer if v.code == UpdateRefused.code else None
                if known:
                    tx.execute(
                        "UPDATE sync_rejected SET code = ?, message = ?, data = ?, last_at = ?,"
                        " attempts = attempts + 1, signer_key = ? WHERE envelope_id = ?",
                        (v.code, v.message, item.data, now, signer, item.envelope_id),
                    )
                else:
                    tx.execute(
                        "INSERT INTO sync_rejected (envelope_id, device_id, seq, hub_cursor,"
                        " code, message, data, first_at, last_at, attempts, signer_key)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)",
                        (
                            item.envelope_id,
                            item.device_id[:64],
                            item.seq,
                            item.cursor,
                            v.code,
                            v.message,
                            item.data,
                            now,
                            now,
                            signer,
                        ),
                    )
                    audit.append(
                        tx,
                        vault.user,
                        "import_refused",
                        item.envelope_id,
                        f"{v.code}: envelope {item.seq} from device {item.device_id[:64]}",
                    )
                report.problem(
                    f"Envelope {item.seq} from device {item.device_id[:64]} "
                    f"({item.envelope_id[:36]}) was not imported: {v.message}."
                )
                log.warning(
                    "envelope not imported: device %s seq %d (%s)",
                    item.device_id[:64],
                    item.seq,
                    v.code,
                )
            tx.executemany(
                "INSERT INTO sync_chains (device_id, last_seq, last_hash) VALUES (?, ?, ?)"
                " ON CONFLICT (device_id) DO UPDATE SET last_seq = excluded.last_seq,"
                " last_hash = excluded.last_hash WHERE excluded.last_seq > last_seq",
                [(device, *head) for device, head in heads.items()],
            )
            self.flush_imports(tx)
            if cursor is not None:
                state.set_meta(tx, state.META_ENVELOPE_CURSOR, str(cursor))

    def flush_imports(self, tx: Connection) -> None:
        """Write the import rows gathered so far (an update reads them: which device sent
        the interview first)."""
        state.record_imports(tx, list(self._pending.values()))
        self._written.update(self._pending)
        self._pending.clear()

    def write_import(self, tx: Connection, v: Verdict, now: str) -> str | None:
        """Import an accepted envelope's record, or apply it to the interview already here;
        the reason it was refused (nothing written) when it must not change that copy."""
        vault, report, item = self.vault, self.report, v.item
        assert v.record is not None
        interview_id = v.record["interview"]["id"]
        origin = f"from device {item.device_id}, envelope {item.seq}"
        if not has_interview(tx, interview_id):
            import_record(
                tx, vault.user, v.record, device_id=item.device_id, detail=origin, checked=True
            )
            report.imported += 1
        else:
            self.flush_imports(tx)
            try:
                plan = plan_update(tx, v.record, device_id=item.device_id)
            except UpdateRefused as exc:
                return exc.reason
            if plan.kind == "update":
                apply_update(
                    tx,
                    vault.user,
                    v.record,
                    plan,
                    device_id=item.device_id,
                    detail=f"{origin}; {len(plan.new_audit)} new laptop audit entries",
                )
                report.updated += 1
            else:
                report.duplicates += 1
                already = "already here" if plan.kind == "same" else "older than the copy here"
                audit.append(
                    tx,
                    vault.user,
                    "import_duplicate",
                    interview_id,
                    f"{already}; envelope {item.seq} from device {item.device_id}",
                )
        return None

    def heads(self) -> dict[str, tuple[int, str]]:
        rows = self.vault.connection().execute(
            "SELECT device_id, last_seq, last_hash FROM sync_chains"
        )
        return {str(d): (int(s), str(h)) for d, s, h in rows}

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
