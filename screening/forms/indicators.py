"""The ILO/EC operational indicators: elements, strengths, and the one indicator catalogue.

Source: ILO & European Commission, "Operational indicators of trafficking in human beings.
Results from a Delphi survey implemented by the ILO and the European Commission" (March 2009,
revised September 2009; ILO WCMS_105023). The publication grades every indicator strong,
medium or weak separately in four lists: adults and children, each for labour and for sexual
exploitation. `indicator_catalogue.json` holds those lists once for every form, so that the
same fact carries the same id and the same strength whichever form recorded it. Strengths
that could not be checked against the publication are listed as `unconfirmed` in the data
and in docs/scoring.md.
"""

from __future__ import annotations

import json
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator


class Element(StrEnum):
    DECEPTIVE_RECRUITMENT = "deceptive_recruitment"
    COERCIVE_RECRUITMENT = "coercive_recruitment"
    RECRUITMENT_ABUSE_OF_VULNERABILITY = "recruitment_abuse_of_vulnerability"
    EXPLOITATION = "exploitation"
    COERCION_AT_DESTINATION = "coercion_at_destination"
    ABUSE_OF_VULNERABILITY_AT_DESTINATION = "abuse_of_vulnerability_at_destination"


class Strength(StrEnum):
    STRONG = "strong"
    MEDIUM = "medium"
    WEAK = "weak"


class Act(StrEnum):
    """The acts of Palermo art. 3(a), done to the person by someone else. For a child they
    and exploitation are enough (art. 3(c)); forms ask them as plain facts."""

    RECRUITMENT = "recruitment"
    TRANSPORTATION = "transportation"
    TRANSFER = "transfer"
    HARBOURING = "harbouring"
    RECEIPT = "receipt"


RECRUITMENT_ELEMENTS = frozenset(
    {
        Element.DECEPTIVE_RECRUITMENT,
        Element.COERCIVE_RECRUITMENT,
        Element.RECRUITMENT_ABUSE_OF_VULNERABILITY,
    }
)
MEANS_AT_DESTINATION = frozenset(
    {Element.COERCION_AT_DESTINATION, Element.ABUSE_OF_VULNERABILITY_AT_DESTINATION}
)

IndicatorList = Literal["adult_labour", "adult_sexual", "child_labour", "child_sexual"]
INDICATOR_LISTS: tuple[IndicatorList, ...] = (
    "adult_labour",
    "adult_sexual",
    "child_labour",
    "child_sexual",
)
CATALOGUE_ID = "ilo-ec-2009"


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CatalogueIndicator(_Strict):
    element: Element
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    text: dict[str, str]
    # None: the publication's list for that population and exploitation leaves it out.
    strength: dict[IndicatorList, Strength | None]
    unconfirmed: list[IndicatorList] = Field(default_factory=list)

    @model_validator(mode="after")
    def _complete(self) -> CatalogueIndicator:
        missing = [name for name in INDICATOR_LISTS if name not in self.strength]
        if missing:
            raise ValueError(f"{self.element}/{self.id} has no strength for {missing}")
        if "en" not in self.text:
            raise ValueError(f"{self.element}/{self.id} has no English text")
        return self


class Catalogue(_Strict):
    source: dict[str, str]
    lists: list[IndicatorList]
    # Ids used by forms written before the catalogue, mapped to the catalogue's ids, so that
    # interviews recorded on those forms count with the rest in statistics.
    aliases: dict[str, str]
    indicators: list[CatalogueIndicator]

    # (element, id) → entry, built once when the catalogue is validated.
    _by_key: dict[tuple[Element, str], CatalogueIndicator] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _unique(self) -> Catalogue:
        for entry in self.indicators:
            key = (entry.element, entry.id)
            if key in self._by_key:
                raise ValueError(f"indicator {entry.element}/{entry.id} is listed twice")
            self._by_key[key] = entry
        ids = {entry.id for entry in self.indicators}
        unknown = sorted(target for target in self.aliases.values() if target not in ids)
        if unknown:
            raise ValueError(f"aliases point to unknown indicators: {unknown}")
        return self

    def find(self, element: Element | str, indicator: str) -> CatalogueIndicator | None:
        return self._by_key.get((Element(element), indicator))

    def strength(
        self, element: Element | str, indicator: str, indicator_list: IndicatorList
    ) -> Strength | None:
        entry = self.find(element, indicator)
        return None if entry is None else entry.strength[indicator_list]

    def canonical_id(self, indicator: str) -> str:
        """The catalogue id for an id a form used (itself when it is already one)."""
        return self.aliases.get(indicator, indicator)


@cache
def catalogue() -> Catalogue:
    """The indicator catalogue shipped with Screening Desk (validated on first use)."""
    text = (
        resources.files("screening.forms")
        .joinpath("indicator_catalogue.json")
        .read_text(encoding="utf-8")
    )
    return Catalogue.model_validate(json.loads(text))
