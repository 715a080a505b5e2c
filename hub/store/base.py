"""The hub's storage interface: a pool of connections and serialised, group-committed writes.

The hub's rules (hub/service.py) are written once against `Tx` (hub/store/tx.py, the SQL
both implementations share); `SqliteStore` and
`PostgresStore` differ only in how they connect, how they serialise writers, and their DDL.

Writers are serialised on purpose, on both databases. The coordinator reads envelopes
"after cursor N"; if two writers could commit out of cursor order, a reader could see cursor
11 before 10 commits and skip 10 for ever. One writer at a time makes commit order equal
cursor order, and pushing an envelope is one short transaction, so the cost is small.
"""

from __future__ import annotations

import queue
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any, Generic, TypeVar

from hub.store.commit import GroupCommitter
from hub.store.tx import Tx
from screening.sync.protocol import ProtocolError

SCHEMA_VERSION = "1"


C = TypeVar("C")
T = TypeVar("T")


class Pool(Generic[C]):
    """A few reusable connections. A connection that failed is closed, not returned."""

    def __init__(self, factory: Callable[[], C], size: int, close: Callable[[C], None]) -> None:
        self._factory = factory
        self._close = close
        self._idle: queue.LifoQueue[C] = queue.LifoQueue()
        self._slots = threading.BoundedSemaphore(size)
        self._all: list[C] = []
        self._lock = threading.Lock()

    @contextmanager
    def connection(self) -> Iterator[C]:
        self._slots.acquire()
        try:
            try:
                conn = self._idle.get_nowait()
            except queue.Empty:
                conn = self._factory()
                with self._lock:
                    self._all.append(conn)
            try:
                yield conn
            except ProtocolError:
                self._idle.put(conn)  # a refused request, not a broken connection
                raise
            except BaseException:
                self._discard(conn)
                raise
            self._idle.put(conn)
        finally:
            self._slots.release()

    def _discard(self, conn: C) -> None:
        with self._lock:
            if conn in self._all:
                self._all.remove(conn)
        with suppress(Exception):  # a broken connection may fail to close; it is gone anyway
            self._close(conn)

    def close(self) -> None:
        with self._lock:
            conns, self._all = self._all, []
        for conn in conns:
            with suppress(Exception):
                self._close(conn)


class Store(ABC):
    """Hub state: `run_write(fn)` for serialised, group-committed writes; `read()` for reads."""

    backend: str
    _paramstyle: str
    _pool: Pool[Any]
    _committer: Any = None
    _committer_lock = threading.Lock()

    @abstractmethod
    def _connect(self) -> Any: ...

    @abstractmethod
    def _begin_write(self, conn: Any) -> None:
        """Start a transaction that no other writer (thread or process) runs beside."""

    @abstractmethod
    def _begin_read(self, conn: Any) -> None: ...

    @abstractmethod
    def _create_schema(self, conn: Any) -> None: ...

    def run_write(self, fn: Callable[[Tx], T]) -> T:
        """Run `fn(tx)` in a serialised write transaction and return its result once durable.

        The transaction commits on success AND on ProtocolError: a refused request keeps its
        nonce (it must not become replayable later), so `fn` raises ProtocolError only before
        its other writes. Any other exception undoes `fn`'s writes. Concurrent calls may share
        one commit (hub/store/commit.py).
        """
        return self._writer().submit(fn)  # type: ignore[no-any-return]

    async def run_write_async(self, fn: Callable[[Tx], T]) -> T:
        """`run_write` for the event loop: awaits the writer without tying up a thread."""
        return await self._writer().submit_async(fn)  # type: ignore[no-any-return]

    def _writer(self) -> Any:
        committer = self._committer
        if committer is None:
            with self._committer_lock:
                if self._committer is None:
                    self._committer = GroupCommitter(
                        self._connect, self._begin_write, self._paramstyle, self.backend
                    )
                committer = self._committer
        return committer

    @contextmanager
    def read(self) -> Iterator[Tx]:
        with self._pool.connection() as conn:
            self._begin_read(conn)
            try:
                yield Tx(conn, self._paramstyle)
            finally:
                conn.rollback()

    def initialise(self) -> None:
        """Create the tables if they are missing (idempotent)."""
        with self._pool.connection() as conn:
            self._create_schema(conn)

        def check(tx: Tx) -> None:
            found = tx.meta("schema_version")
            if found is None:
                tx.set_meta("schema_version", SCHEMA_VERSION)
            elif found != SCHEMA_VERSION:
                raise RuntimeError(
                    f"the hub database has schema version {found}; this hub knows {SCHEMA_VERSION}"
                )

        self.run_write(check)

    def close(self) -> None:
        if self._committer is not None:
            self._committer.close()
            self._committer = None
        self._pool.close()
