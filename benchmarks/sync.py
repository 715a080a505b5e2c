"""Sync benchmark (hub side): envelope pushes over HTTPS on loopback against a bare endpoint.

For each database (SQLite, PostgreSQL) it starts, in separate processes:
- the hub (`screening-hub serve`, TLS from `dev-cert`), and
- a bare Starlette endpoint under the same uvicorn settings and certificate, which reads the
  body and answers a small JSON, doing nothing else.

For each fleet size (1 and 8 laptops) it enrols the laptops, seals N chained envelopes up
front, then POSTs the same envelope bytes one at a time over one keep-alive httpx connection
per laptop to the bare endpoint and, signed, to the hub (which checks the request signature,
the nonce, the envelope signature and the chain and commits each envelope durably before it
answers). Then other laptops push N more the way the sync client does, in batches of 64 per
signed request (POST /v1/envelopes/batch), and the same batch bodies go to the bare endpoint.
It prints median and p99 per request, envelopes per second, and two ratios: hub against bare
one-per-request POSTs (the target, >= 0.5) and hub batches against bare batches.
It also times the coordinator's
pull + open (verify and decrypt only), and then the sync client's whole coordinator run:
pull + verify (device attestation, signature, chain) + open + import into an encrypted
coordinator vault (SQLCipher, one transaction per page) + acknowledge, over everything the
hub holds.

Each envelope holds a real interview record (docs/protocol.md, "Record format": a small
interview with its answers and audit rows), padded like every record to its size class (64 KiB).

PostgreSQL is a throwaway server with fsync on (hub.devpg). SQLite runs WAL, synchronous=FULL.

With PostgreSQL it then runs `screening-hub serve --workers N` for N in --workers (1, 2, 4)
on one database, 8 laptops pushing at once (one envelope per request, then batches of 64), and
compares each with one worker. With `--json` the last line is one JSON object: `open_per_s`,
`import_per_s`, `import_ratio` (target >= 0.5) from the first backend, `push_ratio` (the lowest
hub/bare ratio of one-per-request pushes), `batch_ratio`, per-backend and per-worker figures.

    python3 benchmarks/sync.py [--count 10000] [--backends sqlite,postgresql]
                               [--laptops 1,8] [--workers 1,2,4] [--json] [--profile PREFIX]
"""

from __future__ import annotations

import argparse
import base64
import cProfile
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric import ed25519

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hub.devcert import write_dev_cert  # noqa: E402
from hub.devpg import ThrowawayPostgres  # noqa: E402
from screening.envelope import GENESIS_HASH, envelope_hash, open_envelope, seal  # noqa: E402
from screening.org import OrgKeys  # noqa: E402
from screening.sync import protocol, state  # noqa: E402
from screening.sync.batch import encode_batch  # noqa: E402
from screening.sync.client import sync as client_sync  # noqa: E402
from screening.vault import KdfParams, Vault  # noqa: E402
from screening.vault.audit import entry_hash  # noqa: E402
from screening.vault.interchange import export_record  # noqa: E402

COORDINATOR, PASSPHRASE = "Benchmark Coordinator", "glacier velvet pumpkin ferry"
PROFILE_TO: str | None = None  # --profile: cProfile the coordinator's sync run


def bare_server(port: int, cert: str, key: str) -> None:
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    from hub.server import uvicorn_config

    async def bare(request: Request) -> JSONResponse:
        body = await request.body()
        return JSONResponse({"received": len(body)}, status_code=201)

    app = Starlette(routes=[Route("/bare", bare, methods=["POST"])])
    config = uvicorn_config(app, port=port, tls_cert=cert, tls_key=key, log_level="warning")
    uvicorn.Server(config).run()


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(url: str, verify: Any, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            httpx.get(url, verify=verify, timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


def _stats(
    backend: str, what: str, laptops: int, times: list[float], wall: float, envelopes: int
) -> dict:
    """Latency per request; throughput in envelopes (a batch request carries many)."""
    ordered = sorted(times)
    return {
        "backend": backend,
        "what": what,
        "laptops": laptops,
        "n": envelopes,
        "median_ms": statistics.median(ordered) * 1000,
        "p99_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000,
        "per_s": envelopes / wall,
    }


ANSWERS = 5  # with their audit rows, the record pads to the smallest class (64 KiB)


def record_template(work: Path) -> dict[str, Any]:
    """One real interview record, exported from a scratch laptop vault."""
    vault = Vault.create(work / "template", "Bench Screener", PASSPHRASE, kdf=_fast())
    try:
        iid = vault.create_interview(
            form_id="rapid-screening",
            form_version="1.0",
            form_hash="e" * 64,
            language="en",
            location="Reception centre",
        )
        for i in range(ANSWERS):
            vault.save_answer(iid, f"q{i}", "an answer of ordinary length")
        vault.complete_interview(iid, {"result": "possible"})
        source = {"vault_id": vault.vault_id, "sealed_by": vault.user, "sealed_at": _now()}
        return export_record(vault.connection(), iid, source=source)
    finally:
        vault.lock()


def make_record(template: dict[str, Any]) -> dict[str, Any]:
    """The template as another interview: a new id, its audit rows re-hashed to match."""
    record = {**template, "interview": {**template["interview"], "id": str(uuid.uuid4())}}
    iid = record["interview"]["id"]
    trail = []
    for e in template["audit"]:
        row = {**e, "object_id": iid}
        row["hash"] = entry_hash(
            row["seq"], row["prev_hash"], row["at"], row["actor"], row["action"], iid,
            row["detail"],
        )  # fmt: skip
        trail.append(row)
    record["audit"] = trail
    return record


def _fast() -> KdfParams:
    # Key derivation cost only matters when unlocking; it plays no part in these figures.
    return KdfParams.fast_for_tests()


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


HEADERS = {"Content-Type": protocol.ENVELOPE_MEDIA_TYPE}
BATCH_HEADERS = {"Content-Type": protocol.ENVELOPE_BATCH_MEDIA_TYPE}
BATCH = 64  # as the sync client sends (screening.sync.laptop.PUSH_BATCH)


class Laptop:
    """One enrolled device with its own connection and its own chain of sealed envelopes."""

    def __init__(self, hub_url: str, ca_pem: str, coordinator: httpx.Client) -> None:
        self.key = ed25519.Ed25519PrivateKey.generate()
        self.raw = self.key.public_key().public_bytes_raw()
        self.client = protocol.hub_client(hub_url, ca_pem, self.key)
        code = protocol.new_enrol_code()
        registration = {
            "code_hash": protocol.enrol_code_hash(code),
            "expires_at": int(time.time()) + 3600,
        }
        coordinator.post(protocol.PATH_ENROL_CODES, json=registration)
        self.code = code  # the coordinator's vault keeps it to check the device's attestation
        enrolment = {
            "code_proof": protocol.enrol_code_proof(code),
            "public_key": base64.b64encode(self.raw).decode(),
            "attestation": protocol.device_attestation(code, self.raw),
        }
        enrolled = self.client.post(protocol.PATH_DEVICES, json=enrolment)
        self.device_id = enrolled.json()["device_id"]
        self.envelopes: list[bytes] = []

    def seal(self, org: OrgKeys, count: int, template: dict[str, Any]) -> None:
        prev = GENESIS_HASH
        for seq in range(1, count + 1):
            fields = {
                "device_id": self.device_id,
                "seq": seq,
                "prev_hash": prev,
            }
            wire = seal(make_record(template), fields, org.public, self.key).to_bytes()
            self.envelopes.append(wire)
            prev = envelope_hash(wire)


def _drive(
    jobs: list[tuple[httpx.Client, str, list[bytes], dict[str, str]]],
) -> tuple[list[float], float]:
    """POST every payload, one thread per (client, path, payloads, headers); per-request times
    and the wall time. Every answer is checked: a refused envelope stops the benchmark."""
    times: list[float] = []
    lock = threading.Lock()

    def run(
        client: httpx.Client, path: str, payloads: list[bytes], headers: dict[str, str]
    ) -> None:
        mine = []
        for wire in payloads:
            start = time.perf_counter()
            response = client.post(path, content=wire, headers=headers)
            mine.append(time.perf_counter() - start)
            if response.status_code not in (200, 201) or (
                path == protocol.PATH_ENVELOPE_BATCH
                and (response.json()["refused"] or response.json()["acks"][-1]["status"] != 201)
            ):
                raise RuntimeError(f"{path}: {response.status_code} {response.text[:300]}")
        with lock:
            times.extend(mine)

    threads = [threading.Thread(target=run, args=job) for job in jobs]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    expected = sum(len(job[2]) for job in jobs)
    if len(times) != expected:
        raise RuntimeError("some requests failed; see the messages above")
    return times, wall


def run_backend(
    backend: str,
    count: int,
    fleets: list[int],
    work: Path,
    tls: Path,
    ca_pem: str,
    template: dict[str, Any],
) -> list[dict]:
    org = OrgKeys.generate("Benchmark Org", "https://127.0.0.1", ca_pem)
    org_file = work / f"org-{backend}.json"
    org_file.write_bytes(org.public.to_json_bytes())
    data = work / f"hub-{backend}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    pg: ThrowawayPostgres | None = None
    if backend == "postgresql":
        pg = ThrowawayPostgres(durable=True).start()
        env["SCREENING_HUB_DATABASE_URL"] = pg.url()
    procs: list[subprocess.Popen[bytes]] = []
    clients: list[httpx.Client] = []
    try:
        cli = [sys.executable, "-m", "hub.cli"]
        subprocess.run(
            [*cli, "init", "--data", str(data), "--org", str(org_file)],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        hub_port, bare_port = _free_port(), _free_port()
        cert, key = str(tls / "server.pem"), str(tls / "server-key.pem")
        serve = [
            *cli,
            "serve",
            "--data",
            str(data),
            "--port",
            str(hub_port),
            "--tls-cert",
            cert,
            "--tls-key",
            key,
            "--log-level",
            "warning",
        ]
        bare = [sys.executable, __file__, "--bare-server", str(bare_port), cert, key]
        for command in (serve, bare):
            procs.append(
                subprocess.Popen(
                    command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
                )
            )
        verify = protocol.pinned_ssl_context(ca_pem)
        hub_url, bare_url = f"https://127.0.0.1:{hub_port}", f"https://127.0.0.1:{bare_port}"
        _wait(hub_url + "/v1/health", verify, procs[0])
        _wait(bare_url + "/bare", verify, procs[1])
        coordinator = protocol.hub_client(hub_url, ca_pem, org.signing_private_key)
        clients.append(coordinator)

        rows: list[dict] = []
        keys: dict[str, bytes] = {}
        codes: list[str] = []
        for fleet in fleets:
            singles = [Laptop(hub_url, ca_pem, coordinator) for _ in range(fleet)]
            batchers = [Laptop(hub_url, ca_pem, coordinator) for _ in range(fleet)]
            print(f"[{backend}] {fleet} laptop(s): sealing 2 x {count} envelopes", file=sys.stderr)
            for group in (singles, batchers):
                for i, laptop in enumerate(group):
                    laptop.seal(org, count // fleet + (1 if i < count % fleet else 0), template)
                    keys[laptop.device_id] = laptop.raw
                    codes.append(laptop.code)
                    clients.append(laptop.client)
            plains = [httpx.Client(base_url=bare_url, verify=verify) for _ in singles]
            clients += plains
            warm = [(p, "/bare", singles[0].envelopes[:20], HEADERS) for p in plains]
            _drive(warm)
            print(f"[{backend}] {fleet} laptop(s): bare POSTs, then hub pushes", file=sys.stderr)
            pairs = zip(plains, singles, strict=True)
            times, wall = _drive([(plain, "/bare", lap.envelopes, HEADERS) for plain, lap in pairs])
            bare_row = _stats(backend, "bare POST", fleet, times, wall, count)
            rows.append(bare_row)
            pushes = [
                (lap.client, protocol.PATH_ENVELOPES, lap.envelopes, HEADERS) for lap in singles
            ]
            times, wall = _drive(pushes)
            rows.append(_stats(backend, "hub push", fleet, times, wall, count))
            rows[-1]["ratio"] = rows[-1]["per_s"] / bare_row["per_s"]
            rows[-1]["bytes"] = len(singles[0].envelopes[0])

            print(f"[{backend}] {fleet} laptop(s): batches of {BATCH}", file=sys.stderr)
            batches = [
                [
                    encode_batch(lap.envelopes[i : i + BATCH])
                    for i in range(0, len(lap.envelopes), BATCH)
                ]
                for lap in batchers
            ]
            pairs = zip(plains, batches, strict=True)
            times, wall = _drive([(plain, "/bare", b, BATCH_HEADERS) for plain, b in pairs])
            bare_batch = _stats(
                backend, f"bare POST, {BATCH} per request", fleet, times, wall, count
            )
            rows.append(bare_batch)
            pushes = [
                (lap.client, protocol.PATH_ENVELOPE_BATCH, b, BATCH_HEADERS)
                for lap, b in zip(batchers, batches, strict=True)
            ]
            times, wall = _drive(pushes)
            rows.append(
                _stats(backend, f"hub batch push, {BATCH} per request", fleet, times, wall, count)
            )
            rows[-1]["ratio"] = rows[-1]["per_s"] / bare_row["per_s"]
            rows[-1]["ratio_batch"] = rows[-1]["per_s"] / bare_batch["per_s"]

        print(f"[{backend}] coordinator pull + open", file=sys.stderr)
        pulled, cursor, started = 0, 0, time.perf_counter()
        while True:
            page = coordinator.get("/v1/envelopes", params={"after": cursor, "limit": 500}).json()
            for item in page["envelopes"]:
                open_envelope(base64.b64decode(item["data"]), org, keys[item["device_id"]])
                pulled += 1
            cursor = page["next_cursor"]
            if not page["more"]:
                break
        seconds = time.perf_counter() - started
        rows.append(
            {
                "backend": backend,
                "what": "pull + open",
                "laptops": None,
                "n": pulled,
                "median_ms": None,
                "p99_ms": None,
                "per_s": pulled / seconds,
            }
        )

        print(f"[{backend}] coordinator sync: pull + open + import + ack", file=sys.stderr)
        rows.append(coordinator_import(backend, work, org.with_hub(hub_url, ca_pem), codes))
        return rows
    finally:
        for client in clients:
            client.close()
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=20)
        if pg is not None:
            pg.stop()


def coordinator_import(backend: str, work: Path, org: OrgKeys, codes: list[str]) -> dict:
    """The sync client's coordinator run over everything the hub holds, into a fresh vault."""
    vault = Vault.create(work / f"coordinator-{backend}", COORDINATOR, PASSPHRASE, kdf=_fast())
    try:
        state.store_org_keys(vault, org)
        for code in codes:
            state.remember_enrol_code(
                vault, code, protocol.enrol_code_hash(code), "2099-01-01T00:00:00Z"
            )
        profiler = cProfile.Profile() if PROFILE_TO else None
        started = time.perf_counter()
        if profiler is not None:
            profiler.enable()
        report = client_sync(vault)
        seconds = time.perf_counter() - started
        if profiler is not None:
            profiler.disable()
            out = Path(f"{PROFILE_TO}.{backend}.pstats")
            profiler.dump_stats(out)
            print(f"[{backend}] import profile written to {out}", file=sys.stderr)
        if report.rejected or report.imported != report.pulled:
            first = report.problems[0] if report.problems else ""
            raise RuntimeError(
                f"the coordinator imported {report.imported} of {report.pulled}: {first}"
            )
        return {
            "backend": backend,
            "what": "pull + open + import",
            "laptops": None,
            "n": report.imported,
            "median_ms": None,
            "p99_ms": None,
            "per_s": report.imported / seconds,
        }
    finally:
        vault.lock()


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--bare-server":
        bare_server(int(sys.argv[2]), sys.argv[3], sys.argv[4])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--laptops", default="1,8", help="fleet sizes to run, comma-separated")
    parser.add_argument(
        "--workers",
        default="1,2,4",
        help="hub worker processes on PostgreSQL with 8 laptops (comma-separated; '' skips)",
    )
    parser.add_argument("--json", action="store_true", help="end with one JSON line of figures")
    parser.add_argument(
        "--profile",
        metavar="PREFIX",
        help="cProfile the coordinator's sync run (slower) into PREFIX.<database>.pstats",
    )
    args = parser.parse_args()
    global PROFILE_TO
    PROFILE_TO = args.profile
    fleets = [int(n) for n in args.laptops.split(",")]
    workers_list = [int(n) for n in args.workers.split(",") if n.strip()]
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="sd-bench-") as tmp:
        work = Path(tmp)
        cert = write_dev_cert(work / "tls")
        template = record_template(work)
        for backend in args.backends.split(","):
            rows += run_backend(
                backend, args.count, fleets, work, work / "tls", cert.ca_pem, template
            )
        scaling = []
        if workers_list and "postgresql" in args.backends.split(","):
            from sync_workers import print_scaling, worker_scaling

            scaling = worker_scaling(
                args.count, workers_list, 8, work, work / "tls", cert.ca_pem, template
            )
    size = next((r["bytes"] for r in rows if "bytes" in r), 0)
    print(
        f"\nEnvelope push over HTTPS on loopback: {args.count} envelopes of {size:,} bytes per "
        f"row, one keep-alive connection per laptop; python {sys.version.split()[0]}, "
        f"{os.cpu_count()} CPUs\n"
    )
    print(
        "| database | what | laptops | envelopes | median ms per request | p99 ms | "
        "envelopes per second | hub/bare | hub/bare, both batched |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        median = "" if r["median_ms"] is None else f"{r['median_ms']:.2f}"
        p99 = "" if r["p99_ms"] is None else f"{r['p99_ms']:.2f}"
        ratio = f"{r['ratio']:.2f}" if "ratio" in r else ""
        both = f"{r['ratio_batch']:.2f}" if "ratio_batch" in r else ""
        print(
            f"| {r['backend']} | {r['what']} | {r['laptops'] or ''} | {r['n']} | {median} | "
            f"{p99} | {r['per_s']:.0f} | {ratio} | {both} |"
        )
    print(
        "\nTarget: hub/bare >= 0.5, where 'bare' is plain httpx POSTs of the same envelope "
        "bytes, one per request. 'hub batch push' is what the sync client does (64 envelopes "
        "per signed request); 'hub/bare, both batched' compares it with bare POSTs of the same "
        "batch bodies, i.e. the hub's own cost per envelope. Every hub push is checked "
        "(request signature, nonce, each envelope's signature, chain) and durably committed "
        "before the answer. 'pull + open': "
        "the coordinator pulls pages of 500 and verifies + decrypts each envelope "
        "(no vault). 'pull + open + import': `screening sync` as the coordinator over all "
        "envelopes the hub holds — pages of 200, device attestation, signature and chain "
        "checked, decrypted, the record checked and imported into an encrypted vault (one "
        "transaction per page), then acknowledged."
    )
    for r in rows:
        if r["what"] == "pull + open + import":
            opened = next(
                o for o in rows if o["backend"] == r["backend"] and o["what"] == "pull + open"
            )
            r["ratio"] = r["per_s"] / opened["per_s"]
            print(
                f"\n{r['backend']}: import / (pull + open) = {r['ratio']:.2f} "
                f"({'meets' if r['ratio'] >= 0.5 else 'misses'} the target of 0.5)"
            )
    if scaling:
        print_scaling(scaling, args.count)
    if args.json:
        first = args.backends.split(",")[0]

        def pick(what: str, backend: str = first) -> dict[str, Any]:
            return next(r for r in rows if r["backend"] == backend and r["what"] == what)

        figures: dict[str, Any] = {
            "count": args.count,
            "open_per_s": round(pick("pull + open")["per_s"], 1),
            "import_per_s": round(pick("pull + open + import")["per_s"], 1),
            "import_ratio": round(pick("pull + open + import")["ratio"], 3),
            "push_ratio": round(min(r["ratio"] for r in rows if r["what"] == "hub push"), 3),
            "batch_ratio": round(min(r["ratio_batch"] for r in rows if "ratio_batch" in r), 3),
            "backend": first,
            "by_backend": {
                b: {
                    "open_per_s": round(pick("pull + open", b)["per_s"], 1),
                    "import_per_s": round(pick("pull + open + import", b)["per_s"], 1),
                }
                for b in args.backends.split(",")
            },
            "workers": {
                r["what"]: {
                    "per_s": round(r["per_s"], 1),
                    "x_one_worker": round(r["x_one_worker"], 2),
                }
                for r in scaling
            },
        }
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
