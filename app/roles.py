"""Which vault roles see which parts of the app.

Kept apart from the view factories (`app/views.py`) and the coordinator workspace, which
both ask it, so neither has to import the other.
"""

from __future__ import annotations

from typing import Any

REVIEW_ROLES = ("coordinator", "admin")


def can_review(vault: Any) -> bool:
    """Received interviews are for coordinators and admins; a screener never sees them."""
    return getattr(vault, "role", None) in REVIEW_ROLES
