"""What an export may contain: an allow-list, filled from one interview at a time.

Nothing reaches an export unless it is named here. Free text (names, notes, "other, please
say"), contact details, document numbers, addresses, the interview id, the screener, the
location text, exact dates and every answer not listed below stay in the vault, whatever
form the interview came from. Values are checked too: a nationality or sex that is not one
of the known choices becomes "unknown" rather than being copied.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from screening.export import geo, htcds
from screening.export.hierarchy import DECLINED, UNKNOWN, age_band

# Answers read in the first pass (consent and the quasi-identifiers) and in the second.
CONSENT_QUESTIONS = ("consent", "guardian_consent")
QI_ANSWERS = ("age", "sex", "nationality")
PASS1_ANSWERS = (*CONSENT_QUESTIONS, *QI_ANSWERS)
PASS2_ANSWERS = (
    *PASS1_ANSWERS,
    "industry",
    "sexual_place",
    "sexual_images",
    "recruiter_relation",
    "needs",
    "needs_urgent",
)

OUTCOMES = ("likely_trafficked", "possible_trafficking", "no_indication", "incomplete")
ELEMENTS = (
    "deceptive_recruitment",
    "coercive_recruitment",
    "recruitment_abuse_of_vulnerability",
    "exploitation",
    "coercion_at_destination",
    "abuse_of_vulnerability_at_destination",
)
NEEDS = (
    "safety",
    "medical",
    "psychosocial",
    "shelter",
    "legal",
    "avrr",
    "family_contact",
    "family_tracing",
    "guardian",
    "child_protection",
    "education",
    "material",
    "work_training",
)
SEXES = ("female", "male", "other")
PROVIDER_KINDS = ("shelter", "medical", "psychosocial", "legal_aid", "avrr", "child_protection")
_IDENT = re.compile(r"[a-z][a-z0-9_]{0,63}")

Answers = dict[str, tuple[object, str | None]]


@dataclass(slots=True)
class SourceInterview:
    """One interview as read from the vault (decrypted, never written anywhere as it is)."""

    rowid: int
    id: str
    form_id: str
    form_version: str
    created_at: str
    location: str | None
    outcome: dict[str, Any] | None = None
    override: str | None = None
    answers: Answers = field(default_factory=dict)
    referred: list[str] = field(default_factory=list)


def consented(answers: Answers) -> bool:
    """The person said yes, and so did a guardian who was asked (docs/scoring.md)."""
    value, special = answers.get("consent", (None, None))
    if special is not None or value != "yes":
        return False
    guardian, special = answers.get("guardian_consent", (None, None))
    return special is None and guardian in (None, "yes")


def _special_or_unknown(answers: Answers, name: str) -> str | None:
    if name not in answers:
        return UNKNOWN
    value, special = answers[name]
    if special == "declined":
        return DECLINED
    if special is not None or value is None:
        return UNKNOWN
    return None


def base_qi(src: SourceInterview) -> tuple[str, str, str, str, str, str]:
    """The most detailed quasi-identifier values an export may hold, in `QI_COLUMNS` order."""
    answers = src.answers
    age = _special_or_unknown(answers, "age") or age_band(answers["age"][0])
    sex = _special_or_unknown(answers, "sex")
    if sex is None:
        value = answers["sex"][0]
        sex = value if value in SEXES else UNKNOWN
    nationality = _special_or_unknown(answers, "nationality")
    if nationality is None:
        value = answers["nationality"][0]
        if isinstance(value, str) and (value in geo.COUNTRIES or value in geo.NOT_A_COUNTRY):
            nationality = geo.nationality_label(value)
        else:
            nationality = UNKNOWN
    month = src.created_at[:7] if len(src.created_at) >= 7 else UNKNOWN
    return (
        src.form_id,
        month,
        geo.municipality_of(src.location),
        age,
        sex,
        nationality,
    )


def _choices(answers: Answers, name: str) -> list[str]:
    value, special = answers.get(name, (None, None))
    if special is not None or value is None:
        return []
    items = value if isinstance(value, list) else [value]
    return [item for item in items if isinstance(item, str)]


def _yes_no(value: object) -> str:
    if value is True or value == "yes":
        return "yes"
    if value is False or value == "no":
        return "no"
    return ""


@dataclass(slots=True)
class Facts:
    """The non-identifying facts of one interview, as codes (shared by every format)."""

    outcome: str
    scored_outcome: str
    overridden: bool
    referral_recommended: bool | None
    elements: dict[str, bool]
    indicators: list[str]
    exploitation_types: list[str]
    methods_of_control: list[str]
    labour_industries: list[str]
    sex_exploitation_types: list[str]
    recruiter_relationship: str
    recruitment_method: list[str]
    needs: list[str]
    needs_urgent: str
    referred_services: list[str]


def facts(src: SourceInterview) -> Facts:
    outcome = src.outcome or {}
    scored = outcome.get("result") if outcome.get("result") in OUTCOMES else ""
    final = src.override if src.override in OUTCOMES else scored
    population = outcome.get("population")
    elements: dict[str, bool] = {}
    indicators: set[str] = set()
    hits: list[tuple[str, str, str, str]] = []
    raw_elements = outcome.get("elements") or {}
    for element in ELEMENTS:
        data = raw_elements.get(element) or {}
        elements[element] = bool(data.get("present"))
        for hit in data.get("indicators") or []:
            indicator = str(hit.get("indicator", ""))
            if not _IDENT.fullmatch(indicator):
                continue
            indicators.add(indicator)
            question = str(hit.get("question", "")).split("[", 1)[0]
            hits.append((element, question, indicator, str(hit.get("choice") or "")))

    answers = src.answers
    industries = _choices(answers, "industry")
    types: set[str] = set()
    labour = False
    for element, question, indicator, choice in hits:
        if indicator in htcds.SEXUAL_INDICATORS:
            types.add("SexualExploitation")
        if indicator in htcds.CRIMINAL_INDICATORS:
            types.add("Other")
        if indicator == "abduction_forced_marriage_or_selling" and choice == "marriage":
            types.add("ForcedMarriage")
        if element == "exploitation" and question not in htcds.SEXUAL_QUESTIONS:
            labour = True
    if labour:
        types.add("ChildLabour" if population == "child" else "ForcedLabour")
        if "begging" in industries:
            types.add("ForcedBegging")

    sex_types: set[str] = set()
    if "SexualExploitation" in types:
        for place in _choices(answers, "sexual_place"):
            if place in htcds.SEX_EXPLOITATION_PLACE:
                sex_types.add(htcds.SEX_EXPLOITATION_PLACE[place])
        if _choices(answers, "sexual_images") == ["yes"]:
            sex_types.add("Pornography")

    relation = _choices(answers, "recruiter_relation")
    relation_code = htcds.RELATIONSHIP.get(relation[0], "") if relation else ""
    method = htcds.RECRUITMENT_BY_RELATION.get(relation[0], "Other") if relation else None
    urgent = _choices(answers, "needs_urgent")
    referral = outcome.get("referral_recommended")
    return Facts(
        outcome=final or "",
        scored_outcome=scored or "",
        overridden=bool(src.override) and src.override != scored,
        referral_recommended=referral if isinstance(referral, bool) else None,
        elements=elements,
        indicators=sorted(indicators),
        exploitation_types=sorted(types),
        methods_of_control=sorted(
            {htcds.METHODS_OF_CONTROL[i] for i in indicators if i in htcds.METHODS_OF_CONTROL}
        ),
        labour_industries=sorted(
            {htcds.LABOUR_INDUSTRY[i] for i in industries if i in htcds.LABOUR_INDUSTRY}
        )
        if labour
        else [],
        sex_exploitation_types=sorted(sex_types),
        recruiter_relationship=relation_code,
        recruitment_method=[method] if method else [],
        needs=[n for n in NEEDS if n in set(_choices(answers, "needs"))],
        needs_urgent=_yes_no(urgent[0]) if urgent else "",
        referred_services=sorted({k for k in src.referred if k in PROVIDER_KINDS}),
    )


# ------------------------------------------------------------------ tabular columns

TABLE_COLUMNS = (
    "case_code",
    "form",
    "interview_month",
    "place",
    "age_band",
    "sex",
    "nationality",
    "outcome",
    "scored_outcome",
    "overridden",
    "referral_recommended",
    *(f"element_{e}" for e in ELEMENTS),
    "indicators",
    "exploitation_types",
    "methods_of_control",
    "labour_industries",
    "sex_exploitation_types",
    "recruiter_relationship",
    "recruitment_method",
    "needs",
    "needs_urgent",
    "referred_services",
)


def table_row(code: str, qi: tuple[str, ...], f: Facts) -> list[str]:
    join = ";".join
    return [
        code,
        *qi,
        f.outcome,
        f.scored_outcome,
        "yes" if f.overridden else "no",
        _yes_no(f.referral_recommended),
        *("yes" if f.elements[e] else "no" for e in ELEMENTS),
        join(f.indicators),
        join(f.exploitation_types),
        join(f.methods_of_control),
        join(f.labour_industries),
        join(f.sex_exploitation_types),
        f.recruiter_relationship,
        join(f.recruitment_method),
        join(f.needs),
        f.needs_urgent,
        join(f.referred_services),
    ]


# ------------------------------------------------------------------------ HTCDS JSON

HTCDS_QI_FIELDS = (
    "sd_Form",
    "sd_InterviewMonth",
    "sd_Place",
    "sd_AgeBand",
    "prs_Gender",
    "sd_Nationality",
)


def _gender(sex: str) -> str | None:
    if sex == "*":
        return None
    return htcds.GENDER.get(sex, "NonSpecifiedUnknown")


def htcds_record(code: str, qi: tuple[str, ...], f: Facts) -> dict[str, Any]:
    form, month, place, age, sex, nationality = qi
    iso = geo.ISO_BY_LABEL.get(nationality)
    urgent = {"yes": True, "no": False}.get(f.needs_urgent)
    return {
        "sd_CaseCode": code,
        "sd_Form": form,
        "sd_InterviewMonth": month,
        "sd_Place": place,
        "sd_AgeBand": age,
        "prs_Gender": _gender(sex),
        "sd_Nationality": nationality,
        "prs_Citizenship": [iso] if iso else [],
        "con_Consent": True,
        "vic_TraffickingStatus": htcds.TRAFFICKING_STATUS.get(f.outcome),
        "sd_ScreeningOutcome": f.outcome or None,
        "sd_ScoredOutcome": f.scored_outcome or None,
        "sd_Overridden": f.overridden,
        "sd_ReferralRecommended": f.referral_recommended,
        "sd_ElementsPresent": [e for e in ELEMENTS if f.elements[e]],
        "sd_Indicators": f.indicators,
        "vic_MethodsOfControl": f.methods_of_control,
        "vic_TypeOfExploitation": f.exploitation_types,
        "vic_ForcedLabourIndustry": f.labour_industries,
        "vic_TypeOfSexExploitation": f.sex_exploitation_types,
        "vic_RelationshipToTrafficker": f.recruiter_relationship or None,
        "vic_MethodOfRecruitment": f.recruitment_method,
        "sd_Needs": f.needs,
        "sd_NeedsUrgent": urgent,
        "sd_ReferredServices": f.referred_services,
    }
