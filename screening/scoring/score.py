"""`score()`: from a form's relevant answers to a `ScoringResult` with its explanation."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from screening.errors import ScreeningError
from screening.forms.indicators import Element, IndicatorList, Strength, catalogue
from screening.forms.model import (
    AnswerRef,
    Choice,
    Form,
    Group,
    LocalizedText,
    Question,
    QuestionType,
    ScoringRules,
)
from screening.forms.variants import resolve
from screening.scoring import messages
from screening.scoring.explain import Facts, Labels, explain
from screening.scoring.result import ActHit, ElementResult, IndicatorHit, ScoringResult
from screening.scoring.rules import (
    REFERRAL_OUTCOMES,
    OutcomeDecision,
    Population,
    count_distinct,
    decide,
    element_present,
    outcome_rank,
)

SPECIALS = ("declined", "dont_know")
# `age`, `age[2]`, and inside a repeat within a repeat `age[2][3]` (screening/engine/instances.py).
_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_.-]*)((?:\[[1-9][0-9]*\])*)$")


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
    instance: tuple[int, ...]  # the repeat instances, outermost first; () outside repeats
    entry: _Entry

    @property
    def order(self) -> tuple[int, tuple[int, ...]]:
        return (self.entry.order, self.instance)


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

    tagged: list[_Tagged] = []
    acts: list[tuple[tuple[int, ...], ActHit]] = []
    # Whether any question able to carry an indicator got a real answer: declined and
    # don't-know answers say nothing about what happened, so they do not count.
    substantive = False
    given: dict[str, object] = {}
    for text, value in answers.items():
        if text in specials:
            continue  # a declined or don't-know answer never counts, whatever value came along
        key = _parse(text, index, form)
        if _is_empty(value):
            continue
        given[text] = value
        substantive = substantive or key.entry.carries_indicators
        chosen = _chosen(key, value)
        tagged.extend(_hits(key, chosen))
        acts.extend(_acts(key, chosen))
    act_hits = [hit for _, hit in sorted(acts, key=lambda pair: pair[0])]

    minor_now = rules.population == "child" or _under_18(given, rules.age_question)
    minor_then = _under_18(given, rules.age_at_recruitment_question)
    population: Population = "child" if minor_now or minor_then else "adult"
    # Answers that are exploitation in themselves (docs/scoring.md, "Departures").
    shown = _matching(rules.exploitation_answers, given)
    if population == "child":
        shown += [k for k in _matching(rules.child_exploitation_answers, given) if k not in shown]
    scored = [
        _score_list(tagged, name, population, bool(act_hits), rules.element_rule, bool(shown))
        for name in _lists(rules, population, given)
    ]
    # The stronger finding stands; on a tie, more present elements, then the first list.
    best = min(
        scored,
        key=lambda s: (outcome_rank(s.decision.outcome), -len(s.present), scored.index(s)),
    )
    decision, elements = best.decision, best.elements

    blocking = _blocking_sections(form, incomplete_sections)
    screener = _screener_referral(rules.referral_question, answers, specials)
    declined_keys = [key.text for key in sorted(declined, key=lambda k: k.order)]
    dont_know_keys = [key.text for key in sorted(dont_know, key=lambda k: k.order)]
    protection = _child_protection(minor_now, elements, rules.unaccompanied_answers, given)
    common = {
        "form_id": form.id,
        "form_version": form.version,
        "population": rules.population,
        "applied_rule": population,
        "indicator_list": best.name,
        "lists_scored": [s.name for s in scored if s.name is not None],
        "acts": act_hits,
        "child_protection": bool(protection),
        "child_protection_reasons": protection,
        "screener_referral": screener,
        "elements": elements,
        "declined": declined_keys,
        "dont_know": dont_know_keys,
        "language": lang,
    }
    if not _consented(rules.consent_questions, answers):
        # Without consent nothing was assessed: "no indication" would be a finding that was
        # never made, and would count in statistics as one.
        return ScoringResult(
            **common,
            result="incomplete",
            indicated_result="no_indication",
            referral_recommended=False,
            # Every section scoring needs went unasked.
            incomplete_sections=[s.name for s in form.sections if s.required_for_scoring]
            or [form.sections[0].name],
            explanation=[messages.text(lang, "consent_refused")],
        )
    # The screener's "yes" always stands: they may have seen what no question asked about.
    # Their "no" never removes a referral the indicators call for; that takes an override.
    referral = decision.outcome in REFERRAL_OUTCOMES or screener is True
    facts = Facts(
        population=population,
        decision=decision,
        elements=elements,
        incomplete_sections=blocking,
        declined=declined_keys,
        dont_know=dont_know_keys,
        indicator_questions_asked=substantive,
        screener_referral=screener,
        indicator_list=best.name,
        other_lists=[s.name for s in scored if s is not best and s.name is not None],
        acts=act_hits,
        minor_at_recruitment=minor_then and not minor_now,
        child_protection=protection,
        child_exploitation_answers=shown,
    )
    # Nothing that can carry an indicator got a real answer: no assessment was made, and a
    # "no indication" would count in statistics as a negative finding that never was.
    insufficient = not substantive
    return ScoringResult(
        **common,
        result="incomplete" if blocking or insufficient else decision.outcome,
        indicated_result=decision.outcome,
        referral_recommended=referral,
        incomplete_sections=blocking,
        insufficient_information=insufficient,
        explanation=explain(facts, _labels(form, index, lang), lang),
    )


@dataclass(frozen=True)
class _Tagged:
    element: Element
    sort_key: tuple[int, ...]
    question: str
    choice: str | None
    indicator: str
    form_strength: Strength | None  # forms written before the catalogue only


@dataclass(frozen=True)
class _Scored:
    name: IndicatorList | None  # None: a form written before the catalogue, its own strengths
    elements: dict[Element, ElementResult]
    decision: OutcomeDecision

    @property
    def present(self) -> list[Element]:
        return [element for element in Element if self.elements[element].present]


def _lists(
    rules: ScoringRules, population: Population, given: Mapping[str, object]
) -> list[IndicatorList | None]:
    """The publication's lists that fit the case: sexual when an answer discloses sexual
    exploitation, labour when one discloses work for others, or when nothing says sexual."""
    if rules.catalogue is None:
        return [None]
    sexual = _any_answer(rules.sexual_exploitation_answers, given)
    labour = _any_answer(rules.labour_exploitation_answers, given) or not sexual
    names: list[IndicatorList | None] = []
    if labour:
        names.append("child_labour" if population == "child" else "adult_labour")
    if sexual:
        names.append("child_sexual" if population == "child" else "adult_sexual")
    return names


def _score_list(
    tagged: Sequence[_Tagged],
    name: IndicatorList | None,
    population: Population,
    act_found: bool,
    rule: str,
    exploitation_shown: bool = False,
) -> _Scored:
    known = catalogue()
    by_element: dict[Element, list[tuple[tuple[int, ...], IndicatorHit]]] = {e: [] for e in Element}
    for tag in tagged:
        strength = (
            tag.form_strength if name is None else known.strength(tag.element, tag.indicator, name)
        )
        if strength is None:
            continue  # the publication's list for this case does not have the indicator
        hit = IndicatorHit(
            question=tag.question, choice=tag.choice, indicator=tag.indicator, strength=strength
        )
        by_element[tag.element].append((tag.sort_key, hit))
    elements = {element: _element_result(by_element[element], rule) for element in Element}
    if exploitation_shown:
        # The exploitation of the prostitution of others, and a child used in commercial sex
        # or in crime, are exploitation whatever the conditions indicators add up to
        # (Palermo art. 3(a), ILO C182 art. 3(b)-(c)).
        found = elements[Element.EXPLOITATION]
        elements[Element.EXPLOITATION] = found.model_copy(update={"present": True})
    strong_found = any(
        hit.strength == Strength.STRONG for result in elements.values() for hit in result.indicators
    )
    present = [element for element in Element if elements[element].present]
    return _Scored(name, elements, decide(present, population, strong_found, act_found))


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


def _hits(key: _Key, chosen: Sequence[str]) -> Iterator[_Tagged]:
    question = key.entry.question
    for name in chosen:
        choice = key.entry.choices[name]
        position = key.entry.choice_order[name]
        for number, tag in enumerate(choice.indicators):
            yield _Tagged(
                tag.element,
                (*key.order, position, number),
                key.text,
                name,
                tag.indicator,
                tag.strength,
            )
    if not question.indicators or not _question_answer_counts(key, chosen):
        return
    choice_name = question.indicator_choice if chosen else None
    for number, tag in enumerate(question.indicators):
        # After the choices' own tags: they are the more specific reading of the answer.
        yield _Tagged(
            tag.element,
            (*key.order, len(key.entry.choices), number),
            key.text,
            choice_name,  # None for text, number and date: the value itself is not shown
            tag.indicator,
            tag.strength,
        )


def _acts(key: _Key, chosen: Sequence[str]) -> Iterator[tuple[tuple[int, ...], ActHit]]:
    question = key.entry.question
    for name in chosen:
        for act in key.entry.choices[name].acts:
            order = (*key.order, key.entry.choice_order[name])
            yield order, ActHit(question=key.text, choice=name, act=act)
    if question.acts and _question_answer_counts(key, chosen):
        choice_name = question.indicator_choice if chosen else None
        for act in question.acts:
            order = (*key.order, len(key.entry.choices))
            yield order, ActHit(question=key.text, choice=choice_name, act=act)


def _question_answer_counts(key: _Key, chosen: Sequence[str]) -> bool:
    """Whether the answer carries the question's own tags: its `indicator_choice` for a
    select, any given answer for text, number and date questions."""
    if key.entry.question.type in (QuestionType.SELECT_ONE, QuestionType.SELECT_MULTIPLE):
        return key.entry.question.indicator_choice in chosen
    return True


def _matching(refs: Sequence[AnswerRef], given: Mapping[str, object]) -> list[str]:
    """The answer keys, in the order given, whose answer is one of a reference's choices."""
    found = []
    for text, value in given.items():
        name = text.split("[", 1)[0]
        chosen = value.split() if isinstance(value, str) else value
        if not isinstance(chosen, list | tuple):
            continue
        if any(ref.question == name and any(c in ref.choices for c in chosen) for ref in refs):
            found.append(text)
    return found


def _any_answer(refs: Sequence[AnswerRef], given: Mapping[str, object]) -> bool:
    return bool(_matching(refs, given))


def _under_18(given: Mapping[str, object], question: str | None) -> bool:
    if question is None:
        return False
    value = given.get(question)
    return isinstance(value, int | float) and not isinstance(value, bool) and value < 18


def _child_protection(
    child_now: bool,
    elements: Mapping[Element, ElementResult],
    unaccompanied: Sequence[AnswerRef],
    given: Mapping[str, object],
) -> list[str]:
    """Why a child needs child protection now: any exploitation indicator, or being
    unaccompanied or separated, whatever the outcome (see docs/scoring.md)."""
    if not child_now:
        return []
    reasons = []
    if elements[Element.EXPLOITATION].indicators:
        reasons.append("exploitation_indicator")
    if _any_answer(unaccompanied, given):
        reasons.append("unaccompanied_or_separated")
    return reasons


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
    instance = tuple(int(n) for n in re.findall(r"\d+", match.group(2)))
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
        name, instance = match.group(1), re.findall(r"\d+", match.group(2))
        label = localized(index[name].question.label, name)
        return f"{label} [{'.'.join(instance)}]" if instance else label

    def choice(key: str, choice_name: str) -> str:
        match = _KEY.match(key)
        assert match is not None
        found = index[match.group(1)].choices.get(choice_name)
        return localized(found.label if found else None, choice_name)

    sections = {section.name: section for section in form.sections}

    def section(name: str) -> str:
        return localized(sections[name].label, name)

    return Labels(question=question, choice=choice, section=section)
