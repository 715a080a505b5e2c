"""The explanation in English, Montenegrin, Arabic and French: complete, consistent, readable."""

from __future__ import annotations

import re
import string

import pytest

from screening.forms.indicators import Element, Strength
from screening.forms.model import Form
from screening.scoring import messages, score
from tests.screening.scoring.sample import CLEAR, form_data, sample_form

FORM = sample_form()
LANGUAGES = ("en", "cnr", "ar", "fr")
ARABIC = re.compile(r"[\u0600-\u06FF]")
CYRILLIC = re.compile(r"[\u0400-\u04FF]")


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_language_has_every_template_with_the_same_placeholders() -> None:
    assert set(messages.TEMPLATES) == set(LANGUAGES) == set(messages.SUPPORTED)
    english = messages.TEMPLATES["en"]
    for language in LANGUAGES:
        templates = messages.TEMPLATES[language]
        assert set(templates) == set(english), language
        for key, template in templates.items():
            assert fields(template) == fields(english[key]), (language, key)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_element_outcome_and_strength_is_named(language: str) -> None:
    assert set(messages.ELEMENT_NAMES[language]) == set(Element)
    assert set(messages.STRENGTH_NAMES[language]) == set(Strength)
    assert set(messages.OUTCOME_NAMES[language]) == {
        "likely_trafficked",
        "possible_trafficking",
        "no_indication",
        "incomplete",
    }


@pytest.mark.parametrize("language", ["cnr", "ar", "fr"])
def test_translations_are_not_english_left_in_place(language: str) -> None:
    for key, template in messages.TEMPLATES[language].items():
        if len(template) > 30:
            assert template != messages.TEMPLATES["en"][key], (language, key)
    script_texts = [
        *messages.TEMPLATES[language].values(),
        *messages.ELEMENT_NAMES[language].values(),
        *messages.OUTCOME_NAMES[language].values(),
        *messages.STRENGTH_NAMES[language].values(),
    ]
    for text in script_texts:
        if language == "ar" and re.search("[A-Za-z]{2}", fields_removed(text)):
            pytest.fail(f"Latin letters in Arabic text: {text!r}")
        if language == "cnr":
            assert not CYRILLIC.search(text), "Montenegrin is written in Latin script here"


def fields_removed(text: str) -> str:
    return re.sub(r"\{[a-z_]+\}", "", text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_explanation_in_each_language_covers_outcome_every_element_and_labels(
    language: str,
) -> None:
    result = score(FORM, {**CLEAR, "refer": "yes"}, {"forced_to_go": "declined"}, [], language)
    assert result.language == language
    text = "\n".join(result.explanation)
    for element in Element:
        assert messages.ELEMENT_NAMES[language][element] in text
    # Questions and choices are named by their label in the same language.
    assert f"Job lie ({language})" in text
    assert f"Hours ({language})" in text
    assert f"Forced to go ({language})" in text  # in the declined sentence
    assert "(en)" not in text or language == "en"
    if language == "ar":
        assert all(ARABIC.search(sentence) for sentence in result.explanation)
    # outcome, six elements, declined, referral recommended, screener's referral
    assert len(result.explanation) == 1 + 6 + 1 + 1 + 1


def test_english_sentences_read_as_expected() -> None:
    result = score(FORM, CLEAR, {}, [], "en")
    assert result.explanation[0].startswith("Likely trafficked: a recruitment element")
    assert result.explanation[1] == (
        "Deceptive recruitment is present (strong: 1, medium: 1, weak: 0): "
        "“Job lie (en)” → “Yes (en)” (strong); “Pay lie (en)” → “Yes (en)” (medium)."
    )
    assert result.explanation[2] == "Coercive recruitment: no indicator found."
    assert result.explanation[4] == (
        "Exploitation is present (strong: 1, medium: 1, weak: 0): "
        "“Conditions (en)” → “Hours (en)” (strong), “Unpaid (en)” (medium)."
    )


def test_below_threshold_and_possible_sentences() -> None:
    result = score(FORM, {"documents": "employer"}, {}, [], "en")
    assert result.explanation[0].startswith("Possible trafficking, further assessment needed")
    assert "a strong indicator was found" in result.explanation[0]
    assert (
        "Coercion at destination is not present, below the ILO threshold "
        "(strong: 1, medium: 0, weak: 0): “Documents (en)” → “Employer (en)” (strong)."
    ) in result.explanation
    elements = score(FORM, {"documents": "employer", "threats": ["violence"]}, {}, [], "fr")
    assert "certains éléments sont présents (Contrainte à destination)" in elements.explanation[0]


def test_repeat_instances_are_named_with_their_number() -> None:
    result = score(FORM, {"kept_documents[2]": "yes"}, {}, [], "en")
    assert "“Kept documents (en) [2]” → “Yes (en)” (strong)" in "\n".join(result.explanation)


def test_an_answer_in_a_repeat_inside_a_repeat_is_named_with_both_numbers() -> None:
    # `name[2][3]`: the third inner instance of the second outer one (docs/forms.md).
    result = score(FORM, {"kept_documents[2][3]": "yes"}, {}, [], "en")
    assert "“Kept documents (en) [2.3]” → “Yes (en)” (strong)" in "\n".join(result.explanation)


def test_number_answers_show_the_question_not_the_value() -> None:
    result = score(FORM, {"debt_amount": 4321}, {}, [], "en")
    text = "\n".join(result.explanation)
    assert "“Debt amount (en)” (medium)" in text
    assert "4321" not in text


def test_missing_translation_of_a_label_falls_back_to_the_default_language() -> None:
    data = form_data()
    del data["sections"][0]["items"][0]["label"]["fr"]
    result = score(Form.model_validate(data), {"job_lie": "yes"}, {}, [], "fr")
    assert "« Job lie (en) »" in "\n".join(result.explanation)


@pytest.mark.parametrize("language", LANGUAGES)
def test_dont_know_and_incomplete_sentences_exist_in_each_language(language: str) -> None:
    result = score(FORM, {}, {"documents": "dont_know"}, ["control"], language)
    assert result.explanation[0] == messages.text(language, "insufficient_information")
    assert f"Control ({language})" in result.explanation[1]
    assert any(f"Documents ({language})" in sentence for sentence in result.explanation)
