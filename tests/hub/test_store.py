"""The storage layer on both databases: concurrent writes, refusals keep nonces, failures roll
back, codes spent once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from hub.store import Store, Tx, open_store
from screening.sync.protocol import ProtocolError


@pytest.fixture
def store(tmp_path: Path, database_url: str | None) -> Iterator[Store]:
    made = open_store(tmp_path, database_url)
    made.initialise()
    try:
        yield made
    finally:
        made.close()


def _nonces(store: Store) -> set[str]:
    with store.read() as tx:
        return {row[0] for row in tx._x("SELECT nonce FROM nonces").fetchall()}


def test_a_refusal_commits_what_was_written_before_it(store: Store) -> None:
    def refuse(tx: Tx) -> None:
        tx.use_nonce("k", "n1", 10)
        raise ProtocolError("sequence_gap")

    with pytest.raises(ProtocolError):
        store.run_write(refuse)
    assert _nonces(store) == {"n1"}


def test_an_unexpected_error_rolls_back(store: Store) -> None:
    def crash(tx: Tx) -> None:
        tx.use_nonce("k", "n1", 10)
        raise RuntimeError("bug")

    with pytest.raises(RuntimeError):
        store.run_write(crash)
    assert _nonces(store) == set()
    assert store.run_write(lambda tx: tx.use_nonce("k", "n2", 10)) is True


def test_concurrent_writes_share_a_commit_and_only_the_culprit_fails(store: Store) -> None:
    gate, started = threading.Event(), threading.Event()
    logged: list[str] = []

    def blocker(tx: Tx) -> str:
        started.set()
        gate.wait(10)  # holds the writer so the others queue up behind it
        tx.use_nonce("k", "first", 10)
        return "first"

    def ok(name: str):  # type: ignore[no-untyped-def]
        def fn(tx: Tx) -> str:
            tx.use_nonce("k", name, 10)
            tx.on_commit(lambda: logged.append(name))
            return name

        return fn

    def bad(tx: Tx) -> str:
        tx.use_nonce("k", "bad", 10)
        tx.on_commit(lambda: logged.append("bad"))
        raise RuntimeError("bug")

    results: dict[str, object] = {}

    def submit(name: str, fn) -> None:  # type: ignore[no-untyped-def]
        try:
            results[name] = store.run_write(fn)
        except Exception as exc:
            results[name] = exc

    threads = [threading.Thread(target=submit, args=("first", blocker))]
    threads[0].start()
    started.wait(10)
    for name, fn in (("a", ok("a")), ("bad", bad), ("b", ok("b"))):
        threads.append(threading.Thread(target=submit, args=(name, fn)))
        threads[-1].start()
    gate.set()
    for t in threads:
        t.join(10)
    assert results["first"] == "first" and results["a"] == "a" and results["b"] == "b"
    assert isinstance(results["bad"], RuntimeError)
    assert _nonces(store) == {"first", "a", "b"}
    assert sorted(logged) == ["a", "b"]


def test_the_same_nonce_is_accepted_once_per_key(store: Store) -> None:
    assert store.run_write(lambda tx: tx.use_nonce("k", "n", 10)) is True
    assert store.run_write(lambda tx: tx.use_nonce("k", "n", 10)) is False
    assert store.run_write(lambda tx: tx.use_nonce("other", "n", 10)) is True
    store.run_write(lambda tx: tx.purge_nonces(11))
    assert _nonces(store) == set()


def test_initialise_is_idempotent(store: Store) -> None:
    store.initialise()
    with store.read() as tx:
        assert tx.meta("schema_version") == "1"


def test_a_code_is_spent_once_and_only_before_it_expires(store: Store) -> None:
    store.run_write(lambda tx: tx.add_code("c" * 64, 100, 200))
    store.run_write(lambda tx: tx.add_code("d" * 64, 100, 200))
    assert store.run_write(lambda tx: tx.spend_code("c" * 64, "dev-1", 150)) is True
    assert store.run_write(lambda tx: tx.spend_code("c" * 64, "dev-2", 151)) is False
    assert store.run_write(lambda tx: tx.spend_code("d" * 64, "dev-3", 200)) is False  # expired
    assert store.run_write(lambda tx: tx.spend_code("e" * 64, "dev-4", 150)) is False  # unknown
    with store.read() as tx:
        spent, unspent = tx.code("c" * 64), tx.code("d" * 64)
    assert spent is not None and (spent.used_at, spent.device_id) == (150, "dev-1")
    assert unspent is not None and (unspent.used_at, unspent.device_id) == (None, None)
