"""`score()`: from a form's relevant answers to a `ScoringResult` with its explanation."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from screening.errors import ScreeningError
from screening.forms.indicators import Element, Strength
from screening.forms.model import Choice, Form, Group, LocalizedText, Question, QuestionType
from screening.forms.variants import resolve
from screening.scoring import messages
from screening.scoring.explain import Facts, Labels, explain
from screening.scoring.result import ElementResult, IndicatorHit, ScoringResult
from screening.scoring.rules import REFERRAL_OUTCOMES, count_distinct, decide, element_present

SPECIALS = ("declined", "dont_know")
_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_.-]*)(?:\[([1-9][0-9]*)\])?$")


class ScoringError(ScreeningError):
    """Answers that do not fit the form they are scored against."""


@dataclass(frozen=True)
class _Entry:
    question: Question
    order: int
    choices: dict[str, Choice] = field(default_factory=dict)
    choice_order: dict[str, int] = field(default_factory=dict)

    @property
    def carries_indicators(self) -> bool:
        return bool(self.question.indicators) or any(c.indicators for c in self.choices.values())


@dataclass(frozen=True)
class _Key:
    text: str
    name: str
    instance: int | None
    entry: _Entry

    @property
    def order(self) -> tuple[int, int]:
        return (self.entry.order, self.instance or 0)


def score(
    form: Form,
    answers: Mapping[str, object],
    specials: Mapping[str, str],
    incomplete_sections: Sequence[str],
    language: str,
) -> ScoringResult:
    """Score the relevant answers of one interview.

    `answers`: values of the relevant answered questions by key (`name` or `name[i]`);
    `specials`: key → "declined" or "dont_know"; `incomplete_sections`: sections with
    required answers missing (only those marked required_for_scoring make it incomplete);
    `language`: the explanation's language (falls back to English when unsupported).
    """
    rules = form.scoring
    if rules is None:
        raise ScoringError(f"form {form.id} has no scoring rules.")
    index = _index(form)
    lang = messages.resolve_language(language)

    declined: list[_Key] = []
    dont_know: list[_Key] = []
    for text, special in specials.items():
        key = _parse(text, index, form)
        if special not in SPECIALS:
            raise ScoringError(
                f"the special answer {special!r} to {text} is neither 'declined' nor 'dont_know'."
            )
        (declined if special == "declined" else dont_know).append(key)

    tagged: dict[Element, list[tuple[tuple[int, ...], IndicatorHit]]] = {e: [] for e in Element}
    asked = any(key.entry.carries_indicators for key in (*declined, *dont_know))
    for text, value in answers.items():
        if text in specials:
            continue  # a declined or don't-know answer never counts, whatever value came along
        key = _parse(text, index, form)
        if _is_empty(value):
            continue
        asked = asked or key.entry.carries_indicators
        for element, sort_key, hit in _hits(key, value):
            tagged[element].append((sort_key, hit))
    elements = {
        element: _element_result(tagged[element], rules.element_rule) for element in Element
    }

    strong_found = any(
        hit.strength == Strength.STRONG for result in elements.values() for hit in result.indicators
    )
    present = [element for element in Element if elements[element].present]
    decision = decide(present, rules.population, strong_found)
    blocking = _blocking_sections(form, incomplete_sections)
    screener = _screener_referral(rules.referral_question, answers, specials)
    # The screener's "yes" always stands: they may have seen what no question asked about.
    # Their "no" never removes a referral the indicators call for; that takes an override.
    referral = decision.outcome in REFERRAL_OUTCOMES or screener is True

    declined_keys = [key.text for key in sorted(declined, key=lambda k: k.order)]
    dont_know_keys = [key.text for key in sorted(dont_know, key=lambda k: k.order)]
    if not _consented(rules.consent_questions, answers):
        # Without consent nothing was assessed: "no indication" would be a finding that was
        # never made, and would count in statistics as one.
        return ScoringResult(
            form_id=form.id,
            form_version=form.version,
            population=rules.population,
            result="incomplete",
            indicated_result="no_indication",
            referral_recommended=False,
            screener_referral=screener,
            elements=elements,
            declined=declined_keys,
            dont_know=dont_know_keys,
            # Every section scoring needs went unasked.
            incomplete_sections=[s.name for s in form.sections if s.required_for_scoring]
            or [form.sections[0].name],
            explanation=[messages.text(lang, "consent_refused")],
            language=lang,
        )
    facts = Facts(
        population=rules.population,
        decision=decision,
        elements=elements,
        incomplete_sections=blocking,
        declined=declined_keys,
        dont_know=dont_know_keys,
        indicator_questions_asked=asked,
        screener_referral=screener,
    )
    return ScoringResult(
        form_id=form.id,
        form_version=form.version,
        population=rules.population,
        result="incomplete" if blocking else decision.outcome,
        indicated_result=decision.outcome,
        referral_recommended=referral,
        screener_referral=screener,
        elements=elements,
        declined=declined_keys,
        dont_know=dont_know_keys,
        incomplete_sections=blocking,
        explanation=explain(facts, _labels(form, index, lang), lang),
        language=lang,
    )


def _element_result(tagged: list[tuple[tuple[int, ...], IndicatorHit]], rule: str) -> ElementResult:
    hits = [hit for _, hit in sorted(tagged, key=lambda pair: pair[0])]
    counts = count_distinct((hit.indicator, hit.strength) for hit in hits)
    return ElementResult(
        present=element_present(counts, rule),
        indicators=hits,
        counts={
            Strength.STRONG: counts.strong,
            Strength.MEDIUM: counts.medium,
            Strength.WEAK: counts.weak,
        },
    )


def _hits(key: _Key, value: object) -> Iterator[tuple[Element, tuple[int, ...], IndicatorHit]]:
    question = key.entry.question
    chosen = _chosen(key, value)
    for name in chosen:
        choice = key.entry.choices[name]
        position = key.entry.choice_order[name]
        for number, tag in enumerate(choice.indicators):
            hit = IndicatorHit(
                question=key.text, choice=name, indicator=tag.indicator, strength=tag.strength
            )
            yield tag.element, (*key.order, position, number), hit
    if not question.indicators:
        return
    if question.type in (QuestionType.SELECT_ONE, QuestionType.SELECT_MULTIPLE):
        if question.indicator_choice not in chosen:
            return
        choice_name: str | None = question.indicator_choice
    else:
        choice_name = None  # any given answer carries them; the value itself is not shown
    for number, tag in enumerate(question.indicators):
        hit = IndicatorHit(
            question=key.text, choice=choice_name, indicator=tag.indicator, strength=tag.strength
        )
        # After the choices' own tags: they are the more specific reading of the answer.
        yield tag.element, (*key.order, len(key.entry.choices), number), hit


def _chosen(key: _Key, value: object) -> list[str]:
    kind = key.entry.question.type
    if kind == QuestionType.SELECT_ONE:
        if not isinstance(value, str):
            raise ScoringError(f"the answer to {key.text} must be the name of one choice.")
        names = [value]
    elif kind == QuestionType.SELECT_MULTIPLE:
        items = value.split() if isinstance(value, str) else value
        if not isinstance(items, list | tuple | set | frozenset) or not all(
            isinstance(item, str) for item in items
        ):
            raise ScoringError(f"the answer to {key.text} must be a list of choice names.")
        names = list(dict.fromkeys(items))
    else:
        return []
    for name in names:
        if name not in key.entry.choices:
            raise ScoringError(f"{name!r} is not one of the choices of {key.text}.")
    return names


def _is_empty(value: object) -> bool:
    return value is None or value == "" or (isinstance(value, list | tuple) and not value)


def _screener_referral(
    question: str | None, answers: Mapping[str, object], specials: Mapping[str, str]
) -> bool | None:
    if question is None or question in specials or _is_empty(answers.get(question)):
        return None
    return answers[question] == "yes"


def _consented(questions: Sequence[str], answers: Mapping[str, object]) -> bool:
    if not questions:
        return True
    own, *others = questions
    return answers.get(own) == "yes" and all(
        answers[name] == "yes" for name in others if not _is_empty(answers.get(name))
    )


def _blocking_sections(form: Form, incomplete: Sequence[str]) -> list[str]:
    known = {section.name: section for section in form.sections}
    unknown = [name for name in incomplete if name not in known]
    if unknown:
        raise ScoringError(f"form {form.id} has no section {unknown[0]!r}.")
    wanted = set(incomplete)
    return [s.name for s in form.sections if s.name in wanted and s.required_for_scoring]


def _parse(text: str, index: Mapping[str, _Entry], form: Form) -> _Key:
    match = _KEY.match(text) if isinstance(text, str) else None
    if match is None:
        raise ScoringError(f"{text!r} is not a question name.")
    name = match.group(1)
    entry = index.get(name)
    if entry is None:
        raise ScoringError(f"form {form.id} has no question {name!r}.")
    instance = int(match.group(2)) if match.group(2) else None
    return _Key(text, name, instance, entry)


def _index(form: Form) -> dict[str, _Entry]:
    index: dict[str, _Entry] = {}
    for question in _questions(item for section in form.sections for item in section.items):
        if question.name in index or question.type == QuestionType.NOTE:
            continue
        choices = form.choice_lists.get(question.choices or "", [])
        index[question.name] = _Entry(
            question=question,
            order=len(index),
            choices={choice.name: choice for choice in choices},
            choice_order={choice.name: i for i, choice in enumerate(choices)},
        )
    return index


def _questions(items: Iterable[Question | Group]) -> Iterator[Question]:
    for item in items:
        if isinstance(item, Group):
            yield from _questions(item.items)
        else:
            yield item


def _labels(form: Form, index: Mapping[str, _Entry], language: str) -> Labels:
    def localized(text: LocalizedText | None, fallback: str) -> str:
        if not text:
            return fallback
        value = text.get(language) or text.get(form.default_language)
        # Gendered wording stays paired: the explanation is read by staff, not to the person.
        return resolve(value, None) if value else fallback

    def question(key: str) -> str:
        match = _KEY.match(key)
        assert match is not None  # keys were parsed before the explanation is written
        name, instance = match.group(1), match.group(2)
        label = localized(index[name].question.label, name)
        return f"{label} [{instance}]" if instance else label

    def choice(key: str, choice_name: str) -> str:
        match = _KEY.match(key)
        assert match is not None
        found = index[match.group(1)].choices.get(choice_name)
        return localized(found.label if found else None, choice_name)

    sections = {section.name: section for section in form.sections}

    def section(name: str) -> str:
        return localized(sections[name].label, name)

    return Labels(question=question, choice=choice, section=section)
