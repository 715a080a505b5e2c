"""The hub's storage interface, and the SQL both implementations share.

The hub's rules (hub/service.py) are written once against `Tx`; `SqliteStore` and
`PostgresStore` differ in how they connect, how they run writers beside each other, and their
DDL.

What must not interleave, and what keeps it apart on each database:

- a request's nonce: the primary key of `nonces` (INSERT ... ON CONFLICT DO NOTHING);
- a device's chain head: the device's row, read for update (`Tx.device(..., lock=True)`);
- an enrolment code: spent by one conditional UPDATE (`Tx.spend_code`);
- cursor order: the coordinator reads envelopes "after cursor N". If a writer that drew
  cursor 10 committed after one that drew 11, a reader could see 11, move on, and skip 10 for
  ever. SQLite runs one writer at a time, so commit order is cursor order. PostgreSQL lets
  writers commit in any order and has the reader wait for the writers in flight instead
  (`Tx.settled`, hub/store/postgres.py).
"""

from __future__ import annotations

import queue
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any, Generic, TypeVar

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
    """Hub state: `run_write(fn)` for writes; `read()` for reads."""

    backend: str
    _paramstyle: str
    _pool: Pool[Any]

    @abstractmethod
    def _connect(self) -> Any: ...

    @abstractmethod
    def _begin_read(self, conn: Any) -> None: ...

    @abstractmethod
    def _create_schema(self, conn: Any) -> None: ...

    @abstractmethod
    def run_write(self, fn: Callable[[Tx], T]) -> T:
        """Run `fn(tx)` in a write transaction and return its result once durable.

        The transaction commits on success AND on ProtocolError: a refused request keeps its
        nonce (it must not become replayable later), so `fn` raises ProtocolError only before
        its other writes. Any other exception undoes `fn`'s writes. `fn` may be run more than
        once (after a rollback), so it keeps no state outside the transaction but what is
        idempotent.
        """

    @abstractmethod
    async def run_write_async(self, fn: Callable[[Tx], T]) -> T:
        """`run_write` for the event loop."""

    def _settled_cursor(self, conn: Any) -> int | None:
        """For `read(settled=True)`: the cursor up to which no writer is in flight, or None
        where writers commit in cursor order anyway (one writer at a time)."""
        return None

    @contextmanager
    def read(self, *, settled: bool = False) -> Iterator[Tx]:
        """A read-only snapshot; `settled` for reading envelopes after a cursor."""
        with self._pool.connection() as conn:
            horizon = self._settled_cursor(conn) if settled else None
            self._begin_read(conn)
            try:
                yield Tx(conn, self._paramstyle, settled=horizon)
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
        self._pool.close()
