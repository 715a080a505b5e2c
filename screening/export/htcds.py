"""Mapping from our forms' answers and indicators to HTCDS 2.0 field names and codes.

The codes are the picklist values of the HTCDS field standard (shared/reference/htcds/,
IOM, CC BY 4.0). Fields the standard does not have carry an `sd_` prefix (Screening Desk
extension) so nobody mistakes them for HTCDS fields. The mapping is documented, with its
reasoning, in docs/export.md ("HTCDS mapping"); a test checks every code here against the
standard's own XLSForm.
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

# Indicators that show the kind of exploitation (vic_TypeOfExploitation).
SEXUAL_INDICATORS = {"forced_clients_or_sexual_acts", "forced_tasks_or_clients"}
CRIMINAL_INDICATORS = {"forced_into_illicit_activities", "forced_into_illicit_criminal_activities"}
# Questions of the sexual exploitation sections: their exploitation indicators are not labour.
SEXUAL_QUESTIONS = {
    "sexual_services",
    "sexual_for_others",
    "sexual_health",
    "sexual_money",
    "sexual_hours",
    "sexual_place",
}

# `industry` choice -> vic_ForcedLabourIndustry (ISIC sections as HTCDS names them).
LABOUR_INDUSTRY = {
    "agriculture": "A_AgricultureForestryAndFishing",
    "fishing": "A_AgricultureForestryAndFishing",
    "mining": "B_MiningAndQuarrying",
    "factory": "C_Manufacturing",
    "construction": "F_Construction",
    "street_selling": "G_WholesaleAndRetailTradeRepairOfMotorVehicles",
    "hospitality": "I_AccommodationAndFoodServiceActivities",
    "cleaning": "N_AdministrativeAndSupportServiceActivities",
    "entertainment": "R_ArtsEntertainmentAndRecreation",
    "domestic": "T_ActivitiesOfHouseholdsAsEmployers",
    # begging -> vic_TypeOfExploitation ForcedBegging; illegal -> Other; other -> unknown.
}

# adult `sexual_place` -> vic_TypeOfSexExploitation.
SEX_EXPLOITATION_PLACE = {
    "private": "PrivateSexualServices",
    "club": "Prostitution",
    "hotel": "Prostitution",
    "street": "Prostitution",
    "online": "RemoteInteractiveServices",
}

# `recruiter_relation` choice -> vic_RelationshipToTrafficker (HTCDS spells "Unaquainted").
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

# `recruiter_relation` / `how_left` -> vic_MethodOfRecruitment (first match wins).
RECRUITMENT_BY_RELATION = {
    "family_member": "ThroughFamilyOrFamilyEvents",
    "parent": "ThroughFamilyOrFamilyEvents",
    "relative": "ThroughFamilyOrFamilyEvents",
    "friend": "ThroughFriendsOrSocialEvents",
    "family_friend": "ThroughFriendsOrSocialEvents",
    "partner": "ThroughFriendsOrSocialEvents",
    "boyfriend": "ThroughFriendsOrSocialEvents",
}

# Every HTCDS code this module can emit, by field: checked against the standard by a test.
EMITTED: dict[str, set[str]] = {
    "vic_TraffickingStatus": set(TRAFFICKING_STATUS.values()),
    "prs_Gender": set(GENDER.values()),
    "vic_MethodsOfControl": set(METHODS_OF_CONTROL.values()),
    "vic_TypeOfExploitation": {
        "ForcedLabour",
        "SexualExploitation",
        "ChildLabour",
        "ForcedMarriage",
        "ForcedBegging",
        "Other",
    },
    "vic_ForcedLabourIndustry": set(LABOUR_INDUSTRY.values()),
    "vic_TypeOfSexExploitation": set(SEX_EXPLOITATION_PLACE.values()) | {"Pornography"},
    "vic_RelationshipToTrafficker": set(RELATIONSHIP.values()),
    "vic_MethodOfRecruitment": set(RECRUITMENT_BY_RELATION.values()) | {"Other"},
}
