"""A service provider and a referral as read from the vault: what the store returns and the
slip prints, below both so that neither imports the other for them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Provider:
    id: str
    name: str
    kind: str
    contact: str | None
    languages: tuple[str, ...]
    notes: str | None
    active: bool
    created_at: str
    created_by: str
    updated_at: str


@dataclass(frozen=True, slots=True)
class Referral:
    id: str
    case_code: str
    interview_id: str
    provider_id: str
    provider_name: str
    provider_kind: str
    needs: tuple[str, ...]
    urgency: str
    consent: str
    consent_recorded_by: str
    consent_recorded_at: str
    language: str | None
    interpreter_needed: bool
    interpreter_language: str | None
    referrer: str
    referrer_contact: str
    include_identity: bool
    status: str
    created_at: str
    updated_at: str
    sent_at: str
    accepted_at: str | None
    declined_at: str | None
    closed_at: str | None

    def status_date(self, status: str) -> str | None:
        return {
            "sent": self.sent_at,
            "accepted": self.accepted_at,
            "declined": self.declined_at,
            "closed": self.closed_at,
        }[status]
