"""Vault benchmarks: answer saves (vault vs plain sqlite3), unlock cost, listing 100,000 rows.

    python3 benchmarks/vault.py [--dir DIR] [--saves 500] [--interviews 100000] [--formats]
                                [--upgrade] [--json]

Run it on the disk the vault will live on (`--dir`): answer saves are dominated by fsync,
and a RAM-backed temp folder hides that cost. Prints one table per figure
(median, p99); with `--json`, the last line is one JSON object of the figures (`save_ratio`, …).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlcipher3

from screening.vault import DEFAULT_KDF, KdfParams, Vault, keys, records, slots
from screening.vault.database import (
    CACHE_KIB,
    HARDENING,
    LEGACY_PAGE_SIZE,
    VAULT_PAGE_SIZE,
    key_statement,
    set_page_size,
)
from screening.vault.migrations import migrate

ADMIN, PASSPHRASE = "Benchmark Admin", "violet kettle marathon orbit"


def _ms(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p99 * 1000


def _time(fn: Callable[[], Any], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def _table(title: str, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = "  ".join("-" * w for w in widths)
    print(f"\n{title}\n{line}")
    print(
        "  ".join(
            h.ljust(w) if i == 0 else h.rjust(w)
            for i, (h, w) in enumerate(zip(header, widths, strict=True))
        )
    )
    print(line)
    for row in rows:
        print(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
    print(line)


def _answer(i: int) -> object:
    choices: list[object] = [
        f"answer text {i} " * 3,
        i,
        [f"opt{i % 7}", "opt2"],
        {"d": "2024-05-01"},
    ]
    return choices[i % len(choices)]


def _raw_saver(conn: Any) -> Callable[[int], None]:
    """Same schema (same migrations), same pragmas, same records code - minus the Vault.

    So the same rows in the same transactions: BEGIN IMMEDIATE, the draft check, the answer
    upsert, the interview's updated_at, the audit row and the audit head, COMMIT; WAL with
    synchronous FULL (one fsync per answer), secure_delete, the vault's page cache size.
    """
    for name, value, _ in HARDENING:
        conn.execute(f"PRAGMA {name} = {value}").fetchall()
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}").fetchall()
    migrate(conn)
    pid = records.create_interview(
        conn, ADMIN, form_id="f", form_version="1", form_hash="h", language="en"
    )
    return lambda i: records.save_answer(conn, ADMIN, pid, f"q{i % 60}", _answer(i))


def _interleaved(savers: dict[str, Callable[[int], None]], n: int) -> dict[str, list[float]]:
    """Time the savers in alternating small rounds, so noise hits every path alike."""
    times: dict[str, list[float]] = {name: [] for name in savers}
    for i in range(20):  # warm up
        for save in savers.values():
            save(10**6 + i)
    rounds = 20
    for r in range(rounds):
        for name, save in savers.items():
            for i in range(r * n // rounds, (r + 1) * n // rounds):
                start = time.perf_counter()
                save(i)
                times[name].append(time.perf_counter() - start)
    return times


def bench_saves(base: Path, n: int) -> tuple[list[tuple[str, ...]], float]:
    """The vault against plain sqlite3 and a bare SQLCipher connection, interleaved.

    The bare SQLCipher row runs the same records code without the Vault around it, in the
    vault's page size, so the table splits the gap into what encryption costs and what the
    Vault adds. Plain sqlite3 keeps SQLite's default (4 KiB) pages: it is the baseline as
    any application would use it.
    """
    vault = Vault.create(base / "save-vault", ADMIN, PASSPHRASE, kdf=KdfParams.fast_for_tests())
    iid = vault.create_interview(form_id="f", form_version="1", form_hash="h", language="en")
    plain = sqlite3.connect(base / "plain.db", isolation_level=None)
    bare = sqlcipher3.connect(str(base / "bare.db"), isolation_level=None)
    bare.execute(key_statement(keys.random_key()))
    set_page_size(bare, VAULT_PAGE_SIZE)
    plain_save = _raw_saver(plain)
    bare_save = _raw_saver(bare)
    times = _interleaved(
        {
            "vault": lambda i: vault.save_answer(iid, f"q{i % 60}", _answer(i)),
            "plain": plain_save,
            "bare": bare_save,
        },
        n,
    )
    # What SQLCipher's cost grows with: each page a save changes is encrypted and MACed
    # once, as one WAL frame. Counted on the bare database (the vault's page size) and on
    # the plain one (4 KiB pages), the same writes.
    frames = []
    for conn, save in ((bare, bare_save), (plain, plain_save)):
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        for i in range(100):
            save(2 * 10**6 + i)
        frames.append(int(conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()[1]) / 100)
    vault.lock()
    plain.close()
    bare.close()

    fsyncs = []
    with (base / "fsync-probe").open("wb") as handle:
        for _ in range(200):
            handle.write(b"x" * 4096)
            handle.flush()
            start = time.perf_counter()
            os.fsync(handle.fileno())
            fsyncs.append(time.perf_counter() - start)

    v_med, v_p99 = _ms(times["vault"])
    p_med, p_p99 = _ms(times["plain"])
    b_med, b_p99 = _ms(times["bare"])
    f_med, f_p99 = _ms(fsyncs)
    rows = [
        ("vault (SQLCipher, audited)", f"{v_med:.2f}", f"{v_p99:.2f}", f"{n}"),
        ("plain sqlite3, same schema and pragmas", f"{p_med:.2f}", f"{p_p99:.2f}", f"{n}"),
        ("ratio vault / plain (target <= 1.3)", f"{v_med / p_med:.2f}", f"{v_p99 / p_p99:.2f}", ""),
        ("(split) bare SQLCipher, same records code", f"{b_med:.2f}", f"{b_p99:.2f}", f"{n}"),
        ("(split) ratio bare / plain", f"{b_med / p_med:.2f}", f"{b_p99 / p_p99:.2f}", ""),
        ("(disk) one fsync of 4 KiB", f"{f_med:.2f}", f"{f_p99:.2f}", "200"),
        (
            f"(pages) WAL frames per save, {VAULT_PAGE_SIZE // 1024} KiB pages (bare)",
            f"{frames[0]:.1f}",
            "",
            "100",
        ),
        ("(pages) WAL frames per save, 4 KiB pages (plain)", f"{frames[1]:.1f}", "", "100"),
    ]
    return rows, v_med / p_med


def bench_unlock(base: Path, repeat: int) -> list[tuple[str, ...]]:
    directory = base / "unlock-vault"
    Vault.create(directory, ADMIN, PASSPHRASE).lock()  # real default KDF parameters
    unlock = _time(lambda: Vault.unlock(directory, ADMIN, PASSPHRASE).lock(), repeat)
    kdf = _time(lambda: keys.derive(b"passphrase", b"s" * 16, DEFAULT_KDF), repeat)
    name = _time(lambda: keys.derive(b"name", b"s" * 16, keys.NAME_TAG_KDF), repeat)
    sf = slots.load(directory / slots.SLOTS_NAME)
    assert sf.users[0].kdf == DEFAULT_KDF
    rows = []
    for label, samples in (
        (
            f"unlock + lock (Argon2id t={DEFAULT_KDF.iterations},"
            f" {DEFAULT_KDF.memory_kib // 1024} MiB, p={DEFAULT_KDF.lanes})",
            unlock,
        ),
        ("  of which: passphrase Argon2id", kdf),
        (
            f"  of which: user-name hash (t={keys.NAME_TAG_KDF.iterations},"
            f" {keys.NAME_TAG_KDF.memory_kib // 1024} MiB)",
            name,
        ),
    ):
        med, p99 = _ms(samples)
        rows.append((label, f"{med:.1f}", f"{p99:.1f}", str(repeat)))
    return rows


def _seed(vault: Vault, count: int) -> None:
    rng = random.Random(1)
    forms = [("rapid", "1.2"), ("full", "3.0"), ("child", "2.1")]
    places = [
        "Lampedusa hotspot",
        "Evros reception",
        "Calais day centre",
        "Ceuta CETI",
        "Moria registration",
        "Ventimiglia transit",
        "Bihac camp",
        "Lesvos Kara Tepe",
    ]
    screeners = [f"Screener {i}" for i in range(25)]
    start = datetime(2023, 1, 1, tzinfo=UTC)
    rows = []
    for i in range(count):
        created = start + timedelta(minutes=rng.randrange(0, 2 * 365 * 24 * 60))
        updated = created + timedelta(minutes=rng.randrange(1, 180))
        status = rng.choices(["draft", "completed", "stopped"], [2, 7, 1])[0]
        form_id, version = rng.choice(forms)
        fmt = "%Y-%m-%dT%H:%M:%S.%fZ"
        rows.append(
            (
                str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                form_id,
                version,
                "sha256:x",
                rng.choice(["ar", "fr", "en", "ti", "ps"]),
                "en",
                rng.random() < 0.6,
                rng.choice(screeners),
                f"{rng.choice(places)} {i % 97}",
                created.strftime(fmt),
                updated.strftime(fmt),
                updated.strftime(fmt) if status != "draft" else None,
                status,
                int(status == "completed" and rng.random() < 0.5),
            )
        )
    with vault.transaction() as conn:
        conn.executemany(
            "INSERT INTO interviews (id, form_id, form_version, form_hash, language,"
            " screener_language, interpreter_used, screener, location, created_at, updated_at,"
            " completed_at, status, delivered) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    vault.connection().execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    vault.connection().execute("ANALYZE").fetchall()


def bench_listing(base: Path, count: int, repeat: int) -> list[tuple[str, ...]]:
    directory = base / "list-vault"
    vault = Vault.create(directory, ADMIN, PASSPHRASE, kdf=KdfParams.fast_for_tests())
    _seed(vault, count)
    vault.lock()
    vault = Vault.unlock(directory, ADMIN, PASSPHRASE)  # cold-ish cache, as after unlocking
    some_id = vault.list_interviews(limit=1, offset=count // 2)[0].id
    cases: list[tuple[str, Callable[[], Any]]] = [
        ("newest 50 (first page)", lambda: vault.list_interviews(limit=50)),
        (
            "page 200 of 50, oldest first",
            lambda: vault.list_interviews(limit=50, offset=10_000, descending=False),
        ),
        ("drafts, newest 50", lambda: vault.list_interviews(status="draft", limit=50)),
        (
            "form + date range, 50",
            lambda: vault.list_interviews(
                form_id="full", date_from="2024-03-01", date_to="2024-03-31", limit=50
            ),
        ),
        ("search place substring, 50", lambda: vault.list_interviews(search="Evros", limit=50)),
        ("search id prefix", lambda: vault.list_interviews(search=some_id[:8], limit=50)),
        ("search with no match", lambda: vault.list_interviews(search="zzzz-none", limit=50)),
        ("count all", lambda: vault.count_interviews()),
        ("count drafts", lambda: vault.count_interviews(status="draft")),
        ("count search matches", lambda: vault.count_interviews(search="Ceuta")),
    ]
    rows = []
    for label, fn in cases:
        fn()
        med, p99 = _ms(_time(fn, repeat))
        rows.append((label, f"{med:.1f}", f"{p99:.1f}", "yes" if med <= 100 else "NO"))
    vault.lock()
    return rows


FORMATS = (
    (LEGACY_PAGE_SIZE, "HMAC_SHA512"),
    (LEGACY_PAGE_SIZE, "HMAC_SHA256"),
    (VAULT_PAGE_SIZE, "HMAC_SHA512"),
    (VAULT_PAGE_SIZE, "HMAC_SHA256"),
)


def bench_formats(base: Path, n: int) -> list[tuple[str, ...]]:
    """Diagnostic (`--formats`): the save ratio in each SQLCipher format. The vault uses
    1 KiB pages with HMAC-SHA512 (vaults made before that: 4 KiB, until `vault upgrade`);
    HMAC-SHA256 is not used (docs/vault.md). Bare SQLCipher connections, same records code,
    interleaved with plain sqlite3."""
    plain = sqlite3.connect(base / "formats-plain.db", isolation_level=None)
    savers = {"plain": _raw_saver(plain)}
    for page, hmac in FORMATS:
        conn = sqlcipher3.connect(str(base / f"formats-{page}-{hmac}.db"), isolation_level=None)
        conn.execute(key_statement(keys.random_key()))
        conn.execute(f"PRAGMA cipher_page_size = {page}")
        conn.execute(f"PRAGMA cipher_hmac_algorithm = {hmac}")
        savers[f"{page // 1024} KiB pages, {hmac}"] = _raw_saver(conn)
    times = _interleaved(savers, n)
    p_med, _ = _ms(times.pop("plain"))
    rows = []
    for name, samples in times.items():
        med, p99 = _ms(samples)
        rows.append((name, f"{med:.3f}", f"{p99:.3f}", f"{med / p_med:.2f}"))
    rows.append(("plain sqlite3", f"{p_med:.3f}", "", "1.00"))
    return rows


def bench_upgrade(base: Path, count: int, repeat: int) -> list[tuple[str, ...]]:
    """`--upgrade`: what a legacy (4 KiB-page) vault of `count` interviews costs to open and
    to upgrade, and what opening it costs afterwards."""
    from screening.vault import database

    directory = base / "legacy-vault"
    # A vault as made before 1 KiB pages: the same code with the old page size.
    database.VAULT_PAGE_SIZE = LEGACY_PAGE_SIZE
    try:
        vault = Vault.create(directory, ADMIN, PASSPHRASE, kdf=KdfParams.fast_for_tests())
        _seed(vault, count)
        key = bytearray(vault._data_key())
        vault.lock()
    finally:
        database.VAULT_PAGE_SIZE = VAULT_PAGE_SIZE
    db = directory / "vault.db"

    def opening() -> None:
        database.open_database(db, key).close()

    rows = []
    med, p99 = _ms(_time(opening, repeat))
    rows.append(("open the database, legacy 4 KiB (two tries)", f"{med:.1f}", f"{p99:.1f}"))
    size_before = db.stat().st_size
    vault = Vault.unlock(directory, ADMIN, PASSPHRASE)
    start = time.perf_counter()
    vault.upgrade_format()
    took = time.perf_counter() - start
    vault.lock()
    rows.append((f"vault upgrade, {count:,} interviews", f"{took * 1000:.0f}", ""))
    med, p99 = _ms(_time(opening, repeat))
    rows.append(("open the database, 1 KiB (one try)", f"{med:.1f}", f"{p99:.1f}"))
    mib = 1024 * 1024
    after = db.stat().st_size
    rows.append((f"file: {size_before / mib:.1f} MiB before, {after / mib:.1f} MiB after", "", ""))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=None, help="where to create the test vaults")
    parser.add_argument("--saves", type=int, default=500)
    parser.add_argument("--unlocks", type=int, default=10)
    parser.add_argument("--interviews", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--json", action="store_true", help="end with one JSON line of figures")
    parser.add_argument(
        "--formats",
        action="store_true",
        help="also time other page sizes and HMACs",
    )
    parser.add_argument(
        "--upgrade",
        action="store_true",
        help="also time opening and upgrading a legacy (4 KiB-page) vault",
    )
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="vault-bench-", dir=args.dir))
    try:
        print(f"Screening Desk vault benchmarks (in {base})")
        save_rows, save_ratio = bench_saves(base, args.saves)
        _table("Answer save latency, committed (ms)", ("path", "median", "p99", "saves"), save_rows)
        formats = bench_formats(base, 2 * args.saves) if args.formats else []
        if formats:
            _table(
                "Diagnostic: SQLCipher formats, bare saves (ms; ratio to plain sqlite3)",
                ("format", "median", "p99", "ratio"),
                formats,
            )
        if args.upgrade:
            _table(
                f"Legacy vault of {args.interviews:,} interviews (ms)",
                ("step", "median", "p99"),
                bench_upgrade(base, args.interviews, args.repeat),
            )
        _table(
            "Unlock at the default KDF parameters (ms)",
            ("step", "median", "p99", "runs"),
            bench_unlock(base, args.unlocks),
        )
        listing = bench_listing(base, args.interviews, args.repeat)
        _table(
            f"Listing and searching {args.interviews:,} interviews (ms, target median <= 100)",
            ("query", "median", "p99", "ok"),
            listing,
        )
        if args.json:
            figures: dict[str, Any] = {
                "save_ratio": round(save_ratio, 3),
                "save_median_ms": float(save_rows[0][1]),
                "save_p99_ms": float(save_rows[0][2]),
                "plain_median_ms": float(save_rows[1][1]),
                "bare_ratio": float(save_rows[4][1]),
                "fsync_median_ms": float(save_rows[5][1]),
                "frames_per_save": float(save_rows[6][1]),
                "plain_frames_per_save": float(save_rows[7][1]),
                "listing_worst_median_ms": max(float(r[1]) for r in listing),
            }
            if formats:
                figures["format_ratios"] = {row[0]: float(row[3]) for row in formats[:-1]}
            print(json.dumps(figures))
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
