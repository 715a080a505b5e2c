"""Gendered wording in form texts: `{{female:…|male:…}}` resolved for the person's answer."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from screening.forms.compiler import compile_data
from screening.forms.problems import FormError
from screening.forms.variants import markup_problems, resolve
from tests.screening.formbuilder import form_data, group, q

SEX = {"sex": ["female", "male", "other"], "yes_no": ["yes", "no"]}


def test_the_chosen_alternative_replaces_the_markup() -> None:
    text = "هل {{male:تشعر|female:تشعرين}} بالأمان؟"
    assert resolve(text, "female") == "هل تشعرين بالأمان؟"
    assert resolve(text, "male") == "هل تشعر بالأمان؟"


@pytest.mark.parametrize("variant", [None, "other", "unknown"])
def test_without_an_alternative_of_its_own_both_forms_are_shown(variant: str | None) -> None:
    text = "Ne, {{male:bio|female:bila}} sam {{male:zaključan|female:zaključana}}"
    assert resolve(text, variant) == "Ne, bio/bila sam zaključan/zaključana"


@given(st.text(alphabet=st.characters(blacklist_characters="{}")), st.sampled_from(["male", None]))
def test_text_without_markup_is_never_changed(text: str, variant: str | None) -> None:
    assert resolve(text, variant) == text


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("{{male:a}}", "only one alternative"),
        ("{{male:a|male:b}}", "twice"),
        ("{{male a|female:b}}", "key:text"),
        ("{{male:a|girl:b}}", "girl are not choices"),
        ("{{male:a|female:b", "unclosed"),
        ("a }} b", "stray"),
    ],
)
def test_malformed_markup_is_named(text: str, fragment: str) -> None:
    problems = markup_problems(text, frozenset({"male", "female", "other"}))
    assert any(fragment in p for p in problems), problems


def _form(label: str, **extra: object) -> dict:
    return form_data(
        q("select_one", "sex", choices="sex"),
        q("select_one", "feel_safe", choices="yes_no", label={"en": label}),
        choice_lists=SEX,
        **extra,
    )


def test_a_form_with_valid_markup_compiles() -> None:
    form = compile_data(
        _form("Are you {{male:sure|female:sure}}?", text_variants={"question": "sex"}), "ok"
    )
    label = form.nodes["feel_safe"].question.label
    assert form.text(label, "en", "female") == "Are you sure?"
    assert form.text(label, "en") == "Are you sure/sure?"


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (_form("Are you {{male:a|female:b}}?"), "declares no text_variants"),
        (_form("Are you {{male:a|woman:b}}?", text_variants={"question": "sex"}), "woman"),
        (_form("Fine", text_variants={"question": "ghost"}), "needs a select_one"),
        (_form("Fine", text_variants={"question": "feel_safe"}), None),
        (
            form_data(
                group("r", q("select_one", "sex", choices="sex"), repeat=True),
                choice_lists=SEX,
                text_variants={"question": "sex"},
            ),
            "outside repeats",
        ),
    ],
)
def test_the_compiler_rejects_bad_variant_rules(data: dict, fragment: str | None) -> None:
    if fragment is None:  # a yes/no question may pick variants too: nothing to reject
        compile_data(data, "ok.json")
        return
    with pytest.raises(FormError) as info:
        compile_data(data, "bad.json")
    assert any(fragment in str(p) for p in info.value.problems)
