"""The status and outcome words shared by the case list, the received list and the case
page come out in Montenegrin from their one context, and the same in every list."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.cases.model import CaseTableModel
from app.coordinator.model import ReceivedModel
from app.i18n import Translations
from app.listing import names


@pytest.fixture
def montenegrin(qapp, tmp_path: Path) -> Iterator[None]:
    translations = Translations(tmp_path)
    assert translations.install("cnr")
    yield
    translations.uninstall()


def test_statuses_and_outcomes_in_montenegrin(montenegrin: None) -> None:
    assert names.status_name("completed") == "Završen"
    assert names.status_name("draft") == "Nacrt"
    assert names.outcome_name("possible_trafficking") == "Moguća trgovina ljudima"
    assert names.outcome_name("unknown_code") == "unknown_code"


def test_both_lists_use_the_same_words(montenegrin: None) -> None:
    cases, received = CaseTableModel(), ReceivedModel()
    for status in ("completed", "stopped"):
        assert cases.status_name(status) == received.status_name(status)
    for outcome in ("likely_trafficked", "no_indication", "incomplete"):
        assert cases.outcome_name(outcome) == received.outcome_name(outcome)
    assert (
        received.headerData(6, Qt.Orientation.Horizontal) == "Izmjena procjenjivača"
    )  # its own context still


def test_local_time_leaves_other_text_alone() -> None:
    assert names.local_time("not a stamp") == "not a stamp"
    assert names.short_id("0123456789abcdef") == "01234567"
