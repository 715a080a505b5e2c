"""What one sync run did, as counts (for `screening sync --json` and the app's status line)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

MAX_PROBLEMS = 100

# How far a long transfer got: (done, total), total 0 when the hub cannot say how many remain.
Progress = Callable[[int, int], None]


@dataclass
class SyncReport:
    """Counts of one run. Problems are sentences naming ids, never contents.

    Laptop: `sealed` envelopes sealed into the outbox (first envelopes, and updates of
    interviews changed since), `pushed` envelopes sent, `acknowledged` envelopes the hub
    confirmed (their interviews are delivered once their newest envelope is), `pulled` forms
    received, `imported` forms installed, `rejected` forms refused.
    Coordinator: `pulled` envelopes received, `imported` interviews added to the vault,
    `updated` interviews here replaced by a laptop's later record of them (a correction, an
    override), `duplicates` envelopes already imported (or older than the copy here),
    `acknowledged` envelopes confirmed to the hub, `rejected` envelopes that could not be
    imported (kept and retried on every sync).
    """

    mode: str
    sealed: int = 0
    pushed: int = 0
    acknowledged: int = 0
    pulled: int = 0
    imported: int = 0
    updated: int = 0
    duplicates: int = 0
    rejected: int = 0
    problems: list[str] = field(default_factory=list)
    # Coordinator: what a person must act on about a device's keys (a copy of a laptop's
    # vault in other hands: a second rotation of one key, uses of a retired key).
    alerts: list[str] = field(default_factory=list)

    def problem(self, sentence: str) -> None:
        """Note a problem; after MAX_PROBLEMS only the count grows (the log has the rest)."""
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(sentence)
        elif len(self.problems) == MAX_PROBLEMS:
            self.problems.append("More problems were found; see the vault's audit log.")

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def busy(self) -> bool:
        return any(
            (
                self.sealed,
                self.pushed,
                self.acknowledged,
                self.pulled,
                self.imported,
                self.updated,
                self.rejected,
            )
        )

    def summary(self) -> str:
        """Counts only, for the audit log."""
        return (
            f"sealed {self.sealed}, pushed {self.pushed}, acknowledged {self.acknowledged}, "
            f"pulled {self.pulled}, imported {self.imported}, updated {self.updated}, "
            f"rejected {self.rejected}"
        )
