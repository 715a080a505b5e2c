"""Reading service providers and referrals (tables of vault migration 6).

The shape of screening/vault/queries.py: each function takes a connection and returns
records; callers validate arguments and write (screening/referrals/store.py, which keeps
every change and its audit row in one transaction). Export reads the kinds of service each
interview was referred to through `referred_kinds`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from screening import jsonio
from screening.vault.database import Connection


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


_PROVIDER_SELECT = (
    "SELECT id, name, kind, contact, languages, notes, active, created_at, created_by,"
    " updated_at FROM providers"
)
_REFERRAL_SELECT = (
    "SELECT r.id, r.case_code, r.interview_id, r.provider_id, p.name, p.kind, r.needs,"
    " r.urgency, r.consent, r.consent_recorded_by, r.consent_recorded_at, r.language,"
    " r.interpreter_needed, r.interpreter_language, r.referrer, r.referrer_contact,"
    " r.include_identity, r.status, r.created_at, r.updated_at, r.sent_at, r.accepted_at,"
    " r.declined_at, r.closed_at FROM referrals r JOIN providers p ON p.id = r.provider_id"
)


def _provider(row: Any) -> Provider:
    return Provider(
        id=row[0],
        name=row[1],
        kind=row[2],
        contact=row[3],
        languages=tuple(jsonio.loads(row[4] or "[]")),
        notes=row[5],
        active=bool(row[6]),
        created_at=row[7],
        created_by=row[8],
        updated_at=row[9],
    )


def _referral(row: Any) -> Referral:
    return Referral(
        *row[:6],
        needs=tuple(jsonio.loads(row[6])),
        urgency=row[7],
        consent=row[8],
        consent_recorded_by=row[9],
        consent_recorded_at=row[10],
        language=row[11],
        interpreter_needed=bool(row[12]),
        interpreter_language=row[13],
        referrer=row[14],
        referrer_contact=row[15],
        include_identity=bool(row[16]),
        status=row[17],
        created_at=row[18],
        updated_at=row[19],
        sent_at=row[20],
        accepted_at=row[21],
        declined_at=row[22],
        closed_at=row[23],
    )


def get_provider(conn: Connection, provider_id: str) -> Provider | None:
    row = conn.execute(_PROVIDER_SELECT + " WHERE id = ?", (provider_id,)).fetchone()
    return None if row is None else _provider(row)


def list_providers(
    conn: Connection, *, kind: str | None = None, include_inactive: bool = False
) -> list[Provider]:
    clauses: list[str] = []
    params: list[object] = []
    if kind is not None:
        clauses.append("kind = ?")
        params.append(kind)
    if not include_inactive:
        clauses.append("active = 1")
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    rows = conn.execute(_PROVIDER_SELECT + where + " ORDER BY kind, name COLLATE NOCASE", params)
    return [_provider(row) for row in rows]


def get_referral(conn: Connection, referral_id: str) -> Referral | None:
    row = conn.execute(_REFERRAL_SELECT + " WHERE r.id = ?", (referral_id,)).fetchone()
    return None if row is None else _referral(row)


def list_referrals(
    conn: Connection,
    *,
    interview_id: str | None = None,
    provider_id: str | None = None,
    status: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[Referral]:
    """Newest sent first."""
    clauses: list[str] = []
    params: list[object] = []
    if interview_id is not None:
        clauses.append("r.interview_id = ?")
        params.append(interview_id)
    if provider_id is not None:
        clauses.append("r.provider_id = ?")
        params.append(provider_id)
    if status is not None:
        clauses.append("r.status = ?")
        params.append(status)
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    page = f" LIMIT {int(limit)} OFFSET {int(offset)}" if limit is not None else ""
    rows = conn.execute(
        _REFERRAL_SELECT + where + " ORDER BY r.sent_at DESC, r.rowid DESC" + page, params
    )
    return [_referral(row) for row in rows]


def referral_status(conn: Connection, referral_id: str) -> tuple[str, str] | None:
    """The referral's status and when it was sent, or None when there is no such referral."""
    row = conn.execute(
        "SELECT status, sent_at FROM referrals WHERE id = ?", (referral_id,)
    ).fetchone()
    return None if row is None else (str(row[0]), str(row[1]))


def referred_kinds(conn: Connection, interview_ids: Sequence[str]) -> dict[str, list[str]]:
    """The kinds of provider each of these interviews was referred to (each kind once)."""
    marks = ",".join("?" * len(interview_ids))
    referred: dict[str, list[str]] = {}
    for interview_id, kind in conn.execute(
        "SELECT DISTINCT r.interview_id, p.kind FROM referrals r"
        " JOIN providers p ON p.id = r.provider_id"
        f" WHERE r.interview_id IN ({marks})",
        list(interview_ids),
    ):
        referred.setdefault(interview_id, []).append(kind)
    return referred
