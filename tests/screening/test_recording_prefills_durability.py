"""Kill -9 while answers that change a prefill are recorded: after every kill the vault holds
an answer and the prefill computed from it together (people = adults + 1), never one without
the other, and never less than the last acknowledged answer. With the prefill stored in a
commit of its own, or not stored at all, the check below fails."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from screening import recording
from screening.vault import KdfParams, Vault
from tests.screening.prefill_child import FORM, PASSPHRASE, USER

KILLS = 30
CHILD = Path(__file__).with_name("prefill_child.py")
REPO = Path(__file__).resolve().parents[2]


def _run_child(vault_dir: Path, interview_id: str, rng: random.Random) -> int:
    """Run the child until a random kill; the last answer it acknowledged (0: none)."""
    proc = subprocess.Popen(
        [sys.executable, str(CHILD), str(vault_dir), interview_id],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert proc.stdout is not None
    acked = 0
    proc.stdout.readline()  # "ready"
    for _ in range(rng.randint(0, 12)):
        line = proc.stdout.readline()
        if line.startswith("ack "):
            acked = int(line.split()[1])
    time.sleep(rng.uniform(0.0, 0.005))  # land between a step's writes, not only after it
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    return acked


def test_an_answer_and_its_prefill_survive_a_kill_together(tmp_path: Path) -> None:
    vault_dir = tmp_path / "vault"
    vault = Vault.create(vault_dir, USER, PASSPHRASE, kdf=KdfParams.fast_for_tests())
    interview = recording.start_interview(vault, FORM, "en")
    vault.lock()
    rng = random.Random(20261204)
    last = 0
    for _ in range(KILLS):
        acked = _run_child(vault_dir, interview, rng)
        vault = Vault.unlock(vault_dir, USER, PASSPHRASE)
        stored = {k: v for k, (v, _) in vault.answers(interview).items()}
        assert vault.check() == []
        vault.lock()
        adults = stored.get("adults")
        if adults is None:
            assert "people" not in stored and acked == 0 and last == 0
            continue
        assert stored.get("people") == adults + 1, stored  # never one without the other
        assert adults >= max(acked, last)  # nothing acknowledged was lost
        last = adults
    assert last > 0
