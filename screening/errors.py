"""Errors that carry a message meant for a person, and the exit code the CLI uses for them."""

from __future__ import annotations


class ScreeningError(Exception):
    """A problem caused by input (a file, a passphrase, an answer), not by a bug.

    The message is one clear sentence; the CLI prints it without a traceback.
    """

    exit_code: int = 1

    def __init__(self, message: str, *, exit_code: int | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""
