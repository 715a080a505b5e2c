"""`Node`: one section, group, repeat or question of a compiled form, in form order.

It lives below both the compiler (which builds nodes) and the dependency graph (which reads
them), so neither has to import the other to name the type.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from screening.expressions import Expression
from screening.forms.model import Choice, Group, Question, Section

NON_ANSWERABLE = frozenset({"note", "calculate"})


@dataclass(eq=False)
class Node:
    """One section, group, repeat or question, in form order."""

    name: str
    kind: str  # "section", "group", "repeat" or a question type
    index: int
    section: str
    parent: str | None
    repeat: str | None  # the repeat group whose instances hold this node
    source: Section | Group | Question
    relevant: Expression | None = None
    required: Expression | bool = False
    constraint: Expression | None = None
    calculation: Expression | None = None
    repeat_count: Expression | None = None
    choice_filter: Expression | None = None  # bare names rewritten, see choice_filter.py
    choices: tuple[Choice, ...] = ()
    choice_names: frozenset[str] = frozenset()
    children: list[str] = field(default_factory=list)
    # A prefill's calculate_on (see model.Question): the question whose change writes it, or
    # written once at the start; neither: written whenever the computed value changes.
    trigger: str | None = None
    once: bool = False

    @property
    def is_question(self) -> bool:
        return self.kind not in ("section", "group", "repeat")

    @property
    def answerable(self) -> bool:
        return (
            self.is_question
            and self.kind not in NON_ANSWERABLE
            and not getattr(self.source, "read_only", False)
        )

    @property
    def prefilled(self) -> bool:
        """An answerable question with a calculation: as in ODK, the engine fills the answer in
        and fills it in again when the computed value changes; the screener may change it."""
        return self.answerable and (self.calculation is not None or self.trigger is not None)

    @property
    def question(self) -> Question:
        assert isinstance(self.source, Question)
        return self.source
