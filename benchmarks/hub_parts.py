"""Where a hub push spends its time, without HTTP: the parts of taking one envelope.

benchmarks/sync.py measures pushes over HTTPS; this script opens the hub in-process (the
same `Hub.handle` the HTTP endpoints call, with a real store: SQLite WAL synchronous=FULL,
or a throwaway PostgreSQL with fsync on) and times, per envelope:

- parsing the wire format (`Envelope.from_bytes`, header canonical check included);
- the Ed25519 check of the device signature (`verify`), which the hub does for every
  envelope it takes;
- the whole hub work of a batch push of 64 (request signature, nonce, every envelope parsed
  and verified, chain checks, one durable commit), divided by 64;
- the whole hub work of a single push (two signature checks, nonce, one commit).

The last column relates each part to the hub work per envelope in a batch.

    python3 benchmarks/hub_parts.py [--count 3200] [--backends sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ed25519

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hub.app import build_routes  # noqa: E402
from hub.devpg import ThrowawayPostgres  # noqa: E402
from hub.server import init_data_dir, open_hub  # noqa: E402
from hub.service import Hub, HubRequest  # noqa: E402
from screening.envelope import GENESIS_HASH, Envelope, envelope_hash, seal, verify  # noqa: E402
from screening.org import OrgKeys  # noqa: E402
from screening.sync import protocol  # noqa: E402
from screening.sync.batch import encode_batch  # noqa: E402

BATCH = 64  # as the sync client sends (screening.sync.laptop.PUSH_BATCH)
# A record of about the size benchmarks/sync.py uses: it pads to 4 KiB like every record.
RECORD = {"answers": [[f"q{i}", "an answer of ordinary length " * 20] for i in range(5)]}


def _call(hub: Hub, route: str, path: str, body: bytes, key: ed25519.Ed25519PrivateKey) -> Any:
    routes = {r.name: r for r in build_routes()}
    headers = protocol.sign_request("POST", path, body, key)
    status, answer = hub.handle(routes[route], HubRequest("POST", path, headers, body))
    if status not in (200, 201):
        raise RuntimeError(f"{route}: {status} {answer}")
    return answer


def _enrol(hub: Hub, org: OrgKeys) -> tuple[str, ed25519.Ed25519PrivateKey]:
    code = protocol.new_enrol_code()
    registration = {
        "code_hash": protocol.enrol_code_hash(code),
        "expires_at": int(time.time()) + 3600,
    }
    _call(
        hub,
        "enrol_code",
        protocol.PATH_ENROL_CODES,
        json.dumps(registration).encode(),
        org.signing_private_key,
    )
    key = ed25519.Ed25519PrivateKey.generate()
    raw = key.public_key().public_bytes_raw()
    enrolment = {
        "code_proof": protocol.enrol_code_proof(code),
        "public_key": base64.b64encode(raw).decode(),
        "attestation": protocol.device_attestation(code, raw),
    }
    answer = _call(hub, "enrol", protocol.PATH_DEVICES, json.dumps(enrolment).encode(), key)
    return str(answer["device_id"]), key


def _chain(
    org: OrgKeys, device_id: str, key: ed25519.Ed25519PrivateKey, start: int, count: int, prev: str
) -> list[bytes]:
    wires = []
    for seq in range(start, start + count):
        fields = {
            "device_id": device_id,
            "seq": seq,
            "prev_hash": prev,
        }
        wire = seal(RECORD, fields, org.public, key).to_bytes()
        wires.append(wire)
        prev = envelope_hash(wire)
    return wires


def _timed(fn: Callable[[], Any], per: int = 1) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) / per


def _row(backend: str, what: str, times: list[float], per_envelope_batch: float) -> dict:
    ordered = sorted(times)
    median = statistics.median(ordered)
    return {
        "backend": backend,
        "what": what,
        "n": len(times),
        "median_us": median * 1e6,
        "p99_us": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1e6,
        "share": median / per_envelope_batch if per_envelope_batch else 1.0,
    }


def run_backend(backend: str, count: int, work: Path) -> list[dict]:
    org = OrgKeys.generate("Benchmark Org", "https://127.0.0.1", None)
    org_file = work / f"org-{backend}.json"
    org_file.write_bytes(org.public.to_json_bytes())
    pg = ThrowawayPostgres(durable=True).start() if backend == "postgresql" else None
    url = pg.url() if pg is not None else None
    try:
        init_data_dir(work / f"hub-{backend}", org_file, url).close()
        hub = open_hub(work / f"hub-{backend}", url)
        try:
            device_id, key = _enrol(hub, org)
            print(f"[{backend}] sealing {2 * count} envelopes", file=sys.stderr)
            batched = _chain(org, device_id, key, 1, count, GENESIS_HASH)
            singles = _chain(org, device_id, key, count + 1, count, envelope_hash(batched[-1]))
            public = key.public_key()

            parse = [_timed(lambda w=w: Envelope.from_bytes(w)) for w in batched]
            envelopes = [Envelope.from_bytes(w) for w in batched]
            check = [_timed(lambda e=e: verify(e, public)) for e in envelopes]

            print(f"[{backend}] batch pushes, then single pushes", file=sys.stderr)
            batch_times = []
            for i in range(0, count, BATCH):
                part = batched[i : i + BATCH]
                body = encode_batch(part)
                batch_times.append(
                    _timed(
                        lambda b=body: _call(
                            hub, "push_batch", protocol.PATH_ENVELOPE_BATCH, b, key
                        ),
                        per=len(part),
                    )
                )
            single_times = [
                _timed(lambda w=w: _call(hub, "push", protocol.PATH_ENVELOPES, w, key))
                for w in singles
            ]
        finally:
            hub.store.close()
    finally:
        if pg is not None:
            pg.stop()
    per_envelope = statistics.median(batch_times)
    rows = [
        _row(backend, "parse the envelope", parse, per_envelope),
        _row(backend, "Ed25519 check of the device signature", check, per_envelope),
        _row(backend, f"hub work per envelope, batches of {BATCH}", batch_times, per_envelope),
        _row(backend, "hub work of a single push", single_times, per_envelope),
    ]
    for row in rows:
        row["bytes"] = len(batched[0])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=3200)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="sd-hub-parts-") as tmp:
        for backend in args.backends.split(","):
            rows += run_backend(backend, args.count, Path(tmp))
    size = rows[0]["bytes"] if rows else 0
    print(
        f"\nHub work per envelope, in-process (no HTTP): {args.count} envelopes of {size:,} "
        f"bytes per row; python {sys.version.split()[0]}, {os.cpu_count()} CPUs\n"
    )
    print("| database | what | n | median µs | p99 µs | of the batch work per envelope |")
    print("|---|---|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['backend']} | {r['what']} | {r['n']} | {r['median_us']:.0f} | "
            f"{r['p99_us']:.0f} | {r['share']:.2f} |"
        )
    print(
        "\n'n' counts envelopes, except for the batch row (batches; each time is divided by "
        f"{BATCH}). The parse and the Ed25519 check are parts of the batch work."
    )


if __name__ == "__main__":
    main()
