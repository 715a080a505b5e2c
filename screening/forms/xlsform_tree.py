"""The tree the survey sheet is read into: questions, and groups or repeats holding items.

Both the survey reader (xlsform_survey.py) and its row handlers (xlsform_rows.py) build and
walk it; it lives below both so neither imports the other for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class QuestionNode:
    row: int
    data: dict[str, Any]

    @property
    def name(self) -> str:
        return self.data["name"]


@dataclass
class GroupNode:
    row: int
    kind: str  # "group" or "repeat" as imported
    written: str  # "group" or "repeat" as on the begin row
    data: dict[str, Any]
    items: list[QuestionNode | GroupNode] = field(default_factory=list)
    loop_list: str | None = None  # the choice list of a 'begin loop over L'

    @property
    def name(self) -> str:
        return self.data["name"]

    def to_dict(self) -> dict[str, Any]:
        items = [i.to_dict() if isinstance(i, GroupNode) else i.data for i in self.items]
        return {"type": self.kind, **self.data, "items": items}
