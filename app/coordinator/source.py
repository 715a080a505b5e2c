"""The received-interviews list's reads, bound to one unlocked vault.

The queries themselves are `screening.vault.received` (tested without Qt). `match` and
`choices` run on the operation runner, so they hold the vault's lock (`transaction()`) while
they read; `rows` reads one page on the GUI thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from screening.vault import received
from screening.vault.received import (
    ORDER,
    RECOMMENDATIONS,
    STATUSES,
    Choices,
    ReceivedQuery,
    ReceivedRow,
)

if TYPE_CHECKING:
    from array import array

    from screening.vault import Vault

__all__ = [
    "ORDER",
    "RECOMMENDATIONS",
    "STATUSES",
    "Choices",
    "ReceivedQuery",
    "ReceivedRow",
    "ReceivedSource",
]


class ReceivedSource:
    """The received interviews of one unlocked vault."""

    def __init__(self, vault: Vault) -> None:
        self.vault = vault

    def match(self, q: ReceivedQuery) -> array[int]:
        """Ordered row ids of the matches. Safe on a worker thread: holds the vault's lock."""
        with self.vault.transaction() as conn:
            return received.matching_rowids(conn, q)

    def choices(self) -> Choices:
        """The forms and centres of the vault's interviews (worker thread)."""
        with self.vault.transaction() as conn:
            return received.choices(conn)

    def rows(self, rowids: list[int]) -> dict[int, ReceivedRow]:
        """One page, by row id (GUI thread)."""
        return received.rows_by_rowid(self.vault.connection(), rowids)
