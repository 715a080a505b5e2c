"""The aggregate PDF report: counts by outcome, exploitation type, nationality region, month.

Only counts are kept (a handful of counters). Every count from 1 to k-1 is hidden (primary
suppression). Totals are shown, and the same total appears in several tables (the outcome
totals are the column totals of both cross tables), so a hidden count could be worked out
by subtraction, possibly through a chain across tables. An audit treats every number as a
variable and every row, column and total as a sum: it repeatedly fills in any sum that has
a single unknown, and when that uncovers a hidden count it hides one more number of that
sum (the smallest non-zero one; secondary suppression), until no hidden count can be
derived that way. Zero is shown as 0.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from screening.export import geo, pdfdoc
from screening.export.fields import OUTCOMES, Facts

HIDDEN = "·"
OUTCOME_LABELS = {
    "likely_trafficked": "Likely trafficked",
    "possible_trafficking": "Possible trafficking",
    "no_indication": "No indication",
    "incomplete": "Incomplete",
    "": "Not scored",
}
TYPE_LABELS = {
    "ForcedLabour": "Forced labour",
    "ChildLabour": "Child labour",
    "SexualExploitation": "Sexual exploitation",
    "ForcedBegging": "Forced begging",
    "ForcedMarriage": "Forced marriage",
    "Other": "Other (e.g. forced criminality)",
    "": "None indicated",
}


@dataclass
class Tally:
    """Counts only: memory does not grow with the number of interviews."""

    total: int = 0
    outcome: Counter[str] = field(default_factory=Counter)
    types: Counter[str] = field(default_factory=Counter)
    region: Counter[tuple[str, str]] = field(default_factory=Counter)
    month: Counter[tuple[str, str]] = field(default_factory=Counter)

    def add(self, nationality: str, month: str, f: Facts) -> None:
        outcome = f.outcome
        self.total += 1
        self.outcome[outcome] += 1
        for kind in f.exploitation_types or [""]:
            self.types[kind] += 1
        region = geo.subregion_of(nationality)
        self.region[(region, outcome)] += 1
        self.month[(month, outcome)] += 1


Key = Hashable


@dataclass
class Grid:
    """A table of numbers, each named by a key shared with the other tables."""

    title: str
    rows: list[str]
    cols: list[str]
    cells: list[list[Key]]
    row_totals: list[Key] | None  # None: rows have no total (an interview counts in several)
    col_totals: list[Key] | None
    grand: Key | None


class Suppressor:
    """Primary and secondary suppression over all tables at once (see the module docstring)."""

    def __init__(self, k: int) -> None:
        self.k = k
        self.values: dict[Key, int] = {}
        self.sums: list[tuple[Key, list[Key]]] = []
        self.hidden: set[Key] = set()
        self.primary = 0
        self.secondary = 0

    def number(self, key: Key, value: int) -> Key:
        self.values[key] = value
        return key

    def add_sum(self, total: Key, parts: list[Key]) -> None:
        self.sums.append((total, parts))

    def _derivable(self) -> tuple[Key, list[Key]] | None:
        """A hidden number some sum gives away, with that sum's members; None if none."""
        known = {key for key in self.values if key not in self.hidden}
        changed = True
        while changed:
            changed = False
            for total, parts in self.sums:
                members = [total, *parts]
                unknown = [m for m in members if m not in known]
                if len(unknown) == 1:
                    known.add(unknown[0])
                    changed = True
                    if unknown[0] in self.hidden:
                        return unknown[0], members
        return None

    def run(self) -> set[Key]:
        for key, value in self.values.items():
            if 0 < value < self.k:
                self.hidden.add(key)
                self.primary += 1
        while (found := self._derivable()) is not None:
            exposed, members = found
            candidates = [
                m for m in members if m != exposed and m not in self.hidden and self.values[m] > 0
            ]
            if not candidates:  # cannot happen: the exposed number is not 0
                raise AssertionError("suppression audit found no number to hide")
            self.hidden.add(min(candidates, key=lambda m: self.values[m]))
            self.secondary += 1
        return self.hidden

    def show(self, key: Key | None) -> str:
        if key is None:
            return ""
        return HIDDEN if key in self.hidden else str(self.values[key])


def grids(tally: Tally, k: int) -> tuple[list[Grid], Suppressor]:
    sup = Suppressor(k)
    outcomes = [*OUTCOMES, *([""] if tally.outcome.get("") else [])]
    labels = [OUTCOME_LABELS[o] for o in outcomes]
    grand = sup.number("grand", tally.total)
    outcome_keys = [sup.number(("outcome", o), tally.outcome.get(o, 0)) for o in outcomes]
    sup.add_sum(grand, outcome_keys)
    made = [
        Grid(
            "Interviews by screening outcome",
            labels,
            ["Interviews"],
            [[key] for key in outcome_keys],
            None,
            [grand],
            None,
        )
    ]
    types = sorted(tally.types, key=lambda t: (t == "", t))
    made.append(
        Grid(
            "Interviews by type of exploitation indicated (an interview may show several)",
            [TYPE_LABELS.get(t, t) for t in types],
            ["Interviews"],
            [[sup.number(("type", t), tally.types[t])] for t in types],
            None,
            None,
            None,
        )
    )
    regions = sorted({r for r, _ in tally.region}, key=lambda r: (r == geo.OTHER_GROUP, r))
    months = sorted({m for m, _ in tally.month})
    for name, title, keys, counts in (
        ("region", "Nationality (UN M49 sub-region) by outcome", regions, tally.region),
        ("month", "Month of interview by outcome", months, tally.month),
    ):
        cells = [[sup.number((name, r, o), counts.get((r, o), 0)) for o in outcomes] for r in keys]
        row_totals = [
            sup.number((name, r), sum(counts.get((r, o), 0) for o in outcomes)) for r in keys
        ]
        for row, total in zip(cells, row_totals, strict=True):
            sup.add_sum(total, row)
        for c, total in enumerate(outcome_keys):
            sup.add_sum(total, [row[c] for row in cells])
        sup.add_sum(grand, row_totals)
        made.append(Grid(title, keys, labels, cells, row_totals, outcome_keys, grand))
    sup.run()
    return made, sup


def _table(pdf: Any, grid: Grid, sup: Suppressor) -> None:
    pdf.set_font(pdfdoc.FONT_FAMILY, "B", 11)
    pdf.multi_cell(0, 6, grid.title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    pdf.set_font(pdfdoc.FONT_FAMILY, size=8.5)
    header = ["", *grid.cols] + (["Total"] if grid.row_totals else [])
    first = 52.0
    rest = (pdf.epw - first) / max(len(header) - 1, 1)
    with pdf.table(
        col_widths=(first, *([rest] * (len(header) - 1))),
        text_align=("LEFT", *(["RIGHT"] * (len(header) - 1))),
        line_height=5.2,
        first_row_as_headings=True,
    ) as table:
        table.row(header)
        for r, label in enumerate(grid.rows):
            values = [sup.show(key) for key in grid.cells[r]]
            extra = [sup.show(grid.row_totals[r])] if grid.row_totals else []
            table.row([label, *values, *extra])
        if grid.col_totals:
            extra = [sup.show(grid.grand)] if grid.row_totals else []
            table.row(["Total", *(sup.show(key) for key in grid.col_totals), *extra])
    pdf.ln(4)


def write(
    path: Path,
    tally: Tally,
    k: int,
    *,
    filters: dict[str, str | None],
    created_at: datetime | None = None,
) -> Suppressor:
    made, sup = grids(tally, k)
    pdf = pdfdoc.new_document("Screening statistics")
    pdf.set_font(pdfdoc.FONT_FAMILY, "B", 15)
    pdf.cell(0, 9, "Screening statistics", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(pdfdoc.FONT_FAMILY, size=9)
    when = (created_at or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    period = f"{filters.get('from') or 'first interview'} to {filters.get('to') or 'today'}"
    form = filters.get("form") or "all forms"
    lines = [
        f"Completed screening interviews with consent, {period}, {form}. Made {when}.",
        f"Counts from 1 to {k - 1} are hidden ({HIDDEN}), and so is one more count wherever a "
        "hidden one could be worked out from the totals.",
        "A screening outcome is a recommendation for further assessment, not the "
        "identification of a victim of trafficking.",
    ]
    for line in lines:
        pdf.multi_cell(0, 4.6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    for grid in made:
        _table(pdf, grid, sup)
    pdfdoc.save(pdf, path)
    return sup
