"""How an interview's id, times, status and outcome read in a list or on a case page.

One place for the words, so the case list, the received list and the case page cannot
name a status or an outcome differently. Strings are in the "CaseNames" context.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication


def short_id(interview_id: str) -> str:
    return interview_id[:8]


def local_time(stamp: str) -> str:
    """The vault's UTC stamp as local "YYYY-MM-DD HH:MM"; anything else unchanged."""
    try:
        moment = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ")
    except ValueError:
        return stamp
    return moment.replace(tzinfo=UTC).astimezone().strftime("%Y-%m-%d %H:%M")


def status_name(status: str) -> str:
    names = {
        "draft": QCoreApplication.translate("CaseNames", "Draft"),
        "completed": QCoreApplication.translate("CaseNames", "Completed"),
        "stopped": QCoreApplication.translate("CaseNames", "Stopped"),
        "purged": QCoreApplication.translate("CaseNames", "Purged"),
    }
    return names.get(status, status)


def outcome_name(outcome: str) -> str:
    names = {
        "likely_trafficked": QCoreApplication.translate("CaseNames", "Likely trafficked"),
        "possible_trafficking": QCoreApplication.translate("CaseNames", "Possible trafficking"),
        "no_indication": QCoreApplication.translate("CaseNames", "No indication"),
        "incomplete": QCoreApplication.translate("CaseNames", "Incomplete"),
    }
    return names.get(outcome, outcome)
