"""Hub worker processes on one PostgreSQL (part of benchmarks/sync.py).

`screening-hub serve --workers N` for each N, on one database, with 8 laptops pushing at once,
one envelope per request and then in batches of 64; each row compared with one worker.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
from sync import (
    BATCH,
    BATCH_HEADERS,
    HEADERS,
    ROOT,
    Laptop,
    _drive,
    _free_port,
    _stats,
    _wait,
)

from hub.devpg import ThrowawayPostgres
from screening.org import OrgKeys
from screening.sync import protocol
from screening.sync.batch import encode_batch


def worker_scaling(
    count: int,
    workers_list: list[int],
    laptops: int,
    work: Path,
    tls: Path,
    ca_pem: str,
    template: dict[str, Any],
) -> list[dict]:
    """`serve --workers N` on one PostgreSQL: `laptops` laptops push at once, one envelope
    per request and then in batches; each N gets fresh laptops on the same database."""
    org = OrgKeys.generate("Benchmark Org", "https://127.0.0.1", ca_pem)
    org_file = work / "org-workers.json"
    org_file.write_bytes(org.public.to_json_bytes())
    data = work / "hub-workers"
    pg = ThrowawayPostgres(durable=True).start()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SCREENING_HUB_DATABASE_URL": pg.url()}
    cli = [sys.executable, "-m", "hub.cli"]
    rows: list[dict] = []
    try:
        subprocess.run(
            [*cli, "init", "--data", str(data), "--org", str(org_file)],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        for workers in workers_list:
            port = _free_port()
            serve = [
                *cli, "serve", "--data", str(data), "--port", str(port),
                "--tls-cert", str(tls / "server.pem"), "--tls-key", str(tls / "server-key.pem"),
                "--log-level", "warning", "--workers", str(workers),
            ]  # fmt: skip
            proc = subprocess.Popen(
                serve, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            clients: list[httpx.Client] = []
            try:
                url = f"https://127.0.0.1:{port}"
                _wait(url + "/v1/health", protocol.pinned_ssl_context(ca_pem), proc)
                coordinator = protocol.hub_client(url, ca_pem, org.signing_private_key)
                clients.append(coordinator)
                print(f"[workers] {workers} worker(s): sealing 2 x {count}", file=sys.stderr)
                groups = []
                for _ in range(2):
                    group = [Laptop(url, ca_pem, coordinator) for _ in range(laptops)]
                    for i, laptop in enumerate(group):
                        laptop.seal(
                            org, count // laptops + (1 if i < count % laptops else 0), template
                        )
                        clients.append(laptop.client)
                    groups.append(group)
                singles, batchers = groups
                what = f"hub push, {workers} worker(s)"
                times, wall = _drive(
                    [
                        (lap.client, protocol.PATH_ENVELOPES, lap.envelopes, HEADERS)
                        for lap in singles
                    ]
                )
                rows.append(_stats("postgresql", what, laptops, times, wall, count))
                batches = [
                    [
                        encode_batch(lap.envelopes[i : i + BATCH])
                        for i in range(0, len(lap.envelopes), BATCH)
                    ]
                    for lap in batchers
                ]
                times, wall = _drive(
                    [
                        (lap.client, protocol.PATH_ENVELOPE_BATCH, b, BATCH_HEADERS)
                        for lap, b in zip(batchers, batches, strict=True)
                    ]
                )
                what = f"hub batch push, {BATCH} per request, {workers} worker(s)"
                rows.append(_stats("postgresql", what, laptops, times, wall, count))
            finally:
                for client in clients:
                    client.close()
                proc.terminate()
                proc.wait(timeout=30)
        for kind in ("hub push,", "hub batch push,"):
            same = [r for r in rows if r["what"].startswith(kind)]
            for r in same:
                r["x_one_worker"] = r["per_s"] / same[0]["per_s"]
        return rows
    finally:
        pg.stop()


def print_scaling(scaling: list[dict], count: int) -> None:
    print(
        f"\nHub worker processes on one PostgreSQL, 8 laptops pushing at once "
        f"({count} envelopes per row; {os.cpu_count()} CPUs shared by the hub, "
        "PostgreSQL and the laptops' client threads)\n"
    )
    print("| what | median ms | p99 ms | envelopes per second | x 1 worker |")
    print("|---|---:|---:|---:|---:|")
    for r in scaling:
        print(
            f"| {r['what']} | {r['median_ms']:.2f} | {r['p99_ms']:.2f} | {r['per_s']:.0f} | "
            f"{r['x_one_worker']:.2f} |"
        )
