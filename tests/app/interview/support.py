"""Shared test helpers: real vaults with cheap key derivation, forms, keyboard driving."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QWidget

from app.interview.forms import compiled_form
from screening.forms.compiler import CompiledForm
from screening.vault import KdfParams, Vault

USER = "Amira Haddad"
PASSPHRASE = "violet kettle marathon orbit"
FAST = KdfParams.fast_for_tests()

# Every page of the rapid screening, answered the way a screener would type it: digits pick
# choices (several digits tick several boxes), anything else is typed. Indicators are chosen so
# that several ILO elements are present.
RAPID_KEYS: list[tuple[str, str]] = [
    ("consent", "1"),
    ("interpreting", "2"),
    ("age", "34"),
    ("safe_now", "1"),
    ("needs_medical", "1"),
    ("someone_controls", "1"),
    ("documents_holder", "3"),
    ("owes_debt", "1"),
    ("debt_conditions", "12"),
    ("job_promised", "1"),
    ("promise_broken", "13"),
    ("work_conditions", "12"),
    ("depends_on_them", "1"),
    ("distress_check", ""),  # a note for the screener: Enter moves on
    ("free_to_leave", "3"),
    ("violence_warning", ""),
    ("threats", "2"),
    ("refer_full_screening", "1"),
]
RAPID_VALUES: dict[str, object] = {
    "consent": "yes",
    "interpreting": "professional",
    "age": 34,
    "safe_now": "yes",
    "needs_medical": "yes",
    "someone_controls": "yes",
    "documents_holder": "organiser",
    "owes_debt": "yes",
    "debt_conditions": ["must_work_to_repay", "debt_keeps_growing"],
    "job_promised": "yes",
    "promise_broken": ["kind_of_work", "pay"],
    "work_conditions": ["no_or_low_pay", "excessive_hours"],
    "depends_on_them": "yes",
    "free_to_leave": "no_locked_in",
    "threats": ["threatened_me"],
    "refer_full_screening": "yes",
}
CHOICE_PAGES = {"consent", "interpreting", "safe_now", "needs_medical", "someone_controls"}


@pytest.fixture
def vault_dir(tmp_path: Path) -> Path:
    return tmp_path / "vault"


@pytest.fixture
def vault(vault_dir: Path) -> Iterator[Vault]:
    v = Vault.create(vault_dir, USER, PASSPHRASE, kdf=FAST)
    yield v
    v.lock()


@pytest.fixture
def rapid() -> CompiledForm:
    return compiled_form("rapid-screening")


def new_interview(
    vault: Vault, form: CompiledForm, interviewee: str = "en", screener: str = "en"
) -> str:
    return vault.create_interview(
        form_id=form.id,
        form_version=form.version,
        form_hash=form.form_hash,
        language=interviewee,
        screener_language=screener,
        location="TEST-1",
    )


def show(qtbot, widget: QWidget) -> None:  # type: ignore[no-untyped-def]
    qtbot.addWidget(widget)
    widget.resize(1100, 720)
    with qtbot.waitActive(widget):
        widget.show()
        widget.activateWindow()


def click(qtbot, button: QWidget) -> None:  # type: ignore[no-untyped-def]
    """A mouse click where a radio or check box reacts: on its indicator, not mid-row."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has keyboard focus"
    return widget


def press(qtbot, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    """A key pressed where the focus is, as the screener's keyboard would send it."""
    qtbot.keyClick(focused(), key, modifier)


def type_keys(qtbot, text: str) -> None:  # type: ignore[no-untyped-def]
    """Digits on a choice page pick choices; anything else is typed into the focused input."""
    qtbot.keyClicks(focused(), text)
