"""Windowed reads of interview metadata for the case list; never reads answers.

Counts come from `Vault.count_interviews` (without an outcome filter). Pages are read through
`Vault.connection()` (the documented way for other modules to read the vault), because the
list sorts by columns the vault's listing does not order by (outcome, language, sync) and
breaks every tie by the start date, newest first. The page's rowids are chosen first, from
an index where the ordering has one, so a deep page does not read every row it skips. Beside
the `interviews` table, a page reads who paused or stopped its interviews (the audit log,
`screening.vault.pauses`) and which of them came by sync (their `import` audit row).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from screening.case_labels import CaseLabels, LabelRequest
from screening.vault.pauses import Pause, pause_states

if TYPE_CHECKING:
    from screening.vault import Vault

STATUSES = ("draft", "completed", "stopped")
OUTCOMES = ("likely_trafficked", "possible_trafficking", "no_indication", "incomplete")
_OUTCOME_SQL = "COALESCE(override_recommendation, json_extract(outcome, '$.result'))"
# What each column of the case list sorts by (SQL over the `interviews` table).
SORTABLE = {
    "id": "id",
    "form": "form_id",
    "started": "created_at",
    "language": "language",
    "status": "status",
    "outcome": _OUTCOME_SQL,
    "sync": "delivered",
}


@dataclass(frozen=True, slots=True)
class CaseQuery:
    search: str = ""
    status: str | None = None
    form_id: str | None = None
    outcome: str | None = None
    date_from: date | None = None  # local calendar days, inclusive
    date_to: date | None = None
    order_by: str = "created_at"
    descending: bool = True

    def with_(self, **changes: Any) -> CaseQuery:
        return replace(self, **changes)


@dataclass(frozen=True, slots=True)
class CaseRow:
    id: str
    form_id: str
    form_version: str
    status: str
    created_at: str
    location: str | None
    delivered: bool
    outcome: str | None = field(default=None)
    language: str = ""
    pause: Pause | None = None
    received: bool = False
    # The form's instance_name over the answers (screening.case_labels): may name the person,
    # so it lives only in this in-memory row of an unlocked vault.
    label: str | None = None


def local_day_bounds(day_from: date | None, day_to: date | None) -> tuple[Any, Any]:
    """Local calendar days → UTC instants, as the vault stores `created_at` in UTC."""

    def utc(day: date, at: time) -> datetime:
        return datetime.combine(day, at).astimezone().astimezone(UTC)

    low = utc(day_from, time.min) if day_from else None
    high = utc(day_to + timedelta(days=1), time.min) - timedelta(microseconds=1) if day_to else None
    return low, high


def _stamp(value: datetime | None) -> str | None:
    return None if value is None else value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class CaseSource:
    """Reads one window of the case list at a time from an unlocked vault."""

    def __init__(self, vault: Vault) -> None:
        self.vault = vault
        self.labels = CaseLabels(vault)

    def _filters(self, q: CaseQuery) -> dict[str, Any]:
        low, high = local_day_bounds(q.date_from, q.date_to)
        return {
            "status": q.status,
            "form_id": q.form_id,
            "search": q.search.strip() or None,
            "date_from": low,
            "date_to": high,
        }

    def count(self, q: CaseQuery) -> int:
        if q.outcome is not None:
            return int(self._rows(q, count=True)[0][0])
        return self.vault.count_interviews(**self._filters(q))

    def page(self, q: CaseQuery, offset: int, limit: int) -> list[CaseRow]:
        raw = self._rows(q, offset=offset, limit=limit)
        rows = [
            CaseRow(*row[:6], delivered=bool(row[6]), outcome=row[7], language=str(row[8] or ""))
            for row in raw
        ]
        labels = self.labels.labels(
            LabelRequest(r.id, r.form_id, r.form_version, row[9], r.language, str(row[10]))
            for r, row in zip(rows, raw, strict=True)
            if r.status != "purged"
        )
        ids = [r.id for r in rows if r.status in ("draft", "stopped")]
        pauses = pause_states(self.vault.connection(), ids) if ids else {}
        received = self._received([r.id for r in rows if r.status != "draft"])
        return [
            replace(r, pause=pauses.get(r.id), received=r.id in received, label=labels.get(r.id))
            if r.id in pauses or r.id in received or r.id in labels
            else r
            for r in rows
        ]

    def _received(self, ids: list[str]) -> set[str]:
        if not ids:
            return set()
        marks = ",".join("?" * len(ids))
        rows = self.vault.connection().execute(
            f"SELECT DISTINCT object_id FROM audit WHERE object_id IN ({marks})"
            " AND action = 'import'",
            ids,
        )
        return {str(r[0]) for r in rows}

    def titles(self, ui_language: str) -> tuple[dict[str, str], dict[str, str]]:
        """Form titles by id and language names by code, from the forms on offer."""
        import json

        from screening.forms.library import form_catalogue

        forms: dict[str, str] = {}
        languages: dict[str, str] = {}
        for entry in form_catalogue(self.vault, ui_language).newest():
            forms[entry.id] = entry.title
            try:
                for language in json.loads(entry.text).get("languages", []):
                    languages.setdefault(str(language["code"]), str(language["name"]))
            except (ValueError, KeyError, TypeError, AttributeError):
                continue  # a title is enough; the code stands in for the name
        return forms, languages

    def form_ids(self) -> list[str]:
        rows = self.vault.connection().execute("SELECT DISTINCT form_id FROM interviews")
        return sorted(str(r[0]) for r in rows)

    def _rows(
        self, q: CaseQuery, *, count: bool = False, offset: int = 0, limit: int = 0
    ) -> list[tuple[Any, ...]]:
        f = self._filters(q)
        clauses: list[str] = []
        params: list[Any] = []
        if q.outcome is not None:
            clauses.append(f"{_OUTCOME_SQL} = ?")
            params.append(q.outcome)
        for column in ("status", "form_id"):
            if f[column] is not None:
                clauses.append(f"{column} = ?")
                params.append(f[column])
        if f["date_from"] is not None:
            clauses.append("created_at >= ?")
            params.append(_stamp(f["date_from"]))
        if f["date_to"] is not None:
            clauses.append("created_at <= ?")
            params.append(_stamp(f["date_to"]))
        if f["search"]:
            text = f["search"].replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            clauses.append(
                "(id LIKE ? ESCAPE '\\' OR form_id LIKE ? ESCAPE '\\'"
                " OR location LIKE ? ESCAPE '\\' OR screener LIKE ? ESCAPE '\\')"
            )
            params.extend([f"%{text}%"] * 4)
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        if count:
            return list(
                self.vault.connection().execute(f"SELECT count(*) FROM interviews{where}", params)
            )
        if q.order_by not in SORTABLE.values():
            raise ValueError(f"cannot order by {q.order_by}")
        direction = "DESC" if q.descending else "ASC"
        if q.order_by == "created_at":
            order = f"created_at {direction}, id {direction}"
        else:
            # Ties (every draft, every "Not sent") are broken by the start date, newest first.
            order = f"{q.order_by} {direction}, created_at DESC, id DESC"
        sql = (
            "SELECT id, form_id, form_version, status, created_at, location, delivered,"
            f" {_OUTCOME_SQL}, language, form_hash, updated_at FROM interviews WHERE rowid IN"
            f" (SELECT rowid FROM interviews{where} ORDER BY {order}"
            f" LIMIT {int(limit)} OFFSET {int(offset)}) ORDER BY {order}"
        )
        return list(self.vault.connection().execute(sql, params))
