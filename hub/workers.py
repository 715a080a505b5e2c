"""Serving the hub from several worker processes on one PostgreSQL database.

`screening-hub serve --workers N` binds the listening socket once and starts N uvicorn worker
processes (uvicorn's own supervisor: a worker that dies is replaced) that accept on it. Each
worker opens the hub from the data folder and the database in its environment.

Nothing a request's checks depend on lives in one process's memory, so N processes behave as
one hub, and no lock is shared by every writer (hub/store/postgres.py): a request's nonce is
inserted in the request's write transaction and the primary key refuses it a second time,
whichever process sees it; a device's chain head is read under its row lock, so one device's
pushes take turns while other devices' pushes run beside them; an enrolment code is spent by
one conditional UPDATE; a pull of envelopes waits for the writers in flight, so cursors that
commit out of order are never skipped. The only cache, a device's id and public key, holds
what never changes; revocations and chain heads are re-read inside the transaction.

SQLite stays a one-process store (an embedded file for a small organisation); several workers
need PostgreSQL.
"""

from __future__ import annotations

import logging
import os
import socket
from pathlib import Path
from typing import Any

from screening.errors import ScreeningError

DATA_ENV = "SCREENING_HUB_DATA"
DATABASE_ENV = "SCREENING_HUB_DATABASE_URL"
MAX_WORKERS = 64
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


def app_from_environment() -> Any:
    """The app of one worker process (uvicorn calls this factory in each worker)."""
    from hub.app import create_app
    from hub.server import open_hub

    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    hub = open_hub(os.environ[DATA_ENV], os.environ.get(DATABASE_ENV) or None)
    return create_app(hub)


def check_workers(workers: int, database_url: str | None) -> None:
    if not 1 <= workers <= MAX_WORKERS:
        raise ScreeningError(f"--workers must be from 1 to {MAX_WORKERS}.", exit_code=2)
    if workers > 1 and not database_url:
        raise ScreeningError(
            "Several worker processes need PostgreSQL (--database-url); the SQLite store "
            "serves one process.",
            exit_code=2,
        )


def serve_workers(
    data_dir: Path,
    database_url: str,
    workers: int,
    *,
    host: str,
    port: int,
    tls_cert: Path | None,
    tls_key: Path | None,
    log_level: str,
    max_connections_per_client: int = 32,
) -> None:
    """Run `workers` hub processes on one socket until SIGINT/SIGTERM."""
    from uvicorn.supervisors import Multiprocess

    from hub.limits import PER_CLIENT_ENV, WorkerGuardedProtocol
    from hub.server import uvicorn_config

    # The workers are spawned, not forked: they read where the hub lives from here (the
    # database URL in the environment keeps its password out of the process list).
    os.environ[DATA_ENV] = str(data_dir.resolve())
    os.environ[DATABASE_ENV] = database_url
    # The slow-client limits hold in every worker (hub/limits.py), each with its own counts.
    os.environ[PER_CLIENT_ENV] = str(max_connections_per_client)
    config = uvicorn_config(
        f"{__name__}:app_from_environment",
        host=host,
        port=port,
        tls_cert=tls_cert,
        tls_key=tls_key,
        log_level=log_level,
        factory=True,
        workers=workers,
        http=WorkerGuardedProtocol,
    )
    sock = config.bind_socket()
    # Accepted sockets inherit it; without it Nagle and delayed ACKs add ~40 ms per response.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        Multiprocess(config, sockets=[sock]).run()
    finally:
        sock.close()
