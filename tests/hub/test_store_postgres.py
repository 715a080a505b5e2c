"""What PostgreSQL writers wait for, and what they do not (hub/store/postgres.py).

Structural tests, no timings: a test holds a writer's transaction open, shows which requests
still complete, and which ones PostgreSQL reports as waiting for a lock until it commits.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import psycopg
import pytest

from hub.store.postgres import PostgresStore
from screening.envelope import envelope_hash
from tests.hub.helpers import HubEnv

pytestmark = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)


class Background:
    """A call on another thread; its result once joined."""

    def __init__(self, call: Callable[[], Any]) -> None:
        self.result: Any = None
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(call,))
        self._thread.start()

    def _run(self, call: Callable[[], Any]) -> None:
        try:
            self.result = call()
        except BaseException as exc:
            self.error = exc

    def done(self) -> bool:
        return not self._thread.is_alive()

    def join(self) -> Any:
        self._thread.join(60)
        assert not self._thread.is_alive(), "the call did not finish once the lock was released"
        if self.error is not None:
            raise self.error
        return self.result


def _wait_for_waiter(database_url: str, wait_event: str) -> None:
    """Until PostgreSQL shows a backend waiting for a lock of this kind (a deadline, not a
    timing assertion: it only keeps a broken test from hanging)."""
    deadline = time.monotonic() + 60
    with psycopg.connect(database_url, autocommit=True) as conn:
        while True:
            row = conn.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE wait_event_type = 'Lock' AND wait_event = %s",
                (wait_event,),
            ).fetchone()
            if row is not None and row[0] >= 1:
                return
            assert time.monotonic() < deadline, f"nobody waited for a {wait_event} lock"
            time.sleep(0.02)


def _store(hub_env: HubEnv) -> PostgresStore:
    store = hub_env.hub.store
    assert isinstance(store, PostgresStore)
    return store


def test_a_device_held_by_one_writer_holds_up_only_that_device(
    hub_env: HubEnv, database_url: str
) -> None:
    held, other = hub_env.enrol(), hub_env.enrol()
    env_held, env_other = held.seal_next(), other.seal_next()
    with _store(hub_env).write_transaction() as tx:
        # What a push of `held` holds while it checks and moves the chain head.
        assert tx.device(held.device_id, lock=True) is not None
        # Another device's push completes meanwhile (under one lock for every writer, it
        # would wait for this transaction and the call would time out).
        assert other.push(env_other).status_code == 201
        pushing = Background(lambda: held.push(env_held))
        _wait_for_waiter(database_url, "transactionid")  # the held device's own push waits
        assert not pushing.done()
    response: httpx.Response = pushing.join()
    assert response.status_code == 201, response.text
    assert held.head() == (1, envelope_hash(env_held))
    assert other.head() == (1, envelope_hash(env_other))


def test_a_pull_waits_for_a_writer_in_flight_and_skips_nothing(
    hub_env: HubEnv, database_url: str
) -> None:
    slow, fast = hub_env.enrol(), hub_env.enrol()
    env_slow, env_fast = slow.seal_next(), fast.seal_next()
    with _store(hub_env).write_transaction() as tx:
        # A writer draws the lower cursor and has not committed yet...
        assert tx.device(slow.device_id, lock=True) is not None
        low = tx.add_envelope(
            env_slow.header.envelope_id, slow.device_id, 1, envelope_hash(env_slow),
            env_slow.to_bytes(), int(hub_env.clock()),
        )  # fmt: skip
        tx.set_device_head(slow.device_id, 1, envelope_hash(env_slow))
        # ...while another draws a higher one and commits first.
        response = fast.push(env_fast)
        assert response.status_code == 201
        high = response.json()["cursor"]
        assert high > low
        # A pull now would see `high` without `low`, and the coordinator, moving its cursor
        # past `high`, would never ask for `low` again. It waits for the writer instead.
        pulling = Background(lambda: hub_env.coordinator.call("GET", "/v1/envelopes?after=0"))
        _wait_for_waiter(database_url, "advisory")
        assert not pulling.done()
    page = pulling.join()
    assert page.status_code == 200, page.text
    assert [e["cursor"] for e in page.json()["envelopes"]] == [low, high]
    assert page.json()["next_cursor"] == high


def test_writers_do_not_wait_for_each_other_to_start(hub_env: HubEnv) -> None:
    """Two write transactions open at once (one writer lock for all would block the second)."""
    store = _store(hub_env)
    first = store.write_transaction()
    tx = first.__enter__()
    try:
        assert tx.use_nonce("k", "first", 10)
        second = Background(lambda: store.run_write(lambda t: t.use_nonce("k", "second", 10)))
        assert second.join() is True
    finally:
        first.__exit__(None, None, None)
    with store.read() as reader:
        nonces = {r[0] for r in reader._x("SELECT nonce FROM nonces WHERE key_id = 'k'")}
    assert nonces == {"first", "second"}


def _body_storage(store: PostgresStore) -> str:
    with store.read() as tx:
        row = tx._x(
            "SELECT attstorage FROM pg_attribute "
            "WHERE attrelid = 'envelopes'::regclass AND attname = 'body'"
        ).fetchone()
    return str(row[0])


def test_envelope_bodies_are_stored_without_a_compression_attempt(hub_env: HubEnv) -> None:
    """Ciphertext never compresses; 'e' (EXTERNAL) spares the attempt, also on a database
    created before this setting (it is set when the hub starts)."""
    store = _store(hub_env)
    assert _body_storage(store) == "e"
    with store.write_transaction() as tx:
        tx._x("ALTER TABLE envelopes ALTER COLUMN body SET STORAGE EXTENDED")
    assert _body_storage(store) == "x"
    store.initialise()
    assert _body_storage(store) == "e"
