"""The outcome view: scoring result, explanation, needs, override and completion."""

from app.outcome.view import OutcomeView

__all__ = ["OutcomeView"]
