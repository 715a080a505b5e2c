"""Problems found in a form definition, reported as `FILE: question NAME: what is wrong`, and
warnings, reported as `FILE: warning: question NAME: what is likely wrong`."""

from __future__ import annotations

from dataclasses import dataclass

from screening.errors import ScreeningError


@dataclass(frozen=True)
class FormProblem:
    source: str
    question: str | None
    message: str

    def __str__(self) -> str:
        where = f"question {self.question}: " if self.question else ""
        return f"{self.source}: {where}{self.message}"


@dataclass(frozen=True)
class FormWarning(FormProblem):
    """Something ODK runs, so the form is not refused, but that is often an authoring mistake
    (docs/forms.md, "Warnings"); the form runs it with ODK's meaning."""

    def __str__(self) -> str:
        where = f"question {self.question}: " if self.question else ""
        return f"{self.source}: warning: {where}{self.message}"


class FormError(ScreeningError):
    """A form that cannot be used; carries every problem found, not only the first, and the
    warnings found beside them."""

    exit_code = 1

    def __init__(
        self, problems: list[FormProblem], warnings: list[FormWarning] | None = None
    ) -> None:
        self.problems = list(problems)
        self.warnings = list(warnings or ())
        first = str(self.problems[0]) if self.problems else "the form is not valid"
        more = len(self.problems) - 1
        suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more > 0 else ""
        super().__init__(first + suffix)
