"""Hub fixtures: a real uvicorn over TLS on 127.0.0.1, once on SQLite and once on PostgreSQL.

PostgreSQL: a throwaway server is started for the session (initdb in /tmp, Unix socket only,
as the `postgres` user when running as root) and stopped at the end; every test gets its own
schema. Set SCREENING_TEST_POSTGRES_URL to use an existing server instead. When neither is
possible the PostgreSQL tests FAIL with the reason: they must never be skipped silently.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from hub.app import create_app
from hub.devcert import DevCert, make_dev_cert
from hub.devpg import PostgresUnavailable, ThrowawayPostgres
from hub.server import ServerThread, init_data_dir, open_hub
from screening.org import KEM_X25519, OrgKeys
from tests.hub.helpers import Caller, FakeClock, HubEnv

POSTGRES_URL_ENV = "SCREENING_TEST_POSTGRES_URL"


@dataclass(frozen=True)
class Tls:
    cert: DevCert
    cert_file: Path
    key_file: Path


@pytest.fixture(scope="session")
def tls(tmp_path_factory: pytest.TempPathFactory) -> Tls:
    folder = tmp_path_factory.mktemp("tls")
    cert = make_dev_cert()
    (folder / "server.pem").write_text(cert.cert_pem)
    (folder / "server-key.pem").write_text(cert.key_pem)
    return Tls(cert, folder / "server.pem", folder / "server-key.pem")


@pytest.fixture(scope="session")
def org_keys(tls: Tls) -> OrgKeys:
    return OrgKeys.generate("Test Organisation", "https://127.0.0.1:8443", tls.cert.ca_pem)


@pytest.fixture(scope="session")
def other_org(tls: Tls) -> OrgKeys:
    return OrgKeys.generate(
        "Another Organisation", "https://127.0.0.1:8443", tls.cert.ca_pem, kem=KEM_X25519
    )


class _Postgres:
    """The session's PostgreSQL: a throwaway server, or the one named in the environment."""

    def __init__(self) -> None:
        self.server: ThrowawayPostgres | None = None
        self.error: str | None = None
        self.base_url = os.environ.get(POSTGRES_URL_ENV)

    def ensure(self) -> None:
        if self.base_url or self.error:
            return
        try:
            self.server = ThrowawayPostgres().start()
            self.base_url = self.server.url()
        except PostgresUnavailable as exc:
            self.error = str(exc)

    def schema_url(self, schema: str) -> str:
        assert self.base_url is not None
        joiner = "&" if "?" in self.base_url else "?"
        return f"{self.base_url}{joiner}options=-csearch_path%3D{schema}"

    def execute(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.base_url, autocommit=True) as conn:
            conn.execute(sql)


@pytest.fixture(scope="session")
def postgres() -> Iterator[_Postgres]:
    pg = _Postgres()
    yield pg
    if pg.server is not None:
        pg.server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, postgres: _Postgres) -> Iterator[str | None]:
    """None for SQLite; a fresh schema's URL for PostgreSQL."""
    if request.param == "sqlite":
        yield None
        return
    postgres.ensure()
    if postgres.error:
        pytest.fail(f"PostgreSQL is required for the hub tests: {postgres.error}", pytrace=False)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    postgres.execute(f"CREATE SCHEMA {schema}")
    try:
        yield postgres.schema_url(schema)
    finally:
        postgres.execute(f"DROP SCHEMA {schema} CASCADE")


class _LogText(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def hub_env(
    tmp_path: Path, tls: Tls, org_keys: OrgKeys, database_url: str | None
) -> Iterator[HubEnv]:
    org_file = tmp_path / "org.json"
    org_file.write_bytes(org_keys.public.to_json_bytes())
    init_data_dir(tmp_path / "data", org_file, database_url).close()
    clock = FakeClock()
    hub = open_hub(tmp_path / "data", database_url, clock=clock)
    # Everything the hub process logs, at every level, from every logger (uvicorn's too).
    capture = _LogText()
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(capture)
    root.setLevel(logging.DEBUG)
    server = ServerThread(create_app(hub), tls_cert=tls.cert_file, tls_key=tls.key_file).start()
    coordinator = Caller(server.url, tls.cert.ca_pem, org_keys.signing_private_key, clock)
    env = HubEnv(
        url=server.url,
        hub=hub,
        org=org_keys,
        ca_pem=tls.cert.ca_pem,
        clock=clock,
        coordinator=coordinator,
        log_text=lambda: "\n".join(capture.lines),
    )
    try:
        yield env
    finally:
        env.close()
        server.stop()
        hub.store.close()
        root.removeHandler(capture)
        root.setLevel(old_level)
