"""The fast search (`screening/export/lattice.py`) against the old one, kept as an oracle.

The lattice now answers most questions from what it already knows (rows at risk only fall
on the way up) and counts the rest in C. That must change nothing but the time: on many
random data sets, with every option the export uses, including the work limit cutting the
search short and the greedy fallback, the plan must be exactly the old plan.
"""

from __future__ import annotations

import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from screening.export import detail, first_pass, kanon
from screening.export.hierarchy import LADDERS, age_band
from tests.screening.export import kanon_reference as reference
from tests.screening.export.test_kanon import AGES, FORMS, MONTHS, NATIONALITIES, PLACES, SEXES

OUTCOMES = ("likely_trafficked", "possible_trafficking", "no_indication", "incomplete", "")


def _details(rng: random.Random, how_many: int) -> list[str]:
    values = []
    for _ in range(how_many):
        row = {c: rng.choice(["yes", "no"]) for c in detail.ELEMENT_COLUMNS}
        row |= {
            "scored_outcome": rng.choice(OUTCOMES[:3]),
            "overridden": rng.choice(["yes", "no"]),
            "referral_recommended": rng.choice(["yes", "no", ""]),
            "indicators": ";".join(sorted(rng.sample(["i1", "i2", "i3", "i4", "i5"], 2))),
            "exploitation_types": rng.choice(["", "ForcedLabour", "SexualExploitation"]),
            "methods_of_control": rng.choice(["", "DebtBondage"]),
            "labour_industries": "",
            "sex_exploitation_types": "",
            "recruiter_relationship": rng.choice(["", "Familial"]),
            "recruitment_method": "",
            "needs": rng.choice(["", "safety", "medical;shelter"]),
            "needs_urgent": rng.choice(["yes", "no"]),
            "referred_services": "",
        }
        values.append(detail.encode(row))
    return values


def _rows(seed: int) -> Counter[tuple[str, ...]]:
    """Data of random size and spread: some sets generalise little, some need the top."""
    rng = random.Random(seed)
    rows = rng.choice((0, 3, 40, 300, 900, 1600))
    spread = rng.random()

    def pick(pool: tuple[str, ...]) -> str:
        wide = max(1, int(len(pool) * spread))
        return rng.choice(pool[:wide])

    details = _details(rng, rng.choice((1, 5, 40, 400)))
    base: Counter[tuple[str, ...]] = Counter()
    for _ in range(rows):
        base[
            (
                pick(FORMS),
                pick(MONTHS),
                pick(PLACES),
                age_band(rng.randint(0, 70)) if rng.random() < 0.9 else pick(AGES),
                pick(SEXES),
                pick(NATIONALITIES),
                pick(OUTCOMES),
                rng.choice(details),
            )
        ] += 1
    return base


def _same(new: kanon.Plan, old: reference.Plan) -> None:
    assert new.levels == old.levels
    assert new.search == old.search
    assert new.evaluated == old.evaluated
    assert (new.rows, new.rows_suppressed, new.rows_dropped, new.max_suppressed) == (
        old.rows,
        old.rows_suppressed,
        old.rows_dropped,
        old.max_suppressed,
    )
    assert new.classes == old.classes
    assert new.released_classes == old.released_classes
    assert new.released() == old.released()


def _both(
    base: Counter[tuple[str, ...]], monkeypatch: pytest.MonkeyPatch, work: int, **options: object
) -> tuple[kanon.Plan, reference.Plan]:
    monkeypatch.setattr(kanon, "MAX_WORK", work)
    monkeypatch.setattr(reference, "MAX_WORK", work)
    plans = []
    for module in (kanon, reference):
        # As the export passes them: packed counts of all eight columns, possibly none.
        counts = module.Counts(8, kanon.EXPORT_BITS) if options.get("staged") else None
        if counts is not None:
            for combo, n in base.items():
                counts.add(combo, n)
        plans.append(module.choose(counts or base, **options))  # type: ignore[arg-type]
    return plans[0], plans[1]


@pytest.mark.parametrize("seed", range(36))
def test_export_search_chooses_what_the_old_one_chose(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(1000 + seed)
    base = _rows(seed)
    options = {
        "k": rng.choice((2, 3, 5, 10)),
        "max_suppressed_share": rng.choice((0.0, 0.02, 0.05, 0.2)),
        "ladders": first_pass.ROW_LADDERS,
        "l_diversity": rng.choice((1, 1, 2, 3)),
        "qi_width": first_pass.QI_WIDTH,
        "staged": (first_pass.QI_WIDTH, first_pass.DETAIL_INDEX),
    }
    # Full searches, and searches the work limit cuts short (then often greedy).
    work = rng.choice((kanon.MAX_WORK, kanon.MAX_WORK, 40 * len(base), 4 * len(base), 0))
    new, old = _both(base, monkeypatch, work, **options)
    _same(new, old)


def test_the_oracle_sets_cover_every_way_the_search_ends(monkeypatch: pytest.MonkeyPatch) -> None:
    # The seeds above reach each of the search's endings (so the comparison means something).
    endings = set()
    for seed in range(36):
        rng = random.Random(1000 + seed)
        base = _rows(seed)
        options = {
            "k": rng.choice((2, 3, 5, 10)),
            "max_suppressed_share": rng.choice((0.0, 0.02, 0.05, 0.2)),
            "ladders": first_pass.ROW_LADDERS,
            "l_diversity": rng.choice((1, 1, 2, 3)),
            "qi_width": first_pass.QI_WIDTH,
            "staged": (first_pass.QI_WIDTH, first_pass.DETAIL_INDEX),
        }
        work = rng.choice((kanon.MAX_WORK, kanon.MAX_WORK, 40 * len(base), 4 * len(base), 0))
        plan = _both(base, monkeypatch, work, **options)[0]
        endings.add(plan.search.split(",")[0])
        endings.add("top" if plan.levels == [ladder.top for ladder in plan.ladders] else "below")
        if plan.counted < plan.evaluated:
            endings.add("answered without counting")
    assert endings >= {"best-first", "greedy", "top", "below", "answered without counting"}


qi_rows = st.lists(
    st.tuples(
        st.sampled_from(FORMS),
        st.sampled_from(MONTHS[:6]),
        st.sampled_from(PLACES),
        st.sampled_from(AGES[:8]),
        st.sampled_from(SEXES),
        st.sampled_from(NATIONALITIES[:12]),
    ),
    max_size=250,
)


@settings(max_examples=40, deadline=None)
@given(
    rows=qi_rows,
    k=st.integers(2, 8),
    share=st.sampled_from((0.0, 0.05, 0.3)),
    limit=st.sampled_from((0, 500)),
)
def test_quasi_identifier_search_chooses_what_the_old_one_chose(
    rows: list[tuple[str, ...]], k: int, share: float, limit: int
) -> None:
    base = Counter(rows)
    if not base:
        return
    work = limit * len(base) if limit else kanon.MAX_WORK
    with pytest.MonkeyPatch.context() as monkeypatch:
        new, old = _both(base, monkeypatch, work, k=k, max_suppressed_share=share, ladders=LADDERS)
    _same(new, old)
