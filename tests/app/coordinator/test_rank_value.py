"""A rank answer (ODK's "b a c") reads on the case page as the numbered order of its labels."""

from __future__ import annotations

from app.coordinator.casedata import format_value
from tests.screening.formbuilder import compiled, q


def test_a_ranking_is_shown_as_a_numbered_order_of_labels() -> None:
    form = compiled(
        q("rank", "needs", choices="needs"), choice_lists={"needs": ["shelter", "legal"]}
    )
    node = form.nodes["needs"]
    assert format_value(form, node, "legal shelter", "en") == "1. legal; 2. shelter"
