"""Service providers and referrals, kept in the vault (tables of vault migration 6).

Reads go through screening/vault/referral_queries.py; this module validates, decides and
writes, each change in one transaction with its audit row.

A referral links one interview to one provider with the needs, the urgency, the recorded
basis of consent to refer, the person's language and interpreter needs, and the referring
coordinator's contact. Its status moves `sent` -> `accepted` | `declined` -> `closed`
(`sent` -> `closed` too, for a referral withdrawn), each with its date. Every change is one
transaction together with its audit row; audit details name ids, kinds and statuses,
never answers or names.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from screening.errors import ScreeningError
from screening.export.casecode import CaseCoder
from screening.export.fields import NEEDS, PROVIDER_KINDS
from screening.referrals.slip import render_slip, slip_parts
from screening.vault import referral_queries as queries
from screening.vault.referral_queries import Provider, Referral

if TYPE_CHECKING:
    from screening.vault import Vault

STATUSES = ("sent", "accepted", "declined", "closed")
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "sent": ("accepted", "declined", "closed"),
    "accepted": ("closed",),
    "declined": ("closed",),
    "closed": (),
}
URGENCIES = ("routine", "urgent", "emergency")
# The basis on which the referral is made: the person agreed; a parent or guardian agreed
# for a child; or a child is referred to child protection in their best interests.
CONSENT_BASES = ("person", "guardian", "best_interests")
REFERRAL_ROLES = ("coordinator", "admin")
MAX_TEXT = 200
_CODE = re.compile(r"[a-z][a-z0-9_]{0,39}")
# The form language of an interview, as a spoken-language code of the forms.
_FORM_LANGUAGE = {"ar": "arabic", "fr": "french", "en": "english", "cnr": "bcms"}


class ReferralError(ScreeningError):
    """A referral or provider change was refused; nothing was changed."""


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _moment(at: datetime | date | None) -> str:
    if at is None:
        return _now()
    if isinstance(at, datetime):
        if at.tzinfo is None:
            raise ReferralError("A date and time must carry its time zone.")
        moment = at.astimezone(UTC)
    else:
        moment = datetime(at.year, at.month, at.day, 12, tzinfo=UTC)
    if moment > datetime.now(UTC) + timedelta(days=1):
        raise ReferralError("A referral date cannot be in the future.")
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _text(value: str | None, what: str, *, required: bool = False) -> str | None:
    if value is None or not str(value).strip():
        if required:
            raise ReferralError(f"A {what} is required.")
        return None
    text = " ".join(str(value).split())
    if len(text) > MAX_TEXT:
        raise ReferralError(f"The {what} is limited to {MAX_TEXT} characters.")
    return text


def _code(value: str | None, what: str) -> str | None:
    if value is None or not str(value).strip():
        return None
    text = str(value).strip().lower()
    if not _CODE.fullmatch(text):
        raise ReferralError(f"{what} must be a short code such as 'arabic' or 'tigrinya'.")
    return text


class Referrals:
    """The provider directory and the referrals of one unlocked vault (coordinators, admins)."""

    def __init__(self, vault: Vault) -> None:
        from screening.vault import PermissionDenied

        if vault.role not in REFERRAL_ROLES:
            raise PermissionDenied("Only coordinator or admin users can manage referrals.")
        self.vault = vault

    def _audit(self, conn: Any, action: str, object_id: str, detail: str) -> None:
        from screening.vault import audit

        audit.append(conn, self.vault.user, action, object_id, detail)

    # ----------------------------------------------------------------------- providers

    def add_provider(
        self,
        name: str,
        kind: str,
        *,
        contact: str | None = None,
        languages: tuple[str, ...] | list[str] = (),
        notes: str | None = None,
    ) -> Provider:
        """Add an organisation to the directory (never a person's private details)."""
        if kind not in PROVIDER_KINDS:
            raise ReferralError(
                f"Unknown kind of provider {kind!r}: use one of {', '.join(PROVIDER_KINDS)}."
            )
        clean_name = _text(name, "provider name", required=True)
        codes = [c for c in (_code(x, "A language") for x in languages) if c]
        provider_id = str(uuid.uuid4())
        at = _now()
        with self.vault.transaction() as conn:
            conn.execute(
                "INSERT INTO providers (id, name, kind, contact, languages, notes, active,"
                " created_at, created_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?)",
                (
                    provider_id,
                    clean_name,
                    kind,
                    _text(contact, "provider contact"),
                    json.dumps(codes),
                    _text(notes, "note"),
                    at,
                    self.vault.user,
                    at,
                ),
            )
            self._audit(conn, "provider_added", provider_id, f"kind {kind}")
        return self.provider(provider_id)

    def update_provider(
        self,
        provider_id: str,
        *,
        name: str | None = None,
        contact: str | None = None,
        languages: tuple[str, ...] | list[str] | None = None,
        notes: str | None = None,
        active: bool | None = None,
    ) -> Provider:
        current = self.provider(provider_id)
        changes: dict[str, Any] = {}
        if name is not None:
            changes["name"] = _text(name, "provider name", required=True)
        if contact is not None:
            changes["contact"] = _text(contact, "provider contact")
        if languages is not None:
            changes["languages"] = json.dumps(
                [c for c in (_code(x, "A language") for x in languages) if c]
            )
        if notes is not None:
            changes["notes"] = _text(notes, "note")
        if active is not None:
            changes["active"] = int(active)
        if not changes:
            return current
        changes["updated_at"] = _now()
        assignments = ", ".join(f"{column} = ?" for column in changes)
        with self.vault.transaction() as conn:
            conn.execute(
                f"UPDATE providers SET {assignments} WHERE id = ?",
                [*changes.values(), provider_id],
            )
            changed = sorted(c for c in changes if c != "updated_at")
            self._audit(conn, "provider_changed", provider_id, "changed " + ", ".join(changed))
        return self.provider(provider_id)

    def provider(self, provider_id: str) -> Provider:
        found = queries.get_provider(self.vault.connection(), provider_id)
        if found is None:
            raise ReferralError(f"There is no provider {provider_id} in this vault.")
        return found

    def providers(
        self, *, kind: str | None = None, include_inactive: bool = False
    ) -> list[Provider]:
        if kind is not None and kind not in PROVIDER_KINDS:
            raise ReferralError(f"Unknown kind of provider {kind!r}.")
        return queries.list_providers(
            self.vault.connection(), kind=kind, include_inactive=include_inactive
        )

    # ---------------------------------------------------------------------- referrals

    def suggestions(self, interview_id: str) -> dict[str, Any]:
        """Needs, urgency, language and interpreter as the interview's answers suggest them."""
        record = self.vault.get_interview(interview_id)
        answers = self.vault.answers(interview_id)

        def value(name: str) -> object:
            found = answers.get(name)
            return None if found is None or found[1] is not None else found[0]

        needs = value("needs")
        chosen = [n for n in NEEDS if isinstance(needs, list) and n in needs]
        if value("needs_medical") == "yes" and "medical" not in chosen:
            chosen.append("medical")
        if value("safe_now") == "no" and "safety" not in chosen:
            chosen.insert(0, "safety")
        urgent = value("needs_urgent") == "yes" or value("safe_now") == "no"
        spoken = value("interview_language")
        language = spoken if isinstance(spoken, str) and spoken != "other" else None
        language = language or _FORM_LANGUAGE.get(record.language)
        interpreter = (
            record.interpreter_used
            or value("interpreter_present") == "yes"
            or value("interpreting") in ("professional", "informal")
        )
        return {
            "needs": chosen,
            "urgency": "urgent" if urgent else "routine",
            "language": language,
            "interpreter_needed": bool(interpreter),
        }

    def _is_child(self, interview_id: str) -> bool:
        record = self.vault.get_interview(interview_id)
        if (record.outcome or {}).get("population") == "child":
            return True
        age = self.vault.answers(interview_id).get("age")
        return bool(age and age[1] is None and isinstance(age[0], int) and age[0] < 18)

    def create(
        self,
        interview_id: str,
        provider_id: str,
        *,
        consent: str,
        referrer_contact: str,
        needs: list[str] | tuple[str, ...] | None = None,
        urgency: str | None = None,
        language: str | None = None,
        interpreter_needed: bool | None = None,
        interpreter_language: str | None = None,
        include_identity: bool = False,
        sent_at: datetime | date | None = None,
    ) -> Referral:
        """Record a referral as sent; what is not given is taken from the interview's answers."""
        record = self.vault.get_interview(interview_id)
        if record.status == "purged":
            raise ReferralError(f"Interview {interview_id} was purged; it cannot be referred.")
        provider = self.provider(provider_id)
        if not provider.active:
            raise ReferralError(f"The provider {provider.name} is no longer active.")
        if consent not in CONSENT_BASES:
            raise ReferralError(
                "A referral needs a recorded basis of consent: 'person' (the person agreed),"
                " 'guardian' (a parent or guardian agreed) or 'best_interests' (a child"
                " referred to child protection)."
            )
        if consent in ("guardian", "best_interests") and not self._is_child(interview_id):
            raise ReferralError(
                "Consent by a guardian or a referral in the best interests is only for children."
            )
        if consent == "best_interests" and provider.kind != "child_protection":
            raise ReferralError(
                "Without the person's or a guardian's consent, a child can only be referred to"
                " child protection."
            )
        suggested = self.suggestions(interview_id)
        chosen = list(needs) if needs is not None else suggested["needs"]
        unknown = [n for n in chosen if n not in NEEDS]
        if unknown:
            raise ReferralError(f"Unknown need {unknown[0]!r}: use any of {', '.join(NEEDS)}.")
        if not chosen:
            raise ReferralError(
                f"Name at least one need for the referral: any of {', '.join(NEEDS)}."
            )
        chosen = [n for n in NEEDS if n in chosen]
        urgency = urgency or suggested["urgency"]
        if urgency not in URGENCIES:
            raise ReferralError(f"Urgency must be one of {', '.join(URGENCIES)}.")
        language = _code(language, "The language") or suggested["language"]
        needed = (
            suggested["interpreter_needed"] if interpreter_needed is None else interpreter_needed
        )
        interpreter = _code(interpreter_language, "The interpreter language")
        if needed and interpreter is None:
            interpreter = language
        contact = _text(referrer_contact, "contact of the referring coordinator", required=True)
        referral_id = str(uuid.uuid4())
        code = CaseCoder.for_vault(self.vault, "referral").code(interview_id)
        at = _now()
        sent = _moment(sent_at)
        with self.vault.transaction() as conn:
            conn.execute(
                "INSERT INTO referrals (id, case_code, interview_id, provider_id, needs, urgency,"
                " consent, consent_recorded_by, consent_recorded_at, language,"
                " interpreter_needed, interpreter_language, referrer, referrer_contact,"
                " include_identity, status, created_at, updated_at, sent_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'sent', ?, ?, ?)",
                (
                    referral_id,
                    code,
                    interview_id,
                    provider_id,
                    json.dumps(chosen),
                    urgency,
                    consent,
                    self.vault.user,
                    at,
                    language,
                    int(bool(needed)),
                    interpreter if needed else None,
                    self.vault.user,
                    contact,
                    int(include_identity),
                    at,
                    at,
                    sent,
                ),
            )
            self._audit(
                conn,
                "referral_created",
                referral_id,
                f"interview {interview_id}; provider {provider_id} ({provider.kind});"
                f" urgency {urgency}; consent {consent}; needs {len(chosen)}",
            )
            if include_identity:
                self._audit(conn, "referral_identity", referral_id, "identity included")
        return self.get(referral_id)

    def set_status(
        self, referral_id: str, status: str, *, at: datetime | date | None = None
    ) -> Referral:
        if status not in STATUSES:
            raise ReferralError(f"Unknown status {status!r}: use one of {', '.join(STATUSES)}.")
        moment = _moment(at)
        with self.vault.transaction() as conn:
            found = queries.referral_status(conn, referral_id)
            if found is None:
                raise ReferralError(f"There is no referral {referral_id} in this vault.")
            current, sent_at = found
            if status not in TRANSITIONS[current]:
                allowed = " or ".join(TRANSITIONS[current]) or "nothing (it is closed)"
                article = "An" if current[0] in "aeiou" else "A"
                raise ReferralError(
                    f"{article} {current} referral cannot become {status}; it can become {allowed}."
                )
            if moment < sent_at[:10]:
                raise ReferralError("A status cannot be dated before the referral was sent.")
            conn.execute(
                f"UPDATE referrals SET status = ?, {status}_at = ?, updated_at = ? WHERE id = ?",
                (status, moment, _now(), referral_id),
            )
            self._audit(conn, "referral_status", referral_id, f"{current} -> {status}")
        return self.get(referral_id)

    def set_identity(self, referral_id: str, include: bool) -> Referral:
        """Include (or stop including) the person's name on this referral's slip; audited."""
        with self.vault.transaction() as conn:
            changed = conn.execute(
                "UPDATE referrals SET include_identity = ?, updated_at = ? WHERE id = ?",
                (int(include), _now(), referral_id),
            ).rowcount
            if not changed:
                raise ReferralError(f"There is no referral {referral_id} in this vault.")
            self._audit(
                conn,
                "referral_identity",
                referral_id,
                "identity included" if include else "identity removed",
            )
        return self.get(referral_id)

    def get(self, referral_id: str) -> Referral:
        found = queries.get_referral(self.vault.connection(), referral_id)
        if found is None:
            raise ReferralError(f"There is no referral {referral_id} in this vault.")
        return found

    def list(
        self,
        *,
        interview_id: str | None = None,
        provider_id: str | None = None,
        status: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Referral]:
        if status is not None and status not in STATUSES:
            raise ReferralError(f"Unknown status {status!r}.")
        return queries.list_referrals(
            self.vault.connection(),
            interview_id=interview_id,
            provider_id=provider_id,
            status=status,
            limit=limit,
            offset=offset,
        )

    def _slip_inputs(self, referral_id: str) -> tuple[Any, Any, dict[str, Any] | None]:
        referral = self.get(referral_id)
        identity = None
        if referral.include_identity:
            answers = self.vault.answers(referral.interview_id)
            identity = {
                name: answers[name][0]
                for name in ("preferred_name", "age", "sex")
                if name in answers and answers[name][1] is None
            }
        return referral, self.provider(referral.provider_id), identity

    def write_slip(self, referral_id: str, out: Any, *, language: str = "en") -> Any:
        """Write the referral slip PDF to `out`; audited, with whether identity is on it."""
        referral, provider, identity = self._slip_inputs(referral_id)
        path = render_slip(Path(out), referral, provider, identity, language=language)
        self.vault.audit(
            "referral_slip",
            referral_id,
            "slip written with identity" if identity is not None else "slip written, no name",
        )
        return path

    def print_slip(self, referral_id: str, *, language: str = "en") -> list[Any]:
        """The slip's contents for a printer (`screening.referrals.slip.SlipPart`, in order);
        audited like a written slip, since it leaves the vault on paper."""
        referral, provider, identity = self._slip_inputs(referral_id)
        parts = slip_parts(referral, provider, identity, language=language)
        self.vault.audit(
            "referral_slip",
            referral_id,
            "slip printed with identity" if identity is not None else "slip printed, no name",
        )
        return parts
