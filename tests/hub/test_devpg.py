"""The throwaway PostgreSQL of the tests: the pip-bundled server works where the system has none."""

from __future__ import annotations

import os

import psycopg
import pytest

from hub import devpg


def test_the_bundled_server_starts_and_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    # Forced, so that this runs even on a machine whose system PostgreSQL would be found first
    # (CI's fresh machine has none, and depends on exactly this path).
    monkeypatch.setenv(devpg.SOURCE_ENV, "bundled")
    bundled = devpg.bundled_bin_dir()
    assert bundled is not None, "the test extra installs pgserver"
    server = devpg.ThrowawayPostgres()
    assert server.bin_dir == bundled
    with server:
        with psycopg.connect(server.url(), autocommit=True) as conn:
            version = conn.execute("SHOW server_version").fetchone()[0]
            user = conn.execute("SELECT current_user").fetchone()[0]
        assert int(version.split(".")[0]) >= 16 and user == "postgres"
        if os.geteuid() == 0:
            # Not run as root: the server process belongs to an unprivileged user.
            assert (server.root / "data").stat().st_uid != 0
        root = server.root
    assert root is not None and not root.exists()
    assert server.bin_dir == bundled


def test_an_unknown_source_is_one_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(devpg.SOURCE_ENV, "docker")
    with pytest.raises(devpg.PostgresUnavailable, match="must be 'system' or 'bundled'"):
        devpg.find_bin_dir()
