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

from screening.export import detail, geo, htcds
from screening.export.detail import ELEMENTS
from screening.export.hierarchy import DECLINED, QI_COLUMNS, SUPPRESSED, UNKNOWN, age_band
from screening.forms.indicators import catalogue

# Answers read in the first pass (consent and the quasi-identifiers) and in the second.
CONSENT_QUESTIONS = ("consent", "guardian_consent")
QI_ANSWERS = ("age", "sex", "nationality")
PASS1_ANSWERS = (*CONSENT_QUESTIONS, *QI_ANSWERS)
PASS2_ANSWERS = (
    *PASS1_ANSWERS,
    "industry",
    "work_conditions",
    "sexual_services",
    "sexual_for_others",
    "sexual_place",
    "sexual_images",
    "illegal_acts",
    "how_left",
    "recruiter_relation",
    "needs",
    "needs_urgent",
)

OUTCOMES = ("likely_trafficked", "possible_trafficking", "no_indication", "incomplete")
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
    person_id: str | None = None
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


def _answered(answers: Answers, pairs: set[tuple[str, object]]) -> bool:
    """Whether any (question, choice) pair was answered; choice True means "yes"."""
    for question, choice in pairs:
        if choice is True:
            value, special = answers.get(question, (None, None))
            if special is None and _yes_no(value) == "yes":
                return True
        elif choice in _choices(answers, question):
            return True
    return False


def _labour_hit(question: str, choice: str) -> bool:
    """Whether an exploitation-element hit shows labour (not sex, crime or living only)."""
    if question in htcds.SEXUAL_QUESTIONS:
        return False
    return not {(question, None), (question, choice)} & htcds.NOT_LABOUR_HITS


def facts(src: SourceInterview) -> Facts:
    outcome = src.outcome or {}
    scored = outcome.get("result") if outcome.get("result") in OUTCOMES else ""
    final = src.override if src.override in OUTCOMES else scored
    population = outcome.get("population")
    elements: dict[str, bool] = {}
    indicators: set[str] = set()
    labour_hit = False
    raw_elements = outcome.get("elements") or {}
    canonical = catalogue().canonical_id
    for element in ELEMENTS:
        data = raw_elements.get(element) or {}
        elements[element] = bool(data.get("present"))
        for hit in data.get("indicators") or []:
            indicator = str(hit.get("indicator", ""))
            if not _IDENT.fullmatch(indicator):
                continue
            # Catalogue ids: interviews from forms before the catalogue count with the rest.
            indicators.add(canonical(indicator))
            question = str(hit.get("question", "")).split("[", 1)[0]
            if element == "exploitation" and _labour_hit(question, str(hit.get("choice") or "")):
                labour_hit = True

    answers = src.answers
    # A type of exploitation only where the screening indicates trafficking (the outcome
    # that stands): the answers then say which kind (docs/export.md).
    types: set[str] = set()
    labour = False
    if final in htcds.INDICATED_OUTCOMES:
        if _answered(answers, htcds.SEXUAL_ANSWERS):
            types.add("SexualExploitation")
        if _answered(answers, htcds.BEGGING_ANSWERS):
            types.add("ForcedBegging")
        if _answered(answers, htcds.CRIMINAL_ANSWERS):
            types.add("Other")
        if _answered(answers, htcds.MARRIAGE_ANSWERS):
            types.add("ForcedMarriage")
        labour = elements["exploitation"] and labour_hit
        if labour:
            # Someone recruited as a child was scored under the child rule (docs/scoring.md).
            child = (outcome.get("applied_rule") or population) == "child"
            types.add("ChildLabour" if child else "ForcedLabour")

    sex_types: set[str] = set()
    if "SexualExploitation" in types:
        for place in _choices(answers, "sexual_place"):
            if place in htcds.SEX_EXPLOITATION_PLACE:
                sex_types.add(htcds.SEX_EXPLOITATION_PLACE[place])
        if _choices(answers, "sexual_images") == ["yes"]:
            sex_types.add("Pornography")

    industries: set[str] = set()
    if labour:
        for choice in _choices(answers, "industry"):
            industries.update(htcds.LABOUR_INDUSTRY.get(choice, ()))
    relation = _choices(answers, "recruiter_relation")
    relation_code = htcds.RELATIONSHIP.get(relation[0], "") if relation else ""
    methods = {
        htcds.RECRUITMENT_BY_RELATION[r] for r in relation if r in htcds.RECRUITMENT_BY_RELATION
    }
    methods.update(
        htcds.RECRUITMENT_BY_HOW_LEFT[h]
        for h in _choices(answers, "how_left")
        if h in htcds.RECRUITMENT_BY_HOW_LEFT
    )
    urgent = _choices(answers, "needs_urgent")
    needs = set(_choices(answers, "needs"))
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
        labour_industries=sorted(industries),
        sex_exploitation_types=sorted(sex_types),
        recruiter_relationship=relation_code,
        recruitment_method=sorted(methods),
        needs=[n for n in NEEDS if n in needs],
        needs_urgent=_yes_no(urgent[0]) if urgent else "",
        referred_services=sorted({k for k in src.referred if k in PROVIDER_KINDS}),
    )


# ------------------------------------------------------------------ released values


def detail_values(f: Facts) -> dict[str, str]:
    """The detail columns of one interview as the CSV writes them (see `detail`)."""
    join = ";".join
    values = {
        "scored_outcome": f.scored_outcome,
        "overridden": "yes" if f.overridden else "no",
        "referral_recommended": _yes_no(f.referral_recommended),
        "indicators": join(f.indicators),
        "exploitation_types": join(f.exploitation_types),
        "methods_of_control": join(f.methods_of_control),
        "labour_industries": join(f.labour_industries),
        "sex_exploitation_types": join(f.sex_exploitation_types),
        "recruiter_relationship": f.recruiter_relationship,
        "recruitment_method": join(f.recruitment_method),
        "needs": join(f.needs),
        "needs_urgent": f.needs_urgent,
        "referred_services": join(f.referred_services),
    }
    for element in ELEMENTS:
        values[f"element_{element}"] = "yes" if f.elements[element] else "no"
    return values


def base_row(src: SourceInterview) -> tuple[str, ...]:
    """Everything an export may release about one interview, most detailed, as one combo:
    the quasi-identifiers, the outcome and the detail value (what `kanon` anonymises)."""
    f = facts(src)
    return (*base_qi(src), f.outcome, detail.encode(detail_values(f)))


# ------------------------------------------------------------------ tabular columns


def table_columns(detail_level: int) -> tuple[str, ...]:
    return ("case_code", *QI_COLUMNS, "outcome", *detail.released_columns(detail_level))


def table_row(code: str, combo: tuple[str, ...], detail_level: int) -> list[str]:
    released = detail.decode(combo[7])
    return [
        code,
        *combo[:7],
        *(released.get(c, "") for c in detail.released_columns(detail_level)),
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
# Detail column -> (HTCDS field, JSON shape). The element columns become one list.
HTCDS_DETAIL: dict[str, tuple[str, str]] = {
    "scored_outcome": ("sd_ScoredOutcome", "text"),
    "overridden": ("sd_Overridden", "bool"),
    "referral_recommended": ("sd_ReferralRecommended", "bool"),
    "indicators": ("sd_Indicators", "list"),
    "exploitation_types": ("vic_TypeOfExploitation", "list"),
    "methods_of_control": ("vic_Methods_of_Control", "list"),
    "labour_industries": ("vic_ForcedLabourIndustry", "list"),
    "sex_exploitation_types": ("vic_TypeOfSexExploitation", "list"),
    "recruiter_relationship": ("vic_RelationshipToTrafficker", "text"),
    "recruitment_method": ("vic_MethodOfRecruitment", "list"),
    "needs": ("sd_Needs", "list"),
    "needs_urgent": ("sd_NeedsUrgent", "bool"),
    "referred_services": ("sd_ReferredServices", "list"),
}


def _gender(sex: str) -> str | None:
    if sex == SUPPRESSED:
        return None
    return htcds.GENDER.get(sex, "NonSpecifiedUnknown")


def _json_value(text: str, shape: str) -> object:
    if text == SUPPRESSED:
        return None
    if shape == "list":
        return text.split(";") if text else []
    if shape == "bool":
        return {"yes": True, "no": False}.get(text)
    return text or None


def htcds_fields(detail_level: int) -> list[str]:
    """The fields of every record at a detail level, in record order."""
    return list(htcds_record("", ("",) * 7 + (SUPPRESSED,), detail_level))


def htcds_record(code: str, combo: tuple[str, ...], detail_level: int) -> dict[str, Any]:
    form, month, place, age, sex, nationality, outcome = combo[:7]
    iso = geo.ISO_BY_LABEL.get(nationality)
    record: dict[str, Any] = {
        "sd_CaseCode": code,
        "sd_Form": None if form == SUPPRESSED else form,
        "sd_InterviewMonth": None if month == SUPPRESSED else month,
        "sd_Place": None if place == SUPPRESSED else place,
        "sd_AgeBand": None if age == SUPPRESSED else age,
        "prs_Gender": _gender(sex),
        "sd_Nationality": None if nationality == SUPPRESSED else nationality,
        "prs_Citizenship": iso,
        "con_Consent": "TRUE",  # the XLSForm's code; interviews without consent stay out
        "vic_TraffickingStatus": htcds.TRAFFICKING_STATUS.get(outcome),
        "sd_ScreeningOutcome": None if outcome == SUPPRESSED else outcome or None,
    }
    released = detail.decode(combo[7])
    kept = detail.released_columns(detail_level)
    if set(detail.ELEMENT_COLUMNS) <= set(kept):
        present = [c.removeprefix("element_") for c in detail.ELEMENT_COLUMNS]
        record["sd_ElementsPresent"] = (
            None
            if released.get(detail.ELEMENT_COLUMNS[0]) == SUPPRESSED
            else [e for e in present if released.get(f"element_{e}") == "yes"]
        )
    for column in kept:
        if column in HTCDS_DETAIL:
            name, shape = HTCDS_DETAIL[column]
            record[name] = _json_value(released.get(column, ""), shape)
    return record
