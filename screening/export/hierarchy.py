"""Generalisation hierarchies of the quasi-identifiers, one ladder per column.

Each ladder starts at the most detailed value an export may ever contain (age is already a
5-year band, a date already a month, a place already a municipality) and climbs one step at
a time to "*" (the column suppressed). A step maps every value of one level to exactly one
value of the next, so counts can be carried up a ladder without looking at rows again.
Two steps are adaptive: "country when frequent, else its region" keeps a nationality (or a
municipality) that at least k people share and generalises only the rare ones; which values
are rare is decided from the counts of the first pass.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from screening.export import geo

SUPPRESSED = "*"
UNKNOWN = "unknown"
DECLINED = "declined"
NOT_STATED = "not stated"

Step = Callable[[str, Counter[str], int], str]


@dataclass(frozen=True)
class Ladder:
    column: str
    levels: tuple[str, ...]  # a name for each level, e.g. "5-year bands"
    steps: tuple[Step, ...]  # steps[i] maps a level-i value to its level-(i+1) value
    costs: tuple[float, ...]  # how much detail each step gives up (the search prefers cheap steps)

    @property
    def top(self) -> int:
        return len(self.levels) - 1

    def fit(self, marginal: Counter[str], k: int) -> Fitted:
        """Fix the adaptive steps from the value counts of the first pass."""
        maps: list[dict[str, str]] = []
        counts = Counter(marginal)
        for step in self.steps:
            mapping = {value: step(value, counts, k) for value in counts}
            maps.append(mapping)
            lifted: Counter[str] = Counter()
            for value, n in counts.items():
                lifted[mapping[value]] += n
            counts = lifted
        return Fitted(self, maps, k)


class Fitted:
    """A ladder whose adaptive steps are fixed: value at any level for any base value."""

    def __init__(self, ladder: Ladder, maps: list[dict[str, str]], k: int) -> None:
        self.ladder = ladder
        self.maps = maps
        self.k = k

    def step_map(self, level: int) -> dict[str, str]:
        return self.maps[level]

    def value(self, base: str, level: int) -> str:
        # No cache: a few dict lookups per level are cheap, and a cache keyed by every
        # distinct detail value (screening/export/detail.py) would grow with the people.
        value = base
        for i in range(level):
            mapped = self.maps[i].get(value)
            if mapped is None:
                # A value the first pass did not see (the vault changed in between): it
                # counts as rare, the cautious choice; the written file is checked anyway.
                mapped = self.ladder.steps[i](value, Counter(), self.k)
            value = mapped
        return value


# ------------------------------------------------------------------------------- age


def age_band(age: object) -> str:
    """An age in years as its 5-year band ('25-29'); 60 and over as '60+'."""
    if isinstance(age, bool) or not isinstance(age, int) or not 0 <= age <= 120:
        return UNKNOWN
    if age >= 60:
        return "60+"
    low = age // 5 * 5
    return f"{low}-{low + 4}"


def _band_low(value: str) -> int | None:
    head = value.split("-", 1)[0].rstrip("+")
    return int(head) if head.isdigit() else None


def _age_10(value: str, counts: Counter[str], k: int) -> str:
    low = _band_low(value)
    if low is None or value == "60+":
        return value
    low = low // 10 * 10
    return f"{low}-{low + 9}"


def _age_20(value: str, counts: Counter[str], k: int) -> str:
    low = _band_low(value)
    if low is None:
        return NOT_STATED
    if value == "60+":
        return value
    low = low // 20 * 20
    return f"{low}-{low + 19}"


def _suppress(value: str, counts: Counter[str], k: int) -> str:
    return SUPPRESSED


AGE = Ladder(
    "age_band",
    ("5-year bands", "10-year bands", "20-year bands", "suppressed"),
    (_age_10, _age_20, _suppress),
    (1.0, 1.5, 4.0),
)

# ------------------------------------------------------------------------------- sex


def _sex_merge(value: str, counts: Counter[str], k: int) -> str:
    return value if value in ("female", "male") else "other or not stated"


SEX = Ladder("sex", ("as answered", "female, male, other or not stated", "suppressed"),
             (_sex_merge, _suppress), (2.0, 5.0))  # fmt: skip

# ----------------------------------------------------------------------- nationality


def _country_group(value: str) -> str:
    if value in geo.SUBREGION_BY_LABEL:
        return geo.SUBREGION_BY_LABEL[value]
    if value in geo.REGION_BY_SUBREGION or value in geo.REGIONS:
        return value
    return geo.OTHER_GROUP


def _rare_country_to_subregion(value: str, counts: Counter[str], k: int) -> str:
    return value if counts.get(value, 0) >= k else _country_group(value)


def _country_to_subregion(value: str, counts: Counter[str], k: int) -> str:
    return _country_group(value)


def _rare_subregion_to_region(value: str, counts: Counter[str], k: int) -> str:
    if counts.get(value, 0) >= k or value == geo.OTHER_GROUP:
        return value
    return geo.region_of_subregion(value)


def _subregion_to_region(value: str, counts: Counter[str], k: int) -> str:
    if value in geo.REGION_BY_SUBREGION:
        return geo.region_of_subregion(value)
    return value


NATIONALITY = Ladder(
    "nationality",
    (
        "country",
        "country, or UN M49 sub-region when rare",
        "UN M49 sub-region",
        "UN M49 sub-region, or region when rare",
        "UN M49 region",
        "suppressed",
    ),
    (
        _rare_country_to_subregion,
        _country_to_subregion,
        _rare_subregion_to_region,
        _subregion_to_region,
        _suppress,
    ),
    (0.5, 1.0, 1.0, 1.5, 5.0),
)

# ----------------------------------------------------------------------------- month


def _quarter(value: str, counts: Counter[str], k: int) -> str:
    if len(value) == 7 and value[4] == "-" and value[5:].isdigit():
        return f"{value[:4]}-Q{(int(value[5:]) - 1) // 3 + 1}"
    return value


def _year(value: str, counts: Counter[str], k: int) -> str:
    return value[:4] if value[:4].isdigit() else value


MONTH = Ladder(
    "interview_month",
    ("month", "quarter", "year", "suppressed"),
    (_quarter, _year, _suppress),
    (1.0, 1.5, 4.0),
)

# ----------------------------------------------------------------------------- place


def _rare_municipality_to_region(value: str, counts: Counter[str], k: int) -> str:
    if counts.get(value, 0) >= k or value not in geo.MUNICIPALITIES:
        return value
    return geo.place_region(value)


def _municipality_to_region(value: str, counts: Counter[str], k: int) -> str:
    return geo.place_region(value) if value in geo.MUNICIPALITIES else value


PLACE = Ladder(
    "place",
    ("municipality", "municipality, or region when rare", "region", "suppressed"),
    (_rare_municipality_to_region, _municipality_to_region, _suppress),
    (0.5, 1.0, 3.0),
)

# ------------------------------------------------------------------------------ form

FORM = Ladder("form", ("form", "suppressed"), (_suppress,), (4.0,))

# The quasi-identifiers, in the order of the export's columns.
LADDERS: tuple[Ladder, ...] = (FORM, MONTH, PLACE, AGE, SEX, NATIONALITY)
QI_COLUMNS = tuple(ladder.column for ladder in LADDERS)
