"""Which form languages come with a not-yet-reviewed notice."""

from __future__ import annotations

from screening.forms.model import Form, Review
from screening.forms.review import needs_review_notice, review_state
from tests.screening.formbuilder import form_data, q


def _form(**languages: dict) -> Form:
    data = form_data(q("text", "a"))
    data["languages"] = [{"code": code, "name": code, **extra} for code, extra in languages.items()]
    data["title"] = {code: "T" for code in languages}
    data["sections"][0]["label"] = {code: "S" for code in languages}
    data["sections"][0]["items"][0]["label"] = {code: "A" for code in languages}
    return Form.model_validate(data)


def test_only_the_source_and_field_reviewed_languages_go_without_notice() -> None:
    form = _form(
        en={"review": "source"},
        fr={"review": "field_reviewed"},
        ar={"review": "desk_reviewed"},
        cnr={"review": "not_reviewed"},
    )
    assert [needs_review_notice(form, c) for c in ("en", "fr", "ar", "cnr")] == [
        False,
        False,
        True,
        True,
    ]
    assert needs_review_notice(form, "de"), "a language the form lacks is not reviewed"


def test_a_form_that_says_nothing_trusts_only_its_default_language() -> None:
    form = _form(en={}, ar={})
    assert review_state(form, "en") == Review.SOURCE
    assert review_state(form, "ar") == Review.NONE
    assert needs_review_notice(form, "ar") and not needs_review_notice(form, "en")
