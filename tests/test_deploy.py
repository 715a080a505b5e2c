"""The sample deployment files (deploy/) run the real hub command with options it accepts."""

from __future__ import annotations

import configparser
import re
import shlex
import tomllib
from pathlib import Path

from hub import cli as hub_cli
from screening.sync.batch import MAX_BATCH_BYTES

ROOT = Path(__file__).resolve().parents[1]
UNIT = ROOT / "deploy" / "screening-hub@.service"
NGINX = ROOT / "deploy" / "nginx-screening-hub.conf"
GUIDE = ROOT / "docs" / "deploy-hub.md"


def unit() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read_string(UNIT.read_text(encoding="utf-8"))
    return parser


def instance_ports() -> list[int]:
    """The instances docs/deploy-hub.md tells the operator to enable."""
    text = GUIDE.read_text(encoding="utf-8")
    return [int(p) for p in re.findall(r"screening-hub@(\d+)", text)]


def test_unit_runs_the_real_serve_command() -> None:
    argv = shlex.split(unit()["Service"]["ExecStart"])
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["scripts"]
    assert Path(argv[0]).name in scripts
    assert scripts[Path(argv[0]).name] == "hub.cli:main"
    for port in instance_ports():
        # The hub's own parser: an unknown option or a missing --data exits here.
        args = hub_cli._parser().parse_args([a.replace("%i", str(port)) for a in argv[1:]])
        assert args.command == "serve" and args.port == port
        # No TLS options: the hub serves plain HTTP only on loopback, behind the proxy.
        assert args.tls_cert is None and hub_cli._is_loopback(args.host)
        assert str(args.data) in unit()["Service"]["ReadWritePaths"].split()


def test_unit_keeps_the_database_password_out_of_the_command_line() -> None:
    service = unit()["Service"]
    assert "--database-url" not in service["ExecStart"]
    assert service["EnvironmentFile"].startswith("/etc/")
    assert hub_cli.DATABASE_ENV in UNIT.read_text(encoding="utf-8")
    assert service["User"] != "root" and service["NoNewPrivileges"] == "yes"


def test_proxy_reaches_every_instance_and_lets_a_full_batch_through() -> None:
    text = NGINX.read_text(encoding="utf-8")
    upstream = {int(p) for p in re.findall(r"server 127\.0\.0\.1:(\d+);", text)}
    assert upstream and upstream == set(instance_ports())
    size = re.search(r"client_max_body_size (\d+)m;", text)
    assert size and int(size.group(1)) * 1024 * 1024 >= MAX_BATCH_BYTES
