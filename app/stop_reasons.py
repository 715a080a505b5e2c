"""Stop and pause reasons in the interface language: the stop dialog offers them, the case
list, the interview's paused strip, the outcome page and the coordinator's case page show
them. Below every view that uses them, so none imports another view package for words."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def reason_labels() -> dict[str, str]:
    return {
        "distress": QCoreApplication.translate("StopDialog", "The person is distressed"),
        "consent_withdrawn": QCoreApplication.translate("StopDialog", "Consent withdrawn"),
        "interpreter_unavailable": QCoreApplication.translate(
            "StopDialog", "Interpreter unavailable"
        ),
        "other": QCoreApplication.translate("StopDialog", "Other reason"),
    }


def stop_reason_words(stored: str | None) -> str:
    """The stored stop reason ("distress", "other: fire alarm") in the interface language."""
    if not stored:
        return QCoreApplication.translate("StopDialog", "no reason recorded")
    labels = reason_labels()
    code, _, detail = stored.partition(":")
    if code == "other" and detail.strip():
        return f"{labels['other']}: {detail.strip()}"
    return labels.get(stored, stored)
