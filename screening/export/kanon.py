"""Choosing the generalisation: k-anonymity from counts alone.

The export's pass over the vault counts how many people share each combination of released
values at the most detailed level (`Counts`, packed integers: a few dozen bytes per
distinct combination). That counter is all this module sees; `lattice.Lattice` answers
its questions about nodes (how many rows at risk, is that acceptable), most of them
without counting, and always with the answer counting would give. The columns
are the quasi-identifiers and, for an export, the outcome and the detail (`detail.py`): the
export is k-anonymous on every released column.

The candidate generalisations form a lattice: one level per column of the ladders (with
the outcome and detail, 23,040 nodes). A node's rows "at risk" are those in a combination
shared by fewer than k rows (and, when an l-diversity is asked for, those in a group of
quasi-identifiers with fewer than l outcomes); a node is acceptable when no more rows are
at risk than may be suppressed (`max_suppressed_share` of the rows). Going up a ladder only
merges groups, so rows at risk never increase on the way up. Each step has a cost
(`Ladder.costs`: what it gives up), a node's loss is the sum of the costs of its steps.
Per-column floors rule out the low part of the lattice (`_floor`); the staged columns (the
outcome and the detail) are tried level by level, each with a best-first search over the
other columns capped by the best loss found so far (`_staged`); best-first visits nodes in
order of loss, so the first acceptable node it meets is an acceptable node with the least
loss. The search stops after a fixed amount of work (`MAX_WORK`: the combinations it would
look at if it counted every node it asks about, whether or not the lattice counts it, so
the limit stops it at the same question as when every node was counted);
if it had not found one by then (rare, on big, very diverse data), a greedy climb finishes
the job: from the floors, the step that removes the most rows at risk per unit of cost,
until acceptable; then any column that can go one level back down, does.

Rows still at risk are suppressed: every column becomes "*". If fewer than k rows end up
suppressed they would form a small group of their own, so they are left out of the export
instead ("dropped"). Every combination in the output then occurs at least k times.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from screening.export.hierarchy import LADDERS, SUPPRESSED, Fitted, Ladder
from screening.export.lattice import EXPORT_BITS, Combo, Counts, Lattice

__all__ = ["EXPORT_BITS", "MAX_WORK", "Combo", "Counts", "Lattice", "Plan", "StepTaken", "choose"]

MAX_WORK = 12_000_000


@dataclass(frozen=True)
class StepTaken:
    column: str
    from_level: str
    to_level: str

    def as_dict(self) -> dict[str, str]:
        return {"column": self.column, "from": self.from_level, "to": self.to_level}


@dataclass
class Plan:
    """The chosen generalisation and what it does to the rows counted in the first pass."""

    k: int
    ladders: tuple[Ladder, ...]
    fitted: list[Fitted]
    levels: list[int]
    classes: dict[Combo, int]  # generalised combination -> rows (before suppression)
    rows: int
    rows_suppressed: int
    rows_dropped: int
    max_suppressed: int
    search: str  # "best-first" or "greedy"
    evaluated: int  # nodes the search asked about (what its work limit counts)
    released_classes: frozenset[Combo] = frozenset()  # combos kept as they are
    l_diversity: int = 1  # enforced: distinct outcomes per quasi-identifier group
    counted: int = 0  # of them, and of the nodes climbed to, the ones actually counted
    suppressed_class: Combo = field(init=False)

    def __post_init__(self) -> None:
        self.suppressed_class = tuple(SUPPRESSED for _ in self.ladders)

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(ladder.column for ladder in self.ladders)

    @property
    def steps(self) -> list[StepTaken]:
        """The steps up each ladder, column by column."""
        taken = []
        for ladder, level in zip(self.ladders, self.levels, strict=True):
            for i in range(level):
                taken.append(StepTaken(ladder.column, ladder.levels[i], ladder.levels[i + 1]))
        return taken

    def generalise(self, base: Combo) -> Combo:
        return tuple(
            f.value(v, lvl) for f, v, lvl in zip(self.fitted, base, self.levels, strict=True)
        )

    def release(self, base: Combo) -> Combo | None:
        """The quasi-identifier values to write for a row, or None to leave the row out."""
        combo = self.generalise(base)
        if combo in self.released_classes:
            return combo
        return None if self.rows_dropped else self.suppressed_class

    def release_packed(self, counts: Counts) -> Callable[[int], Combo | None]:
        """`release` for the packed keys of `counts`, each column's values generalised once."""
        parts = [
            (counts.shifts[c], (1 << counts.bits[c]) - 1, [f.value(v, level) for v in values])
            for c, (f, level, values) in enumerate(
                zip(self.fitted, self.levels, counts.values, strict=True)
            )
        ]
        released = self.released_classes
        instead = None if self.rows_dropped else self.suppressed_class

        def release(key: int) -> Combo | None:
            combo = tuple(names[(key >> shift) & mask] for shift, mask, names in parts)
            return combo if combo in released else instead

        return release

    def released(self) -> Counter[Combo]:
        """How many rows the export holds per written combination."""
        out: Counter[Combo] = Counter(
            {c: n for c, n in self.classes.items() if c in self.released_classes}
        )
        if self.rows_suppressed:
            out[self.suppressed_class] += self.rows_suppressed
        return out

    @property
    def k_achieved(self) -> int | None:
        sizes = self.released().values()
        return min(sizes) if sizes else None

    def level_names(self) -> dict[str, str]:
        return {
            ladder.column: ladder.levels[level]
            for ladder, level in zip(self.ladders, self.levels, strict=True)
        }


def _fit(counts: Counts, k: int, ladders: tuple[Ladder, ...]) -> list[Fitted]:
    fitted = []
    for column, ladder in enumerate(ladders):
        marginal: Counter[str] = Counter()
        for key, n in counts.packed.items():
            marginal[counts.values[column][counts.part(key, column)]] += n
        fitted.append(ladder.fit(marginal, k))
    return fitted


def _floor(lattice: Lattice, ladders: tuple[Ladder, ...], k: int, budget: int) -> list[int]:
    """Per column, the lowest level any acceptable node can have.

    A node lies below the node that keeps its level in one column and suppresses every
    other; rows at risk never decrease on the way down, so if that node is not acceptable,
    neither is any node with the column at that level or lower. A few evaluations per
    column rule out most of the lattice (with the detail column, most of its nodes are
    hopeless: nobody shares their full list of indicators).
    """
    tops = [ladder.top for ladder in ladders]
    floor = []
    for column, ladder in enumerate(ladders):
        level = 0
        while level < ladder.top:
            node = list(tops)
            node[column] = level
            if lattice.acceptable(node, k, budget):
                break
            level += 1
        floor.append(level)
    return floor


def _best_first(
    lattice: Lattice,
    ladders: tuple[Ladder, ...],
    k: int,
    budget: int,
    start: list[int],
    free: set[int],
    cap: float = float("inf"),
) -> tuple[list[int], float] | None:
    """The cheapest acceptable node above `start` climbing only the `free` columns, with its
    loss (counted from `start`); None when none costs at most `cap` or the work ran out."""
    first = tuple(start)
    heap: list[tuple[float, tuple[int, ...]]] = [(0.0, first)]
    seen = {first}
    while heap:
        loss, levels = heapq.heappop(heap)
        if loss > cap or lattice.work >= MAX_WORK:
            return None
        if lattice.acceptable(levels, k, budget):
            return list(levels), loss
        for column in free:
            level, ladder = levels[column], ladders[column]
            if level < ladder.top:
                up = (*levels[:column], level + 1, *levels[column + 1 :])
                if up not in seen:
                    seen.add(up)
                    heapq.heappush(heap, (loss + ladder.costs[level], up))
    return None  # not even the top is acceptable


def _staged(
    lattice: Lattice,
    ladders: tuple[Ladder, ...],
    k: int,
    budget: int,
    floor: list[int],
    staged: tuple[int, ...],
) -> list[int] | None:
    """Best-first over the other columns for each level of the `staged` ones, cheapest
    staged levels first, each search capped by the best total loss found so far.

    The staged columns (the outcome and the detail) multiply the lattice; searched this way
    each inner search is the quasi-identifiers' lattice alone, and the cap stops it as soon
    as it cannot beat what is already found. The result is still a least-loss acceptable
    node.
    """
    free = set(range(len(ladders))) - set(staged)
    options: list[tuple[float, tuple[int, ...]]] = [(0.0, ())]
    for column in staged:
        ladder = ladders[column]
        grown = []
        for cost, chosen in options:
            extra = 0.0
            for level in range(floor[column], ladder.top + 1):
                grown.append((cost + extra, (*chosen, level)))
                if level < ladder.top:
                    extra += ladder.costs[level]
        options = grown
    options.sort()
    # A first answer from the staged columns' cheapest feasible, most general choice gives
    # every later search a cap; an option whose node with every other column suppressed is
    # not acceptable cannot be (rows at risk only fall on the way up) and is skipped.
    tops = [ladder.top for ladder in ladders]

    def feasible(chosen: tuple[int, ...]) -> bool:
        node = list(tops)
        for column, level in zip(staged, chosen, strict=True):
            node[column] = level
        return lattice.acceptable(node, k, budget)

    options = [(cost, chosen) for cost, chosen in options if feasible(chosen)]
    general = [o for o in options if o[1][-1] == ladders[staged[-1]].top]
    ordered = general[:1] + [o for o in options if o not in general[:1]]
    best: tuple[list[int], float] | None = None
    for cost, chosen in ordered:
        if best is not None and cost >= best[1]:
            continue
        # The floor of each other column with the staged ones fixed: the search starts
        # there, and an option whose floor alone costs too much is skipped unsearched.
        start = list(floor)
        for column, level in zip(staged, chosen, strict=True):
            start[column] = level
        for column in free:
            ladder = ladders[column]
            while start[column] < ladder.top:
                node = list(tops)
                for fixed, level in zip(staged, chosen, strict=True):
                    node[fixed] = level
                node[column] = start[column]
                if lattice.acceptable(node, k, budget):
                    break
                cost += ladder.costs[start[column]]
                start[column] += 1
        if best is not None and cost >= best[1]:
            continue
        cap = float("inf") if best is None else best[1] - cost
        found = _best_first(lattice, ladders, k, budget, start, free, cap)
        if found is not None and (best is None or cost + found[1] < best[1]):
            best = (found[0], cost + found[1])
        if lattice.work >= MAX_WORK:
            break
    return None if best is None else best[0]


def _greedy(
    lattice: Lattice, ladders: tuple[Ladder, ...], k: int, budget: int, floor: list[int]
) -> list[int]:
    levels = list(floor)
    risk = lattice.at_risk(levels, k)
    while risk > budget:
        best: tuple[float, float, int, int] | None = None
        for column, ladder in enumerate(ladders):
            if levels[column] >= ladder.top:
                continue
            trial = list(levels)
            trial[column] += 1
            after = lattice.at_risk(trial, k)
            cost = ladder.costs[levels[column]]
            gain = risk - after
            key = (gain / cost if gain > 0 else 0.0, -cost)
            if best is None or key > best[:2]:
                best = (key[0], key[1], column, after)
        if best is None:
            break
        levels[best[2]] += 1
        risk = best[3]
    improved = True
    while improved:  # walk back what a later step made unnecessary
        improved = False
        for column in sorted(range(len(ladders)), key=lambda c: -levels[c]):
            if levels[column] <= floor[column]:
                continue
            trial = list(levels)
            trial[column] -= 1
            if lattice.acceptable(trial, k, budget):
                levels, improved = trial, True
                break
    return levels


def choose(
    counts: Counts | Counter[Combo],
    k: int,
    *,
    max_suppressed_share: float = 0.05,
    ladders: tuple[Ladder, ...] = LADDERS,
    l_diversity: int = 1,
    qi_width: int | None = None,
    staged: tuple[int, ...] = (),
) -> Plan:
    """Pick the levels for the first pass's counts of most-detailed combinations.

    With `l_diversity` > 1, the column after the first `qi_width` (the quasi-identifiers)
    is the outcome, and a group on the quasi-identifiers with fewer than that many distinct
    outcomes is at risk, like a group of fewer than k rows.
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    if not isinstance(counts, Counts):
        counts = Counts.of(counts)
    rows = counts.rows
    budget = int(rows * max_suppressed_share)
    fitted = _fit(counts, k, ladders)
    diversity = None
    if l_diversity > 1:
        width = qi_width if qi_width is not None else len(ladders) - 1
        diversity = (tuple(range(width)), width, l_diversity)
    lattice = Lattice(counts, fitted, ladders, diversity)
    search = "best-first"
    floor = _floor(lattice, ladders, k, budget)
    if staged:
        levels = _staged(lattice, ladders, k, budget, floor, staged)
        if levels is not None and lattice.work >= MAX_WORK:
            search = "best-first, stopped at the work limit with the cheapest node found so far"
    else:
        found = _best_first(lattice, ladders, k, budget, floor, set(range(len(ladders))))
        levels = None if found is None else found[0]
    if levels is None:
        if lattice.work >= MAX_WORK:
            search = "greedy"
            levels = _greedy(lattice, ladders, k, budget, floor)
        else:
            levels = [ladder.top for ladder in ladders]
    classes, risky = lattice.named(levels, k)
    at_risk = sum(classes[combo] for combo in risky)
    star = tuple(SUPPRESSED for _ in ladders)
    natural_star = classes.get(star, 0) if star not in risky else 0
    star_total = at_risk + natural_star
    dropped = at_risk if at_risk and star_total < k else 0
    return Plan(
        k=k,
        ladders=ladders,
        fitted=fitted,
        levels=levels,
        classes=classes,
        rows=rows,
        rows_suppressed=at_risk - dropped,
        rows_dropped=dropped,
        max_suppressed=budget,
        search=search,
        evaluated=lattice.evaluated,
        counted=lattice.counted,
        released_classes=frozenset(classes.keys() - risky),
        l_diversity=l_diversity,
    )
