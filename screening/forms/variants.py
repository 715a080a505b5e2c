"""Wording that changes with the person's sex, chosen from an answer (e.g. `sex`).

Arabic addresses a woman and a man with different words (لستَ مضطرًا / لستِ مضطرةً), and a
Montenegrin child form's past tenses and adjectives agree with the child (bio / bila). A text
marks only the words that differ, inline: `{{female:مضطرةً|male:مضطرًا}}`. The keys are choice
names of the form's `text_variants.question`. Once that question is answered the engine picks
the matching alternative; before that, or for an answer with no alternative of its own (e.g.
`other`), every alternative is shown paired ("مضطرةً/مضطرًا"), so a text never reads as if
everyone were male. Any language may use the markup; texts without it are unaffected.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from screening.forms.model import Choice, Form, Group, LocalizedText, Question, Section

MARKUP = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
PAIR_SEPARATOR = "/"


def alternatives(inner: str) -> list[tuple[str, str]]:
    """`female:a|male:b` → [("female", "a"), ("male", "b")]; ValueError when malformed."""
    pairs: list[tuple[str, str]] = []
    for part in inner.split("|"):
        key, colon, text = part.partition(":")
        if not colon or not key.strip() or not text.strip():
            raise ValueError(f"{{{{{inner}}}}} needs the form key:text|key:text")
        pairs.append((key.strip(), text))
    if len(pairs) < 2:
        raise ValueError(f"{{{{{inner}}}}} has only one alternative")
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        raise ValueError(f"{{{{{inner}}}}} names an alternative twice")
    return pairs


def resolve(text: str, variant: str | None) -> str:
    """The text for `variant`: its alternative where one is marked, else all of them paired."""

    def pick(match: re.Match[str]) -> str:
        try:
            pairs = alternatives(match.group(1))
        except ValueError:
            return match.group(0)  # the compiler reports it; show the text as written
        chosen = dict(pairs).get(variant) if variant is not None else None
        return chosen if chosen is not None else PAIR_SEPARATOR.join(t for _, t in pairs)

    return MARKUP.sub(pick, text) if "{{" in text else text


def markup_problems(text: str, keys: frozenset[str] | None) -> list[str]:
    """What is wrong with the markup of one text, given the allowed keys (None: no rule)."""
    problems: list[str] = []
    for match in MARKUP.finditer(text):
        if keys is None:
            problems.append("uses {{…}} variants but the form declares no text_variants")
            continue
        try:
            pairs = alternatives(match.group(1))
        except ValueError as exc:
            problems.append(str(exc))
            continue
        unknown = sorted({key for key, _ in pairs} - keys)
        if unknown:
            problems.append(f"variant key(s) {', '.join(unknown)} are not choices of the rule")
    leftover = MARKUP.sub("", text)
    if "{{" in leftover or "}}" in leftover:
        problems.append("has an unclosed {{ or a stray }}")
    return problems


def form_texts(form: Form) -> Iterator[tuple[str | None, str, LocalizedText]]:
    """Every localized text of the form: (item name or None, what it is, the text)."""
    yield None, "title", form.title
    if form.description:
        yield None, "description", form.description
    for list_name, choices in form.choice_lists.items():
        for choice in choices:
            yield None, f"choice list {list_name}: choice {choice.name} label", choice.label

    def walk(items: list[Question | Group] | list[Section]) -> Iterator:
        for item in items:
            for attr in ("label", "hint", "constraint_message", "required_message"):
                text = getattr(item, attr, None)
                if text:
                    yield item.name, attr, text
            if isinstance(item, (Group, Section)):
                yield from walk(item.items)

    yield from walk(form.sections)
    if form.scoring is not None and form.scoring.note:
        yield None, "scoring note", form.scoring.note


def variant_keys(form: Form) -> frozenset[str] | None:
    """Choice names of the variant question, or None when the form declares no rule."""
    rule = form.text_variants
    if rule is None:
        return None

    def find(items: list) -> Question | None:
        for item in items:
            if isinstance(item, Question) and item.name == rule.question:
                return item
            if isinstance(item, (Group, Section)):
                found = find(item.items)
                if found is not None:
                    return found
        return None

    question = find(form.sections)
    if question is None or question.choices not in form.choice_lists:
        return frozenset()
    choices: list[Choice] = form.choice_lists[question.choices]
    return frozenset(choice.name for choice in choices)
