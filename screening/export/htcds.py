"""Mapping from our forms' answers and indicators to HTCDS 2.0 field names and codes.

The codes are the picklist values of the HTCDS field standard (shared/reference/htcds/,
IOM, CC BY 4.0). Fields the standard does not have carry an `sd_` prefix (Screening Desk
extension) so nobody mistakes them for HTCDS fields. The mapping is documented, with its
reasoning, in docs/export.md ("HTCDS mapping"); a test checks every code here against the
standard's own XLSForm.

This is the one module where indicator ids meet HTCDS codes (`METHODS_OF_CONTROL`); every
other mapping starts from the forms' own answers (question name, choice), so a change of
indicator ids touches this table only.
"""

from __future__ import annotations

# Our outcome -> vic_TraffickingStatus. A screening is not an identification (that belongs
# to the competent authorities), so it never yields "ActualVictimOfTrafficking", and "no
# indication" is not "not a victim": it leaves the field empty.
TRAFFICKING_STATUS = {
    "likely_trafficked": "PossibleVictimOfTrafficking",
    "possible_trafficking": "PossibleVictimOfTrafficking",
}

# `sex` answer -> prs_Gender.
GENDER = {
    "female": "Feminine",
    "male": "Masculine",
    "other": "NonConforming",
    "declined": "NonSpecifiedUnknown",
    "unknown": "NonSpecifiedUnknown",
}

# ILO indicator id (from the scoring result) -> vic_MethodsOfControl.
METHODS_OF_CONTROL = {
    "confiscation_of_documents": "WithholdsDocuments",
    "debt_bondage": "DebtBondage",
    "violence_on_victims": "PhysicalAbuse",
    "threats_of_violence": "PhysicalThreats",
    "threats_of_violence_against_victim": "PhysicalThreats",
    "violence_on_family": "ThreatensChildrenFamily",
    "violence_on_family_threats_or_effective": "ThreatensChildrenFamily",
    "threat_of_denunciation": "ThreatsLawEnforcement",
    "threat_of_denunciation_to_authorities": "ThreatsLawEnforcement",
    "threats_to_inform_family": "PsychologicalAbuse",
    "threats_to_inform_family_community_or_public": "PsychologicalAbuse",
    "threat_of_worse_conditions": "PsychologicalAbuse",
    "forced_to_lie": "PsychologicalAbuse",
    "under_strong_influence": "PsychologicalAbuse",
    "withholding_of_wages": "TakesEarnings",
    "wage_manipulation": "TakesEarnings",
    "withholding_of_money": "RestrictsFinancialAccess",
    "excessive_working_days_or_hours": "ExcessiveWorkingHours",
    "very_bad_working_conditions": "WithholdsNecessities",
    # HTCDS 2.0 defines "restricts movement" but its picklist has no code for it.
    "isolation_confinement_or_surveillance": "Other",
    "deceived_about_nature_of_job": "FalsePromises",
    "deceived_about_conditions_of_work": "FalsePromises",
    "deceived_about_contract": "FalsePromises",
    "deceived_about_wages": "FalsePromises",
    "deceived_about_wages_earnings": "FalsePromises",
    "deceived_about_housing_and_living_conditions": "FalsePromises",
    "deceived_about_legal_documentation": "FalsePromises",
    "deceived_about_travel_and_recruitment_conditions": "FalsePromises",
    "deceived_about_family_reunification": "FalsePromises",
    "deceived_about_access_to_education": "FalsePromises",
    "deceived_through_promises_of_marriage_or_adoption": "FalsePromises",
}

# --- Type of exploitation (vic_TypeOfExploitation), from the forms' own answers ----------
#
# Only for a person whose screening found trafficking likely or possible (the outcome that
# stands, override included): a type of exploitation is a finding about trafficking, and
# "no indication" must not carry one. See docs/export.md.
#
# Answers (question, choice) that say what the person was made to do. `True` as the choice
# means "the answer yes".
SEXUAL_ANSWERS = {
    ("sexual_services", True),  # adult form
    ("sexual_for_others", True),  # child form
    ("work_conditions", "forced_sex"),  # rapid form: "made to have sex or to sell sex"
}
# Since forms 2.0.0 the rapid form asks begging apart from crime ("forced_begging"). Its 1.0.0
# item "made to commit crimes, beg, or carry illegal goods" cannot tell them apart: it gives
# `Other` only (HTCDS has no code for forced criminality), never a begging count that may
# not be one (docs/export.md).
BEGGING_ANSWERS = {("work_conditions", "forced_begging"), ("industry", "begging")}
CRIMINAL_ANSWERS = {
    ("work_conditions", "forced_crime"),
    ("illegal_acts", True),
    ("industry", "illegal"),
}
MARRIAGE_ANSWERS = {("how_left", "marriage")}  # child form: "I was married, or promised"
# Questions whose exploitation-element hits are about sex, not labour.
SEXUAL_QUESTIONS = {
    "sexual_services",
    "sexual_for_others",
    "sexual_health",  # forms 1.0.0
    "sexual_unprotected",
    "medical_denied",
    "sexual_money",
    "sexual_hours",
    "sexual_days_off",
    "sexual_refuse",
    "sexual_place",
}
# Exploitation-element hits that do not show that the person worked: living conditions
# (the rapid form asks about them whether or not the person worked) and the rapid form's
# sex and crime items (their own types above).
NOT_LABOUR_HITS = {
    ("living_conditions", None),  # forms 1.0.0
    ("sleep_safe", None),
    ("sleep_basic", None),
    ("work_conditions", "bad_living_conditions"),
    ("work_conditions", "forced_sex"),
    ("work_conditions", "forced_crime"),
}
# `industry` choice -> vic_ForcedLabourIndustry (ISIC Rev.4 sections as HTCDS names them;
# field_definitions.md "Labour Industry (TIER 1)"). A choice that covers two sections gives
# both: "Farming or food processing" is A (farming) and C (food processing is manufacturing,
# ISIC 10); "Bar, club or entertainment" is I (bars and night clubs are beverage serving,
# ISIC 5630) and R (entertainment, ISIC 90-93).
LABOUR_INDUSTRY: dict[str, tuple[str, ...]] = {
    "agriculture": ("A_AgricultureForestryAndFishing", "C_Manufacturing"),
    "fishing": ("A_AgricultureForestryAndFishing",),
    "mining": ("B_MiningAndQuarrying",),
    "factory": ("C_Manufacturing",),
    "construction": ("F_Construction",),
    "street_selling": ("G_WholesaleAndRetailTradeRepairOfMotorVehicles",),
    "hospitality": ("I_AccommodationAndFoodServiceActivities",),
    "cleaning": ("N_AdministrativeAndSupportServiceActivities",),
    "entertainment": (
        "I_AccommodationAndFoodServiceActivities",
        "R_ArtsEntertainmentAndRecreation",
    ),
    "domestic": ("T_ActivitiesOfHouseholdsAsEmployers",),
    # begging -> ForcedBegging and illegal -> Other (types, not industries); other -> unknown.
}

# adult `sexual_place` -> vic_TypeOfSexExploitation.
SEX_EXPLOITATION_PLACE = {
    "private": "PrivateSexualServices",
    "club": "Prostitution",
    "hotel": "Prostitution",
    "street": "Prostitution",
    "online": "RemoteInteractiveServices",
}

# `recruiter_relation` choice -> vic_RelationshipToTrafficker. UNCONFIRMED codes: the field
# is in the field standard (ODS, "Picklist") but neither the XLSForm nor the definitions list
# its values; these are the values of the HTCDS 2.0 Salesforce picklist as we read them
# (spelled "Unaquainted" there). See UNCONFIRMED below and docs/export.md.
RELATIONSHIP = {
    "family_member": "Familial",
    "parent": "Familial",
    "relative": "Familial",
    "partner": "Acquainted",
    "boyfriend": "Acquainted",
    "friend": "Acquainted",
    "family_friend": "Acquainted",
    "employer": "Acquainted",
    "agency": "Acquainted",
    "agent": "Acquainted",
    "stranger": "Unaquainted",
}

# vic_MethodOfRecruitment from `recruiter_relation`, then `how_left` (every fitting code is
# kept: the field is a multiselect). Answers with no fitting code give nothing, so an empty
# field means "not known", and `Other` only ever means a method the person named as other.
# Not mapped: agency, employer, stranger, agent (who recruited, not how), a job advert
# (the standard's advert codes need the medium: online, TV or newspaper, which we do not
# ask), forced departures.
RECRUITMENT_BY_RELATION = {
    "family_member": "ThroughFamilyOrFamilyEvents",
    "parent": "ThroughFamilyOrFamilyEvents",
    "relative": "ThroughFamilyOrFamilyEvents",
    "friend": "ThroughFriendsOrSocialEvents",
    "family_friend": "ThroughFriendsOrSocialEvents",
    "partner": "ThroughFriendsOrSocialEvents",
    "boyfriend": "ThroughFriendsOrSocialEvents",
    "other": "Other",
}
RECRUITMENT_BY_HOW_LEFT = {
    "family": "ThroughFamilyOrFamilyEvents",  # adult: "My family decided or arranged it"
    "family_sent": "ThroughFamilyOrFamilyEvents",  # child: "My family decided or sent me"
    "relationship": "ThroughFriendsOrSocialEvents",  # adult: "Through a partner, a marriage"
}

# Every HTCDS code this module can emit, by field: checked against the standard by a test.
EMITTED: dict[str, set[str]] = {
    "vic_TraffickingStatus": set(TRAFFICKING_STATUS.values()),
    "prs_Gender": set(GENDER.values()),
    "vic_Methods_of_Control": set(METHODS_OF_CONTROL.values()),
    "vic_TypeOfExploitation": {
        "ForcedLabour",
        "SexualExploitation",
        "ChildLabour",
        "ForcedMarriage",
        "ForcedBegging",
        "Other",
    },
    "vic_ForcedLabourIndustry": {code for codes in LABOUR_INDUSTRY.values() for code in codes},
    "vic_TypeOfSexExploitation": set(SEX_EXPLOITATION_PLACE.values()) | {"Pornography"},
    "vic_RelationshipToTrafficker": set(RELATIONSHIP.values()),
    "vic_MethodOfRecruitment": set(RECRUITMENT_BY_RELATION.values())
    | set(RECRUITMENT_BY_HOW_LEFT.values()),
}

# Fields whose codes the reference files (XLSForm, field definitions) do not list.
UNCONFIRMED = {"vic_RelationshipToTrafficker"}

# The outcomes that stand for "trafficking likely or possible": only they carry a trafficking
# status and a type of exploitation.
INDICATED_OUTCOMES = ("likely_trafficked", "possible_trafficking")

# HTCDS core fields (field standard 2.0, "Core") and others an analyst may look for that the
# export leaves out, with the reason; docs/export.md lists the same (a test compares them).
OMITTED = {
    "prs_Salutation": "direct identifier",
    "prs_FirstName": "direct identifier",
    "prs_SecondName": "direct identifier",
    "prs_Birthdate": "direct identifier; the age is released as a band (sd_AgeBand)",
    "prs_Title": "direct identifier",
    "prs_Email": "contact detail",
    "prs_HomePhone": "contact detail",
    "prs_MobilePhone": "contact detail",
    "prs_MailingCity": "address",
    "prs_MailingCountry": "address",
    "prs_MailingState": "address",
    "prs_MailingStreet": "address",
    "prs_MailingPostalCode": "address",
    "vic_TraffickingStatusDecisionMakingOrg": "a screening is no status decision: no organisation"
    " decided one",
    "vic_LocationOfRecruitment": "a place named by the person: free text, identifying",
    "vic_LocationOfExploitation": "a place named by the person: free text, identifying",
    "vic_Vulnerabilities": "not mapped yet: the forms' vulnerability answers have no agreed"
    " mapping to the standard's picklist (unconfirmed)",
    "vic_DetailsOfVulnerabilities": "free text",
    "vic_AgeWhenTrafficked": "a number of years: an exact age would single people out, and"
    " the forms ask the age at the interview (released as sd_AgeBand), not when the person"
    " was trafficked",
    "cas_Status": "case management, not screening: the vault keeps no case status",
    "cas_ReasonForCaseClosure": "case management, not screening",
    "cas_CaseOwner": "names a user",
    "cas_ReferringOrganisation": "names an organisation",
    "cas_IncomingReferralDate": "an exact date",
    "cas_ReferringPrimaryCaseWorker": "names a person",
    "cas_ReasonForIncomingReferral": "not asked",
    "cas_IncomingReferralDetails": "free text",
    "cas_ReferredOrganisation": "names an organisation (sd_ReferredServices gives the kind)",
    "cas_ReferredPrimaryCaseWorker": "names a person",
    "cas_ReasonForOutgoingReferral": "free text in the vault",
    "cas_OutgoingReferralDate": "an exact date",
    "cas_OutgoingReferralDetails": "free text",
}
