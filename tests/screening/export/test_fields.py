"""The allow-list: what one interview turns into, and what never comes out of it."""

from __future__ import annotations

import json

import pytest

from screening.export import fields, geo
from screening.export.fields import SourceInterview
from screening.export.pdfreport import Suppressor


def source(**answers: object) -> SourceInterview:
    return SourceInterview(
        rowid=1,
        id="0f0e0d0c-0000-4000-8000-000000000001",
        form_id="screening-adult",
        form_version="1.0.0",
        created_at="2026-03-14T09:30:00.000000Z",
        location="Spuž reception centre, room 4 (Hassan's bed)",
        answers={name: (value, None) for name, value in answers.items()},
    )


def test_base_values_are_checked_never_copied() -> None:
    src = source(consent="yes", age=34, sex="Female!", nationality="Free text land")
    assert fields.base_qi(src) == (
        "screening-adult",
        "2026-03",
        "Danilovgrad",
        "30-34",
        "unknown",
        "unknown",
    )
    src.answers["sex"] = (None, "declined")
    src.answers["nationality"] = ("eritrea", None)
    assert fields.base_qi(src)[4:] == ("declined", "Eritrea")


@pytest.mark.parametrize(
    ("text", "municipality"),
    [
        ("Podgorica reception centre", "Podgorica"),
        ("ROZAJE reception point", "Rožaje"),
        ("Božaj border post", "Tuzi"),
        ("bijelo polje", "Bijelo Polje"),
        ("Herceg-Novi transit", "Herceg Novi"),
        ("A flat at Main Street 4", "unknown"),
        ("", "unknown"),
        (None, "unknown"),
    ],
)
def test_places_become_municipalities(text: str | None, municipality: str) -> None:
    assert geo.municipality_of(text) == municipality
    assert geo.place_region("Rožaje") == "Northern region"


def test_consent_rule_follows_scoring() -> None:
    assert fields.consented(source(consent="yes").answers)
    assert not fields.consented(source(consent="no").answers)
    assert not fields.consented(source().answers)
    assert not fields.consented(source(consent="yes", guardian_consent="no").answers)
    assert fields.consented(source(consent="yes", guardian_consent="yes").answers)
    declined = source(consent="yes")
    declined.answers["guardian_consent"] = (None, "declined")
    assert not fields.consented(declined.answers)


def outcome(population: str, hits: list[tuple[str, str, str, str]]) -> dict:
    elements = {e: {"present": False, "indicators": []} for e in fields.ELEMENTS}
    for element, question, choice, indicator in hits:
        elements[element]["indicators"].append(
            {"question": question, "choice": choice, "indicator": indicator, "strength": "strong"}
        )
        elements[element]["present"] = True
    return {"result": "likely_trafficked", "population": population, "elements": elements,
            "referral_recommended": True, "explanation": ["Hassan said ..."]}  # fmt: skip


def test_facts_map_to_htcds_codes() -> None:
    src = source(
        consent="yes",
        industry=["construction", "begging", "entertainment"],
        recruiter_relation="friend",
        sexual_services="yes",
        sexual_place="club",
        illegal_acts="yes",
        needs=["shelter", "none", "medical"],
        needs_urgent="yes",
    )
    src.outcome = outcome(
        "adult",
        [
            ("exploitation", "hours_per_day", "h_over_12", "excessive_working_days_or_hours"),
            ("coercion_at_destination", "sexual_services", "yes", "forced_clients_or_sexual_acts"),
            ("coercion_at_destination", "documents_taken", "kept", "confiscation_of_documents"),
            ("coercive_recruitment", "how_left", "forced", "abduction_forced_marriage_or_selling"),
            ("coercion_at_destination", "illegal_acts", "yes", "forced_into_illicit_activities"),
        ],
    )
    src.override = "possible_trafficking"
    f = fields.facts(src)
    assert f.outcome == "possible_trafficking" and f.scored_outcome == "likely_trafficked"
    assert f.overridden
    assert f.exploitation_types == ["ForcedBegging", "ForcedLabour", "Other", "SexualExploitation"]
    # Bars and clubs serve drinks (ISIC I); entertainment is R.
    assert f.labour_industries == [
        "F_Construction",
        "I_AccommodationAndFoodServiceActivities",
        "R_ArtsEntertainmentAndRecreation",
    ]
    assert f.sex_exploitation_types == ["Prostitution"]
    assert f.methods_of_control == ["ExcessiveWorkingHours", "WithholdsDocuments"]
    assert f.recruiter_relationship == "Acquainted"
    assert f.recruitment_method == ["ThroughFriendsOrSocialEvents"]
    assert f.needs == ["medical", "shelter"]
    assert f.needs_urgent == "yes"
    record = fields.htcds_record("CODE", fields.base_row(src), 0)
    assert record["vic_TraffickingStatus"] == "PossibleVictimOfTrafficking"
    assert record["vic_Methods_of_Control"] == ["ExcessiveWorkingHours", "WithholdsDocuments"]
    assert "Hassan" not in json.dumps(record)
    child = source(consent="yes", how_left="marriage", industry=["agriculture"])
    child.outcome = outcome(
        "child", [("exploitation", "dangerous_work", "yes", "hazardous_work"),
                  ("coercive_recruitment", "how_left", "marriage",
                   "abduction_forced_marriage_or_selling")])  # fmt: skip
    f = fields.facts(child)
    assert f.exploitation_types == ["ChildLabour", "ForcedMarriage"]
    # "Farming or food processing": food processing is manufacturing (ISIC C10).
    assert f.labour_industries == ["A_AgricultureForestryAndFishing", "C_Manufacturing"]


def test_no_type_of_exploitation_without_an_indication() -> None:
    # Issue #18: "no indication" records carried ForcedLabour from a single indicator.
    src = source(consent="yes", industry=["construction"])
    src.outcome = outcome(
        "adult", [("exploitation", "hours_per_day", "h_over_12", "excessive_working_days_or_hours")]
    )
    src.outcome["result"] = "no_indication"
    f = fields.facts(src)
    assert f.exploitation_types == [] and f.labour_industries == []
    assert f.elements["exploitation"]  # the element itself is still reported


def test_living_conditions_alone_are_not_forced_labour() -> None:
    src = source(consent="yes", work_conditions=["bad_living_conditions"])
    src.form_id = "rapid-screening"
    src.outcome = outcome(
        "adult", [("exploitation", "work_conditions", "bad_living_conditions",
                   "bad_living_conditions")])  # fmt: skip
    src.outcome["result"] = "possible_trafficking"
    assert fields.facts(src).exploitation_types == []
    src.answers["work_conditions"] = (["bad_living_conditions", "excessive_hours"], None)
    src.outcome["elements"]["exploitation"]["indicators"].append(
        {"question": "work_conditions", "choice": "excessive_hours", "indicator": "x"}
    )
    assert fields.facts(src).exploitation_types == ["ForcedLabour"]


def test_rapid_crime_item_gives_other_and_begging_item_forced_begging() -> None:
    src = source(consent="yes", work_conditions=["forced_crime"])
    src.outcome = outcome(
        "adult", [("coercion_at_destination", "work_conditions", "forced_crime",
                   "forced_into_illicit_criminal_activities")])  # fmt: skip
    # Forms 1.0.0 asked crimes and begging as one item: never counted as begging.
    assert fields.facts(src).exploitation_types == ["Other"]
    # An old id is exported as the catalogue names it.
    assert fields.facts(src).indicators == ["forced_into_illicit_activities"]
    begging = source(consent="yes", work_conditions=["forced_begging"])
    begging.outcome = outcome(
        "adult", [("coercion_at_destination", "work_conditions", "forced_begging",
                   "forced_tasks_or_clients")])  # fmt: skip
    assert fields.facts(begging).exploitation_types == ["ForcedBegging"]


@pytest.mark.parametrize(
    ("relation", "how_left", "method"),
    [
        ("stranger", None, []),  # unknown stays empty: no "Other"
        ("agency", "job_advert", []),  # the advert codes need the medium
        ("employer", None, []),
        ("other", None, ["Other"]),
        ("family_member", None, ["ThroughFamilyOrFamilyEvents"]),
        (None, "family_sent", ["ThroughFamilyOrFamilyEvents"]),
        ("stranger", "relationship", ["ThroughFriendsOrSocialEvents"]),
        (None, None, []),
    ],
)
def test_method_of_recruitment_is_empty_when_unknown(
    relation: str | None, how_left: str | None, method: list[str]
) -> None:
    answers = {k: v for k, v in (("recruiter_relation", relation), ("how_left", how_left)) if v}
    src = source(consent="yes", **answers)
    src.outcome = outcome("adult", [])
    assert fields.facts(src).recruitment_method == method


def test_no_indication_is_not_not_a_victim() -> None:
    src = source(consent="yes")
    src.outcome = {"result": "no_indication", "elements": {}}
    record = fields.htcds_record("C", fields.base_row(src), 0)
    assert record["vic_TraffickingStatus"] is None
    assert record["sd_ScreeningOutcome"] == "no_indication"


def test_suppressed_rows_release_nothing() -> None:
    combo = ("*",) * 8
    record = fields.htcds_record("C", combo, 1)
    assert {k for k, v in record.items() if v is not None} == {"sd_CaseCode", "con_Consent"}
    row = fields.table_row("C", combo, 2)
    assert row[1:] == ["*"] * (len(row) - 1)


def test_secondary_suppression_stops_subtraction() -> None:
    sup = Suppressor(5)
    grand = sup.number("grand", 20)
    a, b, c = sup.number("a", 3), sup.number("b", 9), sup.number("c", 8)
    sup.add_sum(grand, [a, b, c])
    hidden = sup.run()
    assert a in hidden and sup.primary == 1
    assert len(hidden & {b, c, grand}) == 1 and sup.secondary == 1  # 20 - 9 - 8 no longer works
    assert sup.show(a) == "·"


def test_suppression_follows_chains_across_tables() -> None:
    # Outcome totals are shared by two cross tables: hiding in one must hold in the other.
    sup = Suppressor(5)
    grand = sup.number("grand", 30)
    totals = [sup.number(("o", i), v) for i, v in enumerate((12, 18))]
    sup.add_sum(grand, totals)
    rows = [[sup.number(("m", r, c), v) for c, v in enumerate(vals)]
            for r, vals in enumerate(((2, 10), (10, 8)))]  # fmt: skip
    row_totals = [sup.number(("mt", r), sum(v)) for r, v in enumerate(((2, 10), (10, 8)))]
    for row, total in zip(rows, row_totals, strict=True):
        sup.add_sum(total, row)
    for c, total in enumerate(totals):
        sup.add_sum(total, [row[c] for row in rows])
    sup.add_sum(grand, row_totals)
    hidden = sup.run()
    assert rows[0][0] in hidden
    assert sup._derivable() is None
