"""Group commit for the SQLite store: concurrent writes share one transaction, so one fsync.

Every acknowledged envelope must be on disk, and a durable commit costs an fsync (a few
milliseconds on ordinary disks) whatever it holds. A single writer thread therefore takes
every write request that is waiting, runs them one after another inside one transaction, each
in its own savepoint, commits once, and only then answers them all. A lone request is not
delayed (nothing waits for company); under load, many laptops share each fsync. Running all
writes on one thread also serialises them, which keeps cursor order equal to commit order.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Callable
from contextlib import suppress
from typing import Any, Generic, TypeVar

from hub.store.tx import Tx
from screening.sync.protocol import ProtocolError

T = TypeVar("T")
MAX_BATCH = 64


class _Item(Generic[T]):
    __slots__ = ("done", "error", "fn", "future", "loop", "result")

    def __init__(
        self,
        fn: Callable[[Tx], T],
        loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        self.fn = fn
        self.done = threading.Event()
        self.loop = loop
        self.future: asyncio.Future[T] | None = loop.create_future() if loop else None
        self.result: T | None = None
        self.error: BaseException | None = None

    def finish(self) -> None:
        if self.loop is None:
            self.done.set()
        else:
            # The event loop is woken from this (writer) thread; the waiting coroutine resumes.
            self.loop.call_soon_threadsafe(self._settle)

    def _settle(self) -> None:
        assert self.future is not None
        if self.future.cancelled():
            return
        if self.error is not None:
            self.future.set_exception(self.error)
        else:
            self.future.set_result(self.result)  # type: ignore[arg-type]


class GroupCommitter:
    def __init__(
        self,
        connect: Callable[[], Any],
        begin: Callable[[Any], None],
        paramstyle: str,
        name: str,
    ) -> None:
        self._connect = connect
        self._begin = begin
        self._paramstyle = paramstyle
        self._queue: queue.SimpleQueue[_Item[Any] | None] = queue.SimpleQueue()
        self._conn: Any = None
        self._thread = threading.Thread(target=self._loop, name=f"hub-writer-{name}", daemon=True)
        self._thread.start()

    def submit(self, fn: Callable[[Tx], T]) -> T:
        """Run `fn(tx)` in a write transaction; return its result once it is committed.

        A ProtocolError from `fn` keeps what `fn` wrote before raising (its nonce) and is
        re-raised here after the commit; any other exception undoes `fn`'s writes.
        """
        item: _Item[T] = _Item(fn)
        self._queue.put(item)
        item.done.wait()
        if item.error is not None:
            raise item.error
        return item.result  # type: ignore[return-value]

    async def submit_async(self, fn: Callable[[Tx], T]) -> T:
        """`submit` for coroutines: waits on the event loop instead of blocking a thread.

        The write happens even if the awaiting request is cancelled (a client that hung up):
        like a blocking caller, it cannot take back what it handed to the writer.
        """
        item: _Item[T] = _Item(fn, asyncio.get_running_loop())
        self._queue.put(item)
        assert item.future is not None
        return await asyncio.shield(item.future)

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=30)
        self._drop_connection()

    def _loop(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            self._run([first])

    def _gather(self, batch: list[_Item[Any]]) -> None:
        while len(batch) < MAX_BATCH:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return
            if item is None:
                self._queue.put(None)  # finish this batch, then stop
                return
            batch.append(item)

    def _run(self, batch: list[_Item[Any]]) -> None:
        try:
            if self._conn is None:
                self._conn = self._connect()
            # The write lock first, then everything waiting: while another connection holds
            # the lock (an operator's command), the requests that arrive share the next commit.
            self._begin(self._conn)
            self._gather(batch)
            if not self._attempt(batch, begun=True) and len(batch) > 1:
                # Something other than a refusal failed (a bug, a database error): the whole
                # transaction is gone. Run each request alone so only the culprit fails.
                for item in batch:
                    if self._conn is None:
                        self._conn = self._connect()
                    self._attempt([item])
        except BaseException as exc:
            # Nothing undecided is durable: those callers get the error, none an answer.
            for item in batch:
                if item.error is None or item.result is not None:
                    item.result, item.error = None, exc
            self._drop_connection()
        finally:
            for item in batch:
                item.finish()

    def _attempt(self, items: list[_Item[Any]], *, begun: bool = False) -> bool:
        """Run `items` in one transaction; False (and rolled back) if one raised a non-refusal."""
        conn = self._conn
        if not begun:
            self._begin(conn)
        txs = []
        for item in items:
            tx = Tx(conn, self._paramstyle)
            item.result, item.error = None, None
            try:
                item.result = item.fn(tx)
            except ProtocolError as exc:
                item.error = exc
            except Exception as exc:
                item.error = exc
                conn.rollback()
                return False
            txs.append(tx)
        conn.commit()
        for tx in txs:
            tx.committed()
        return True

    def _drop_connection(self) -> None:
        if self._conn is not None:
            with suppress(Exception):
                self._conn.rollback()
            with suppress(Exception):
                self._conn.close()
            self._conn = None
