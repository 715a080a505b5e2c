"""Setting up a hub from its data folder, and running it under uvicorn (in a thread for tests).

A data folder holds `org.json` (the verified organisation file) and, unless PostgreSQL is
used, `hub.sqlite3`. The database remembers which organisation it serves, so a hub can never
be pointed at another organisation's database by mistake.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import uvicorn

from hub.limits import ConnectionLimits
from hub.service import Hub
from hub.store import Store, Tx, open_store
from screening.errors import ScreeningError
from screening.org.orgfile import OrgPublic, load_org_file

ORG_FILE = "org.json"
log = logging.getLogger("screening.hub")


class HubSetupError(ScreeningError):
    exit_code = 2


def init_data_dir(data_dir: str | Path, org_file: str | Path, database_url: str | None) -> Store:
    """Create or update a hub data folder for the organisation in `org_file`."""
    org = load_org_file(org_file)
    folder = Path(data_dir)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    current = folder / ORG_FILE
    if current.exists():
        previous = load_org_file(current)
        if previous.signing_key_id != org.signing_key_id:
            raise HubSetupError(
                f"{folder} already serves the organisation {previous.name!r} "
                f"({previous.fingerprint}); use another data folder."
            )
    store = open_store(folder, database_url)
    try:
        store.initialise()
        _bind_org(store, org)
    except BaseException:
        store.close()
        raise
    # Written last: a folder with org.json is a folder whose database is ready.
    tmp = current.with_suffix(".json.tmp")
    tmp.write_bytes(org.to_json_bytes())
    os.replace(tmp, current)
    return store


def _bind_org(store: Store, org: OrgPublic) -> None:
    def bind(tx: Tx) -> str | None:
        bound = tx.meta("org_signing_key_id")
        if bound is None:
            tx.set_meta("org_signing_key_id", org.signing_key_id)
            tx.set_meta("org_encryption_key_id", org.encryption_key_id)
        return bound

    bound = store.run_write(bind)
    if bound is not None and bound != org.signing_key_id:
        raise HubSetupError(
            "The database belongs to another organisation; give this hub its own database."
        )


def open_hub(
    data_dir: str | Path,
    database_url: str | None = None,
    *,
    clock: Callable[[], float] = time.time,
) -> Hub:
    """A `Hub` for an initialised data folder (HubSetupError when it is not one)."""
    folder = Path(data_dir)
    if not (folder / ORG_FILE).exists():
        raise HubSetupError(
            f"{folder} is not a hub data folder; run 'screening-hub init --data {folder} "
            "--org ORG.json' first."
        )
    org = load_org_file(folder / ORG_FILE)
    store = open_store(folder, database_url)
    try:
        store.initialise()
        with store.read() as tx:
            bound = tx.meta("org_signing_key_id")
        if bound is None:
            _bind_org(store, org)
        elif bound != org.signing_key_id:
            raise HubSetupError(
                "The database belongs to another organisation than this data folder's org.json."
            )
    except BaseException:
        store.close()
        raise
    return Hub(store, org, clock=clock)


def uvicorn_config(
    app: Any,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    tls_cert: str | Path | None = None,
    tls_key: str | Path | None = None,
    log_level: str = "info",
    log_config: Any = uvicorn.config.LOGGING_CONFIG,
    **extra: Any,
) -> uvicorn.Config:
    """The hub's uvicorn settings; `extra` for uvicorn's own (workers, factory)."""
    # The app's slow-client limits (hub/limits.py) need uvicorn's protocol to enforce them.
    limits = getattr(getattr(app, "state", None), "connection_limits", None)
    return uvicorn.Config(
        app,
        http=extra.pop("http", None)
        or (limits.protocol() if isinstance(limits, ConnectionLimits) else "auto"),
        host=host,
        port=port,
        ssl_certfile=str(tls_cert) if tls_cert else None,
        ssl_keyfile=str(tls_key) if tls_key else None,
        # The hub logs its own line per request (no client address, no query string):
        # reception centres' addresses are not the hub's business.
        access_log=False,
        server_header=False,
        proxy_headers=False,
        log_level=log_level,
        log_config=log_config,
        timeout_keep_alive=30,
        lifespan="off",
        **extra,
    )


def bind_loopback(port: int = 0) -> socket.socket:
    """A TCP socket bound on 127.0.0.1 (port 0: any free one), ready for uvicorn."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Accepted sockets inherit this. asyncio sets it only on sockets it creates itself;
    # without it, Nagle's algorithm and delayed ACKs add ~40 ms to every response.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind(("127.0.0.1", port))
    return sock


class ServerThread:
    """Uvicorn on a pre-bound loopback socket in a background thread (tests, benchmarks).

    `sock`: a socket bound already (a restarted server keeps its port); `stop` closes it.
    """

    def __init__(
        self,
        app: Any,
        *,
        tls_cert: str | Path | None,
        tls_key: str | Path | None,
        sock: socket.socket | None = None,
    ):
        self._sock = sock or bind_loopback()
        self.port = self._sock.getsockname()[1]
        # log_config=None keeps the caller's logging setup (a test's log capture).
        config = uvicorn_config(
            app, port=self.port, tls_cert=tls_cert, tls_key=tls_key, log_config=None
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, args=([self._sock],), daemon=True)
        self.scheme = "https" if tls_cert else "http"

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def start(self) -> ServerThread:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the hub did not start")
            time.sleep(0.005)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self._sock.close()

    def __enter__(self) -> ServerThread:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
