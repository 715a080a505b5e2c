"""Screening Desk domain core: forms, expressions, interview engine, scoring, vault.

Nothing in this package imports Qt; the desktop app and the CLI both build on it.
"""

__version__ = "0.1.0"
