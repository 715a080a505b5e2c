"""A real hub (uvicorn, TLS, 127.0.0.1) that keeps its port across restarts, and vaults around it.

The hub runs in this process on a socket bound once, so its URL (which goes into the
organisation file before the hub exists) stays valid when the hub is stopped and started
again. The data folder and database survive restarts, as on a real server.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from hub.app import create_app
from hub.server import ServerThread, bind_loopback, init_data_dir, open_hub
from hub.service import Hub
from hub.store.tx import EnvelopeRow
from screening.org import OrgKeys
from screening.sync import coordinator, laptop, state
from screening.sync.transport import RetryPolicy
from screening.vault import KdfParams, Vault

FAST = KdfParams.fast_for_tests()
COORD, COORD_PASS = "Leila Okafor", "glacier velvet pumpkin ferry"
ADMIN, ADMIN_PASS = "Amira Haddad", "violet kettle marathon orbit"
SCREENER, SCREENER_PASS = "Tomas Ferreira", "copper lantern drizzle wombat"
# Tests retry quickly; the CLI waits longer between attempts.
QUICK = RetryPolicy(attempts=4, base_delay=0.01, max_delay=0.05, timeout=10, connect_timeout=5)


class HubRig:
    """`screening-hub` as a thread: init once, start, stop, restart; same URL throughout."""

    def __init__(self, data_dir: Path, tls: Any, database_url: str | None) -> None:
        self.data_dir = data_dir
        self.tls = tls
        self.database_url = database_url
        self._sock: socket.socket | None = bind_loopback()
        self.port = self._sock.getsockname()[1]
        self.hub: Hub | None = None
        self.server: ServerThread | None = None
        self.restarts = 0

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    @property
    def ca_pem(self) -> str:
        return str(self.tls.cert.ca_pem)

    def init(self, org_file: Path) -> None:
        init_data_dir(self.data_dir, org_file, self.database_url).close()

    def start(self) -> HubRig:
        sock = self._sock or bind_loopback(self.port)
        self._sock = None  # the server thread owns it now, and closes it on stop
        self.hub = open_hub(self.data_dir, self.database_url)
        self.server = ServerThread(
            create_app(self.hub), tls_cert=self.tls.cert_file, tls_key=self.tls.key_file, sock=sock
        ).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
        if self._sock is not None:
            self._sock.close()
            self._sock = None
        if self.hub is not None:
            self.hub.store.close()
        self.hub = self.server = None

    def restart(self) -> None:
        self.stop()
        self.start()
        self.restarts += 1

    # ---- looking inside (as the operator could) ----------------------------------------

    @contextmanager
    def read(self) -> Iterator[Any]:
        hub = self.hub or open_hub(self.data_dir, self.database_url)
        try:
            with hub.store.read() as tx:
                yield tx
        finally:
            if hub is not self.hub:
                hub.store.close()

    def envelopes(self) -> list[EnvelopeRow]:
        with self.read() as tx:
            rows: list[EnvelopeRow] = []
            after = 0
            while batch := tx.envelopes_after(after, 1000):
                rows += batch
                after = batch[-1].cursor
            return rows

    def write(self, fn: Any) -> Any:
        assert self.hub is not None
        return self.hub.store.run_write(fn)


# ------------------------------------------------------------------------------- vaults


def coordinator_vault(folder: Path, hub_url: str, ca_pem: str, name: str = "Test Org") -> Vault:
    vault = Vault.create(folder, COORD, COORD_PASS, kdf=FAST)
    coordinator.init_org(vault, name, hub_url, ca_pem)
    return vault


def org_of(vault: Vault) -> OrgKeys:
    keys = state.org_keys(vault)
    assert keys is not None
    return keys


def enrolled_laptop(
    folder: Path,
    coord: Vault,
    *,
    policy: RetryPolicy = QUICK,
    transport: Any = None,
    with_screener: bool = True,
) -> Vault:
    """A laptop vault (admin + screener) enrolled with a fresh code; returned unlocked as the
    screener (or the admin)."""
    code, _ = coordinator.create_enrol_code(coord, policy=policy, transport=transport)
    org = org_of(coord).public
    admin = Vault.create(folder, ADMIN, ADMIN_PASS, kdf=FAST)
    laptop.enrol_device(admin, org, code, policy=policy, transport=transport)
    if not with_screener:
        return admin
    admin.add_user(SCREENER, SCREENER_PASS, role="screener", kdf=FAST)
    admin.lock()
    return Vault.unlock(folder, SCREENER, SCREENER_PASS)


def completed_interview(vault: Vault, n: int, *, marker: str = "") -> str:
    """A small finished interview: two answers (one declined), an outcome."""
    iid = vault.create_interview(
        form_id="rapid-screening",
        form_version="1.0",
        form_hash="ab" * 32,
        language="en",
        location=f"Centre {n % 7}{marker}",
    )
    vault.save_answer(iid, "age", 20 + n % 50)
    vault.save_answer(iid, "notes", f"answer {n}{marker}")
    vault.save_answer(iid, "employer", None, "declined")
    vault.complete_interview(iid, {"result": "possible", "n": n})
    return iid
