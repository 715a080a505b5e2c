"""Case labels: a form's `instance_name` (XLSForm settings) evaluated over an interview's answers.

A label is usually built from answers (`concat(${family_name}, ' ', ${village})`), so it can
name the person. It is therefore computed only from an unlocked vault, for the rows the case
list shows, and kept only in memory: it is never written to the vault, a log, an export or an
envelope (see docs/forms.md, "instance_name"). Forms without an `instance_name` (every shipped
form) cost nothing here: their answers are not read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from screening.engine import Answer, InterviewSession, Special
from screening.forms.compiler import CompiledForm
from screening.forms.library import FormNotAvailable
from screening.sync.offered import form_catalogue
from screening.vault.errors import VaultError

if TYPE_CHECKING:
    from screening.vault import Vault

MAX_LABEL = 80  # a list cell, not a document: long names are cut with an ellipsis


@dataclass(frozen=True, slots=True)
class LabelRequest:
    """What the case list already knows of an interview (no answers)."""

    interview_id: str
    form_id: str
    form_version: str
    form_hash: str | None
    language: str
    updated_at: str


class CaseLabels:
    """Labels of interviews in one unlocked vault, cached until the interview changes."""

    def __init__(self, vault: Vault) -> None:
        self.vault = vault
        self._forms: dict[tuple[str, str, str | None], CompiledForm | None] = {}
        self._cache: dict[str, tuple[str, str | None]] = {}

    def labels(self, requests: Iterable[LabelRequest]) -> dict[str, str]:
        """The label of each interview whose form has an instance_name that gives one."""
        found: dict[str, str] = {}
        for request in requests:
            label = self.label(request)
            if label:
                found[request.interview_id] = label
        return found

    def label(self, request: LabelRequest) -> str | None:
        cached = self._cache.get(request.interview_id)
        if cached is not None and cached[0] == request.updated_at:
            return cached[1]
        form = self._form(request)
        label = None if form is None else self._evaluate(form, request)
        self._cache[request.interview_id] = (request.updated_at, label)
        return label

    def _form(self, request: LabelRequest) -> CompiledForm | None:
        key = (request.form_id, request.form_version, request.form_hash)
        if key not in self._forms:
            try:
                form = form_catalogue(self.vault).compiled_for_interview(*key)
            except FormNotAvailable:
                form = None
            self._forms[key] = form if form is not None and form.instance_name else None
        return self._forms[key]

    def _evaluate(self, form: CompiledForm, request: LabelRequest) -> str | None:
        try:
            stored = self.vault.answers(request.interview_id)
            # Repeat entries the screener added, empty ones too: count(${repeat}) reads them.
            counts = self.vault.get_interview(request.interview_id).instance_counts
        except VaultError:
            return None  # purged or gone since the page was read: the list shows the code
        answers = {
            key: Answer(None if special else value, Special(special) if special else None)
            for key, (value, special) in stored.items()
        }
        language = request.language if form.form.language(request.language) else None
        session = InterviewSession(form, language=language)
        session.restore(answers, counts, exact=True)
        return shorten_label(session.instance_name())


def shorten_label(text: str | None) -> str | None:
    """One line of at most MAX_LABEL characters, or None when nothing is left."""
    if text is None:
        return None
    line = " ".join(text.split())
    if not line:
        return None
    return line if len(line) <= MAX_LABEL else line[: MAX_LABEL - 1].rstrip() + "…"
