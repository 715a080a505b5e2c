"""Writing a checked page at the coordinator, in one transaction with the new cursor: each
accepted envelope's record imported, or applied as an update to the copy here
(screening/vault/recordupdate.py), or refused and held in `sync_rejected`; the chain heads
and import rows of the page. `Importer` (screening/sync/importer.py) writes each page with
it."""

from __future__ import annotations

import logging
from typing import Any

from screening.sync import state
from screening.sync.import_checks import Verdict
from screening.sync.report import SyncReport
from screening.vault import Vault, audit
from screening.vault.database import Connection
from screening.vault.interchange import has_interview, import_record
from screening.vault.recordupdate import UpdateRefused, apply_update, plan_update

log = logging.getLogger("screening.sync")


class PageWrites:
    """The writing half of `Importer`: the import rows of the page being written."""

    vault: Vault
    report: SyncReport
    _pending: dict[str, tuple[Any, ...]]
    _written: set[str]

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
