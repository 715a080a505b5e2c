"""Acknowledging envelopes (POST /v1/envelopes/ack, `Tx.ack`) on both databases: which ids
count, idempotence, the first acknowledgement time kept, what may not be acknowledged, and one
statement per request instead of one per id."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hub.store import Store, Tx, open_store
from hub.store.tx import ACK_CHUNK, DeviceRow
from screening.envelope import seal
from screening.org import OrgKeys
from tests.hub.helpers import HubEnv, error_code

ACK = "/v1/envelopes/ack"


def _acked_at(hub_env: HubEnv) -> dict[str, int | None]:
    return {row.envelope_id: row.acked_at for row in hub_env.stored()}


def test_ack_counts_held_ids_once_keeps_the_first_time_and_lists_unknown_in_order(
    hub_env: HubEnv,
) -> None:
    first, second = hub_env.enrol(), hub_env.enrol()
    for device in (first, second):
        for _ in range(3):
            device.push_next()
    a = [e.envelope_id for e in first.sent]
    b = [e.envelope_id for e in second.sent]
    coordinator = hub_env.coordinator

    answer = coordinator.call("POST", ACK, json={"envelope_ids": [a[0], a[1]]})
    assert answer.json() == {"acknowledged": 2, "unknown": []}
    acked_first = _acked_at(hub_env)
    assert acked_first[a[0]] is not None and acked_first[a[2]] is None

    hub_env.clock.advance(120)
    unknown = [str(uuid.uuid4()) for _ in range(3)]
    ids = [unknown[2], a[0], b[1], a[2], unknown[0], b[1], a[0], unknown[2], unknown[1]]
    answer = coordinator.call("POST", ACK, json={"envelope_ids": ids})
    # Distinct ids the hub holds, whether acknowledged before or now, and whichever device
    # sent them; the rest listed once each, in the order first named.
    assert answer.json() == {"acknowledged": 3, "unknown": [unknown[2], unknown[0], unknown[1]]}
    after = _acked_at(hub_env)
    assert after[a[0]] == acked_first[a[0]]  # acknowledged again: the first time stays
    assert after[b[1]] == after[a[2]]
    assert acked_first[a[0]] + 120 <= after[a[2]] <= acked_first[a[0]] + 130  # type: ignore[operator]
    assert after[a[1]] == acked_first[a[1]]
    assert after[b[0]] is None and after[b[2]] is None
    assert hub_env.counts()["envelopes"] == 6  # an unknown id creates nothing

    again = coordinator.call("POST", ACK, json={"envelope_ids": ids})
    assert again.json() == answer.json()
    assert _acked_at(hub_env) == after
    assert coordinator.call("POST", ACK, json={"envelope_ids": []}).json() == {
        "acknowledged": 0,
        "unknown": [],
    }


def test_what_the_caller_may_not_acknowledge_stays_unacknowledged(
    hub_env: HubEnv, other_org: OrgKeys
) -> None:
    device = hub_env.enrol()
    device.push_next()
    held = device.sent[0].envelope_id
    # A device may not acknowledge (not even its own envelopes: that would hide them).
    refused = device.caller.call("POST", ACK, json={"envelope_ids": [held]})
    assert (refused.status_code, error_code(refused)) == (403, "forbidden")
    # Nor may a key the hub does not know (another organisation's coordinator, say).
    stranger = hub_env.caller(other_org.signing_private_key)
    refused = stranger.call("POST", ACK, json={"envelope_ids": [held]})
    assert refused.status_code == 401
    # An envelope sealed for another organisation is refused at push, so its id stays unknown.
    foreign = seal(
        {"answers": []},
        {"device_id": device.device_id, "seq": 2, "prev_hash": device.last_hash},
        other_org.public,
        device.key,
    )
    assert device.push(foreign).status_code >= 400
    answer = hub_env.coordinator.call(
        "POST", ACK, json={"envelope_ids": [foreign.header.envelope_id]}
    )
    assert answer.json() == {"acknowledged": 0, "unknown": [foreign.header.envelope_id]}
    # Ids that are not UUIDs (an injection attempt among them) and overlong lists are refused
    # whole, before anything is written.
    for bad in (
        [held, "x' OR '1'='1"],
        [held, held.upper()],
        [held, 7],
        [held] + [str(uuid.uuid4()) for _ in range(1000)],
    ):
        refused = hub_env.coordinator.call("POST", ACK, json={"envelope_ids": bad})
        assert (refused.status_code, error_code(refused)) == (400, "bad_request")
    assert _acked_at(hub_env) == {held: None}


# ---- the store: one statement per request ------------------------------------------------


@pytest.fixture
def store(tmp_path: Path, database_url: str | None) -> Iterator[Store]:
    made = open_store(tmp_path, database_url)
    made.initialise()
    try:
        yield made
    finally:
        made.close()


class _Counting:
    """The transaction's connection, counting the statements that pass through it."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.statements: list[str] = []

    def execute(self, sql: str, params: Any = ()) -> Any:
        self.statements.append(sql)
        return self.conn.execute(sql, params)


def _seed(store: Store, count: int) -> list[str]:
    ids = [str(uuid.uuid4()) for _ in range(count)]

    def write(tx: Tx) -> None:
        tx.add_device(
            DeviceRow("dev-1", "key-1", b"k" * 32, "c" * 64, "a" * 64, 1, None, count, "h")
        )
        tx.add_envelopes([(i, "dev-1", n + 1, f"{n:064x}", b"body", 10) for n, i in enumerate(ids)])

    store.run_write(write)
    return ids


def _ack(store: Store, ids: list[str], when: int) -> tuple[list[str], int]:
    def run(tx: Tx) -> tuple[list[str], int]:
        counting = _Counting(tx._conn)
        tx._conn = counting
        unknown = tx.ack(ids, when)
        return unknown, len(counting.statements)

    return store.run_write(run)


def test_a_full_request_is_one_statement_and_counts_ids_in_every_chunk(store: Store) -> None:
    held = _seed(store, 700)
    # Held ids sit in both SQLite chunks, past the first, and among already-acknowledged ones.
    unknown_ids = [str(uuid.uuid4()) for _ in range(300)]
    assert _ack(store, held[600:], 50)[0] == []
    request = [*unknown_ids[:150], *held, *unknown_ids[150:]]
    unknown, statements = _ack(store, request, 60)
    assert unknown == unknown_ids
    expected = 1 if store.backend == "postgresql" else -(-len(request) // ACK_CHUNK)
    assert statements == expected == (1 if store.backend == "postgresql" else 2)
    with store.read() as tx:
        times = {e.envelope_id: e.acked_at for e in tx.envelopes_after(0, 1000)}
    assert [times[i] for i in held] == [60] * 600 + [50] * 100


def test_concurrent_acks_of_the_same_ids_in_opposite_orders_both_answer(store: Store) -> None:
    held = _seed(store, 400)
    answers: list[list[str]] = []

    def ack(ids: list[str]) -> None:
        answers.append(store.run_write(lambda tx: tx.ack(ids, 70)))

    threads = [threading.Thread(target=ack, args=(order,)) for order in (held, held[::-1])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert answers == [[], []]
    with store.read() as tx:
        assert {e.acked_at for e in tx.envelopes_after(0, 1000)} == {70}
