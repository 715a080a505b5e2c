"""The generalisation search as it was before `screening/export/lattice.py` (commit 7c7595d,
`screening/export/kanon.py` then), kept unchanged as the reference oracle: the faster
search must choose exactly what this one chooses (tests/screening/export/test_kanon_oracle.py).
It counts every node it asks about, with a group-by over all combinations each time."""

from __future__ import annotations

import heapq
from array import array
from collections import Counter
from dataclasses import dataclass, field
from itertools import islice

from screening.export.hierarchy import LADDERS, SUPPRESSED, Fitted, Ladder

Combo = tuple[str, ...]
BITS = 10  # per column in a packed key (six columns fit in 64 bits): 1,024 values each
MAX_WORK = 12_000_000


def default_bits(width: int) -> tuple[int, ...]:
    """Bits per column of a packed key: 10 each when they fit in 64, else the export's split."""
    if width * BITS <= 64:
        return (BITS,) * width
    if width == len(EXPORT_BITS):
        return EXPORT_BITS
    raise ValueError(f"no packing for {width} columns")


# form, month, place, age, sex, nationality, outcome, detail: 64 bits in all. The detail
# column (every distinct combination of what an interview tells) gets the most room.
EXPORT_BITS = (6, 9, 7, 5, 3, 9, 3, 22)


class Counts:
    """Counts of released-value combinations, packed as integers (first pass)."""

    def __init__(self, width: int = len(LADDERS), bits: tuple[int, ...] | None = None) -> None:
        self.width = width
        self.bits = bits or default_bits(width)
        self.shifts = [sum(self.bits[:c]) for c in range(width)]
        self.values: list[list[str]] = [[] for _ in range(width)]
        self._index: list[dict[str, int]] = [{} for _ in range(width)]
        self.packed: dict[int, int] = {}
        self.rows = 0

    def add(self, combo: Combo, n: int = 1) -> None:
        key = 0
        for column, value in enumerate(combo):
            index = self._index[column].get(value)
            if index is None:
                index = len(self.values[column])
                if index >= 1 << self.bits[column]:
                    raise ValueError("too many distinct values in one column")
                self._index[column][value] = index
                self.values[column].append(value)
            key |= index << self.shifts[column]
        self.packed[key] = self.packed.get(key, 0) + n
        self.rows += n

    def part(self, key: int, column: int) -> int:
        return (key >> self.shifts[column]) & ((1 << self.bits[column]) - 1)

    def items(self) -> list[tuple[Combo, int]]:
        return [
            (tuple(self.values[c][self.part(key, c)] for c in range(self.width)), n)
            for key, n in self.packed.items()
        ]

    @classmethod
    def of(cls, counter: Counter[Combo]) -> Counts:
        width = len(next(iter(counter))) if counter else len(LADDERS)
        counts = cls(width)
        for combo, n in counter.items():
            counts.add(combo, n)
        return counts


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
    evaluated: int
    released_classes: frozenset[Combo] = frozenset()  # combos kept as they are
    l_diversity: int = 1  # enforced: distinct outcomes per quasi-identifier group
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


class _Lattice:
    """Evaluates lattice nodes over the packed counts with flat integer arrays.

    `diversity` = (quasi-identifier columns, outcome column, l): rows whose group on the
    quasi-identifiers alone holds fewer than l distinct outcomes are at risk too.
    """

    def __init__(
        self,
        counts: Counts,
        fitted: list[Fitted],
        ladders: tuple[Ladder, ...],
        diversity: tuple[int, int, int] | None = None,
    ):
        self.width = len(ladders)
        self.counts = counts
        # Combinations of one row first: those are counted by `Counter` in C, the rest with
        # their weights (most combinations are single rows once the detail is counted).
        keys = sorted(counts.packed, key=lambda key: counts.packed[key] > 1)
        self.ones = sum(1 for key in keys if counts.packed[key] == 1)
        self.weights = array("q", (counts.packed[key] for key in keys[self.ones :]))
        self.size = len(keys)
        self.base = [array("L", (counts.part(key, c) for key in keys)) for c in range(self.width)]
        self.values = counts.values
        self.fitted = fitted
        self.ladders = ladders
        self.diversity = diversity
        self._columns: dict[tuple[int, int], array[int]] = {}
        self._names: dict[tuple[int, int], list[str]] = {}
        self.work = 0
        self.evaluated = 0

    def _column(self, column: int, level: int) -> array[int]:
        """Per combination: the index of its generalised value, shifted into its slot."""
        cached = self._columns.get((column, level))
        if cached is not None:
            return cached
        fitted, names = self.fitted[column], self.values[column]
        index: dict[str, int] = {}
        per_base = [index.setdefault(fitted.value(v, level), len(index)) for v in names]
        self._names[(column, level)] = list(index)
        shift = self.counts.shifts[column]
        out = array("Q", (per_base[i] << shift for i in self.base[column]))
        self._columns[(column, level)] = out
        return out

    def classes(self, levels: tuple[int, ...] | list[int]) -> dict[int, int]:
        self.work += self.size
        self.evaluated += 1
        columns = [self._column(c, lvl) for c, lvl in enumerate(levels)]
        keyed = map(sum, zip(*columns, strict=True))
        out: Counter[int] = Counter(islice(keyed, self.ones))
        for key, n in zip(keyed, self.weights, strict=True):
            out[key] += n
        return out

    def risky(self, levels: tuple[int, ...] | list[int], k: int) -> tuple[dict[int, int], set[int]]:
        """A node's classes and the keys of those at risk (too small, or not diverse)."""
        classes = self.classes(levels)
        risky = {key for key, n in classes.items() if n < k}
        # A suppressed outcome discloses nothing: diversity is about outcomes shown (and
        # so suppressing the outcome only lowers the rows at risk, as every step must).
        if (
            self.diversity is not None
            and levels[self.diversity[1]] < self.ladders[self.diversity[1]].top
        ):
            qi_columns, outcome_column, wanted = self.diversity
            qi_mask = 0
            for c in qi_columns:
                qi_mask |= ((1 << self.counts.bits[c]) - 1) << self.counts.shifts[c]
            outcome_shift = self.counts.shifts[outcome_column]
            outcome_mask = (1 << self.counts.bits[outcome_column]) - 1
            # Over the classes that survive k: suppressed rows no longer show their outcome.
            seen: dict[int, set[int]] = {}
            for key in classes:
                if key not in risky:
                    group = seen.setdefault(key & qi_mask, set())
                    group.add((key >> outcome_shift) & outcome_mask)
            risky.update(key for key in classes if len(seen.get(key & qi_mask, ())) < wanted)
        return classes, risky

    def at_risk(self, levels: tuple[int, ...] | list[int], k: int) -> int:
        classes, risky = self.risky(levels, k)
        return sum(classes[key] for key in risky)

    def named(self, levels: list[int], k: int) -> tuple[dict[Combo, int], set[Combo]]:
        names = [self._names_at(c, lvl) for c, lvl in enumerate(levels)]
        classes, risky = self.risky(levels, k)

        def name(key: int) -> Combo:
            return tuple(names[c][self.counts.part(key, c)] for c in range(self.width))

        return {name(key): n for key, n in classes.items()}, {name(key) for key in risky}

    def _names_at(self, column: int, level: int) -> list[str]:
        self._column(column, level)
        return self._names[(column, level)]


def _fit(counts: Counts, k: int, ladders: tuple[Ladder, ...]) -> list[Fitted]:
    fitted = []
    for column, ladder in enumerate(ladders):
        marginal: Counter[str] = Counter()
        for key, n in counts.packed.items():
            marginal[counts.values[column][counts.part(key, column)]] += n
        fitted.append(ladder.fit(marginal, k))
    return fitted


def _floor(lattice: _Lattice, ladders: tuple[Ladder, ...], k: int, budget: int) -> list[int]:
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
            if lattice.at_risk(node, k) <= budget:
                break
            level += 1
        floor.append(level)
    return floor


def _best_first(
    lattice: _Lattice,
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
        if lattice.at_risk(levels, k) <= budget:
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
    lattice: _Lattice,
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
        return lattice.at_risk(node, k) <= budget

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
                if lattice.at_risk(node, k) <= budget:
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
    lattice: _Lattice, ladders: tuple[Ladder, ...], k: int, budget: int, floor: list[int]
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
            if lattice.at_risk(trial, k) <= budget:
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
    lattice = _Lattice(counts, fitted, ladders, diversity)
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
        released_classes=frozenset(classes.keys() - risky),
        l_diversity=l_diversity,
    )
