"""Kill -9 while repeat entries are added, answered and removed: after every kill the vault
holds the draft as it was before the step in flight or after it, never a mix (a renumbering
half written would leave an answer under the wrong entry, or one person's answer twice), and
never less than the last acknowledged step."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from screening import recording
from screening.vault import KdfParams, Vault
from tests.screening.recording_child import FORM, FULL, PASSPHRASE, USER, entries, step

KILLS = 60
STEPS_PER_RUN = 8  # acknowledged steps the parent waits for on average before it kills
CHILD = Path(__file__).with_name("recording_child.py")
REPO = Path(__file__).resolve().parents[2]


class Walk:
    """Every state of the child's walk, in order, replayed on a vault of our own."""

    def __init__(self, tmp: Path) -> None:
        self.vault = Vault.create(tmp / "walk", USER, PASSPHRASE, kdf=KdfParams.fast_for_tests())
        self.interview = recording.start_interview(self.vault, FORM, "en")
        self.session, _, _ = recording.resume(self.vault, self.interview, FORM, "en")
        self.states: list[list[int | None]] = [entries(self.session)]

    def index(self, state: list[int | None]) -> int | None:
        while len(self.states) < 6 * KILLS * STEPS_PER_RUN and state not in self.states:
            step(self.vault, self.interview, self.session)
            self.states.append(entries(self.session))
        return self.states.index(state) if state in self.states else None


def _stored(vault: Vault, interview_id: str) -> list[int | None]:
    """The draft as the vault holds it, read without the engine: counts and answer rows."""
    counts = vault.get_interview(interview_id).instance_counts or {}
    count = counts.get("people", 0)
    answers = vault.answers(interview_id)
    assert set(answers) <= {f"who[{n}]" for n in range(1, count + 1)}, (
        f"answers beyond the {count} entries: {sorted(answers)}"
    )
    found = [answers.get(f"who[{n}]") for n in range(1, count + 1)]
    return [None if a is None else int(a[0]) for a in found]  # type: ignore[arg-type]


def _run_child(vault_dir: Path, interview_id: str, rng: random.Random) -> list[str]:
    proc = subprocess.Popen(
        [sys.executable, str(CHILD), str(vault_dir), interview_id],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        # The child imports this checkout, whatever the installed package points at.
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert proc.stdout is not None
    seen: list[str] = []
    if rng.random() < 0.1:
        time.sleep(rng.uniform(0.0, 0.3))  # sometimes while it is still opening
    else:
        proc.stdout.readline()  # "ready"
        # Kill after a number of acknowledged steps, then a pause of up to a few steps' time:
        # right after an acknowledgement the child is only starting its next step, so
        # without the pause the kill would rarely land between a step's writes.
        for _ in range(rng.randint(0, 2 * STEPS_PER_RUN)):
            seen.append(proc.stdout.readline())
        time.sleep(rng.uniform(0.0, 0.03))
    os.kill(proc.pid, signal.SIGKILL)
    output, _ = proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    # Only whole lines count: a line cut by the kill was never acknowledged.
    return [
        line[4:]
        for line in [*seen, *output.splitlines(keepends=True)]
        if line.startswith("ack ") and line.endswith("\n")
    ]


@pytest.mark.slow
def test_sigkill_leaves_entries_before_or_after_a_step_never_a_mix(tmp_path: Path) -> None:
    vault_dir = tmp_path / "vault"
    vault = Vault.create(vault_dir, USER, PASSPHRASE, kdf=KdfParams.fast_for_tests())
    interview_id = recording.start_interview(vault, FORM, "en")
    vault.lock()
    walk = Walk(tmp_path)
    rng = random.Random(20261204)
    at = 0  # the walk's state the vault holds
    for _ in range(KILLS):
        acks = _run_child(vault_dir, interview_id, rng)
        last = at
        for line in acks:
            index = walk.index(json.loads(line))
            assert index is not None and index == last + 1, f"the child left the walk: {line}"
            last = index
        vault = Vault.unlock(vault_dir, USER, PASSPHRASE)
        try:
            stored = _stored(vault, interview_id)
        finally:
            vault.lock()
        index = walk.index(stored)
        assert index is not None, f"a mix of before and after: {stored}"
        assert index in (last, last + 1), f"acknowledged step lost: at {index}, acked {last}"
        at = index

    # The walk went round many times: entries were removed and renumbered again and again.
    assert at > KILLS * STEPS_PER_RUN // 2
    assert sum(1 for s in walk.states[: at + 1] if len(s) == FULL) > 3
    vault = Vault.unlock(vault_dir, USER, PASSPHRASE)
    try:
        assert vault.check() == []  # integrity_check, cipher_integrity_check, audit chain
    finally:
        vault.lock()
