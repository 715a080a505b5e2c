"""Passphrase rules for new passphrases (vault creation, new users, passphrase changes)."""

from __future__ import annotations

import unicodedata

from screening.vault.errors import WeakPassphrase

MIN_LENGTH = 12
MAX_LENGTH = 1024
MIN_SCORE = 3
# zxcvbn refuses longer input (its matching is quadratic); 72 characters are plenty to judge
# how guessable a passphrase is.
_ESTIMATE_CHARS = 72


def normalise(passphrase: str) -> bytes:
    """NFC so the same passphrase typed on two keyboards or systems derives the same key."""
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def check_strength(passphrase: str, *, user: str | None = None) -> None:
    """Raise WeakPassphrase with one sentence saying what to do instead."""
    if len(passphrase) < MIN_LENGTH:
        raise WeakPassphrase(
            f"The passphrase is too short: use at least {MIN_LENGTH} characters, "
            "for example four or five unrelated words."
        )
    if len(passphrase) > MAX_LENGTH:
        raise WeakPassphrase(f"The passphrase is too long: use at most {MAX_LENGTH} characters.")
    from zxcvbn import zxcvbn  # imported late: loading its word lists costs ~0.1 s

    inputs = [user] if user else []
    result = zxcvbn(passphrase[:_ESTIMATE_CHARS], user_inputs=inputs)
    if int(result["score"]) < MIN_SCORE:
        warning = str(result.get("feedback", {}).get("warning") or "").strip().rstrip(".")
        why = f" ({warning.lower()})" if warning else ""
        raise WeakPassphrase(
            f"The passphrase is too easy to guess{why}: use a longer one, "
            "for example four or five unrelated words."
        )
