"""What the screener steps through: the engine's visible questions, grouped into pages.

The engine decides which questions are visible and in what order (`session.pages()`); this
module only groups them for display: a field-list group's questions share a page, and a repeat
the screener sizes gets a page of its own where instances are added.
"""

from __future__ import annotations

from dataclasses import dataclass

from screening.engine import InterviewSession, Path, format_path, parse_path
from screening.engine.session_repeats import REPEAT_PROMPT
from screening.forms.compiler import CompiledForm, Node

REPEAT_PAGE_PREFIX = REPEAT_PROMPT


@dataclass(frozen=True)
class Page:
    key: str  # stable id: a question key, a field-list group key, or "+repeat" ("+inner[2]")
    questions: tuple[str, ...]  # answer keys of the questions and notes shown
    section: str
    repeat: str | None = None  # set on the "add another" page of a screener-sized repeat
    outer: Path = ()  # on that page, for a repeat inside a repeat: the outer instance

    @property
    def is_repeat_prompt(self) -> bool:
        return self.repeat is not None


def _field_list_group(form: CompiledForm, node: Node) -> Node | None:
    """The outermost field-list group around `node`: its questions are shown together."""
    found = None
    parent = node.parent
    while parent is not None:
        candidate = form.nodes[parent]
        if candidate.kind in ("group", "repeat") and getattr(candidate.source, "field_list", False):
            found = candidate
        parent = candidate.parent
    return found


def user_sized(node: Node) -> bool:
    return node.kind == "repeat" and node.repeat_count is None


def build_pages(session: InterviewSession) -> list[Page]:
    """The engine's flow of questions, in pages; the engine also says where each repeat the
    screener sizes gets its "add another" page (after its instances, within each outer one)."""
    form = session.form
    pages: list[Page] = []
    for key in session.flow():
        if key.startswith(REPEAT_PROMPT):
            repeat, outer = parse_path(key[len(REPEAT_PROMPT) :])
            section = form.nodes[repeat].section
            pages.append(Page(key, (), section, repeat=repeat, outer=outer))
            continue
        name, instance = parse_path(key)
        node = form.nodes[name]
        group = _field_list_group(form, node)
        if group is None:
            pages.append(Page(key, (key,), node.section))
            continue
        # A field-list repeat has a page per instance; a group inside a repeat, per instance.
        depth = len(session.repeat_chain(group.name)) + (1 if group.kind == "repeat" else 0)
        page_key = format_path(group.name, instance[:depth])
        if pages and pages[-1].key == page_key:
            last = pages[-1]
            pages[-1] = Page(page_key, (*last.questions, key), last.section)
        else:
            pages.append(Page(page_key, (key,), node.section))
    return pages


def page_of(pages: list[Page], key: str) -> int | None:
    """Index of the page with this page key or showing this question key."""
    for i, page in enumerate(pages):
        if page.key == key or key in page.questions:
            return i
    return None


def resume_index(session: InterviewSession, pages: list[Page]) -> int:
    """Where a draft reopened from the vault continues when the page it was left at is not
    known or no longer shown (the workspace passes the stored one): after the furthest
    answered page, so skipped optional questions before it do not pull the screener back.
    """
    furthest = -1
    for i, page in enumerate(pages):
        if any(session.get(key) is not None for key in page.questions):
            furthest = i
    if not pages:
        return 0
    return min(furthest + 1, len(pages) - 1)
