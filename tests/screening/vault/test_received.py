"""The received-interviews listing (`screening.vault.received`), without Qt: drafts left out,
the recommendation that stands, the override and centre filters, search, order and pages."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from screening.vault import Vault
from screening.vault.received import (
    ReceivedQuery,
    choices,
    matching_rowids,
    ordered_sql,
    rows_by_rowid,
)
from tests.screening.vault.conftest import new_interview


def _ids(vault: Vault, q: ReceivedQuery) -> list[str]:
    conn = vault.connection()
    rowids = list(matching_rowids(conn, q))
    found = rows_by_rowid(conn, rowids)
    return [found[r].id for r in rowids]


@pytest.fixture
def listed(vault: Vault) -> dict[str, str]:
    at = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)

    def made(day: int, **fields: object) -> str:
        return new_interview(vault, started_at=at.replace(day=day), **fields)

    names = {
        "draft": made(1, location="Podgorica"),
        "likely": made(2, location="Podgorica"),
        "overridden": made(3, location="Bar", form_id="child"),
        "none": made(4, location="Bar"),
        "stopped": made(5),
    }
    vault.complete_interview(names["likely"], {"result": "likely_trafficked"})
    vault.complete_interview(names["overridden"], {"result": "no_indication"})
    vault.set_override(names["overridden"], "possible_trafficking", "she later told us more")
    vault.complete_interview(names["none"], {"result": "no_indication"})
    vault.stop_interview(names["stopped"], "distress")
    return names


def test_drafts_are_left_out_and_the_newest_comes_first(
    vault: Vault, listed: dict[str, str]
) -> None:
    assert _ids(vault, ReceivedQuery()) == [
        listed[k] for k in ("stopped", "none", "overridden", "likely")
    ]
    assert _ids(vault, ReceivedQuery(descending=False))[0] == listed["likely"]
    assert _ids(vault, ReceivedQuery(status="stopped")) == [listed["stopped"]]


def test_the_outcome_filter_matches_the_recommendation_that_stands(
    vault: Vault, listed: dict[str, str]
) -> None:
    assert _ids(vault, ReceivedQuery(outcome="no_indication")) == [listed["none"]]
    assert _ids(vault, ReceivedQuery(outcome="possible_trafficking")) == [listed["overridden"]]


def test_override_centre_form_search_and_date_filters(vault: Vault, listed: dict[str, str]) -> None:
    assert _ids(vault, ReceivedQuery(overridden=True)) == [listed["overridden"]]
    assert listed["overridden"] not in _ids(vault, ReceivedQuery(overridden=False))
    assert len(_ids(vault, ReceivedQuery(overridden=False))) == 3
    assert _ids(vault, ReceivedQuery(centre="Bar")) == [listed["none"], listed["overridden"]]
    assert _ids(vault, ReceivedQuery(form_id="child")) == [listed["overridden"]]
    assert _ids(vault, ReceivedQuery(search="podgor")) == [listed["likely"]]
    assert _ids(vault, ReceivedQuery(search="%")) == []  # LIKE wildcards are escaped
    days = ReceivedQuery(date_from=date(2026, 11, 3), date_to=date(2026, 11, 4))
    assert set(_ids(vault, days)) == {listed["overridden"], listed["none"]}


def test_a_page_by_rowid_carries_the_computed_outcome_and_the_override_apart(
    vault: Vault, listed: dict[str, str]
) -> None:
    conn = vault.connection()
    rowids = list(matching_rowids(conn, ReceivedQuery(overridden=True)))
    (row,) = rows_by_rowid(conn, rowids).values()
    assert (row.id, row.location, row.form_id) == (listed["overridden"], "Bar", "child")
    assert (row.outcome, row.override, row.status) == (
        "no_indication",
        "possible_trafficking",
        "completed",
    )
    assert rows_by_rowid(conn, []) == {}


def test_sorting_by_the_override_puts_the_overridden_one_at_an_end(
    vault: Vault, listed: dict[str, str]
) -> None:
    assert _ids(vault, ReceivedQuery(order_by="override"))[0] == listed["overridden"]
    assert (
        _ids(vault, ReceivedQuery(order_by="override", descending=False))[-1]
        == (listed["overridden"])
    )


def test_choices_name_every_form_and_centre(vault: Vault, listed: dict[str, str]) -> None:
    found = choices(vault.connection())
    assert found.forms == ["child", "rapid"]
    assert found.centres == ["Bar", "Podgorica"]


def test_unknown_orders_and_statuses_are_refused() -> None:
    with pytest.raises(ValueError):
        ordered_sql(ReceivedQuery(order_by="answers"))
    with pytest.raises(ValueError):
        ordered_sql(ReceivedQuery(status="draft"))
