"""A small scored form in four languages, built in code, for the scoring tests.

Labels are tagged with their language ("Documents (fr)") so tests can see which one was used.
"""

from __future__ import annotations

from typing import Any

from screening.forms.model import Form

LANGUAGES = ("en", "cnr", "ar", "fr")


def L(text: str) -> dict[str, str]:
    return {lang: f"{text} ({lang})" for lang in LANGUAGES}


def tag(element: str, strength: str, indicator: str) -> dict[str, str]:
    return {"element": element, "strength": strength, "indicator": indicator}


def choice(name: str, *tags: dict[str, str]) -> dict[str, Any]:
    return {"name": name, "label": L(name.capitalize()), "indicators": list(tags)}


def q(kind: str, name: str, **extra: Any) -> dict[str, Any]:
    return {"type": kind, "name": name, "label": L(name.replace("_", " ").capitalize()), **extra}


def form_data(population: str = "adult", **scoring: Any) -> dict[str, Any]:
    return {
        "id": "sample",
        "version": "1.0",
        "title": L("Sample"),
        "languages": [
            {"code": "en", "name": "English"},
            {"code": "cnr", "name": "Crnogorski"},
            {"code": "ar", "name": "العربية", "direction": "rtl"},
            {"code": "fr", "name": "Français"},
        ],
        "default_language": "en",
        "allow_dont_know": True,
        "choice_lists": {
            "yes_no": [choice("yes"), choice("no")],
            "conditions": [
                choice("hours", tag("exploitation", "strong", "excessive_working_days_or_hours")),
                choice("unpaid", tag("exploitation", "medium", "low_or_no_salary")),
                choice("hazard", tag("exploitation", "medium", "hazardous_work")),
                choice("none"),
            ],
            "holders": [
                choice("self"),
                choice(
                    "employer",
                    tag("coercion_at_destination", "strong", "confiscation_of_documents"),
                ),
            ],
            "threats": [
                choice("violence", tag("coercion_at_destination", "strong", "violence_on_victims")),
                choice(
                    "threat",
                    tag("coercion_at_destination", "strong", "threats_of_violence_against_victim"),
                ),
                choice(
                    "report",
                    tag(
                        "coercion_at_destination", "medium", "threat_of_denunciation_to_authorities"
                    ),
                ),
                choice(
                    "gossip",
                    tag("coercion_at_destination", "weak", "threats_to_inform_family_community"),
                ),
            ],
        },
        "sections": [
            {
                "name": "recruitment",
                "label": L("Recruitment"),
                "required_for_scoring": True,
                "items": [
                    q(
                        "select_one",
                        "job_lie",
                        choices="yes_no",
                        required=True,
                        indicators=[
                            tag("deceptive_recruitment", "strong", "deceived_about_nature_of_job")
                        ],
                    ),
                    q(
                        "select_one",
                        "pay_lie",
                        choices="yes_no",
                        indicators=[
                            tag("deceptive_recruitment", "medium", "deceived_about_wages_earnings")
                        ],
                    ),
                    q(
                        "select_one",
                        "forced_to_go",
                        choices="yes_no",
                        indicator_choice="no",  # "were you free to refuse?" → no
                        indicators=[
                            tag(
                                "coercive_recruitment",
                                "strong",
                                "threats_of_violence_against_victim",
                            )
                        ],
                    ),
                ],
            },
            {
                "name": "work",
                "label": L("Work"),
                "required_for_scoring": True,
                "items": [
                    q("select_multiple", "conditions", choices="conditions", required=True),
                    q(
                        "integer",
                        "debt_amount",
                        indicators=[
                            tag("abuse_of_vulnerability_at_destination", "medium", "dependency")
                        ],
                    ),
                    {
                        "type": "repeat",
                        "name": "employers",
                        "label": L("Employers"),
                        "items": [
                            q(
                                "select_one",
                                "kept_documents",
                                choices="yes_no",
                                indicators=[
                                    tag(
                                        "coercion_at_destination",
                                        "strong",
                                        "confiscation_of_documents",
                                    )
                                ],
                            ),
                            q("text", "employer_town"),
                        ],
                    },
                ],
            },
            {
                "name": "control",
                "label": L("Control"),
                "required_for_scoring": True,
                "items": [
                    q("select_one", "documents", choices="holders", required=True),
                    q("select_multiple", "threats", choices="threats"),
                    q(
                        "select_one",
                        "language_barrier",
                        choices="yes_no",
                        indicators=[
                            tag("abuse_of_vulnerability_at_destination", "weak", "difficulty")
                        ],
                    ),
                ],
            },
            {
                "name": "extra",
                "label": L("Extra"),
                "items": [q("text", "remarks", required=True), q("note", "thanks")],
            },
            {
                "name": "decision",
                "label": L("Decision"),
                "items": [q("select_one", "refer", choices="yes_no")],
            },
        ],
        "scoring": {"population": population, "referral_question": "refer", **scoring},
    }


def sample_form(population: str = "adult", **scoring: Any) -> Form:
    return Form.model_validate(form_data(population, **scoring))


# A clear adult case: deceptive recruitment (strong + medium), exploitation (strong + medium),
# coercion at destination (strong + strong).
CLEAR: dict[str, object] = {
    "job_lie": "yes",
    "pay_lie": "yes",
    "conditions": ["hours", "unpaid"],
    "documents": "employer",
    "threats": ["threat"],
}
