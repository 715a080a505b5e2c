"""Changing the interviewee's language of a draft, e.g. when an interpreter arrives.

The answers do not change (they are stored as choice names and values, never as words in a
language); only which language the questions are read in. Audited with both language codes.
"""

from __future__ import annotations

import re

from screening.vault import audit
from screening.vault.database import Connection
from screening.vault.errors import VaultError
from screening.vault.records import _read_only, interview_status

_CODE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})?")


def change_interview_language(
    conn: Connection, actor: str, interview_id: str, language: str
) -> None:
    """Inside a write transaction (`Vault.transaction()`): set the interviewee's language."""
    if not _CODE.fullmatch(language):
        raise VaultError(f"{language!r} is not a language code.")
    status = interview_status(conn, interview_id)
    if status != "draft":
        raise _read_only(interview_id, status)
    row = conn.execute("SELECT language FROM interviews WHERE id = ?", (interview_id,))
    (old,) = row.fetchone()
    if old == language:
        return
    conn.execute(
        "UPDATE interviews SET language = ?, updated_at = ? WHERE id = ?",
        (language, audit.now_iso(), interview_id),
    )
    audit.append(conn, actor, "language_changed", interview_id, f"language {old} to {language}")
