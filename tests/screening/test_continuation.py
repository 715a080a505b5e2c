"""Continuing an interview in the child interview: who counts as a child, what is carried."""

from __future__ import annotations

from pathlib import Path

from screening.continuation import CHILD_FORM, carried_answers, continue_in, is_child
from screening.sync.offered import form_catalogue
from screening.vault import KdfParams, Vault


def compiled_form(form_id: str):  # type: ignore[no-untyped-def]
    return form_catalogue(None).compiled(form_id)


def test_the_decision_needs_an_age_under_18_outside_the_child_form():
    assert is_child({"age": (15, None)}, "rapid-screening")
    assert not is_child({"age": (18, None)}, "rapid-screening")
    assert not is_child({"age": (15, None)}, "screening-child")
    assert not is_child({"age": (None, "declined")}, "screening-adult")
    assert not is_child({}, "rapid-screening")


def test_only_answers_the_child_form_accepts_are_carried():
    adult, child = compiled_form("screening-adult"), compiled_form("screening-child")
    answers = {
        "consent": ("yes", None),
        "age": (16, None),
        "sex": (None, "declined"),
        "preferred_name": ("Sami", None),
        "how_left": ("a_choice_the_child_form_lacks", None),
        "family_relation[1]": ("child", None),  # a repeat entry: not carried
        "no_such_question": ("x", None),
    }
    carried = carried_answers(adult, child, answers)
    assert carried == {
        "consent": ("yes", None),
        "age": (16, None),
        "sex": (None, "declined"),
        "preferred_name": ("Sami", None),
    }


def test_continue_in_starts_the_child_draft_and_stops_the_first(tmp_path: Path) -> None:
    vault = Vault.create(
        tmp_path / "v", "A Screener", "violet kettle marathon orbit", kdf=KdfParams.fast_for_tests()
    )
    rapid, child = compiled_form("rapid-screening"), compiled_form(CHILD_FORM)
    first = vault.create_interview(
        form_id=rapid.id,
        form_version=rapid.version,
        form_hash=rapid.form_hash,
        language="fr",
        screener_language="en",
        interpreter_used=True,
        location="K-2",
    )
    vault.save_answer(first, "consent", "yes")
    vault.save_answer(first, "age", 14)
    new = continue_in(vault, first, child, rapid)
    record = vault.get_interview(new)
    assert (record.form_id, record.language, record.screener_language) == (CHILD_FORM, "fr", "en")
    assert record.interpreter_used and record.location == "K-2"
    assert vault.answers(new) == {"consent": ("yes", None), "age": (14, None)}
    assert vault.get_interview(first).status == "stopped"
    vault.lock()
