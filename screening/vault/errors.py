"""Vault errors: each carries one sentence meant for the person at the keyboard.

Exit codes follow the table in README.md ("Exit codes"): 1 for bad input or a request the
vault's state does not allow, 2 for authentication and integrity (wrong passphrase,
lock-out, role, damage, tampering). Subclasses let the desktop app react differently (show
a countdown, offer a restore) without parsing messages.
"""

from __future__ import annotations

from screening.errors import ScreeningError


class VaultError(ScreeningError):
    """A vault operation was refused or failed; nothing was changed unless the message says so."""

    exit_code = 1

    def __init__(self, message: str, *, exit_code: int | None = None) -> None:
        super().__init__(message, exit_code=exit_code)


class VaultNotFound(VaultError):
    """There is no vault in the given folder."""


class VaultExists(VaultError):
    """A vault already exists where a new one was to be created or restored."""


class WrongCredentials(VaultError):
    """The user name or passphrase is wrong (deliberately not saying which)."""

    exit_code = 2


class VaultLockedOut(VaultError):
    """Too many failed unlocks: the caller must wait `retry_after` seconds."""

    exit_code = 2

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class VaultTampered(VaultError):
    """A vault file (database, key slots, backup) is damaged or was modified outside the app."""

    exit_code = 2


class VaultLocked(VaultError):
    """The vault object was locked; unlock again to continue."""

    exit_code = 2


class PermissionDenied(VaultError):
    """The unlocked user's role does not allow the operation."""

    exit_code = 2


class WeakPassphrase(VaultError):
    """A new passphrase is too short or too easy to guess."""


class ReadOnlyInterview(VaultError):
    """The interview is completed, stopped or purged; only corrections with a reason are allowed."""


class RecordNotFound(VaultError):
    """No interview with the given id exists in this vault."""
