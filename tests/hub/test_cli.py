"""`screening-hub` init, serve and dev-cert, the serve test in a real subprocess."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from hub.cli import main
from screening.org import OrgKeys
from screening.sync import protocol
from tests.hub.conftest import Tls


def _org_file(tmp_path: Path, org: OrgKeys, name: str = "org.json") -> Path:
    path = tmp_path / name
    path.write_bytes(org.public.to_json_bytes())
    return path


def test_dev_cert_writes_a_ca_and_a_private_key_only_the_owner_reads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["dev-cert", "--out", str(tmp_path / "tls")]) == 0
    files = sorted(p.name for p in (tmp_path / "tls").iterdir())
    assert files == ["ca.pem", "server-key.pem", "server.pem"]
    assert (tmp_path / "tls" / "server-key.pem").stat().st_mode & 0o077 == 0
    assert "BEGIN CERTIFICATE" in (tmp_path / "tls" / "ca.pem").read_text()
    assert main(["dev-cert", "--out", str(tmp_path / "tls")]) == 2
    assert "already holds a certificate" in capsys.readouterr().err


def test_init_binds_a_data_folder_to_one_organisation(
    tmp_path: Path,
    org_keys: OrgKeys,
    other_org: OrgKeys,
    database_url: str | None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = str(tmp_path / "data")
    db = ["--database-url", database_url] if database_url else []
    assert main(["init", "--data", data, "--org", str(_org_file(tmp_path, org_keys)), *db]) == 0
    assert org_keys.public.fingerprint in capsys.readouterr().out
    # Again with the same organisation (a renewed hub certificate, say): fine.
    assert main(["init", "--data", data, "--org", str(_org_file(tmp_path, org_keys)), *db]) == 0
    other = str(_org_file(tmp_path, other_org, "other.json"))
    assert main(["init", "--data", data, "--org", other, *db]) == 2
    assert "already serves the organisation" in capsys.readouterr().err
    # Another data folder pointed at the same database is refused too.
    elsewhere = str(tmp_path / "elsewhere")
    if database_url:
        assert main(["init", "--data", elsewhere, "--org", other, *db]) == 2
        assert "database belongs to another organisation" in capsys.readouterr().err


def test_init_refuses_a_tampered_organisation_file(
    tmp_path: Path, org_keys: OrgKeys, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = org_keys.public_file()
    doc["hub"]["url"] = "https://attacker.example"
    path = tmp_path / "org.json"
    path.write_text(json.dumps(doc))
    assert main(["init", "--data", str(tmp_path / "data"), "--org", str(path)]) == 2
    err = capsys.readouterr().err
    assert "signature does not verify" in err and "Traceback" not in err
    assert not (tmp_path / "data" / "org.json").exists()


def test_serve_refuses_plain_http_off_loopback_and_uninitialised_folders(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", "--data", str(tmp_path), "--host", "0.0.0.0", "--port", "1"]) == 2
    assert "plain HTTP" in capsys.readouterr().err
    assert main(["serve", "--data", str(tmp_path / "none"), "--port", "1"]) == 2
    assert "not a hub data folder" in capsys.readouterr().err


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_runs_the_hub_over_tls_in_its_own_process(
    tmp_path: Path, tls: Tls, org_keys: OrgKeys, database_url: str | None
) -> None:
    data = str(tmp_path / "data")
    org_path = str(_org_file(tmp_path, org_keys))
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    if database_url:
        env["SCREENING_HUB_DATABASE_URL"] = database_url  # kept out of the process list
    assert (
        main(
            ["init", "--data", data, "--org", org_path]
            + (["--database-url", database_url] if database_url else [])
        )
        == 0
    )
    port = _free_port()
    command = [
        sys.executable, "-m", "hub.cli", "serve", "--data", data, "--port", str(port),
        "--tls-cert", str(tls.cert_file), "--tls-key", str(tls.key_file),
    ]  # fmt: skip
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        url = f"https://127.0.0.1:{port}"
        verify = protocol.pinned_ssl_context(tls.cert.ca_pem)
        deadline = time.monotonic() + 20
        while True:
            try:
                health = httpx.get(url + "/v1/health", verify=verify)
                # A loaded machine may answer before the store is ready: wait for "ok".
                if health.json().get("status") == "ok":
                    break
            except httpx.ConnectError:
                pass
            assert proc.poll() is None, proc.stdout.read().decode() if proc.stdout else ""
            assert time.monotonic() < deadline, "the hub did not become healthy"
            time.sleep(0.1)
        assert health.json()["status"] == "ok"
        coordinator = httpx.Client(
            base_url=url, verify=verify, auth=protocol.RequestSigner(org_keys.signing_private_key)
        )
        response = coordinator.get("/v1/devices")
        assert response.status_code == 200 and response.json() == {"devices": []}
        coordinator.close()
    finally:
        proc.terminate()
        output = proc.communicate(timeout=20)[0].decode()
    assert "serving Test Organisation" in output
    assert "GET devices -> 200" in output
    if database_url:
        assert database_url not in output
