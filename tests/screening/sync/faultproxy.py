"""A hostile network on loopback: a TLS-terminating HTTP proxy that loses, repeats, holds back
and reorders requests and responses between the sync clients and the hub.

It presents the hub's own certificate (the one the organisation file pins) to the clients and
opens a new TLS connection to the hub for every request it forwards, so it sees each HTTP
request and response whole. For every request it draws each fault independently:

- drop_request      the connection is closed; the hub never sees the request
- delay_request     the request waits a few milliseconds before it is forwarded
- reorder_request   the request is held until a later request (from any client) has been
                    forwarded first; if none comes soon, the client's connection is closed and
                    the held request is delivered to the hub after the next one (a stale
                    original arriving after its own retry)
- duplicate_request the request is forwarded twice at once; the client gets either answer
                    (often the hub's `replayed_request` refusal of the second copy)
- drop_response     the hub handled the request, but the answer is lost (connection closed)
- delay_response    the answer waits a few milliseconds
- reorder_response  the answer is held until another answer has gone out first (clients run
                    concurrently, so answers overtake each other)
- duplicate_response the answer is written twice on the wire (then the connection closes)

A hub that is down (restarting) looks like a dropped connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import ssl
import threading
from collections import Counter
from dataclasses import dataclass
from typing import Any

from hub.server import bind_loopback

FAULTS = (
    "drop_request",
    "delay_request",
    "reorder_request",
    "duplicate_request",
    "drop_response",
    "delay_response",
    "reorder_response",
    "duplicate_response",
)
HOLD_CAP = 0.01  # how long a held request/answer waits for something to overtake it
MAX_DELAY = 0.01


@dataclass
class Request:
    head: bytes
    body: bytes

    def wire(self) -> bytes:
        lines = self.head.split(b"\r\n")
        kept = [ln for ln in lines[1:] if ln and not ln.lower().startswith(b"connection:")]
        return b"\r\n".join([lines[0], *kept, b"Connection: close", b"", b""]) + self.body


@dataclass
class Response:
    head: bytes
    body: bytes

    def wire(self, *, close: bool) -> bytes:
        lines = self.head.split(b"\r\n")
        kept = [ln for ln in lines[1:] if ln and not ln.lower().startswith(b"connection:")]
        if close:
            kept.append(b"connection: close")
        return b"\r\n".join([lines[0], *kept, b"", b""]) + self.body


def _content_length(head: bytes) -> int:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value.strip())
    return 0


async def _read_message(reader: asyncio.StreamReader) -> tuple[bytes, bytes] | None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, ConnectionError, ssl.SSLError):
        return None
    body = await reader.readexactly(_content_length(head))
    return head[:-4], body


class FaultProxy:
    def __init__(
        self, tls: Any, upstream_port: int, *, rate: float = 0.25, seed: int = 20250131
    ) -> None:
        self.tls = tls
        self.upstream_port = upstream_port
        self.rate = rate
        self.rng = random.Random(seed)
        self.stats: Counter[str] = Counter()
        self._sock = bind_loopback()
        self.port = self._sock.getsockname()[1]
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._ready = threading.Event()
        self._forwarded = 0
        self._answered = 0
        self._stash: list[Request] = []
        self._tasks: set[asyncio.Task[Any]] = set()

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    # ---- lifecycle ---------------------------------------------------------------------

    def start(self) -> FaultProxy:
        self._thread.start()
        self._ready.wait(10)
        return self

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._sock.close()

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        server_ctx.load_cert_chain(str(self.tls.cert_file), str(self.tls.key_file))
        self._client_ctx = ssl.create_default_context(cadata=self.tls.cert.ca_pem)
        self._progress = asyncio.Condition()

        async def serve() -> None:
            await asyncio.start_server(self._handle, sock=self._sock, ssl=server_ctx)
            self._ready.set()

        self._loop.run_until_complete(serve())
        self._loop.run_forever()

    # ---- one client connection ----------------------------------------------------------

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                message = await _read_message(reader)
                if message is None:
                    break
                if not await self._one(Request(*message), writer):
                    break
        except (ConnectionError, ssl.SSLError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.transport.abort()  # a hard close, as a broken network would

    def _draw(self) -> dict[str, bool]:
        return {name: self.rng.random() < self.rate for name in FAULTS}

    async def _wait_for(self, attribute: str, cap: float) -> bool:
        """Wait until another request is forwarded (or answer sent); True if one was."""
        start = getattr(self, attribute)
        async with self._progress:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    self._progress.wait_for(lambda: getattr(self, attribute) > start), cap
                )
        return getattr(self, attribute) > start

    async def _bump(self, attribute: str) -> None:
        async with self._progress:
            setattr(self, attribute, getattr(self, attribute) + 1)
            self._progress.notify_all()

    async def _one(self, request: Request, writer: asyncio.StreamWriter) -> bool:
        fault = self._draw()
        self.stats["requests"] += 1
        for name, hit in fault.items():
            if hit:
                self.stats[name] += 1
        if fault["drop_request"]:
            return False
        if fault["delay_request"]:
            await asyncio.sleep(self.rng.uniform(0.001, MAX_DELAY))
        if fault["reorder_request"] and not await self._wait_for("_forwarded", HOLD_CAP):
            # Nothing overtook it: let the client retry, deliver this one after the next.
            self.stats["stale_requests"] += 1
            self._stash.append(request)
            return False
        if fault["duplicate_request"]:
            answers = await asyncio.gather(self._forward(request), self._forward(request))
            usable = [a for a in answers if a is not None]
            response = self.rng.choice(usable) if usable else None
        else:
            response = await self._forward(request)
        await self._bump("_forwarded")
        self._release_stash()
        if response is None or fault["drop_response"]:
            return False
        if fault["delay_response"]:
            await asyncio.sleep(self.rng.uniform(0.001, MAX_DELAY))
        if fault["reorder_response"] and await self._wait_for("_answered", HOLD_CAP):
            self.stats["overtaken_responses"] += 1
        if fault["duplicate_response"]:
            wire = response.wire(close=True)
            writer.write(wire + wire)
            await writer.drain()
            await self._bump("_answered")
            return False
        writer.write(response.wire(close=False))
        await writer.drain()
        await self._bump("_answered")
        return True

    def _release_stash(self) -> None:
        stale, self._stash = self._stash, []
        for request in stale:
            task = asyncio.ensure_future(self._forward(request))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _forward(self, request: Request) -> Response | None:
        """Send to the hub on a new connection; None when the hub cannot be reached."""
        writer = None
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection(
                    "127.0.0.1",
                    self.upstream_port,
                    ssl=self._client_ctx,
                    server_hostname="127.0.0.1",
                ),
                10,
            )
            writer.write(request.wire())
            await writer.drain()
            message = await asyncio.wait_for(_read_message(reader), 30)
            return None if message is None else Response(*message)
        except (OSError, ssl.SSLError, TimeoutError, asyncio.IncompleteReadError):
            self.stats["hub_unreachable"] += 1
            return None
        finally:
            if writer is not None:
                writer.transport.abort()
