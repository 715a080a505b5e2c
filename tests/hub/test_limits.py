"""Slow clients cannot hold the hub's connections (issue #13, item 10).

The attack: hundreds of connections from one address, each sending a byte every few seconds,
all stayed open. These tests run a real uvicorn with short limits and drip bytes over raw
sockets, as an attacker would.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from hub.app import create_app
from hub.limits import ConnectionLimits
from hub.server import ServerThread, init_data_dir, open_hub
from screening.org import OrgKeys

PER_CLIENT = 4
HEADER_SECONDS = 0.6
BODY_SECONDS = 0.6


class Rig:
    def __init__(self, server: ServerThread, limits: ConnectionLimits) -> None:
        self.server = server
        self.limits = limits

    def connect(self) -> socket.socket:
        sock = socket.create_connection(("127.0.0.1", self.server.port), timeout=5)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    def health(self) -> int:
        return httpx.get(f"{self.server.url}/v1/health", timeout=5).status_code


@pytest.fixture
def hub_setup(tmp_path: Path, org_keys: OrgKeys, database_url: str | None) -> Iterator[Any]:
    org_file = tmp_path / "org.json"
    org_file.write_bytes(org_keys.public.to_json_bytes())
    init_data_dir(tmp_path / "data", org_file, database_url).close()
    hub = open_hub(tmp_path / "data", database_url)
    servers: list[ServerThread] = []

    def start(**overrides: Any) -> Rig:
        settings: dict[str, Any] = {
            "per_client": PER_CLIENT,
            "header_seconds": HEADER_SECONDS,
            "body_seconds": BODY_SECONDS,
            "body_min_rate": 1024 * 1024,
            **overrides,
        }
        limits = ConnectionLimits(**settings)
        server = ServerThread(create_app(hub, limits=limits), tls_cert=None, tls_key=None)
        servers.append(server.start())
        return Rig(server, limits)

    try:
        yield start
    finally:
        for server in servers:
            server.stop()
        hub.store.close()


@pytest.fixture
def rig(hub_setup: Any) -> Rig:
    return hub_setup()  # type: ignore[no-any-return]


def _closed_by_server(sock: socket.socket, wait: float) -> bool:
    """True when the server ends the connection within `wait` seconds."""
    sock.settimeout(wait)
    try:
        while True:
            data = sock.recv(65536)
            if not data:
                return True
    except TimeoutError:
        return False
    except OSError:  # reset
        return True


def _read_response(sock: socket.socket, wait: float) -> bytes:
    sock.settimeout(wait)
    received = b""
    try:
        while True:
            data = sock.recv(65536)
            if not data:
                break
            received += data
    except (TimeoutError, OSError):
        pass
    return received


def _drip(sock: socket.socket, data: bytes, seconds: float, every: float = 0.1) -> bool:
    """Send `data` a byte at a time for `seconds`; False once the server has hung up."""
    end = time.monotonic() + seconds
    for byte in data:
        if time.monotonic() > end:
            return True
        try:
            sock.sendall(bytes([byte]))
        except OSError:
            return False
        time.sleep(every)
    return True


def test_one_address_cannot_hold_more_than_its_share_of_connections(hub_setup: Any) -> None:
    # Headers may take long here: only the connection cap is closing connections.
    rig = hub_setup(header_seconds=60)
    socks = [rig.connect() for _ in range(PER_CLIENT * 3)]
    try:
        for sock in socks:
            sock.sendall(b"POST /v1/envelopes HTTP/1.1\r\n")  # and then nothing more, for now
        time.sleep(0.2)
        refused = [s for s in socks if _closed_by_server(s, 0.05)]
        assert len(refused) == len(socks) - PER_CLIENT
        assert rig.limits.open_count() == PER_CLIENT
    finally:
        for sock in socks:
            sock.close()
    # Closed connections give their places back.
    deadline = time.monotonic() + 5
    while rig.limits.open_count() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert rig.limits.open_count() == 0
    assert rig.health() == 200


def test_headers_dripping_in_are_cut_off(rig: Rig) -> None:
    silent, dripping = rig.connect(), rig.connect()
    try:
        dripping.sendall(b"POST /v1/envelopes HTTP/1.1\r\nHost: hub\r\n")
        # Each byte arrives well within any per-byte timeout, but the head never completes.
        assert not _drip(dripping, b"X-Slow: " + b"a" * 200, seconds=HEADER_SECONDS * 4)
        assert _closed_by_server(dripping, 1)
        # A connection that never sends anything is closed too.
        assert _closed_by_server(silent, HEADER_SECONDS * 3)
    finally:
        silent.close()
        dripping.close()
    assert rig.health() == 200


def test_a_body_dripping_in_gets_408_and_the_connection_is_closed(rig: Rig) -> None:
    sock = rig.connect()
    try:
        head = (
            b"POST /v1/envelopes HTTP/1.1\r\nHost: hub\r\n"
            b"Content-Type: application/vnd.screening-desk.envelope\r\n"
            b"Content-Length: 5000\r\n\r\n"
        )
        sock.sendall(head)
        _drip(sock, b"SDENV" + b"\x00" * 100, seconds=BODY_SECONDS * 3)
        response = _read_response(sock, 2)
    finally:
        sock.close()
    status_line, _, rest = response.partition(b"\r\n")
    assert status_line.startswith(b"HTTP/1.1 408")
    head, _, body = rest.partition(b"\r\n\r\n")
    assert b"connection: close" in head.lower()
    assert json.loads(body)["error"]["code"] == "request_timeout"


def test_the_body_of_an_answered_request_cannot_keep_a_connection_open(rig: Rig) -> None:
    # A path the hub does not serve is answered at once, without reading the body; a client
    # that keeps sending that body byte by byte must not keep the connection for ever.
    sock = rig.connect()
    try:
        sock.sendall(b"POST /nowhere HTTP/1.1\r\nHost: hub\r\nContent-Length: 100000\r\n\r\n")
        assert not _drip(sock, b"a" * 500, seconds=HEADER_SECONDS * 5)
    finally:
        sock.close()


def test_large_uploads_at_a_fair_rate_still_arrive(hub_setup: Any) -> None:
    # The body deadline grows with the declared length: an upload taking four times the base
    # deadline, at a fair rate for its size, passes the limits (and is refused afterwards
    # only because it is not signed).
    rig = hub_setup(body_seconds=0.3, body_min_rate=20_000)  # 60 KB: 0.3 s + 3 s
    sock = rig.connect()
    body = b"x" * 60_000
    try:
        sock.sendall(
            b"POST /v1/envelopes HTTP/1.1\r\nHost: hub\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
        )
        for start in range(0, len(body), 10_000):
            sock.sendall(body[start : start + 10_000])
            time.sleep(0.2)
        response = _read_response(sock, 2)
    finally:
        sock.close()
    assert response.startswith(b"HTTP/1.1 401"), response[:40]


def test_limits_scale_with_the_body() -> None:
    limits = ConnectionLimits(body_seconds=30, body_min_rate=32 * 1024)
    assert limits.body_deadline(0) == 30
    assert limits.body_deadline(4 * 1024 * 1024) == 30 + 128
