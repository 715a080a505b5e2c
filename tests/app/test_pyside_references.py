"""Guard against PySide6 builds that drop references to None/True/False.

PySide6-Essentials 6.12.0 returns None from calls such as QApplication.focusWidget() without
taking a reference; on Python 3.11 the interpreter then aborts ("deallocating None") after a
few thousand calls, in the middle of a session. pyproject.toml pins a version without the
bug; this test fails if an upgrade brings it back.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QComboBox, QWidget


def test_wrapped_calls_keep_singleton_reference_counts(qapp: QApplication) -> None:
    widget = QWidget()
    combo = QComboBox()
    combo.addItem("x")
    before_none, before_true = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(2000):
        QApplication.focusWidget()
        widget.parent()
        combo.currentData()
        widget.isVisible()
    assert sys.getrefcount(None) - before_none > -50
    assert sys.getrefcount(True) - before_true > -50
