"""The screener's case list (`screening.vault.caselist`) and the pieces the interview lists
share (`screening.vault.listing`), without Qt: drafts included, the recommendation that
stands, ties by start date, pauses and received marks, literal search, local days."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from screening.vault import Vault
from screening.vault.caselist import (
    SORTABLE,
    CaseQuery,
    case_page,
    count_cases,
    listing_filters,
    local_day_bounds,
)
from screening.vault.listing import form_ids, search_clause, utc_text
from screening.vault.pauses import PAUSED
from tests.screening.vault.conftest import new_interview


@pytest.fixture
def cases(vault: Vault) -> dict[str, str]:
    at = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)

    def made(day: int, **fields: object) -> str:
        return new_interview(vault, started_at=at.replace(day=day), **fields)

    names = {
        "paused": made(1, location="Podgorica", language="cnr"),
        "likely": made(2, location="Podgorica"),
        "overridden": made(3, location="Bar_1", form_id="child"),
        "none": made(4, location="Bar"),
    }
    vault.audit(PAUSED, names["paused"])
    vault.complete_interview(names["likely"], {"result": "likely_trafficked"})
    vault.complete_interview(names["overridden"], {"result": "no_indication"})
    vault.set_override(names["overridden"], "possible_trafficking", "she later told us more")
    vault.complete_interview(names["none"], {"result": "no_indication"})
    vault.audit("import", names["none"])  # as the sync client marks what came from a laptop
    return names


def _ids(vault: Vault, q: CaseQuery) -> list[str]:
    return [row.id for row in case_page(vault.connection(), q, 0, 50)]


def test_every_interview_newest_first_with_drafts(vault: Vault, cases: dict[str, str]) -> None:
    newest_first = [cases[k] for k in ("none", "overridden", "likely", "paused")]
    assert _ids(vault, CaseQuery()) == newest_first
    assert _ids(vault, CaseQuery(descending=False)) == newest_first[::-1]
    assert count_cases(vault.connection(), CaseQuery()) == 4


def test_the_outcome_is_the_one_that_stands(vault: Vault, cases: dict[str, str]) -> None:
    conn = vault.connection()
    assert _ids(vault, CaseQuery(outcome="possible_trafficking")) == [cases["overridden"]]
    assert _ids(vault, CaseQuery(outcome="no_indication")) == [cases["none"]]
    assert count_cases(conn, CaseQuery(outcome="no_indication")) == 1
    by_id = {row.id: row for row in case_page(conn, CaseQuery(), 0, 50)}
    assert by_id[cases["overridden"]].outcome == "possible_trafficking"
    assert by_id[cases["paused"]].outcome is None


def test_sorting_by_the_outcome_that_stands(vault: Vault, cases: dict[str, str]) -> None:
    # Ascending: no outcome (the draft) first, then likely_…, no_…, possible_… (the override).
    found = _ids(vault, CaseQuery(order_by=SORTABLE["outcome"], descending=False))
    assert found == [cases[k] for k in ("paused", "likely", "none", "overridden")]
    with pytest.raises(ValueError):
        _ids(vault, CaseQuery(order_by="answers"))


def test_a_page_carries_pauses_and_received_marks(vault: Vault, cases: dict[str, str]) -> None:
    by_id = {row.id: row for row in case_page(vault.connection(), CaseQuery(), 0, 50)}
    assert by_id[cases["paused"]].pause is not None
    assert by_id[cases["paused"]].language == "cnr"
    assert by_id[cases["likely"]].pause is None
    assert by_id[cases["none"]].received and not by_id[cases["likely"]].received
    assert _ids(vault, CaseQuery())[1:2] == [
        r.id for r in case_page(vault.connection(), CaseQuery(), 1, 1)
    ]


def test_search_takes_wildcards_literally(vault: Vault, cases: dict[str, str]) -> None:
    assert _ids(vault, CaseQuery(search="Bar_")) == [cases["overridden"]]
    assert _ids(vault, CaseQuery(search="podgor")) == [cases["likely"], cases["paused"]]
    clause, params = search_clause("50%")
    assert params == ["%50\\%%"] * 4 and clause.count("ESCAPE") == 4


def test_form_and_status_filters_and_form_ids(vault: Vault, cases: dict[str, str]) -> None:
    assert _ids(vault, CaseQuery(form_id="child")) == [cases["overridden"]]
    assert _ids(vault, CaseQuery(status="draft")) == [cases["paused"]]
    assert form_ids(vault.connection()) == ["child", "rapid"]


def test_days_are_local_and_inclusive(vault: Vault, cases: dict[str, str]) -> None:
    low, high = local_day_bounds(date(2026, 11, 3), date(2026, 11, 3))
    assert low is not None and high is not None and (high - low).total_seconds() < 86400
    assert utc_text(low).endswith("Z") and utc_text(low) < utc_text(high)
    filters = listing_filters(CaseQuery(search="  ", date_from=date(2026, 11, 3)))
    assert filters["search"] is None and filters["date_from"] == low and filters["date_to"] is None
    whole_range = CaseQuery(date_from=date(2026, 11, 1), date_to=date(2026, 11, 4))
    assert count_cases(vault.connection(), whole_range) == 4
