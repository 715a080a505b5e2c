"""Counting the rows at risk at a node of the generalisation lattice, fast.

`Counts` is what the export's first pass keeps: how many people share each combination of
released values at the most detailed level, packed as integers. `Lattice` answers the
search's one question about a node (one level per column): how many rows are at risk
there (in a group of fewer than k rows, or, with l-diversity, in a group on the
quasi-identifiers showing fewer than l outcomes), and is that within the budget.

Where the time goes is counting groups, so it happens in C: every column's generalised
value at a level is computed once for every row (one byte per row and value byte, with
`bytes.translate`), a node's rows are laid out as fixed-width records by slice assignment
into one buffer, and `collections.Counter` counts the records through an integer view of
that buffer. No Python code runs per row when a node is counted.

Most questions need no counting at all. Rows at risk never increase on the way up the
lattice (a step only merges groups: the module docstring of `kanon`), so a node below one
known to leave too many rows at risk does too, and a node above an acceptable one is
acceptable. After counting a node that is not acceptable the lattice climbs from it, one
column at a time, to a node as general as possible that is still not acceptable: the
search asks about nodes in order of loss, and the nodes it asks about next mostly lie
below that one. The answers are exactly those of counting every node asked about; only
fewer nodes are counted. The search's work limit (`kanon.MAX_WORK`) still counts every
question as if it were counted, so the search visits and chooses exactly what it did
when every node was counted.
"""

from __future__ import annotations

import sys
from collections import Counter
from operator import le

from screening.export.hierarchy import LADDERS, Fitted, Ladder

Combo = tuple[str, ...]
Levels = tuple[int, ...]
Key = int | tuple[int, ...]
BITS = 10  # per column in a packed key (six columns fit in 64 bits): 1,024 values each
# form, month, place, age, sex, nationality, outcome, detail: 64 bits in all. The detail
# column (every distinct combination of what an interview tells) gets the most room.
EXPORT_BITS = (6, 9, 7, 5, 3, 9, 3, 22)
_FORMATS = {1: "B", 2: "H", 4: "I", 8: "Q"}
_LITTLE = sys.byteorder == "little"


def default_bits(width: int) -> tuple[int, ...]:
    """Bits per column of a packed key: 10 each when they fit in 64, else the export's split."""
    if width * BITS <= 64:
        return (BITS,) * width
    if width == len(EXPORT_BITS):
        return EXPORT_BITS
    raise ValueError(f"no packing for {width} columns")


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

    def key(self, combo: Combo) -> int:
        """The packed key of a combination, its values numbered on first sight."""
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
        return key

    def add(self, combo: Combo, n: int = 1) -> int:
        key = self.key(combo)
        self.packed[key] = self.packed.get(key, 0) + n
        self.rows += n
        return key

    def part(self, key: int, column: int) -> int:
        return (key >> self.shifts[column]) & ((1 << self.bits[column]) - 1)

    def combo(self, key: int) -> Combo:
        return tuple(self.values[c][self.part(key, c)] for c in range(self.width))

    def items(self) -> list[tuple[Combo, int]]:
        return [(self.combo(key), n) for key, n in self.packed.items()]

    @classmethod
    def of(cls, counter: Counter[Combo]) -> Counts:
        width = len(next(iter(counter))) if counter else len(LADDERS)
        counts = cls(width)
        for combo, n in counter.items():
            counts.add(combo, n)
        return counts


class Lattice:
    """Rows at risk per node, over the packed counts (see the module docstring).

    `diversity` = (quasi-identifier columns, outcome column, l): rows whose group on the
    quasi-identifiers alone holds fewer than l distinct outcomes are at risk too.
    `work` and `evaluated` count every question asked (the search's work limit), `counted`
    the nodes actually counted.
    """

    def __init__(
        self,
        counts: Counts,
        fitted: list[Fitted],
        ladders: tuple[Ladder, ...],
        diversity: tuple[tuple[int, ...], int, int] | None = None,
    ) -> None:
        self.width = len(ladders)
        self.counts = counts
        self.fitted = fitted
        self.ladders = ladders
        self.tops = tuple(ladder.top for ladder in ladders)
        self.diversity = diversity
        self.size = len(counts.packed)  # distinct combinations: the unit of `work`
        self.work = 0
        self.evaluated = 0
        self.counted = 0
        # One entry per row: a combination counted n times is n rows, so that a node's
        # groups are counted by `Counter` alone, without weights.
        rows = [key for key, n in counts.packed.items() for _ in range(n)]
        self.rows = len(rows)
        self._base: list[bytes | list[int]] = []
        for column in range(self.width):
            shift, mask = counts.shifts[column], (1 << counts.bits[column]) - 1
            indices = [(key >> shift) & mask for key in rows]
            small = len(counts.values[column]) <= 256
            self._base.append(bytes(indices) if small else indices)
        self._lanes: dict[tuple[int, int], tuple[bytes, ...]] = {}
        self._names: dict[tuple[int, int], list[str]] = {}
        self._exact: dict[tuple[Levels, int], int] = {}
        # Per (k, budget): nodes known not acceptable (most general ones kept) and nodes
        # known acceptable (most detailed ones kept).
        self._bad: dict[tuple[int, int], list[Levels]] = {}
        self._good: dict[tuple[int, int], list[Levels]] = {}

    # ------------------------------------------------------------------ the questions

    def at_risk(self, levels: Levels | list[int], k: int) -> int:
        """Rows at risk at a node: in a group smaller than k, or not diverse enough."""
        self.work += self.size
        self.evaluated += 1
        return self._at_risk(tuple(levels), k)

    def acceptable(self, levels: Levels | list[int], k: int, budget: int) -> bool:
        """Whether a node leaves at most `budget` rows at risk."""
        self.work += self.size
        self.evaluated += 1
        node = tuple(levels)
        known = self._known(node, k, budget)
        if known is not None:
            return known
        ok = self._at_risk(node, k) <= budget
        self._learn(node, k, budget, ok)
        if not ok:
            self._climb(node, k, budget)
        return ok

    def named(self, levels: Levels | list[int], k: int) -> tuple[dict[Combo, int], set[Combo]]:
        """A node's groups by their values, and those at risk."""
        self.work += self.size
        self.evaluated += 1
        node = tuple(levels)
        counted = self._count(node)
        risky = self._risky(node, k, counted)
        names = [self._names_at(c, level) for c, level in enumerate(node)]
        starts, masks = self._layout(node)

        def name(key: Key) -> Combo:
            whole = _whole(key)
            return tuple(names[c][(whole >> starts[c]) & masks[c]] for c in range(self.width))

        return {name(key): n for key, n in counted.items()}, {name(key) for key in risky}

    # ------------------------------------------------------------ what is known already

    def _known(self, node: Levels, k: int, budget: int) -> bool | None:
        exact = self._exact.get((node, k))
        if exact is not None:
            return exact <= budget
        for bad in self._bad.get((k, budget), ()):
            if all(map(le, node, bad)):
                return False
        for good in self._good.get((k, budget), ()):
            if all(map(le, good, node)):
                return True
        return None

    def _learn(self, node: Levels, k: int, budget: int, ok: bool) -> None:
        if ok:
            good = self._good.setdefault((k, budget), [])
            good[:] = [g for g in good if not all(map(le, node, g))]
            good.append(node)
        else:
            bad = self._bad.setdefault((k, budget), [])
            bad[:] = [b for b in bad if not all(map(le, b, node))]
            bad.append(node)

    def _climb(self, node: Levels, k: int, budget: int) -> None:
        """From a node that is not acceptable, up each column while still not acceptable."""
        current = list(node)
        for column in range(self.width):
            while current[column] < self.tops[column]:
                trial = (*current[:column], current[column] + 1, *current[column + 1 :])
                known = self._known(trial, k, budget)
                if known is None:
                    known = self._at_risk(trial, k) <= budget
                    self._learn(trial, k, budget, known)
                if known:
                    break
                current[column] += 1

    # ----------------------------------------------------------------------- counting

    def _at_risk(self, node: Levels, k: int) -> int:
        exact = self._exact.get((node, k))
        if exact is not None:
            return exact
        counted = self._count(node)
        if self._diverse(node):
            at_risk = sum(counted[key] for key in self._risky(node, k, counted))
        else:
            sizes = Counter(counted.values())
            at_risk = sum(n * times for n, times in sizes.items() if n < k)
        self._exact[(node, k)] = at_risk
        return at_risk

    def _diverse(self, node: Levels) -> bool:
        # A suppressed outcome discloses nothing: diversity is about outcomes shown (and
        # so suppressing the outcome only lowers the rows at risk, as every step must).
        return self.diversity is not None and node[self.diversity[1]] < self.tops[self.diversity[1]]

    def _risky(self, node: Levels, k: int, counted: Counter[Key]) -> set[Key]:
        risky = {key for key, n in counted.items() if n < k}
        if not self._diverse(node):
            return risky
        assert self.diversity is not None
        qi_columns, outcome_column, wanted = self.diversity
        starts, masks = self._layout(node)
        qi_mask = 0
        for c in qi_columns:
            qi_mask |= masks[c] << starts[c]
        shift, mask = starts[outcome_column], masks[outcome_column]
        # Over the groups that survive k: suppressed rows no longer show their outcome.
        seen: dict[int, set[int]] = {}
        for key in counted:
            if key not in risky:
                whole = _whole(key)
                seen.setdefault(whole & qi_mask, set()).add((whole >> shift) & mask)
        risky.update(key for key in counted if len(seen.get(_whole(key) & qi_mask, ())) < wanted)
        return risky

    def _count(self, node: Levels) -> Counter[Key]:
        """Rows per group of a node, keyed by the group's record (see `_layout`)."""
        self.counted += 1
        lanes = [lane for c, level in enumerate(node) for lane in self._column(c, level)]
        if not self.rows:
            return Counter()
        if not lanes:
            return Counter({0: self.rows})
        width = len(lanes)
        size = 1 if width == 1 else 2 if width == 2 else 4 if width <= 4 else -(-width // 8) * 8
        unit = min(size, 8)
        records = bytearray(self.rows * size)
        for j, lane in enumerate(lanes):
            position = j if _LITTLE else j // unit * unit + unit - 1 - j % unit
            records[position::size] = lane
        view = memoryview(records).cast(_FORMATS[unit])
        if size <= 8:
            return Counter(view)
        words = size // 8
        return Counter(zip(*(view[i::words] for i in range(words)), strict=True))

    def _layout(self, node: Levels) -> tuple[list[int], list[int]]:
        """Per column, where its value sits in a record as an integer: shift and mask."""
        starts, masks, bit = [], [], 0
        for c, level in enumerate(node):
            lanes = len(self._column(c, level))
            starts.append(bit)
            masks.append((1 << 8 * lanes) - 1)
            bit += 8 * lanes
        return starts, masks

    def _column(self, column: int, level: int) -> tuple[bytes, ...]:
        """Per row, the number of its generalised value at a level, as bytes (low first);
        no bytes when the column has a single value there."""
        cached = self._lanes.get((column, level))
        if cached is not None:
            return cached
        fitted, names = self.fitted[column], self.counts.values[column]
        index: dict[str, int] = {}
        per_base = [index.setdefault(fitted.value(v, level), len(index)) for v in names]
        self._names[(column, level)] = list(index)
        base = self._base[column]
        lanes: tuple[bytes, ...]
        if len(index) <= 1:
            lanes = ()
        elif isinstance(base, bytes):
            lanes = (base.translate(bytes(per_base).ljust(256, b"\0")),)
        else:
            numbers = [per_base[i] for i in base]
            width = ((len(index) - 1).bit_length() + 7) // 8
            lanes = tuple(bytes([(n >> 8 * j) & 255 for n in numbers]) for j in range(width))
        self._lanes[(column, level)] = lanes
        return lanes

    def _names_at(self, column: int, level: int) -> list[str]:
        self._column(column, level)
        return self._names[(column, level)]


def _whole(key: Key) -> int:
    """A record as one integer: its first byte lowest."""
    if isinstance(key, int):
        return key
    whole = 0
    for i, word in enumerate(key):
        whole |= word << 64 * i
    return whole
