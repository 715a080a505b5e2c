"""The ILO/EC operational indicators vocabulary: elements of trafficking and indicator strengths.

Source: ILO & European Commission, "Operational indicators of trafficking in human beings"
(2009). Indicators are grouped into six elements; each indicator is strong, medium or weak.
"""

from __future__ import annotations

from enum import StrEnum


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
