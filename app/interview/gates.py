"""What keeps the screener on a page: a required answer missing, too few repeat entries.

The engine says what is required and what is missing; this only phrases it for the page.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.interview.pages import REPEAT_PAGE_PREFIX, Page, page_of
from screening.engine import InterviewSession, parse_path


def required_message(session: InterviewSession, key: str, language: str) -> str:
    form = session.form
    node = form.nodes[parse_path(key)[0]]
    own = form.text(node.question.required_message, language)
    if own:
        return own
    if form.allows_declined(node):
        return QCoreApplication.translate(
            "InterviewView",
            "An answer is needed. If the person prefers not to say, press Declined.",
        )
    return QCoreApplication.translate("InterviewView", "An answer is needed before moving on.")


def blocking(session: InterviewSession, page: Page, language: str) -> tuple[str | None, str] | None:
    """(question key or None, message) when the screener may not leave `page` forwards."""
    form = session.form
    if page.is_repeat_prompt:
        node = form.nodes[page.repeat or ""]
        wanted = node.source.min_repeat  # type: ignore[union-attr]
        if session.instance_count(node.name, page.outer) < wanted:
            return None, QCoreApplication.translate(
                "InterviewView", "At least {0} entries are needed here."
            ).format(wanted)
        return None
    for key in page.questions:
        name, instance = parse_path(key)
        node = form.nodes[name]
        if node.answerable and session.is_required(node, instance) and session.get(key) is None:
            return key, required_message(session, key, language)
    return None


def first_problem(session: InterviewSession, pages: list[Page]) -> int | None:
    """The page of the first missing, invalid or too-small answer; None when all is done."""
    problems = session.missing_required() + session.invalid()
    if problems:
        return page_of(pages, problems[0])
    for repeat in session.repeat_problems():
        index = next((i for i, p in enumerate(pages) if p.key == REPEAT_PAGE_PREFIX + repeat), None)
        if index is not None:
            return index
    return None
