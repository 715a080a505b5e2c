"""Small helpers for the sentences the command line prints."""

from __future__ import annotations


def count(n: int, noun: str, plural: str | None = None) -> str:
    """`1 interview`, `2 interviews`; `plural` for nouns that do not just add an s."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"
