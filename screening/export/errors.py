"""Export errors: one sentence for the person at the keyboard, nothing written."""

from __future__ import annotations

from screening.errors import ScreeningError


class ExportError(ScreeningError):
    """The export was refused or failed; no file was left behind."""


class ExportCancelled(ExportError):
    """The person cancelled the export; no file was left behind."""
