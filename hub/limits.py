"""Slow-client limits: how long a request may take to arrive, and how many connections one
address may hold open.

A hub that waits for ever on a connection can be emptied of sockets by anyone who opens a few
hundred and sends one byte every few seconds (issue #13). Three limits stop that:

- **headers**: a request line and headers must arrive within `header_seconds` of the first
  byte of the request (or of the connection); otherwise the connection is closed. uvicorn
  re-arms its keep-alive timer on every byte, so without this a drip of header bytes is never
  cut off.
- **body**: a body must arrive within `body_seconds + length / min_rate` (hub/app.py reads it
  under this deadline and answers `408 request_timeout`, closing the connection).
- **connections per client**: one network address holds at most `per_client` connections;
  more are closed as soon as they are accepted. 0 turns this off, for a hub behind a proxy on
  the same machine (every connection then comes from the proxy's address; let the proxy
  limit instead).

Addresses are counted in memory only and never logged.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

log = logging.getLogger("screening.hub")


@dataclass
class ConnectionLimits:
    """The hub's limits; one object per server (it holds the live per-address counts)."""

    per_client: int = 32
    header_seconds: float = 20.0
    body_seconds: float = 30.0
    # Bytes per second a client must at least average on a large body (a slow link uploads
    # a 4 MiB batch in about two minutes at this rate).
    body_min_rate: int = 32 * 1024
    _open: Counter[str] = field(default_factory=Counter, repr=False)

    def body_deadline(self, length: int) -> float:
        """Seconds a body of `length` bytes may take to arrive."""
        return self.body_seconds + length / self.body_min_rate

    _refused: int = field(default=0, repr=False)
    _last_report: float = field(default=float("-inf"), repr=False)

    def open_count(self) -> int:
        return sum(self._open.values())

    def note_refusal(self, now: float) -> None:
        # A flood of refused connections must not become a flood of log lines: one a minute.
        self._refused += 1
        if now - self._last_report >= 60:
            log.warning(
                "connections refused: %d so far, too many open from one client", self._refused
            )
            self._last_report = now

    def protocol(self) -> Any:
        """A uvicorn `http=` protocol factory that applies these limits."""
        limits = self

        def factory(*args: Any, **kwargs: Any) -> GuardedH11Protocol:
            return GuardedH11Protocol(*args, limits=limits, **kwargs)

        return factory


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a header deadline and a per-address connection cap."""

    def __init__(self, *args: Any, limits: ConnectionLimits, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._limits = limits
        self._address: str | None = None
        self._header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        address = self.client[0] if self.client else None
        limits = self._limits
        if address is not None and limits.per_client > 0:
            if limits._open[address] >= limits.per_client:
                limits.note_refusal(self.loop.time())
                transport.abort()
                return
            limits._open[address] += 1
            self._address = address
        self._arm_header_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_header_timer()
        if self._address is not None:
            open_ = self._limits._open
            open_[self._address] -= 1
            if open_[self._address] <= 0:
                del open_[self._address]
            self._address = None
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.transport.is_closing():
            return
        if self._stalled():
            # Part of a request's head, or the body of a request already answered, is
            # trickling in: it must be complete in time.
            self._arm_header_timer(restart=False)
        else:
            self._cancel_header_timer()

    def _stalled(self) -> bool:
        """True while the client owes bytes that no request handler is waiting for."""
        state = self.conn.their_state
        if state is h11.IDLE:
            return True
        answered = self.cycle is not None and self.cycle.response_complete
        return answered and state is h11.SEND_BODY

    def _arm_header_timer(self, *, restart: bool = True) -> None:
        if self._header_timer is not None:
            if not restart:
                return
            self._header_timer.cancel()
        self._header_timer = self.loop.call_later(self._limits.header_seconds, self._header_timeout)

    def _cancel_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _header_timeout(self) -> None:
        self._header_timer = None
        if self.transport.is_closing() or not self._stalled():
            return
        log.info("connection closed: request too slow")
        self.transport.close()


# Worker processes (`serve --workers N`, hub/workers.py) are spawned: uvicorn hands each one
# its settings by pickling, which a closure cannot survive. Each worker builds its own limits
# from this variable (per process, as one server's limits are) through a plain class.
PER_CLIENT_ENV = "SCREENING_HUB_MAX_CONNECTIONS_PER_CLIENT"
_worker_limits: ConnectionLimits | None = None


def worker_limits() -> ConnectionLimits:
    global _worker_limits
    if _worker_limits is None:
        _worker_limits = ConnectionLimits(per_client=int(os.environ.get(PER_CLIENT_ENV, "32")))
    return _worker_limits


class WorkerGuardedProtocol(GuardedH11Protocol):
    """GuardedH11Protocol with the worker process's own limits."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, limits=worker_limits(), **kwargs)
