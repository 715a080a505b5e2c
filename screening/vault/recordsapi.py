"""The interview-record half of `Vault`: thin, locked, error-translating wrappers.

The logic lives in `records.py` and `retention.py` (functions over a connection); this
mixin only adds the actor, the role checks and the single lock around the connection.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any, TypeVar

from screening.vault import persons, queries, records, retention
from screening.vault.queries import Correction, InterviewRecord, InterviewSummary

T = TypeVar("T")


class RecordsApi:
    """Mixed into `Vault`; relies on `_run`, `_require` and `user` from it."""

    user: str

    def _run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:  # pragma: no cover
        raise NotImplementedError

    def _require(self, *roles: str, action: str) -> None:  # pragma: no cover
        raise NotImplementedError

    def _checkpoint(self) -> None:  # pragma: no cover
        raise NotImplementedError

    def create_interview(
        self,
        *,
        form_id: str,
        form_version: str,
        form_hash: str,
        language: str,
        screener_language: str | None = None,
        interpreter_used: bool = False,
        location: str | None = None,
        started_at: datetime | None = None,
        continues: str | None = None,
    ) -> str:
        """Start a draft interview screened by the unlocked user; returns its UUID.

        `started_at` (time-zone aware) is for interviews recreated elsewhere: demo data and
        interviews imported from a device keep their real start time. `continues` is the id
        of an earlier interview of the same person (a rapid screening continued into the
        full interview): both then share one person id (screening/vault/persons.py).
        """
        return self._run(
            records.create_interview,
            self.user,
            form_id=form_id,
            form_version=form_version,
            form_hash=form_hash,
            language=language,
            screener_language=screener_language,
            interpreter_used=interpreter_used,
            location=location,
            started_at=started_at,
            continues=continues,
        )

    def person_of(self, interview_id: str) -> str | None:
        """The person id linking this interview to others of the same person, if any."""
        return self._run(persons.person_of, interview_id)

    def interviews_of_person(self, interview_id: str) -> list[str]:
        """Every interview of the person this interview is of (itself when not linked)."""
        person = self.person_of(interview_id)
        if person is None:
            return [interview_id]
        return self._run(persons.interviews_of, person)

    def link_interviews(self, first: str, second: str, reason: str) -> str:
        """Record that two interviews are of one person (coordinators, admins; audited)."""
        self._require("admin", "coordinator", action="link interviews")
        return self._run(persons.link, self.user, first, second, reason)

    def save_draft_position(
        self, interview_id: str, page: str | None, instance_counts: dict[str, int]
    ) -> None:
        """Remember where a draft stopped so it resumes there after a restart."""
        self._run(records.save_draft_position, interview_id, page, instance_counts)

    def save_repeat_entries(
        self,
        interview_id: str,
        answers: Mapping[str, tuple[object, str | None] | None],
        *,
        page: str | None,
        instance_counts: dict[str, int],
    ) -> None:
        """A repeat entry added or removed: the moved answers ((value, special marker), None
        for none), the entry counts and the page in one transaction, committed on return."""
        self._run(
            records.save_repeat_entries, self.user, interview_id, answers, page, instance_counts
        )

    def save_answers(
        self, interview_id: str, answers: Mapping[str, tuple[object, str | None] | None]
    ) -> None:
        """Several answers of a draft ((value, special marker), None for none) in one
        transaction, committed on return."""
        self._run(records.save_answers, self.user, interview_id, answers)

    def save_answer(
        self, interview_id: str, name: str, value: object, special: str | None = None
    ) -> int:
        """Store one answer of a draft; returns the revision only after COMMIT."""
        return self._run(records.save_answer, self.user, interview_id, name, value, special)

    def clear_answer(self, interview_id: str, name: str) -> None:
        self._run(records.clear_answer, self.user, interview_id, name)

    def answers(self, interview_id: str) -> dict[str, tuple[object, str | None]]:
        """Latest (value, special marker) per question name; cleared answers are left out."""
        return self._run(queries.answers, interview_id)

    def answer_revisions(self, interview_id: str) -> dict[str, int]:
        return self._run(queries.revisions, interview_id)

    def corrections(self, interview_id: str) -> list[Correction]:
        return self._run(queries.corrections, interview_id)

    def get_interview(self, interview_id: str) -> InterviewRecord:
        return self._run(queries.get_interview, interview_id)

    def list_interviews(
        self,
        *,
        status: str | None = None,
        form_id: str | None = None,
        search: str | None = None,
        date_from: date | datetime | str | None = None,
        date_to: date | datetime | str | None = None,
        order_by: str = "created_at",
        descending: bool = True,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[InterviewSummary]:
        """Interview metadata only (never answers); `search` matches id, form, place, screener."""
        return self._run(
            queries.list_interviews,
            status=status,
            form_id=form_id,
            search=search,
            date_from=date_from,
            date_to=date_to,
            order_by=order_by,
            descending=descending,
            limit=limit,
            offset=offset,
        )

    def count_interviews(
        self,
        *,
        status: str | None = None,
        form_id: str | None = None,
        search: str | None = None,
        date_from: date | datetime | str | None = None,
        date_to: date | datetime | str | None = None,
    ) -> int:
        return self._run(
            queries.count_interviews,
            status=status,
            form_id=form_id,
            search=search,
            date_from=date_from,
            date_to=date_to,
        )

    def complete_interview(self, interview_id: str, outcome: dict[str, Any] | None = None) -> None:
        self._run(records.complete_interview, self.user, interview_id, outcome)

    def stop_interview(self, interview_id: str, reason: str) -> None:
        self._run(records.stop_interview, self.user, interview_id, reason)

    def set_outcome(self, interview_id: str, outcome: dict[str, Any]) -> None:
        self._run(records.set_outcome, self.user, interview_id, outcome)

    def set_override(self, interview_id: str, recommendation: str, reason: str) -> None:
        self._run(records.set_override, self.user, interview_id, recommendation, reason)

    def correct_answer(
        self,
        interview_id: str,
        name: str,
        value: object,
        special: str | None = None,
        *,
        reason: str,
    ) -> int:
        return self._run(
            records.correct_answer, self.user, interview_id, name, value, special, reason=reason
        )

    def mark_delivered(self, interview_id: str) -> None:
        self._run(records.mark_delivered, self.user, interview_id)

    def purge(self, older_than_days: int) -> int:
        """Purge delivered, completed interviews finished more than N days ago."""
        self._require("admin", "coordinator", action="purge interviews")
        count = self._run(retention.purge, self.user, older_than_days)
        # Deleted answers may still sit in WAL frames; fold them into the (secure-deleted)
        # main file and truncate the WAL.
        self._checkpoint()
        return count
