"""The base every per-type answer input shares: the signal it hands an answer over with, and
what the question block asks of it."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from screening.engine import Answer


class AnswerInput(QWidget):
    """Base of the per-type inputs."""

    given = Signal(object)

    def show_answer(self, answer: Answer | None) -> None:
        raise NotImplementedError

    def pending(self) -> tuple[bool, object]:
        """(whether the screen holds a value not yet handed over, that value)."""
        return False, None

    def focus_input(self) -> None:
        self.setFocus()

    def pick(self, number: int) -> bool:
        return False
