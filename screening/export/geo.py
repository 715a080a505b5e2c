"""Geography for generalisation: nationalities to UN M49 regions, places to municipalities.

Nationalities are the `countries` choice list of the shipped forms; each has an English
name, its ISO 3166-1 alpha-2 code where one exists in the HTCDS citizenship list, and its
UN M49 sub-region and region. Places are matched against the municipalities of Montenegro
(and a few settlements where reception centres and border posts are) and grouped into the
three statistical regions. A place that matches nothing is exported as "unknown": the
location text itself never leaves the vault.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

OTHER_GROUP = "Other or not stated"

# choice name: (English name, ISO 3166-1 alpha-2 or None, M49 sub-region, M49 region)
COUNTRIES: dict[str, tuple[str, str | None, str, str]] = {
    "afghanistan": ("Afghanistan", "AF", "Southern Asia", "Asia"),
    "albania": ("Albania", "AL", "Southern Europe", "Europe"),
    "algeria": ("Algeria", "DZ", "Northern Africa", "Africa"),
    "bangladesh": ("Bangladesh", "BD", "Southern Asia", "Asia"),
    "bosnia_herzegovina": ("Bosnia and Herzegovina", "BA", "Southern Europe", "Europe"),
    "burundi": ("Burundi", "BI", "Eastern Africa", "Africa"),
    "cameroon": ("Cameroon", "CM", "Middle Africa", "Africa"),
    "china": ("China", "CN", "Eastern Asia", "Asia"),
    "cote_divoire": ("Côte d'Ivoire", "CI", "Western Africa", "Africa"),
    "cuba": ("Cuba", "CU", "Caribbean", "Americas"),
    "dr_congo": ("DR Congo", "CD", "Middle Africa", "Africa"),
    "egypt": ("Egypt", "EG", "Northern Africa", "Africa"),
    "eritrea": ("Eritrea", "ER", "Eastern Africa", "Africa"),
    "ethiopia": ("Ethiopia", "ET", "Eastern Africa", "Africa"),
    "guinea": ("Guinea", "GN", "Western Africa", "Africa"),
    "india": ("India", "IN", "Southern Asia", "Asia"),
    "iran": ("Iran", "IR", "Southern Asia", "Asia"),
    "iraq": ("Iraq", "IQ", "Western Asia", "Asia"),
    # Not in ISO 3166-1 (nor in the HTCDS list); M49 counts it with Serbia.
    "kosovo": ("Kosovo", None, "Southern Europe", "Europe"),
    "libya": ("Libya", "LY", "Northern Africa", "Africa"),
    "montenegro": ("Montenegro", "ME", "Southern Europe", "Europe"),
    "morocco": ("Morocco", "MA", "Northern Africa", "Africa"),
    "nepal": ("Nepal", "NP", "Southern Asia", "Asia"),
    "nigeria": ("Nigeria", "NG", "Western Africa", "Africa"),
    "pakistan": ("Pakistan", "PK", "Southern Asia", "Asia"),
    "palestine": ("Palestine", "PS", "Western Asia", "Asia"),
    "serbia": ("Serbia", "RS", "Southern Europe", "Europe"),
    "somalia": ("Somalia", "SO", "Eastern Africa", "Africa"),
    "sudan": ("Sudan", "SD", "Northern Africa", "Africa"),
    "syria": ("Syria", "SY", "Western Asia", "Asia"),
    "tunisia": ("Tunisia", "TN", "Northern Africa", "Africa"),
    "turkiye": ("Türkiye", "TR", "Western Asia", "Asia"),
    "ukraine": ("Ukraine", "UA", "Eastern Europe", "Europe"),
    "yemen": ("Yemen", "YE", "Western Asia", "Asia"),
}
# Nationality values that are not a country: grouped together from the first region level.
NOT_A_COUNTRY = {"stateless": "Stateless", "other": "Other nationality"}

ISO_BY_NAME = {name: iso for name, (_, iso, _, _) in COUNTRIES.items() if iso}
ISO_BY_LABEL = {label: iso for (label, iso, _, _) in COUNTRIES.values() if iso}


def nationality_label(value: str) -> str:
    if value in COUNTRIES:
        return COUNTRIES[value][0]
    return NOT_A_COUNTRY.get(value, value)


SUBREGION_BY_LABEL = {label: sub for (label, _, sub, _) in COUNTRIES.values()}
REGION_BY_SUBREGION = {sub: region for (_, _, sub, region) in COUNTRIES.values()}


def subregion_of(label: str) -> str:
    """The M49 sub-region of a country's English name; the 'other' group for the rest."""
    return SUBREGION_BY_LABEL.get(label, OTHER_GROUP)


def region_of_subregion(subregion: str) -> str:
    return REGION_BY_SUBREGION.get(subregion, OTHER_GROUP)


SUBREGIONS = sorted({c[2] for c in COUNTRIES.values()})
REGIONS = sorted({c[3] for c in COUNTRIES.values()})

# ---------------------------------------------------------------------------- places

# Montenegro's municipalities by statistical region (Monstat: Northern, Central, Coastal).
MUNICIPALITIES: dict[str, str] = {
    "Bar": "Coastal region",
    "Budva": "Coastal region",
    "Herceg Novi": "Coastal region",
    "Kotor": "Coastal region",
    "Tivat": "Coastal region",
    "Ulcinj": "Coastal region",
    "Podgorica": "Central region",
    "Danilovgrad": "Central region",
    "Nikšić": "Central region",
    "Cetinje": "Central region",
    "Tuzi": "Central region",
    "Zeta": "Central region",
    "Andrijevica": "Northern region",
    "Berane": "Northern region",
    "Bijelo Polje": "Northern region",
    "Gusinje": "Northern region",
    "Kolašin": "Northern region",
    "Mojkovac": "Northern region",
    "Petnjica": "Northern region",
    "Plav": "Northern region",
    "Pljevlja": "Northern region",
    "Plužine": "Northern region",
    "Rožaje": "Northern region",
    "Šavnik": "Northern region",
    "Žabljak": "Northern region",
}
# Settlements and crossings that name a reception centre or post, with their municipality.
SETTLEMENTS: dict[str, str] = {
    "Spuž": "Danilovgrad",
    "Božaj": "Tuzi",
    "Golubovci": "Zeta",
    "Sutomore": "Bar",
    "Igalo": "Herceg Novi",
    "Debeli Brijeg": "Herceg Novi",
    "Sukobin": "Ulcinj",
    "Dobrakovo": "Bijelo Polje",
    "Kula": "Rožaje",
    "Vraćenovići": "Nikšić",
    "Šćepan Polje": "Plužine",
}
UNKNOWN_PLACE = "unknown"


def _fold(text: str) -> str:
    text = text.replace("đ", "dj").replace("Đ", "Dj")
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.findall(r"[a-z0-9]+", plain.casefold()))


def _patterns() -> list[tuple[re.Pattern[str], str]]:
    names = {name: name for name in MUNICIPALITIES} | dict(SETTLEMENTS)
    # Longest first, so "Bijelo Polje" wins over a shorter name inside it.
    ordered = sorted(names.items(), key=lambda item: -len(item[0]))
    return [(re.compile(rf"(?:^| ){re.escape(_fold(n))}(?: |$)"), m) for n, m in ordered]


_PATTERNS = _patterns()


@lru_cache(maxsize=4096)
def municipality_of(location: str | None) -> str:
    """The municipality a location text names, or 'unknown'; never the text itself."""
    if not location:
        return UNKNOWN_PLACE
    folded = _fold(location)
    for pattern, municipality in _PATTERNS:
        if pattern.search(folded):
            return municipality
    return UNKNOWN_PLACE


def place_region(municipality: str) -> str:
    return MUNICIPALITIES.get(municipality, UNKNOWN_PLACE)
