"""The one path from an answer on screen to the vault: validate in the engine, then commit.

The commit is `screening.recording.save_current`, the one place where an accepted answer
becomes a committed row. Nothing is buffered: `give`, `decline`, `dont_know` and `clear`
return only after the vault has committed (or has refused, in which case the engine is put
back as it was so that what the screen calls saved is exactly what the vault holds). Values
never leave this object except into the vault.

Repeat entries likewise: adding or removing one commits the entry counts (and a removal's
renumbered answers, in the same transaction) before the view shows the change, through
`screening.recording.add_entry` / `remove_entry`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from screening import recording
from screening.engine import AnswerResult, InterviewSession, Path
from screening.forms.compiler import CompiledForm
from screening.recording import save_current
from screening.vault import Vault, VaultError


@dataclass(frozen=True)
class Given:
    """What happened to one answer: refused by the engine, refused by the vault, or saved."""

    key: str
    error: str | None = None  # the engine's sentence for the screener
    save_error: str | None = None  # the vault's sentence; the answer is not stored
    saved: bool = False  # a write was committed (False also when nothing changed)
    # Other answers the form computed from this one and wrote with it (prefills).
    computed: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.error is None and self.save_error is None


class Recorder:
    def __init__(
        self,
        vault: Vault,
        interview_id: str,
        session: InterviewSession,
        resume_page: str | None = None,
    ) -> None:
        self.vault = vault
        self.interview_id = interview_id
        self.session = session
        self.last_saved: datetime | None = None
        self._position = resume_page  # the page stored with the draft

    @classmethod
    def open(
        cls, vault: Vault, interview_id: str, form: CompiledForm, language: str
    ) -> tuple[Recorder, list[str]]:
        """The draft as it was left (answers, repeat entries, page); also returns the stored
        keys that no longer fit the form."""
        session, unusable, page = recording.resume(vault, interview_id, form, language)
        return cls(vault, interview_id, session, page), unusable

    def remember_page(self, page: str | None) -> bool:
        """Store the page on screen, so a reopened draft shows it again; False when the vault
        refused (a draft just stopped, a locked vault): the answers do not depend on it."""
        if page == self._position:
            return True
        try:
            recording.save_position(self.vault, self.interview_id, self.session, page)
        except VaultError:
            return False
        self._position = page
        return True

    # ------------------------------------------------------------------ answers
    def give(self, key: str, value: object) -> Given:
        return self._apply(key, lambda: self.session.answer(key, value))

    def decline(self, key: str) -> Given:
        return self._apply(key, lambda: self.session.decline(key))

    def dont_know(self, key: str) -> Given:
        return self._apply(key, lambda: self.session.dont_know(key))

    def clear(self, key: str) -> Given:
        return self._apply(key, lambda: self.session.clear(key))

    def _apply(self, key: str, change: Callable[[], AnswerResult]) -> Given:
        before = self.session.get(key)
        checkpoint = self.session.entries_checkpoint()
        pending = set(self.session.engine_writes())
        result: AnswerResult = change()
        if not result.ok:
            return Given(key, error=result.error)
        after = self.session.get(result.key)
        if after == before:
            return Given(result.key)
        computed = tuple(k for k in self.session.engine_writes() if k not in pending)
        try:
            self._store(result.key)
        except VaultError as exc:
            # Back to what the vault holds, the answers the form computed from it included.
            self.session.roll_back_entries(checkpoint)
            return Given(result.key, save_error=exc.message)
        return Given(result.key, saved=True, computed=computed)

    def _store(self, key: str) -> None:
        # The commit itself is screening.recording's, shared with the CLI and demo data.
        save_current(self.vault, self.interview_id, self.session, key)
        self.last_saved = datetime.now()

    # ------------------------------------------------------------------ repeats
    def add_instance(self, repeat: str, outer: Path = ()) -> tuple[int | None, str | None]:
        """Add an entry (within the outer entry `outer` for a nested repeat) and commit the
        entry counts; returns (its number, None) or (None, why not)."""
        try:
            number = recording.add_entry(self.vault, self.interview_id, self.session, repeat, outer)
        except ValueError as exc:
            return None, str(exc)
        except VaultError as exc:
            return None, exc.message
        self._saved_entries(recording.prompt_page(repeat, outer))
        return number, None

    def remove_instance(self, repeat: str, instance: int, outer: Path = ()) -> str | None:
        """Remove an entry (with the entries nested in it) and commit the renumbered answers
        and the entry counts in one transaction; None, or why not (nothing changed then)."""
        try:
            recording.remove_entry(
                self.vault, self.interview_id, self.session, repeat, instance, outer
            )
        except ValueError as exc:
            return str(exc)
        except VaultError as exc:
            return exc.message
        self._saved_entries(recording.prompt_page(repeat, outer))
        return None

    def _saved_entries(self, page: str) -> None:
        self._position = page
        self.last_saved = datetime.now()
