"""Kill -9 at random moments: every acknowledged answer survives, both integrity checks pass."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from screening.vault import Vault

from .conftest import ADMIN, ADMIN_PASS, FAST, data_key, new_interview

KILLS = 200
WORKERS = 2  # two children at a time, like the app and the CLI writing together
CHILD = Path(__file__).with_name("durability_child.py")
REPO = Path(__file__).resolve().parents[3]
SAVES_PER_RUN = 10  # acknowledged saves the parent waits for on average before it kills


def _run_child(
    db: Path,
    run: int,
    interview_id: str,
    key_hex: str,
    rng: random.Random,
    acks: dict[str, int],
    lock: threading.Lock,
) -> int:
    proc = subprocess.Popen(
        [sys.executable, str(CHILD), str(db), str(run), interview_id],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        # The child imports this checkout, whatever the installed package points at.
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(key_hex + "\n")
    proc.stdin.flush()
    seen: list[str] = []
    if rng.random() < 0.15:
        time.sleep(rng.uniform(0.0, 0.25))  # sometimes while it is still opening
    else:
        proc.stdout.readline()  # "ready"
        # Kill after a number of acknowledged saves rather than after a fixed time, so a
        # loaded machine kills as deep into the stream as an idle one; the child keeps
        # writing meanwhile, so the kill still lands at an arbitrary point of a save.
        for _ in range(rng.randint(0, 2 * SAVES_PER_RUN)):
            seen.append(proc.stdout.readline())
    os.kill(proc.pid, signal.SIGKILL)
    output, _ = proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    saved = 0
    # Only whole lines count: a line cut by the kill was never acknowledged.
    for line in [*seen, *output.splitlines(keepends=True)]:
        if line.startswith("ack ") and line.endswith("\n"):
            _, r, i = line.split()
            name = f"r{r}/q{int(i) % 10}"
            with lock:
                acks[name] = max(acks.get(name, -1), int(i))
            saved += 1
    return saved


@pytest.mark.slow
def test_sigkill_never_loses_an_acknowledged_answer(tmp_path: Path) -> None:
    vault_dir = tmp_path / "vault"
    v = Vault.create(vault_dir, ADMIN, ADMIN_PASS, kdf=FAST)
    interview_id = new_interview(v)
    key_hex = data_key(v).hex()
    v.lock()
    db = vault_dir / "vault.db"

    acks: dict[str, int] = {}
    lock = threading.Lock()
    counts: list[int] = []
    next_run = iter(range(KILLS))

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        while True:
            with lock:
                run = next(next_run, None)
            if run is None:
                return
            n = _run_child(db, run, interview_id, key_hex, rng, acks, lock)
            with lock:
                counts.append(n)

    threads = [threading.Thread(target=worker, args=(seed,)) for seed in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert len(counts) == KILLS
    assert sum(1 for n in counts if n > 0) > KILLS // 2, "too few kills landed mid-save"
    # Every run that reached "ready" waited for about SAVES_PER_RUN acks on average.
    assert sum(counts) > KILLS * SAVES_PER_RUN // 2

    v = Vault.unlock(vault_dir, ADMIN, ADMIN_PASS)
    stored = v.answers(interview_id)
    for name, last_ack in acks.items():
        assert name in stored, f"acknowledged answer {name} was lost"
        value, special = stored[name]
        assert special is None and isinstance(value, list)
        run, i = value
        assert f"r{run}/q{i % 10}" == name
        assert i >= last_ack, f"{name}: acknowledged save {last_ack} was lost (found {i})"
    assert v.check() == []  # integrity_check, cipher_integrity_check, audit chain, slots
    v.lock()
