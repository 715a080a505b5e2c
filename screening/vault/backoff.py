"""Exponential back-off after failed unlocks, kept in `backoff.json` beside the database.

The record has to work while the vault is locked, so it cannot be encrypted or signed with
the vault's key. Instead (see docs/vault.md):

- an attempt is counted *before* the passphrase is tried, so killing the program during the
  slow key derivation still counts as a failure;
- a missing or unreadable record is treated as the worst case (the longest wait), so
  deleting it buys nothing;
- every write bumps a sequence number that the encrypted database remembers at each
  successful unlock, so a record rolled back to an older copy is noticed and audited;
- every read-count-write holds a file lock (`backoff.lock`), so parallel attempts from
  several processes each count: 12 wrong passphrases at once are 12 failures, not 1.

Against someone who copies the vault away, only the Argon2id cost and passphrase strength
help; this record slows down guessing at the unlock screen of the laptop itself.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from filelock import FileLock, Timeout

from screening import jsonio
from screening.vault.errors import VaultLockedOut
from screening.vault.fsutil import atomic_write

BACKOFF_NAME = "backoff.json"
LOCK_NAME = "backoff.lock"
LOCK_TIMEOUT = 30.0  # seconds; the lock is held for a read and a write, never for a derivation
FREE_ATTEMPTS = 3
MAX_DELAY = 300
# Enough failures for the longest wait: used when the record is missing or damaged.
_WORST = FREE_ATTEMPTS + math.ceil(math.log2(MAX_DELAY))

clock: Callable[[], float] = time.time  # replaced in tests


@dataclass(frozen=True, slots=True)
class BackoffState:
    failures: int = 0  # attempts since the last successful unlock (including one in flight)
    total_failures: int = 0  # never reset: a rolled-back record shows a smaller number
    last_attempt_at: float = 0.0
    sequence: int = 0
    missing: bool = False  # the record was missing or unreadable (kept until the next unlock)


def delay_for(failures: int) -> int:
    if failures < FREE_ATTEMPTS:
        return 0
    return min(MAX_DELAY, 2 ** (failures - FREE_ATTEMPTS))


def retry_after(state: BackoffState, now: float | None = None) -> int:
    """Seconds until the next attempt is allowed (0 = now)."""
    delay = delay_for(state.failures)
    if delay == 0:
        return 0
    now = clock() if now is None else now
    elapsed = now - state.last_attempt_at
    if elapsed < 0:  # the clock was turned back: do not let that shorten the wait
        return delay
    return max(0, math.ceil(delay - elapsed))


def load(directory: Path) -> BackoffState:
    path = directory / BACKOFF_NAME
    try:
        data = jsonio.loads(path.read_bytes())
        state = BackoffState(
            failures=int(data["failures"]),
            total_failures=int(data["total_failures"]),
            last_attempt_at=float(data["last_attempt_at"]),
            sequence=int(data["sequence"]),
            missing=bool(data.get("recreated", False)),
        )
        if min(state.failures, state.total_failures, state.sequence) < 0:
            raise ValueError("negative counter")
        return state
    except (OSError, ValueError, KeyError, TypeError):
        # Fail closed: a deleted or damaged record means the longest wait, starting now.
        worst = BackoffState(
            failures=_WORST,
            total_failures=_WORST,
            last_attempt_at=clock(),
            sequence=0,
            missing=True,
        )
        save(directory, worst)
        return worst


@contextmanager
def _exclusive(directory: Path) -> Iterator[None]:
    """Hold the record's lock (flock on POSIX, LockFileEx on Windows) for one update."""
    try:
        with FileLock(directory / LOCK_NAME, timeout=LOCK_TIMEOUT):
            yield
    except Timeout:
        raise VaultLockedOut(
            "Another program is unlocking this vault; try again in a moment.", retry_after=1
        ) from None


def save(directory: Path, state: BackoffState) -> None:
    payload = {
        "failures": state.failures,
        "total_failures": state.total_failures,
        "last_attempt_at": state.last_attempt_at,
        "sequence": state.sequence,
        "recreated": state.missing,
    }
    atomic_write(directory / BACKOFF_NAME, json.dumps(payload).encode("utf-8"))


def fresh(directory: Path) -> BackoffState:
    state = BackoffState(sequence=1)
    with _exclusive(directory):
        save(directory, state)
    return state


def lockout_message(seconds: int) -> str:
    unit = "second" if seconds == 1 else "seconds"
    return f"Too many failed unlock attempts: try again in {seconds} {unit}."


def begin_attempt(directory: Path) -> BackoffState:
    """Refuse if a wait is due; otherwise count this attempt as failed until it succeeds."""
    with _exclusive(directory):
        return _begin_attempt(directory)


def _begin_attempt(directory: Path) -> BackoffState:
    state = load(directory)
    wait = retry_after(state)
    if wait > 0:
        if state.missing:
            raise VaultLockedOut(
                "The record of unlock attempts is missing or damaged, so unlocking is paused "
                f"as a precaution: try again in {wait} seconds.",
                retry_after=wait,
            )
        raise VaultLockedOut(lockout_message(wait), retry_after=wait)
    counted = replace(
        state,
        failures=state.failures + 1,
        total_failures=state.total_failures + 1,
        last_attempt_at=clock(),
        sequence=state.sequence + 1,
    )
    save(directory, counted)
    return counted


def succeed(directory: Path, attempt: BackoffState) -> BackoffState:
    """Clear the failure count after a successful unlock; returns the saved state."""
    with _exclusive(directory):
        return _succeed(directory, attempt)


def _succeed(directory: Path, attempt: BackoffState) -> BackoffState:
    current = load(directory)
    cleared = BackoffState(
        failures=0,
        total_failures=max(current.total_failures, attempt.total_failures) - 1,
        last_attempt_at=attempt.last_attempt_at,
        sequence=max(current.sequence, attempt.sequence) + 1,
    )
    save(directory, cleared)
    return cleared
