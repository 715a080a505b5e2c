"""Who paused or stopped an interview, and when, read from the audit log.

A pause is an audit row (`interview_paused`, detail "reason <category>" or none); a reason
given later is another row (`interview_pause_reason`). A draft counts as paused until its next
answer: every answer is audited, so the log alone says whether work went on after the pause.
A stop is the vault's own `stop` row. Nothing here holds answer values or free text.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from screening.vault.database import Connection

PAUSED = "interview_paused"
PAUSE_REASON = "interview_pause_reason"
PAUSE_REASONS = ("distress", "consent_withdrawn", "interpreter_unavailable", "other")
# Rows that mean the interview went on after a pause.
_WORK = ("answer_changed", "answer_cleared", "complete", "create")
_ACTIONS = (PAUSED, PAUSE_REASON, "stop", *_WORK)
_CHUNK = 500  # SQLite's default limit on bound parameters is far above this


@dataclass(frozen=True, slots=True)
class Pause:
    """The interview's last pause or its stop: who, when (UTC ISO), the reason category."""

    by: str
    at: str
    reason: str | None
    stopped: bool = False


def pause_detail(reason: str | None) -> str | None:
    """The audit detail for a pause reason: a category from the fixed list, never free text."""
    if reason is None:
        return None
    if reason not in PAUSE_REASONS:
        raise ValueError(f"{reason!r} is not a pause reason")
    return f"reason {reason}"


def _reason(detail: str | None) -> str | None:
    if detail and detail.startswith("reason "):
        code = detail.removeprefix("reason ")
        return code if code in PAUSE_REASONS else None
    return None


def pause_states(conn: Connection, interview_ids: list[str]) -> dict[str, Pause]:
    """The ids that are paused or stopped now, each with its last pause or stop."""
    states: dict[str, Pause | None] = {}
    marks_actions = ",".join("?" * len(_ACTIONS))
    for start in range(0, len(interview_ids), _CHUNK):
        chunk = interview_ids[start : start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(
            "SELECT object_id, actor, at, action, detail FROM audit"
            f" WHERE object_id IN ({marks}) AND action IN ({marks_actions}) ORDER BY seq",
            [*chunk, *_ACTIONS],
        )
        for object_id, actor, at, action, detail in rows:
            key = str(object_id)
            current = states.get(key)
            if action == PAUSED:
                states[key] = Pause(str(actor), str(at), _reason(detail))
            elif action == PAUSE_REASON:
                if current is not None and not current.stopped:
                    states[key] = replace(current, reason=_reason(detail))
            elif action == "stop":
                states[key] = Pause(str(actor), str(at), None, stopped=True)
            else:
                states[key] = None
    return {key: value for key, value in states.items() if value is not None}


def pause_state(conn: Connection, interview_id: str) -> Pause | None:
    return pause_states(conn, [interview_id]).get(interview_id)
