"""The case list shows a form's instance_name beside the case code (screening.case_labels)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from app.cases.model import LABEL_ROLE, CaseTableModel
from app.cases.source import CaseSource
from screening.recording import store_replay
from screening.sync.offered import form_catalogue
from tests.screening.orgforms import install, laptop_vault, org_form, org_keys


def test_the_label_is_shown_beside_the_code(qtbot, tmp_path: Path) -> None:
    org = org_keys()
    vault = laptop_vault(tmp_path / "vault", "amina", "correct horse battery staple", org)
    named = org_form("harbour-named")
    named["instance_name"] = "concat('Age ', ${age})"
    install(vault, org, named)
    form = form_catalogue(vault).compiled("harbour-named")
    labelled, _, _ = store_replay(vault, form, "en", [("consent", "yes"), ("age", 29)])
    rapid = form_catalogue(vault).compiled("rapid-screening")
    plain, _, _ = store_replay(vault, rapid, "en", [("consent", "yes")])
    model = CaseTableModel()
    model.attach(CaseSource(vault))
    shown = {
        model.index(row, 0).data(Qt.ItemDataRole.UserRole): (
            model.index(row, 0).data(),
            model.index(row, 0).data(LABEL_ROLE),
        )
        for row in range(model.rowCount())
    }
    assert shown == {
        labelled: (f"{labelled[:8]} · Age 29", "Age 29"),
        plain: (plain[:8], None),
    }
    vault.lock()
