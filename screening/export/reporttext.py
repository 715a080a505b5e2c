"""The sentences of `FILE.report.json`: it travels with the file and must stand alone.

A reader of the report (a data protection officer, an analyst at another organisation) may
never see docs/export.md, so the report says here, in full, what the file is, what each
column means, what was coarsened and what the file does not protect against.
"""

from __future__ import annotations

from screening.export.detail import ELEMENTS

TITLE = "Screening Desk export: k-anonymised statistics about screening interviews"

K_SCOPE = (
    "every released column except the case code: each row shares all its other values"
    " with at least k-1 other rows"
)

PEOPLE = (
    "One row per person: when several completed interviews are linked to one person (a rapid"
    " screening continued into a full interview, or interviews a coordinator linked), only the"
    " newest completed interview within the filters is exported. Interviews not linked to any"
    " other count as one person each."
)

INTERVIEWS = (
    "One row per completed interview, as asked for: a person interviewed more than once"
    " appears once per interview, so counts are of interviews, not people."
)

COARSENED = (
    "Someone who knows what happened to a person could find their row by that alone, so the"
    " outcome and the detail of the screening (elements, indicators, HTCDS codes, needs) are"
    " anonymised together with the quasi-identifiers: the detail is released only at the level"
    " at which every row is shared by at least k rows; the withheld columns are left out of"
    " the file."
)

SUPPRESSION = (
    "Rows in a combination of released values shared by fewer than k rows (or, when an"
    " l-diversity is enforced, in a group of quasi-identifiers with fewer than l outcomes)"
    " have every released value replaced by '*'; when fewer than k such rows remain they are"
    " left out (dropped)."
)

L_DIVERSITY = (
    "Rows are grouped by their quasi-identifiers (what an outsider may know); l_achieved is the"
    " smallest number of distinct outcomes in a group. A group with one outcome tells anyone"
    " who knows a person is in it that person's outcome."
)

NEVER_EXPORTED = (
    "names (preferred_name and any other name)",
    "contact details, addresses, document numbers",
    "free text answers (notes, 'other, please say', reasons)",
    "interview ids, screener names, location text, exact dates and times",
    "languages spoken, interpreter details, family details",
    "every answer not listed in column_meanings",
)

NOT_PROTECTED = (
    "Attribute disclosure: when every row of a group of quasi-identifiers has the same outcome"
    " (see l_diversity), knowing that a person is in the group reveals their outcome; someone"
    " who knows the elements found also knows the outcome, which is computed from them.",
    "Knowing that a person was screened: the file shows that people with these"
    " characteristics were screened in this period and place.",
    "Several exports combined: exports with different filters, k or dates are generalised"
    " differently, and comparing their counts can narrow a group below k even without a"
    " shared code.",
    "Anyone holding the organisation's case-code secret, when the codes are stable: they can"
    " recompute every person's code and find their row.",
    "Background knowledge beyond the columns: k-anonymity protects against linking by the"
    " released values, not against facts an attacker already holds about the whole group.",
)

NOT_PROTECTED_PDF = (
    "Bounds on hidden counts: the secondary suppression stops exact subtraction, not the"
    " narrowing of a hidden count to a range.",
    "Several reports combined: reports over different periods can be subtracted.",
)

STABLE_WARNING = (
    "Case codes in this file are the same in every export made with stable codes from this"
    " organisation: files can be joined row by row on them, and a join of several k-anonymous"
    " files can single people out. Share such files only with someone who needs to follow the"
    " same people across exports, and never together with other exports."
)


def status(stable_codes: bool) -> str:
    if stable_codes:
        return (
            "pseudonymised: the case codes are keyed pseudonyms, stable across exports; with"
            " the key, each row leads back to a person. Personal data under the GDPR."
        )
    return (
        "k-anonymised, with case codes random for this file (the key was made for this export"
        " and not kept): no code leads back to a person or to another export. The rows still"
        " describe individual people; treat the file as confidential."
    )


def codes(stable_codes: bool) -> str:
    if stable_codes:
        return (
            "HMAC-SHA256 keyed pseudonym of the person (HKDF-SHA256 key from the organisation's"
            " case-code secret, 'export'): the same person has the same code in every export"
            " made with stable codes"
        )
    return (
        "HMAC-SHA256 of the person under a random key made for this export and then"
        " forgotten: codes tell rows apart within this file and mean nothing elsewhere"
    )


_MEANINGS = {
    "case_code": "code of the person; see case_codes",
    "form": "interview form: rapid-screening, screening-adult or screening-child",
    "interview_month": "when the interview started (month, quarter or year; see generalisation)",
    "place": "municipality of the interview, or its region (Montenegro)",
    "age_band": "age at the interview, in years (band; 'not stated' when unknown)",
    "sex": "as answered",
    "nationality": "country, or UN M49 sub-region/region",
    "outcome": "the screening recommendation that stands (a screener's override, else the"
    " scored result): likely_trafficked, possible_trafficking, no_indication, incomplete."
    " A screening is not an identification of a victim",
    "scored_outcome": "the result of the scoring rule before any override",
    "overridden": "whether a screener overrode the scored result",
    "referral_recommended": "whether the scoring recommended referral",
    "indicators": "ILO/EC 2009 operational indicators found (';'-separated ids)",
    "exploitation_types": "HTCDS vic_TypeOfExploitation codes, only for likely or possible"
    " trafficking",
    "methods_of_control": "HTCDS vic_Methods_of_Control codes",
    "labour_industries": "HTCDS vic_ForcedLabourIndustry codes (ISIC sections), only with"
    " forced or child labour",
    "sex_exploitation_types": "HTCDS vic_TypeOfSexExploitation codes",
    "recruiter_relationship": "HTCDS vic_RelationshipToTrafficker code",
    "recruitment_method": "HTCDS vic_MethodOfRecruitment codes; empty when not known",
    "needs": "needs the person named",
    "needs_urgent": "whether the person said a need is urgent",
    "referred_services": "kinds of provider the person was referred to",
}
for _e in ELEMENTS:
    _MEANINGS[f"element_{_e}"] = f"whether the ILO/EC element '{_e}' is present"

_HTCDS_MEANINGS = {
    "sd_CaseCode": _MEANINGS["case_code"],
    "sd_Form": _MEANINGS["form"],
    "sd_InterviewMonth": _MEANINGS["interview_month"],
    "sd_Place": _MEANINGS["place"],
    "sd_AgeBand": _MEANINGS["age_band"],
    "prs_Gender": "HTCDS gender code from the answered sex",
    "sd_Nationality": _MEANINGS["nationality"],
    "prs_Citizenship": "ISO 3166-1 alpha-2 code when sd_Nationality is a country, else null",
    "con_Consent": "always TRUE: interviews without consent are not exported",
    "vic_TraffickingStatus": "PossibleVictimOfTrafficking for likely or possible trafficking,"
    " else null (never NotAVictimOfTrafficking: a screening identifies no one)",
    "sd_ScreeningOutcome": _MEANINGS["outcome"],
    "sd_ElementsPresent": "ILO/EC elements present",
    "sd_ScoredOutcome": _MEANINGS["scored_outcome"],
    "sd_Overridden": _MEANINGS["overridden"],
    "sd_ReferralRecommended": _MEANINGS["referral_recommended"],
    "sd_Indicators": _MEANINGS["indicators"],
    "vic_TypeOfExploitation": _MEANINGS["exploitation_types"],
    "vic_Methods_of_Control": _MEANINGS["methods_of_control"]
    + " (the XLSForm's field name, so rows merge with XLSForm-collected data)",
    "vic_ForcedLabourIndustry": _MEANINGS["labour_industries"] + " (a list: several may apply)",
    "vic_TypeOfSexExploitation": _MEANINGS["sex_exploitation_types"],
    "vic_RelationshipToTrafficker": _MEANINGS["recruiter_relationship"]
    + " (codes not listed in the HTCDS reference files: unconfirmed)",
    "vic_MethodOfRecruitment": _MEANINGS["recruitment_method"],
    "sd_Needs": _MEANINGS["needs"],
    "sd_NeedsUrgent": _MEANINGS["needs_urgent"],
    "sd_ReferredServices": _MEANINGS["referred_services"],
}


def meanings(columns: list[str]) -> dict[str, str]:
    """One sentence per released column or field ('*' or null: suppressed)."""
    table = {**_MEANINGS, **_HTCDS_MEANINGS}
    out = {c: table.get(c, "") for c in columns}
    out["*"] = "a suppressed value (null in JSON): see suppression"
    return out
