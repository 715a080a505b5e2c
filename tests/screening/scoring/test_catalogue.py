"""The indicator catalogue: valid data, the one vocabulary of every shipped form, documented.

`python3 -m tests.screening.scoring.test_catalogue` rewrites the generated tables of
docs/scoring.md from the data (the tests below fail until they are equal).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from screening.forms.indicators import INDICATOR_LISTS, Element, Strength, catalogue
from screening.forms.model import Form

ROOT = Path(__file__).resolve().parents[3]
DOC = ROOT / "docs" / "scoring.md"
FORMS = ("rapid-screening", "screening-adult", "screening-child")
CASES = ROOT / "tests" / "forms" / "cases"
SHORT = {Strength.STRONG: "S", Strength.MEDIUM: "M", Strength.WEAK: "W", None: "—"}


def form(form_id: str) -> Form:
    return Form.model_validate_json((ROOT / "forms" / f"{form_id}.json").read_text("utf-8"))


def tags_of(f: Form) -> list[tuple[str, Element, str]]:
    """(where, element, indicator) of every tag in a form."""
    found = [
        (f"{name}/{choice.name}", tag.element, tag.indicator)
        for name, choices in f.choice_lists.items()
        for choice in choices
        for tag in choice.indicators
    ]

    def walk(items):
        for item in items:
            if hasattr(item, "items") and not hasattr(item, "indicators"):
                yield from walk(item.items)
            else:
                yield item

    for section in f.sections:
        for question in walk(section.items):
            found += [(question.name, t.element, t.indicator) for t in question.indicators]
    return found


def catalogue_table() -> str:
    lines = [
        "| element | id | indicator | adult labour | adult sexual | child labour | child sexual |",
        "|---|---|---|---|---|---|---|",
    ]
    for entry in catalogue().indicators:
        cells = []
        for name in INDICATOR_LISTS:
            mark = SHORT[entry.strength[name]]
            cells.append(f"{mark}?" if name in entry.unconfirmed else mark)
        lines.append(
            f"| `{entry.element.value}` | `{entry.id}` | {entry.text['en']} | "
            + " | ".join(cells)
            + " |"
        )
    return "\n".join(lines)


def validation_table() -> str:
    lines = [
        "| case | form | outcome | elements present | referral | child protection | source |",
        "|---|---|---|---|---|---|---|",
    ]
    for path in sorted(CASES.glob("*.json")):
        case = json.loads(path.read_text("utf-8"))
        expect = case["expect"]
        elements = ", ".join(f"`{e}`" for e in expect["elements_present"]) or "none"
        source = case["source"].split(":")[0].split(" (")[0]
        lines.append(
            f"| `{path.stem}` | `{case['form']}` | `{expect['result']}` | {elements} | "
            f"{'yes' if expect['referral_recommended'] else 'no'} | "
            f"{'yes' if expect['child_protection'] else 'no'} | {source} |"
        )
    return "\n".join(lines)


def generated(name: str, text: str) -> str:
    match = re.search(rf"<!-- {name}:start -->\n(.*?)<!-- {name}:end -->", text, re.S)
    assert match, f"docs/scoring.md has no {name} block"
    return match.group(1).rstrip("\n")


def test_the_catalogue_loads_and_covers_every_element_and_list() -> None:
    known = catalogue()
    assert {entry.element for entry in known.indicators} == set(Element)
    assert known.lists == list(INDICATOR_LISTS)
    for entry in known.indicators:
        assert set(entry.text) == {"en", "cnr", "ar", "fr"}, entry.id
        # Every strength of the sexual lists is marked unconfirmed: not silently guessed.
        assert {"adult_sexual", "child_sexual"} <= set(entry.unconfirmed), entry.id


def test_the_publication_grades_children_at_least_as_strongly_as_adults() -> None:
    """A check on the transcription: in the ILO/EC labour lists no indicator is weaker for
    a child than for an adult (where the child list has it at all)."""
    rank = {Strength.WEAK: 0, Strength.MEDIUM: 1, Strength.STRONG: 2}
    for entry in catalogue().indicators:
        adult, child = entry.strength["adult_labour"], entry.strength["child_labour"]
        if adult is not None and child is not None:
            assert rank[child] >= rank[adult], entry.id


@pytest.mark.parametrize("form_id", FORMS)
def test_every_tag_of_every_shipped_form_is_a_catalogue_indicator(form_id: str) -> None:
    f = form(form_id)
    assert f.scoring is not None and f.scoring.catalogue == "ilo-ec-2009"
    known = catalogue()
    unknown = [
        (where, element.value, indicator)
        for where, element, indicator in tags_of(f)
        if known.find(element, indicator) is None
    ]
    assert unknown == []


# The same fact asked in the rapid and in the full adult form: (rapid place, adult place).
SAME_MEANING = [
    ("documents_holder/employer", "documents_taken/kept"),
    ("debt_conditions/must_work_to_repay", "debt_terms/by_work"),
    ("debt_conditions/debt_keeps_growing", "debt_terms/growing"),
    ("promise_differences/kind_of_work", "deception/job"),
    ("promise_differences/pay", "deception/pay"),
    ("promise_differences/housing", "deception/housing"),
    ("promise_differences/papers", "deception/documents"),
    ("work_conditions/no_or_low_pay", "pay/not_paid"),
    ("work_conditions/excessive_hours", "hours/h_over_12"),
    ("work_conditions/hazardous_work", "dangerous_work"),
    ("work_conditions/bad_living_conditions", "sleep_basic"),
    ("work_conditions/forced_crime", "illegal_acts"),
    ("work_conditions/forced_sex", "sexual_services"),
    ("threats/hurt_me", "violence"),
    ("threats/threatened_me", "threats/harm_you"),
    ("threats/family", "threats/harm_family"),
    ("threats/report_to_authorities", "threats/report"),
    ("threats/tell_family_or_community", "threats/tell_family"),
    ("freedom/no_locked_in", "free_movement/locked"),
    ("depends_on_them", "depend_on_exploiters"),
    ("someone_controls", "could_leave_job"),
]


@pytest.mark.parametrize(("rapid", "full"), SAME_MEANING)
def test_the_same_fact_carries_the_same_indicator_in_rapid_and_full_forms(
    rapid: str, full: str
) -> None:
    def tags(f: Form, where: str) -> set[tuple[Element, str]]:
        found = {(e, i) for w, e, i in tags_of(f) if w == where}
        assert found, f"{f.id}: nothing tagged at {where}"
        return found

    assert tags(form("rapid-screening"), rapid) == tags(form("screening-adult"), full)


def test_scoring_doc_lists_the_catalogue_as_it_is() -> None:
    assert generated("catalogue", DOC.read_text("utf-8")) == catalogue_table()


def test_scoring_doc_validation_table_is_the_case_set() -> None:
    assert generated("validation", DOC.read_text("utf-8")) == validation_table()


def _rewrite() -> None:
    text = DOC.read_text("utf-8")
    for name, table in (("catalogue", catalogue_table()), ("validation", validation_table())):
        text = re.sub(
            rf"(<!-- {name}:start -->\n).*?(<!-- {name}:end -->)",
            lambda m, t=table: m.group(1) + t + "\n" + m.group(2),
            text,
            flags=re.S,
        )
    DOC.write_text(text, "utf-8")


if __name__ == "__main__":
    _rewrite()
    sys.exit(0)
