"""1,000 envelopes through a hostile network and a hub restarted mid-push, on SQLite and on
PostgreSQL: the hub and the coordinator end with exactly 1,000, no duplicates, chains intact.

Two laptops push 500 interviews each while the coordinator pulls, all at once, through the
fault proxy (tests/screening/sync/faultproxy.py): every request and every response may be
dropped, duplicated, delayed or reordered, each with probability 0.25. When the hub holds
about a third of the envelopes it is stopped and started again. Sync runs that give up
("the hub could not be reached") are simply run again, as the app does. Laptops push in
batches of BATCH here (64 normally), so that batches are cut short, repeated and overtaken
hundreds of times.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from screening.envelope import GENESIS_HASH, Envelope, envelope_hash
from screening.sync import laptop as laptop_sync
from screening.sync import state
from screening.sync.client import sync
from screening.sync.errors import SyncError
from screening.sync.transport import RetryPolicy
from screening.vault import Vault
from tests.screening.sync.faultproxy import FAULTS, FaultProxy
from tests.screening.sync.rig import (
    HubRig,
    completed_interview,
    coordinator_vault,
    enrolled_laptop,
    org_of,
)

PER_LAPTOP = 500
LAPTOPS = 2
TOTAL = PER_LAPTOP * LAPTOPS
RATE = 0.25
FLAKY = RetryPolicy(attempts=6, base_delay=0.005, max_delay=0.05, timeout=10, connect_timeout=5)
DEADLINE = 150.0
BATCH = 4


def _until_done(work: Any, done: Any, errors: list[BaseException], deadline: float) -> None:
    """Run sync again and again, as the app would, until `done()`; note failures that
    retrying cannot fix."""
    while time.monotonic() < deadline:
        try:
            work()
        except SyncError as exc:
            if not exc.retryable:
                errors.append(exc)
                return
            continue
        except BaseException as exc:
            errors.append(exc)
            return
        if done():
            return
    errors.append(TimeoutError("sync did not finish in time"))


def _retrying(fn: Any) -> Any:
    for _ in range(100):
        try:
            return fn()
        except SyncError as exc:
            if not exc.retryable:
                raise
    raise TimeoutError("gave up")


@pytest.mark.slow
def test_a_thousand_envelopes_survive_a_hostile_network_and_a_hub_restart(
    tmp_path: Path, tls: Any, database_url: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(laptop_sync, "PUSH_BATCH", BATCH)
    started = time.monotonic()
    rig = HubRig(tmp_path / "hub", tls, database_url)
    proxy = FaultProxy(tls, rig.port, rate=RATE).start()
    coord = coordinator_vault(tmp_path / "coordinator", proxy.url, rig.ca_pem)
    org_file = tmp_path / "org.json"
    org_file.write_bytes(org_of(coord).public.to_json_bytes())
    rig.init(org_file)
    rig.start()
    laptops: list[Vault] = []
    try:
        for n in range(LAPTOPS):
            # Enrolment goes through the hostile network too (the same key and code are
            # simply presented again until an answer gets through).
            folder = tmp_path / f"laptop{n}"
            laptops.append(_retrying(lambda f=folder: enrolled_laptop(f, coord, policy=FLAKY)))
        made: dict[int, list[str]] = {}
        for n, lap in enumerate(laptops):
            made[n] = [completed_interview(lap, i + n * PER_LAPTOP) for i in range(PER_LAPTOP)]
        expected = {iid for ids in made.values() for iid in ids}
        setup = time.monotonic() - started

        deadline = time.monotonic() + DEADLINE
        errors: list[BaseException] = []
        laptops_done = threading.Event()

        def laptop_done(vault: Vault) -> Any:
            def done() -> bool:
                status = state.sync_status(vault)
                return status.waiting_to_seal == 0 and status.waiting_for_ack == 0

            return done

        def coordinator_done() -> bool:
            rows = (
                coord.connection()
                .execute("SELECT count(*), count(acked_at) FROM sync_imports")
                .fetchone()
            )
            return laptops_done.is_set() and tuple(rows) == (TOTAL, TOTAL)

        def restart_mid_push() -> None:
            while time.monotonic() < deadline:
                if len(rig.envelopes()) >= TOTAL // 3:
                    rig.restart()
                    return
                time.sleep(0.05)

        workers = [
            threading.Thread(
                target=_until_done,
                args=(lambda v=lap: sync(v, policy=FLAKY), laptop_done(lap), errors, deadline),
            )
            for lap in laptops
        ]
        puller = threading.Thread(
            target=_until_done,
            args=(lambda: sync(coord, policy=FLAKY), coordinator_done, errors, deadline),
        )
        restarter = threading.Thread(target=restart_mid_push)
        for t in [*workers, puller, restarter]:
            t.start()
        for t in workers:
            t.join()
        laptops_done.set()
        puller.join()
        restarter.join()
        assert not errors, errors
        elapsed = time.monotonic() - started

        # The hub: exactly 1,000, one per interview, each device's chain unbroken, all acked.
        stored = rig.envelopes()
        assert len(stored) == TOTAL
        assert len({e.envelope_id for e in stored}) == TOTAL
        chains: dict[str, list[Any]] = defaultdict(list)
        for row in stored:
            chains[row.device_id].append(row)
        assert sorted(len(c) for c in chains.values()) == [PER_LAPTOP] * LAPTOPS
        for rows in chains.values():
            prev = GENESIS_HASH
            for seq, row in enumerate(sorted(rows, key=lambda r: r.seq), start=1):
                header = Envelope.from_bytes(row.body).header
                assert (row.seq, header.seq, header.prev_hash) == (seq, seq, prev)
                assert envelope_hash(row.body) == row.hash
                prev = row.hash
        assert all(row.acked_at is not None for row in stored)

        # The coordinator: exactly the 1,000 interviews, each once, answers intact.
        imported = (
            coord.connection()
            .execute(
                "SELECT count(*), count(DISTINCT envelope_id), count(DISTINCT interview_id)"
                " FROM sync_imports"
            )
            .fetchone()
        )
        assert tuple(imported) == (TOTAL, TOTAL, TOTAL)
        assert coord.count_interviews() == TOTAL
        assert {s.id for s in coord.list_interviews()} == expected
        assert coordinator_rejected(coord) == 0
        heads = dict(
            coord.connection().execute("SELECT device_id, last_seq FROM sync_chains").fetchall()
        )
        assert sorted(heads.values()) == [PER_LAPTOP] * LAPTOPS
        for n, lap in enumerate(laptops):
            for iid in made[n][:: PER_LAPTOP // 25]:
                assert coord.answers(iid) == lap.answers(iid)
                assert coord.get_interview(iid).created_at == lap.get_interview(iid).created_at
            assert all(s.delivered for s in lap.list_interviews())
            lap.verify_audit()
        coord.verify_audit()

        # The network really was hostile, and the hub really restarted mid-push.
        requests = proxy.stats["requests"]
        rates = {name: proxy.stats[name] / requests for name in FAULTS}
        assert requests > 2 * TOTAL / BATCH
        assert all(rate >= 0.2 for rate in rates.values()), rates
        assert proxy.stats["stale_requests"] > 0 and proxy.stats["overtaken_responses"] > 0
        assert rig.restarts == 1
        print(
            f"\n{'postgresql' if database_url else 'sqlite'}: setup {setup:.1f}s, total "
            f"{elapsed:.1f}s, {requests} requests through the proxy, fault rates "
            + ", ".join(f"{k} {v:.2f}" for k, v in rates.items())
        )
    finally:
        for lap in laptops:
            lap.lock()
        coord.lock()
        rig.stop()
        proxy.stop()


def coordinator_rejected(coord: Vault) -> int:
    return int(coord.connection().execute("SELECT count(*) FROM sync_rejected").fetchone()[0])
