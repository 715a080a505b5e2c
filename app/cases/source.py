"""The case list's reads, bound to one unlocked vault; never reads answers.

The queries are `screening.vault.caselist` (tested without Qt). Counts without an outcome
filter come from `Vault.count_interviews`; pages and the rest through `Vault.connection()`
(the documented way for other modules to read the vault). Form titles and language names
come from the forms on offer.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from screening.case_labels import CaseLabels, LabelRequest
from screening.vault import caselist, listing
from screening.vault.caselist import (
    SORTABLE,
    STATUSES,
    CaseQuery,
    CaseRow,
)
from screening.vault.listing import OUTCOMES

if TYPE_CHECKING:
    from screening.vault import Vault

__all__ = [
    "OUTCOMES",
    "SORTABLE",
    "STATUSES",
    "CaseQuery",
    "CaseRow",
    "CaseSource",
]


class CaseSource:
    """Reads one window of the case list at a time from an unlocked vault."""

    def __init__(self, vault: Vault) -> None:
        self.vault = vault
        self.labels = CaseLabels(vault)

    def count(self, q: CaseQuery) -> int:
        if q.outcome is not None:
            return caselist.count_cases(self.vault.connection(), q)
        return self.vault.count_interviews(**caselist.listing_filters(q))

    def page(self, q: CaseQuery, offset: int, limit: int) -> list[CaseRow]:
        rows = caselist.case_page(self.vault.connection(), q, offset, limit)
        # Case labels (the forms' instance_name) only for the rows on screen, in memory only.
        labels = self.labels.labels(
            LabelRequest(r.id, r.form_id, r.form_version, r.form_hash, r.language, r.updated_at)
            for r in rows
            if r.status != "purged"
        )
        return [replace(r, label=labels[r.id]) if r.id in labels else r for r in rows]

    def titles(self, ui_language: str) -> tuple[dict[str, str], dict[str, str]]:
        """Form titles by id and language names by code, from the forms on offer."""
        import json

        from screening.sync.offered import form_catalogue

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
        return listing.form_ids(self.vault.connection())
