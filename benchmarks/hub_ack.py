"""Hub acknowledgements in-process: `Tx.ack` (one statement per request) against one UPDATE
per envelope id (the code before), on SQLite and on a throwaway PostgreSQL (fsync on).

Each round stores `--ids` new envelopes of `--body` bytes (67 KB envelopes carry 64 KiB of
padded ciphertext) and acknowledges them in one write transaction, alternating the two ways.
It prints median and p99 milliseconds per acknowledgement request and the ratio per-id ÷
one statement (the baseline is the per-id loop). With `--json` the last line is one JSON
object: `{backend: {"per_id_ms", "one_statement_ms", "ratio"}}`.

    python3 benchmarks/hub_ack.py [--ids 125] [--body 65536] [--rounds 8]
                                  [--backends sqlite,postgresql] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hub.devpg import ThrowawayPostgres  # noqa: E402
from hub.store import Store, open_store  # noqa: E402
from hub.store.tx import DeviceRow, Tx  # noqa: E402


def per_id_ack(tx: Tx, envelope_ids: Sequence[str], when: int) -> list[str]:
    """The acknowledgement before: one UPDATE (one round trip) per id."""
    unknown = []
    for envelope_id in envelope_ids:
        cur = tx._x(
            "UPDATE envelopes SET acked_at = COALESCE(acked_at, ?) WHERE envelope_id = ?",
            (when, envelope_id),
        )
        if cur.rowcount != 1:
            unknown.append(envelope_id)
    return unknown


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def measure(store: Store, ids: int, body: int, rounds: int) -> dict[str, list[float]]:
    store.initialise()
    device = DeviceRow("bench", "bench-key", b"k" * 32, "c" * 64, "a" * 64, 1, None, 0, "h")
    store.run_write(lambda tx: tx.add_device(device))
    seq = 0
    times: dict[str, list[float]] = {"per_id": [], "one_statement": []}
    for _ in range(rounds):
        for way in times:
            batch = [str(uuid.uuid4()) for _ in range(ids)]
            rows = []
            for envelope_id in batch:
                seq += 1
                rows.append((envelope_id, "bench", seq, f"{seq:064x}", os.urandom(body), 1))
            store.run_write(lambda tx, rows=rows: tx.add_envelopes(rows))
            if way == "per_id":
                fn: Any = lambda tx, batch=batch: per_id_ack(tx, batch, 5)  # noqa: E731
            else:
                fn = lambda tx, batch=batch: tx.ack(batch, 5)  # noqa: E731
            started = time.perf_counter()
            if store.run_write(fn) != []:
                raise RuntimeError("an envelope just stored was reported unknown")
            times[way].append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ids", type=int, default=125, help="envelope ids per request")
    parser.add_argument("--body", type=int, default=65536, help="bytes of each envelope body")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--json", action="store_true", help="end with one JSON line of figures")
    args = parser.parse_args()
    results: dict[str, dict[str, list[float]]] = {}
    for backend in args.backends.split(","):
        with tempfile.TemporaryDirectory(prefix="sd-ack-") as tmp:
            pg = ThrowawayPostgres(durable=True).start() if backend == "postgresql" else None
            store = open_store(Path(tmp), pg.url() if pg else None)
            try:
                results[backend] = measure(store, args.ids, args.body, args.rounds)
            finally:
                store.close()
                if pg is not None:
                    pg.stop()
    print(
        f"\nAcknowledging {args.ids} envelopes of {args.body:,} bytes per request, "
        f"{args.rounds} requests each way; python {sys.version.split()[0]}\n"
    )
    print("| database | how | median ms | p99 ms | per-id ÷ one statement |")
    print("|---|---|---:|---:|---:|")
    figures: dict[str, dict[str, float]] = {}
    for backend, times in results.items():
        per_id, one = statistics.median(times["per_id"]), statistics.median(times["one_statement"])
        figures[backend] = {
            "per_id_ms": round(per_id, 2),
            "one_statement_ms": round(one, 2),
            "ratio": round(per_id / one, 2),
        }
        print(f"| {backend} | one UPDATE per id | {per_id:.1f} | {_p99(times['per_id']):.1f} | |")
        print(
            f"| {backend} | one statement (Tx.ack) | {one:.1f} | "
            f"{_p99(times['one_statement']):.1f} | {per_id / one:.2f} |"
        )
    if args.json:
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
