"""The generalisation search and the ladders: guarantees that hold for any counts."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from screening.export import geo, kanon
from screening.export.hierarchy import (
    AGE,
    LADDERS,
    MONTH,
    NATIONALITY,
    PLACE,
    SEX,
    SUPPRESSED,
    age_band,
)

FORMS = ("rapid-screening", "screening-adult", "screening-child")
MONTHS = tuple(f"{y}-{m:02d}" for y in (2025, 2026) for m in range(1, 13))
PLACES = ("Podgorica", "Danilovgrad", "Tuzi", "Bar", "Herceg Novi", "Rožaje", "unknown")
AGES = (*(age_band(a) for a in range(0, 75, 3)), "unknown", "declined")
SEXES = ("female", "male", "other", "declined", "unknown")
NATIONALITIES = (
    *(label for label, *_ in geo.COUNTRIES.values()),
    "Stateless",
    "Other nationality",
    "declined",
    "unknown",
)

combos = st.tuples(
    st.sampled_from(FORMS),
    st.sampled_from(MONTHS),
    st.sampled_from(PLACES),
    st.sampled_from(AGES),
    st.sampled_from(SEXES),
    st.sampled_from(NATIONALITIES),
)


def check_plan(base: Counter[tuple[str, ...]], k: int, plan: kanon.Plan) -> None:
    released = Counter()
    dropped = 0
    for combo, n in base.items():
        out = plan.release(combo)
        if out is None:
            dropped += n
        else:
            released[out] += n
    assert all(n >= k for n in released.values()), released
    assert dropped == plan.rows_dropped
    assert sum(released.values()) + dropped == sum(base.values())
    assert released == plan.released()
    assert plan.k_achieved == (min(released.values()) if released else None)
    suppressed = released.get(plan.suppressed_class, 0)
    assert plan.rows_suppressed <= suppressed
    assert plan.rows_suppressed <= max(plan.max_suppressed, 0) or plan.levels == [
        ladder.top for ladder in LADDERS
    ]


@settings(max_examples=60, deadline=None)
@given(st.lists(combos, min_size=0, max_size=300), st.integers(2, 12))
def test_every_released_group_has_at_least_k_rows(rows: list, k: int) -> None:
    base = Counter(rows)
    plan = kanon.choose(base, k) if base else None
    if plan is not None:
        check_plan(base, k, plan)


def test_fewer_rows_than_k_are_all_dropped() -> None:
    base = Counter({("screening-adult", "2025-01", "Bar", "20-24", "male", "Syria"): 3})
    plan = kanon.choose(base, 5)
    assert plan.rows_dropped == 3 and plan.released() == Counter()
    assert plan.k_achieved is None


def test_uniform_data_is_not_generalised() -> None:
    base = Counter({("screening-adult", "2025-01", "Bar", "20-24", "male", "Syria"): 40})
    plan = kanon.choose(base, 5)
    assert plan.levels == [0] * len(LADDERS)
    assert plan.steps == []
    assert plan.released() == base


def test_search_finds_the_cheapest_acceptable_node() -> None:
    rng = random.Random(3)
    base: Counter[tuple[str, ...]] = Counter()
    for _ in range(3000):
        base[
            (
                rng.choice(FORMS),
                rng.choice(MONTHS),
                rng.choice(PLACES[:6]),
                age_band(rng.randint(15, 60)),
                rng.choice(("female", "male")),
                rng.choices(NATIONALITIES[:8], weights=[20, 9, 6, 4, 2, 1, 1, 1])[0],
            )
        ] += 1
    plan = kanon.choose(base, 5)
    assert plan.search == "best-first"
    check_plan(base, 5, plan)

    def loss(levels: list[int]) -> float:
        return sum(sum(ladder.costs[:level]) for ladder, level in zip(LADDERS, levels, strict=True))

    # Every node with a smaller loss leaves too many rows at risk.
    counts = kanon.Counts.of(base)
    lattice = kanon.Lattice(counts, plan.fitted, LADDERS)
    cheaper = 0
    for levels in _nodes():
        if loss(levels) < loss(plan.levels):
            cheaper += 1
            assert lattice.at_risk(levels, 5) > plan.max_suppressed
    assert cheaper > 10


@pytest.mark.parametrize("seed", [3, 8])
def test_staged_search_finds_a_least_loss_node_too(seed: int) -> None:
    # The export searches the outcome and detail columns level by level (staged) with the
    # quasi-identifiers below each; on the QI ladders alone, staging two of them must give
    # a node exactly as cheap as the plain best-first search.
    rng = random.Random(seed)
    base: Counter[tuple[str, ...]] = Counter()
    for _ in range(2500):
        base[
            (
                rng.choice(FORMS),
                rng.choice(MONTHS[:12]),
                rng.choice(PLACES[:5]),
                age_band(rng.randint(15, 60)),
                rng.choice(("female", "male", "other")),
                rng.choices(NATIONALITIES[:8], weights=[20, 9, 6, 4, 2, 1, 1, 1])[0],
            )
        ] += 1

    def loss(levels: list[int]) -> float:
        return sum(sum(ladder.costs[:level]) for ladder, level in zip(LADDERS, levels, strict=True))

    plain = kanon.choose(base, 5)
    staged = kanon.choose(base, 5, staged=(4, 5))
    assert staged.search == plain.search == "best-first"
    assert loss(staged.levels) == loss(plain.levels)
    check_plan(base, 5, staged)


def _nodes() -> list[list[int]]:
    nodes: list[list[int]] = [[]]
    for ladder in LADDERS:
        nodes = [[*n, level] for n in nodes for level in range(ladder.top + 1)]
    return nodes


def test_greedy_fallback_is_k_anonymous_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kanon, "MAX_WORK", 0)
    rng = random.Random(5)
    base = Counter(
        (
            rng.choice(FORMS),
            rng.choice(MONTHS),
            rng.choice(PLACES),
            rng.choice(AGES),
            rng.choice(SEXES),
            rng.choice(NATIONALITIES),
        )
        for _ in range(2000)
    )
    plan = kanon.choose(base, 5)
    assert plan.search == "greedy"
    check_plan(base, 5, plan)


def test_ladders_only_merge_values() -> None:
    # Each step maps a value to one value of the next level: carrying counts up is sound.
    marginal = Counter({v: 3 for v in NATIONALITIES})
    marginal["Syria"] = 50
    fitted = NATIONALITY.fit(marginal, 5)
    assert fitted.value("Syria", 1) == "Syria"  # frequent: kept
    assert fitted.value("Eritrea", 1) == "Eastern Africa"  # rare: its region
    assert fitted.value("Syria", 2) == "Western Asia"
    assert fitted.value("Stateless", 2) == geo.OTHER_GROUP
    assert fitted.value("Syria", 4) == "Asia"
    assert fitted.value("Syria", 5) == SUPPRESSED
    months = MONTH.fit(Counter({"2025-02": 1}), 5)
    assert [months.value("2025-02", level) for level in range(4)] == [
        "2025-02",
        "2025-Q1",
        "2025",
        SUPPRESSED,
    ]
    ages = AGE.fit(Counter({"25-29": 1, "60+": 1, "declined": 1}), 5)
    assert [ages.value("25-29", level) for level in range(4)] == [
        "25-29",
        "20-29",
        "20-39",
        SUPPRESSED,
    ]
    assert ages.value("60+", 2) == "60+" and ages.value("declined", 2) == "not stated"
    places = PLACE.fit(Counter({"Bar": 10, "Tuzi": 1}), 5)
    assert places.value("Bar", 1) == "Bar" and places.value("Tuzi", 1) == "Central region"
    sexes = SEX.fit(Counter({"other": 1}), 5)
    assert sexes.value("other", 1) == "other or not stated"


@pytest.mark.parametrize(
    ("age", "band"),
    [(0, "0-4"), (17, "15-19"), (18, "15-19"), (59, "55-59"), (60, "60+"), (121, "unknown")],
)
def test_age_bands(age: int, band: str) -> None:
    assert age_band(age) == band
    assert age_band(True) == "unknown" and age_band("30") == "unknown"


def test_l_diversity_costs_nothing_when_already_met_and_holds_when_enforced() -> None:
    # A suppressed outcome shows nothing: the floors (every other column suppressed) must
    # not count it as "one outcome", or enforcing l would suppress every column.
    from screening.export import detail, export_report, first_pass

    rng = random.Random(4)
    values = {c: rng.choice(["yes", "no"]) for c in detail.DETAIL_COLUMNS}
    base: Counter[tuple[str, ...]] = Counter()
    for _ in range(2000):
        for c in detail.ELEMENT_COLUMNS[:3]:
            values[c] = rng.choice(["yes", "no"])
        base[
            (
                rng.choice(FORMS),
                rng.choice(MONTHS[:3]),
                rng.choice(PLACES[:2]),
                age_band(rng.randint(20, 39)),
                rng.choice(("female", "male")),
                rng.choice(NATIONALITIES[:2]),
                rng.choice(("likely_trafficked", "possible_trafficking", "no_indication")),
                detail.encode(values),
            )
        ] += 1
    counts = kanon.Counts(8, kanon.EXPORT_BITS)
    for combo, n in base.items():
        counts.add(combo, n)

    def plan(l_div: int) -> kanon.Plan:
        return kanon.choose(counts, 5, ladders=first_pass.ROW_LADDERS, l_diversity=l_div,
                            qi_width=6, staged=(6, 7))  # fmt: skip

    def loss(p: kanon.Plan) -> float:
        return sum(sum(la.costs[:lv]) for la, lv in zip(p.ladders, p.levels, strict=True))

    free, two, three = plan(1), plan(2), plan(3)
    assert export_report.l_diversity(free.released())["l_achieved"] >= 2
    assert loss(two) == loss(free) and two.levels[6] == 0  # the outcome is kept
    for enforced, wanted in ((two, 2), (three, 3)):
        assert export_report.l_diversity(enforced.released())["groups_with_one_outcome"] == 0
        assert export_report.l_diversity(enforced.released())["l_achieved"] >= wanted
        assert min(enforced.released().values()) >= 5


@pytest.mark.parametrize("l_div", [1, 2])
def test_rows_at_risk_match_a_plain_group_by(l_div: int) -> None:
    # The lattice counts groups through byte records (two bytes for a column of over 256
    # values, several words for a wide record): rows at risk must be what a group-by on the
    # generalised values gives, at every node tried, diversity included.
    from screening.export import detail, first_pass

    rng = random.Random(11 + l_div)
    details = [detail.encode({c: str(i) for c in detail.DETAIL_COLUMNS}) for i in range(300)]
    nationalities = [f"N{i}" for i in range(300)]  # unknown labels: their own group
    base: Counter[tuple[str, ...]] = Counter()
    for _ in range(3000):
        base[
            (
                rng.choice(FORMS),
                rng.choice(MONTHS),
                rng.choice(PLACES),
                rng.choice(AGES),
                rng.choice(SEXES),
                rng.choice(nationalities),
                rng.choice(("likely_trafficked", "no_indication", "")),
                rng.choice(details),
            )
        ] += rng.choice((1, 1, 3))
    counts = kanon.Counts(8, kanon.EXPORT_BITS)
    for combo, n in base.items():
        counts.add(combo, n)
    ladders = first_pass.ROW_LADDERS
    fitted = kanon._fit(counts, 4, ladders)
    diversity = (tuple(range(6)), 6, l_div) if l_div > 1 else None
    lattice = kanon.Lattice(counts, fitted, ladders, diversity)

    def plain(levels: list[int]) -> int:
        classes: Counter[tuple[str, ...]] = Counter()
        for combo, n in base.items():
            general = zip(fitted, combo, levels, strict=True)
            classes[tuple(f.value(v, lv) for f, v, lv in general)] += n
        risky = {c for c, n in classes.items() if n < 4}
        if diversity is not None and levels[6] < ladders[6].top:
            seen: dict[tuple[str, ...], set[str]] = {}
            for c in classes:
                if c not in risky:
                    seen.setdefault(c[:6], set()).add(c[6])
            risky |= {c for c in classes if len(seen.get(c[:6], ())) < l_div}
        return sum(classes[c] for c in risky)

    tried = [[0] * 8, [ladder.top for ladder in ladders]]
    tried += [[rng.randint(0, ladder.top) for ladder in ladders] for _ in range(25)]
    risks = []
    for levels in tried:
        risks.append(plain(levels))
        assert lattice.at_risk(levels, 4) == risks[-1], levels
    assert any(0 < risk < counts.rows for risk in risks)  # neither all nor none at risk


@pytest.mark.parametrize("rows", [3, 400])
def test_release_of_packed_keys_is_release_of_their_values(rows: int) -> None:
    # The export writes from packed keys: each key must come out as its values would
    # (generalised, suppressed, or left out when the suppressed rows are too few).
    rng = random.Random(rows)
    counts = kanon.Counts()
    for _ in range(rows):
        counts.add(
            (
                rng.choice(FORMS),
                rng.choice(MONTHS),
                rng.choice(PLACES),
                rng.choice(AGES),
                rng.choice(SEXES),
                rng.choice(NATIONALITIES),
            )
        )
    plan = kanon.choose(counts, 5)
    release = plan.release_packed(counts)
    outcomes = {release(key) for key in counts.packed}
    for key in counts.packed:
        assert release(key) == plan.release(counts.combo(key))
    assert (None in outcomes) == bool(plan.rows_dropped)
