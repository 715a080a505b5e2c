"""The case page's audit trail in words: when, who, what, the detail and where it was recorded.

Functions of one `TrailRow`, so the page (`casepage.py`) keeps the table and this module the
words; the strings keep the page's translation context, "CasePage".
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication

from app.coordinator.casedata import VIEWED, TrailRow
from app.listing.names import outcome_name


def trail_time(stamp: str) -> str:
    """An audit time in local time, to the second (several rows share a minute)."""
    try:
        moment = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    except ValueError:
        return stamp
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def trail_cells(row: TrailRow) -> tuple[str, str, str, str, str]:
    """The five columns of one row: When, Who, What, Detail, Recorded on."""
    return (
        trail_time(row.at),
        row.actor,
        action_name(row.action),
        detail_text(row),
        QCoreApplication.translate("CasePage", "Screener's laptop")
        if row.source == "device"
        else QCoreApplication.translate("CasePage", "This vault"),
    )


def detail_text(row: TrailRow) -> str:
    """An audit detail made readable; details name questions and labels, never values."""
    detail = row.detail or ""
    if row.question is not None:
        rest = detail.split(",", 1)[1].strip() if "," in detail else ""
        revision = rest.removeprefix("revision ").strip()
        if rest.startswith("revision ") and revision.isdigit():
            return (
                QCoreApplication.translate("CasePage", "%1 (revision %2)")
                .replace("%1", row.question)
                .replace("%2", revision)
            )
        return row.question
    if row.action == "override" and detail.startswith("recommendation "):
        return outcome_name(detail.removeprefix("recommendation ").strip())
    if row.action == "create" and detail.startswith("form "):
        return QCoreApplication.translate("CasePage", "form %1").replace(
            "%1", detail.removeprefix("form ")
        )
    if row.action == "sync" and detail == "delivered":
        return QCoreApplication.translate("CasePage", "delivered to the hub")
    if row.action in ("interview_paused", "interview_pause_reason", "stop"):
        from app.stop_reasons import reason_labels

        return reason_labels().get(detail.removeprefix("reason "), detail)
    return detail


def action_name(action: str) -> str:
    names = {
        "create": QCoreApplication.translate("CasePage", "Interview started"),
        "answer_changed": QCoreApplication.translate("CasePage", "Answer given or changed"),
        "answer_cleared": QCoreApplication.translate("CasePage", "Answer removed"),
        "answer_corrected": QCoreApplication.translate("CasePage", "Answer corrected"),
        "outcome": QCoreApplication.translate("CasePage", "Outcome scored"),
        "override": QCoreApplication.translate("CasePage", "Recommendation overridden"),
        "complete": QCoreApplication.translate("CasePage", "Interview completed"),
        "stop": QCoreApplication.translate("CasePage", "Interview stopped"),
        "sync": QCoreApplication.translate("CasePage", "Sent"),
        "import": QCoreApplication.translate("CasePage", "Received by sync"),
        "purge": QCoreApplication.translate("CasePage", "Answers purged"),
        "interview_paused": QCoreApplication.translate("CasePage", "Interview paused"),
        "interview_pause_reason": QCoreApplication.translate(
            "CasePage", "Reason for the pause added"
        ),
        "language_changed": QCoreApplication.translate(
            "CasePage", "Interviewee's language changed"
        ),
        "continued_as": QCoreApplication.translate("CasePage", "Continued in another interview"),
        "continued_from": QCoreApplication.translate("CasePage", "Continues an earlier interview"),
        VIEWED: QCoreApplication.translate("CasePage", "Opened for review"),
    }
    return names.get(action, action)
