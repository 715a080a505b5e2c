"""Errors of the sync client: one sentence for a person, a stable code for programs."""

from __future__ import annotations

from screening.errors import ScreeningError


class SyncError(ScreeningError):
    """Sync stopped. Nothing was lost: whatever was not acknowledged is sent next time.

    `retryable` says whether trying again later, without a person doing something first,
    can succeed (a dead network: yes; a revoked laptop: no).
    """

    exit_code = 3

    def __init__(
        self,
        message: str,
        *,
        code: str = "sync_failed",
        retryable: bool = False,
        exit_code: int | None = None,
    ) -> None:
        super().__init__(message, exit_code=exit_code)
        self.code = code
        self.retryable = retryable


class HubUnreachable(SyncError):
    """The hub could not be reached or kept failing (network down, hub down, timeouts)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="hub_unreachable", retryable=True)


class NotSetUp(SyncError):
    """The vault has no organisation keys or device identity for what was asked."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="not_set_up", exit_code=2)
