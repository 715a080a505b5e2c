"""The interview engine: an `InterviewSession` over a compiled form and its answers."""

from screening.engine.instances import Path, format_path, parse_path
from screening.engine.session import AnswerResult, InterviewSession, SectionProgress
from screening.engine.values import Answer, Special, format_key, parse_key

__all__ = [
    "Answer",
    "AnswerResult",
    "InterviewSession",
    "Path",
    "SectionProgress",
    "Special",
    "format_key",
    "format_path",
    "parse_key",
    "parse_path",
]
