"""Pydantic models of a form definition file (the JSON format in `forms/`).

These models check the shape of a file. Checks that need the whole form (names, choice
lists, expressions, languages, cycles) live in `screening.forms.compiler` and the builder it
runs (`form_builder`, `expression_checks`, `scoring_checks`).
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)

from screening.forms.indicators import Act, Element, Strength

NAME_PATTERN = r"^[A-Za-z_][A-Za-z0-9_.-]*$"
# XLSForms often name choices 1, 2, 99; choice names are never referred to as ${...}.
CHOICE_NAME_PATTERN = r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$"
LANGUAGE_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"

LocalizedText = Annotated[
    dict[str, str],
    Field(
        description='Text by language code, e.g. {"en": "Yes", "fr": "Oui"}.',
        json_schema_extra={"propertyNames": {"pattern": LANGUAGE_PATTERN}},
    ),
]


class _Strict(BaseModel):
    # Unknown keys are typos more often than extensions: reject them so they are seen.
    model_config = ConfigDict(extra="forbid", frozen=True)


class QuestionType(StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    SELECT_ONE = "select_one"
    SELECT_MULTIPLE = "select_multiple"
    NOTE = "note"
    CALCULATE = "calculate"
    # Answers kept as ODK's text forms: HH:MM:SS.sss+hh:mm, YYYY-MM-DDTHH:MM:SS.sss+hh:mm, and
    # "lat lon alt accuracy" points (separated by ";" for traces and shapes).
    TIME = "time"
    DATETIME = "datetime"
    GEOPOINT = "geopoint"
    GEOTRACE = "geotrace"
    GEOSHAPE = "geoshape"
    # The choices of its list put in order; kept as ODK keeps it: their names, space-separated,
    # first ranked first.
    RANK = "rank"


class Direction(StrEnum):
    LTR = "ltr"
    RTL = "rtl"


class Review(StrEnum):
    """How far a language's texts have been checked (see docs/translations.md)."""

    SOURCE = "source"  # the language the texts are written in
    FIELD = "field_reviewed"  # checked by a native speaker in interviews in the field
    DESK = "desk_reviewed"  # checked against the source by a translator, not yet in the field
    NONE = "not_reviewed"


class Language(_Strict):
    code: str = Field(pattern=LANGUAGE_PATTERN, description="BCP 47 style code, e.g. en, cnr.")
    name: str = Field(min_length=1, description="The language's own name for itself.")
    direction: Direction = Field(
        default=Direction.LTR, description="Text direction; Arabic is rtl."
    )
    review: Review = Field(
        default=Review.NONE,
        description="Review state of this language's texts; coordinators are told when a"
        " language is not field_reviewed.",
    )


class IndicatorTag(_Strict):
    """An ILO/EC operational indicator carried by a choice or a yes answer."""

    element: Element
    indicator: str = Field(
        min_length=1,
        description="Id of the indicator in the catalogue, e.g. 'deceived_about_nature_of_job'.",
    )
    strength: Strength | None = Field(
        default=None,
        description=(
            "Only in forms written before the indicator catalogue (no `scoring.catalogue`):"
            " the form's own strength. With the catalogue, strengths come from it, for the"
            " list that applies to the case."
        ),
    )


class AnswerRef(_Strict):
    """An answer that reveals a fact the rules need: `question` answered with one of
    `choices` (for a select_multiple, any of them chosen)."""

    question: str = Field(pattern=NAME_PATTERN)
    choices: list[str] = Field(min_length=1)


class Choice(_Strict):
    name: str = Field(pattern=CHOICE_NAME_PATTERN)
    label: LocalizedText
    indicators: list[IndicatorTag] = Field(default_factory=list)
    acts: list[Act] = Field(
        default_factory=list,
        description="Palermo acts done to the person by someone else that this choice reveals.",
    )
    properties: dict[str, str] = Field(
        default_factory=dict,
        description="Further columns of the choice (XLSForm), read by a question's choice_filter.",
    )


class Question(_Strict):
    type: QuestionType
    name: str = Field(pattern=NAME_PATTERN)
    label: LocalizedText | None = None
    hint: LocalizedText | None = Field(
        default=None, description="Guidance for the screener: how to ask, trauma-informed."
    )
    choices: str | None = Field(
        default=None, description="Name of a choice list (select_one, select_multiple, rank)."
    )
    relevant: str | None = Field(default=None, description="Expression: shown only when true.")
    required: bool | str = Field(
        default=False, description="true, false, or an expression that decides."
    )
    required_message: LocalizedText | None = None
    constraint: str | None = Field(
        default=None, description="Expression over `.` (the value given) that must be true."
    )
    constraint_message: LocalizedText | None = None
    calculation: str | None = Field(
        default=None,
        description=(
            "Expression: a calculate's value; a read_only question's shown value; on a question"
            " that can be answered, the answer the form fills in (a prefill the screener may"
            " change), see calculate_on."
        ),
    )
    calculate_on: str | None = Field(
        default=None,
        description=(
            "When a prefill is written: unset, whenever its computed value changes (ODK's"
            " calculation); 'start', once, when the interview or repeat entry starts (ODK's"
            " dynamic default); '${name}', each time that question's answer changes (ODK's"
            " trigger)."
        ),
    )
    choice_filter: str | None = Field(
        default=None,
        description=(
            "Expression deciding which choices are offered (selects only): `name` is the"
            " choice's name, another bare name one of its properties, `${x}` a question."
        ),
    )
    default: str | None = Field(
        default=None, description="The answer a new interview starts with, as text."
    )
    appearance: str | None = Field(
        default=None,
        description=(
            "XLSForm appearance words that mean something on a desktop screen: multiline,"
            " minimal, likert, label, list-nolabel, horizontal."
        ),
    )
    read_only: bool = False
    allow_declined: bool | None = Field(
        default=None, description="Whether 'declined to answer' is offered; form default if unset."
    )
    allow_dont_know: bool | None = Field(
        default=None, description="Whether 'don't know' is offered; form default if unset."
    )
    indicators: list[IndicatorTag] = Field(
        default_factory=list,
        description=(
            "Indicators carried by the answer: for select_one when the chosen choice is"
            " `indicator_choice`; for text, number and date questions by any given answer."
            " For select_multiple put indicators on the choices instead."
        ),
    )
    indicator_choice: str = Field(
        default="yes", description="The select_one choice that carries `indicators`."
    )
    acts: list[Act] = Field(
        default_factory=list,
        description="Palermo acts revealed by the answer, on the same terms as `indicators`.",
    )


class Group(_Strict):
    type: Literal["group", "repeat"]
    name: str = Field(pattern=NAME_PATTERN)
    label: LocalizedText | None = None
    hint: LocalizedText | None = None
    relevant: str | None = None
    repeat_count: str | None = Field(
        default=None, description="Expression giving the number of instances (repeat only)."
    )
    min_repeat: int = Field(default=0, ge=0)
    max_repeat: int | None = Field(default=None, ge=1)
    field_list: bool = Field(default=False, description="Show the group's questions on one page.")
    items: list[Item] = Field(min_length=1)


def _item_kind(value: Any) -> str:
    kind = value.get("type") if isinstance(value, dict) else getattr(value, "type", None)
    return "group" if kind in ("group", "repeat") else "question"


Item = Annotated[
    Annotated[Question, Tag("question")] | Annotated[Group, Tag("group")],
    Discriminator(_item_kind),
]


class Section(_Strict):
    name: str = Field(pattern=NAME_PATTERN)
    label: LocalizedText
    hint: LocalizedText | None = None
    relevant: str | None = None
    required_for_scoring: bool = Field(
        default=False,
        description="When its required questions are unanswered the outcome is 'incomplete'.",
    )
    items: list[Item] = Field(min_length=1)


class ScoringRules(_Strict):
    """How the form's indicators become an outcome (see docs/scoring.md)."""

    population: Literal["adult", "child"] = Field(
        description="Adults need the means element; for children it is not required."
    )
    element_rule: Literal["ilo"] = Field(
        default="ilo",
        description="How many indicators of which strength make an element present.",
    )
    referral_question: str | None = Field(
        default=None,
        description="Question whose 'yes' answer records the screener's referral decision.",
    )
    consent_questions: list[str] = Field(
        default_factory=list,
        description=(
            "select_one questions recording consent. The first (the person's own) must be"
            " answered `yes`, and any other that was answered (a guardian's agreement) too;"
            " otherwise no assessment is made and the outcome is 'incomplete'."
        ),
    )
    note: LocalizedText | None = None
    catalogue: Literal["ilo-ec-2009"] | None = Field(
        default=None,
        description=(
            "The indicator catalogue the form's tags name. Every form written since carries it;"
            " strengths then come from the catalogue's list for the case."
        ),
    )
    sexual_exploitation_answers: list[AnswerRef] = Field(
        default_factory=list,
        description="Answers that disclose sexual exploitation: the sexual lists apply.",
    )
    labour_exploitation_answers: list[AnswerRef] = Field(
        default_factory=list,
        description="Answers that disclose work for others: the labour lists apply.",
    )
    age_question: str | None = Field(
        default=None, description="Integer question: the person's age now."
    )
    age_at_recruitment_question: str | None = Field(
        default=None,
        description="Integer question: age when the recruitment or exploitation began.",
    )
    unaccompanied_answers: list[AnswerRef] = Field(
        default_factory=list,
        description="Answers that show a child is unaccompanied or separated.",
    )
    exploitation_answers: list[AnswerRef] = Field(
        default_factory=list,
        description=(
            "Answers that are exploitation in themselves at any age: someone else took the"
            " earnings of sexual services the person was made to provide (see docs/scoring.md)."
        ),
    )
    child_exploitation_answers: list[AnswerRef] = Field(
        default_factory=list,
        description=(
            "Answers that are exploitation in themselves when the person was a child:"
            " commercial sexual exploitation, use in crime (see docs/scoring.md)."
        ),
    )


class TextVariants(_Strict):
    """Which answer picks the `{{female:…|male:…}}` alternatives in texts (forms/variants.py)."""

    question: str = Field(
        pattern=NAME_PATTERN,
        description="select_one question (e.g. sex) whose choice names key the alternatives.",
    )


class Form(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    version: str = Field(pattern=r"^\d+(\.\d+){0,2}$")
    title: LocalizedText
    description: LocalizedText | None = None
    languages: list[Language] = Field(min_length=1)
    default_language: str = Field(pattern=LANGUAGE_PATTERN)
    allow_declined: bool = Field(
        default=True, description="Form-wide default for offering 'declined to answer'."
    )
    allow_dont_know: bool = Field(
        default=False, description="Form-wide default for offering 'don't know'."
    )
    metadata: list[Literal["start", "end"]] = Field(
        default_factory=list, description="Timestamps recorded with each interview."
    )
    choice_lists: dict[str, list[Choice]] = Field(default_factory=dict)
    sections: list[Section] = Field(min_length=1)
    scoring: ScoringRules | None = None
    text_variants: TextVariants | None = Field(
        default=None, description="Answer that picks gendered wording marked in texts."
    )
    instance_name: str | None = Field(
        default=None,
        description="Expression naming an interview in lists (XLSForm's instance_name).",
    )
    data_files: dict[str, list[dict[str, str]]] = Field(
        default_factory=dict,
        description="CSV and GeoJSON files read by pulldata() and select_*_from_file, as rows"
        " by file name (a GeoJSON feature: its properties, id and Point geometry).",
    )
    missing_files: dict[str, str] = Field(
        default_factory=dict,
        description="Files an imported XLSForm names that were not beside it, by file name, each"
        " with the choice list or table it fills; such a list is empty and the form is not"
        " published until the file is put beside the XLSForm and it is imported again.",
    )

    @field_validator("choice_lists")
    @classmethod
    def _list_names(cls, value: dict[str, list[Choice]]) -> dict[str, list[Choice]]:
        for name in value:
            if not re.match(NAME_PATTERN, name):
                raise ValueError(f"choice list name {name!r} is not a valid name")
        return value

    @model_validator(mode="after")
    def _empty_lists_await_a_file(self) -> Form:
        awaited = set(self.missing_files.values())
        for name, choices in self.choice_lists.items():
            if not choices and name not in awaited:
                raise ValueError(f"choice list {name!r} is empty")
        return self

    def language(self, code: str) -> Language | None:
        return next((lang for lang in self.languages if lang.code == code), None)


Group.model_rebuild()
Section.model_rebuild()
Form.model_rebuild()
