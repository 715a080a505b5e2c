"""`screening-hub`: set up and run the sync hub.

    screening-hub init --data DIR --org ORG.json [--database-url postgresql://...]
    screening-hub serve --data DIR [--database-url ...] --host 127.0.0.1 --port N
                        [--tls-cert F --tls-key F] [--workers N]
    screening-hub dev-cert --out DIR [--host NAME ...]

The database URL may also come from SCREENING_HUB_DATABASE_URL, which keeps a password out
of the process list. Errors are one sentence on stderr with exit code 2.
"""

from __future__ import annotations

import argparse
import ipaddress
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from screening.errors import ScreeningError

DATABASE_ENV = "SCREENING_HUB_DATABASE_URL"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="screening-hub", description="Screening Desk sync hub")
    sub = parser.add_subparsers(dest="command")

    init = sub.add_parser("init", help="create a hub data folder for an organisation")
    init.add_argument("--data", required=True, type=Path, help="hub data folder")
    init.add_argument("--org", required=True, type=Path, help="the organisation file (org.json)")
    init.add_argument("--database-url", help=f"postgresql://... (or ${DATABASE_ENV})")

    serve = sub.add_parser("serve", help="run the hub")
    serve.add_argument("--data", required=True, type=Path)
    serve.add_argument("--database-url", help=f"postgresql://... (or ${DATABASE_ENV})")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8443)
    serve.add_argument("--tls-cert", type=Path, help="server certificate chain (PEM)")
    serve.add_argument("--tls-key", type=Path, help="server private key (PEM)")
    serve.add_argument("--log-level", default="info", choices=["debug", "info", "warning"])
    serve.add_argument(
        "--max-connections-per-client",
        type=int,
        default=32,
        metavar="N",
        help="open connections one address may hold (default 32; 0: no limit, behind a proxy)",
    )
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        help="worker processes (several need PostgreSQL; see hub/workers.py)",
    )

    cert = sub.add_parser("dev-cert", help="make a local CA and server certificate (pilots)")
    cert.add_argument("--out", required=True, type=Path)
    cert.add_argument(
        "--host",
        action="append",
        dest="hosts",
        help="host name or IP the hub is reached at (repeatable; default 127.0.0.1, localhost)",
    )
    return parser


def _database_url(args: argparse.Namespace) -> str | None:
    return args.database_url or os.environ.get(DATABASE_ENV) or None


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _init(args: argparse.Namespace) -> int:
    from hub.server import init_data_dir
    from screening.org.orgfile import load_org_file

    store = init_data_dir(args.data, args.org, _database_url(args))
    store.close()
    org = load_org_file(args.org)
    where = "PostgreSQL" if store.backend == "postgresql" else f"{args.data}/hub.sqlite3"
    print(f"Hub data folder {args.data} is ready for {org.name} ({org.fingerprint}).")
    print(f"State is kept in {where}.")
    return 0


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from hub.app import create_app
    from hub.limits import ConnectionLimits
    from hub.server import open_hub, uvicorn_config
    from hub.workers import LOG_FORMAT, check_workers, serve_workers

    if (args.tls_cert is None) != (args.tls_key is None):
        raise ScreeningError("Give both --tls-cert and --tls-key, or neither.", exit_code=2)
    if args.tls_cert is None and not _is_loopback(args.host):
        raise ScreeningError(
            "Without --tls-cert/--tls-key the hub serves plain HTTP, which is allowed only on "
            "127.0.0.1 (behind a TLS proxy on the same machine).",
            exit_code=2,
        )
    if args.max_connections_per_client < 0:
        raise ScreeningError("--max-connections-per-client must be 0 or more.", exit_code=2)
    for path in (args.tls_cert, args.tls_key):
        if path is not None and not path.is_file():
            raise ScreeningError(f"There is no file at {path}.", exit_code=2)
    database_url = _database_url(args)
    check_workers(args.workers, database_url)
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    hub = open_hub(args.data, database_url)
    logging.getLogger("screening.hub").info(
        "serving %s (%s) on %s:%d, %s, state in %s",
        hub.org.name,
        hub.org.fingerprint,
        args.host,
        args.port,
        "TLS" if args.tls_cert else "plain HTTP (loopback only)",
        hub.store.backend,
    )
    if args.workers > 1:
        hub.store.close()  # checked and ready; each worker opens its own
        assert database_url is not None
        logging.getLogger("screening.hub").info("starting %d worker processes", args.workers)
        serve_workers(
            args.data,
            database_url,
            args.workers,
            host=args.host,
            port=args.port,
            tls_cert=args.tls_cert,
            tls_key=args.tls_key,
            log_level=args.log_level,
            max_connections_per_client=args.max_connections_per_client,
        )
        return 0
    config = uvicorn_config(
        create_app(hub, limits=ConnectionLimits(per_client=args.max_connections_per_client)),
        host=args.host,
        port=args.port,
        tls_cert=args.tls_cert,
        tls_key=args.tls_key,
        log_level=args.log_level,
    )
    try:
        uvicorn.Server(config).run()
    finally:
        hub.store.close()
    return 0


def _dev_cert(args: argparse.Namespace) -> int:
    from hub.devcert import DEFAULT_HOSTS, write_dev_cert

    hosts = tuple(args.hosts) if args.hosts else DEFAULT_HOSTS
    try:
        write_dev_cert(args.out, hosts)
    except FileExistsError as exc:
        raise ScreeningError(f"{exc}.", exit_code=2) from None
    print(
        f"Wrote {args.out}/ca.pem (put it in the organisation file), server.pem and "
        f"server-key.pem (for --tls-cert/--tls-key) for {', '.join(hosts)}."
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    handler = {"init": _init, "serve": _serve, "dev-cert": _dev_cert}[args.command]
    try:
        return handler(args)
    except ScreeningError as exc:
        print(f"screening-hub: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except (ValueError, OSError, RuntimeError) as exc:
        # Bad database URL, unwritable folder, missing driver: the user's to fix.
        print(f"screening-hub: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:
        if type(exc).__module__.split(".")[0] not in ("psycopg", "sqlite3"):
            raise
        # Database errors name the problem (unreachable, auth failed), not the password.
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        print(f"screening-hub: database error: {first_line}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
