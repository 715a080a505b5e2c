"""The export's reads of the vault (screening/vault/export_queries.py), on a real vault."""

from __future__ import annotations

from datetime import UTC, date, datetime

from screening.vault import Vault
from screening.vault.export_queries import (
    chosen_answers,
    completed_chunk,
    completed_where,
    count_where,
    outcome_texts,
    parse_outcome,
)


def _interview(vault: Vault, day: int, form_id: str = "screening-adult") -> str:
    return vault.create_interview(
        form_id=form_id,
        form_version="1.0",
        form_hash="0" * 64,
        language="en",
        started_at=datetime(2026, 3, day, 9, tzinfo=UTC),
    )


def test_one_row_per_person_the_newest_completed_one(vault: Vault) -> None:
    first, second, other, _draft = (_interview(vault, d) for d in (2, 5, 6, 7))
    for interview_id in (first, second, other):
        vault.complete_interview(interview_id)
    vault.link_interviews(first, second, "same person, second visit")
    conn = vault.connection()

    where, params = completed_where(per_person=True)
    rows = completed_chunk(conn, where, params, after_rowid=0, limit=10)
    assert [row[1] for row in rows] == [second, other]
    assert count_where(conn, where, params) == 2

    where, params = completed_where(per_person=False)
    assert count_where(conn, where, params) == 3  # the draft is never exported

    where, params = completed_where(date_from=date(2026, 3, 3), date_to=date(2026, 3, 5))
    assert [row[1] for row in completed_chunk(conn, where, params, after_rowid=0, limit=10)] == [
        second
    ]
    where, params = completed_where(per_person=False)
    second_rowid = rows[0][0]
    chunk = completed_chunk(conn, where, params, after_rowid=second_rowid, limit=1)
    assert [row[1] for row in chunk] == [other]


def test_only_the_named_and_not_cleared_answers_are_read(vault: Vault) -> None:
    interview_id = _interview(vault, 2)
    vault.save_answer(interview_id, "age", 34)
    vault.save_answer(interview_id, "sex", None, "declined")
    vault.save_answer(interview_id, "preferred_name", "Nadia")
    vault.save_answer(interview_id, "nationality", "syria")
    vault.clear_answer(interview_id, "nationality")
    found = chosen_answers(vault.connection(), [interview_id], ["age", "sex", "nationality"])
    assert found == {interview_id: {"age": (34, None), "sex": (None, "declined")}}


def test_outcomes_are_read_as_text_and_parsed_one_by_one(vault: Vault) -> None:
    interview_id = _interview(vault, 2)
    vault.complete_interview(interview_id, outcome={"result": "no_indication"})
    texts = outcome_texts(vault.connection(), [interview_id])
    text, override = texts[interview_id]
    assert override is None
    assert parse_outcome(text) == {"result": "no_indication"}
    assert parse_outcome("not json") is None
    assert parse_outcome("[1, 2]") is None
