"""The explanation: sentences, in the screener's language, saying why the outcome is what it is.

The sentences name the questions by their labels in that language (never the answers' free
text, which may identify the person), so a screener can read them back to check them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from screening.forms.indicators import Element, IndicatorList, Strength
from screening.scoring import messages
from screening.scoring.result import ActHit, ElementResult, IndicatorHit
from screening.scoring.rules import REFERRAL_OUTCOMES, OutcomeDecision, Population


@dataclass(frozen=True)
class Labels:
    """Where the explanation gets readable names from; built by `score` from the form."""

    question: Callable[[str], str]  # answer key → question label
    choice: Callable[[str, str], str]  # (answer key, choice name) → choice label
    section: Callable[[str], str]  # section name → section label


@dataclass(frozen=True)
class Facts:
    population: Population
    decision: OutcomeDecision
    elements: Mapping[Element, ElementResult]
    incomplete_sections: Sequence[str]
    declined: Sequence[str]
    dont_know: Sequence[str]
    indicator_questions_asked: bool
    screener_referral: bool | None
    indicator_list: IndicatorList | None = None
    other_lists: Sequence[IndicatorList] = ()
    acts: Sequence[ActHit] = ()
    minor_at_recruitment: bool = False
    child_protection: Sequence[str] = ()
    child_exploitation_answers: Sequence[str] = ()


def explain(facts: Facts, labels: Labels, language: str) -> list[str]:
    t = _Writer(language, labels)
    sentences: list[str] = []
    if not facts.indicator_questions_asked:
        # Said first: no outcome below is a finding when nothing was assessed.
        sentences.append(t.text("insufficient_information"))
    if facts.incomplete_sections:
        sections = t.quoted(labels.section(name) for name in facts.incomplete_sections)
        indicated = messages.outcome_name(language, facts.decision.outcome)
        sentences.append(t.text("incomplete", sections=sections, indicated=indicated))
    if facts.minor_at_recruitment:
        sentences.append(t.text("minor_at_recruitment"))
    sentences.append(t.decision(facts.decision, facts.population, facts.elements))
    if facts.child_exploitation_answers:
        questions = t.quoted(labels.question(key) for key in facts.child_exploitation_answers)
        sentences.append(t.text("child_exploitation", questions=questions))
    if facts.child_protection:
        sentences.append(messages.protection_sentence(language, facts.child_protection))
    if facts.indicator_list is not None:
        sentences.append(
            t.text("indicator_list", name=messages.list_name(language, facts.indicator_list))
        )
        if facts.other_lists:
            others = t.names(messages.list_name(language, name) for name in facts.other_lists)
            sentences.append(t.text("other_lists", names=others))
    if facts.acts:
        sentences.append(t.acts(facts.acts))
    sentences.extend(t.element(element, facts.elements[element]) for element in Element)
    if facts.declined:
        questions = t.quoted(labels.question(key) for key in facts.declined)
        sentences.append(t.text("declined", questions=questions))
    if facts.dont_know:
        questions = t.quoted(labels.question(key) for key in facts.dont_know)
        sentences.append(t.text("dont_know", questions=questions))
    indicated_referral = facts.decision.outcome in REFERRAL_OUTCOMES
    if indicated_referral:
        sentences.append(t.text("referral_recommended"))
    if facts.screener_referral is True:
        sentences.append(t.text("screener_yes"))
    elif facts.screener_referral is False and indicated_referral:
        sentences.append(t.text("screener_no"))
    return sentences


class _Writer:
    def __init__(self, language: str, labels: Labels) -> None:
        self.language = language
        self.labels = labels

    def text(self, key: str, **values: object) -> str:
        return messages.text(self.language, key, **values)

    def names(self, names: Iterable[str]) -> str:
        return messages.TEMPLATES[self.language]["name_sep"].join(names)

    def quoted(self, names: Iterable[str]) -> str:
        # Quoted, so a label's own "?" does not run into the sentence's full stop.
        return self.names(self.text("quoted", text=name) for name in names)

    def decision(
        self,
        decision: OutcomeDecision,
        population: Population,
        elements: Mapping[Element, ElementResult],
    ) -> str:
        if decision.reason == "combination":
            return self.text("likely_child" if population == "child" else "likely_adult")
        if decision.reason == "child_act":
            return self.text("likely_child_act")
        if decision.reason == "elements":
            present = [
                messages.element_name(self.language, element)
                for element in Element
                if elements[element].present
            ]
            return self.text("possible_elements", elements=self.names(present))
        if decision.reason == "strong_indicator":
            return self.text("possible_strong")
        return self.text("no_indication")

    def acts(self, hits: Sequence[ActHit]) -> str:
        names = self.names(dict.fromkeys(messages.act_name(self.language, h.act) for h in hits))
        grouped: dict[str, list[ActHit]] = {}
        for hit in hits:
            grouped.setdefault(hit.question, []).append(hit)
        items = []
        for key, group in grouped.items():
            question = self.labels.question(key)
            choices = [self.labels.choice(key, h.choice) for h in group if h.choice is not None]
            if choices:
                quoted = self.names(self.text("quoted", text=c) for c in dict.fromkeys(choices))
                items.append(self.text("question_choices", question=question, choices=quoted))
            else:
                items.append(self.text("quoted", text=question))
        separator = messages.TEMPLATES[self.language]["list_sep"]
        return self.text("acts", acts=names, items=separator.join(items))

    def element(self, element: Element, result: ElementResult) -> str:
        name = messages.element_name(self.language, element)
        if not result.indicators:
            return self.text("element_none", element=name)
        counts = self.text(
            "counts",
            strong=result.counts.get(Strength.STRONG, 0),
            medium=result.counts.get(Strength.MEDIUM, 0),
            weak=result.counts.get(Strength.WEAK, 0),
        )
        separator = messages.TEMPLATES[self.language]["list_sep"]
        items = separator.join(self.items(result.indicators))
        key = "element_present" if result.present else "element_below"
        return self.text(key, element=name, counts=counts, items=items)

    def items(self, hits: Sequence[IndicatorHit]) -> list[str]:
        """One item per answer: a question's label once, then each of its choices."""
        grouped: dict[str, list[IndicatorHit]] = {}
        for hit in hits:
            grouped.setdefault(hit.question, []).append(hit)
        return [self.item(key, group) for key, group in grouped.items()]

    def item(self, key: str, hits: Sequence[IndicatorHit]) -> str:
        question = self.labels.question(key)
        parts = []
        for hit in hits:
            strength = messages.strength_name(self.language, hit.strength)
            if hit.choice is None:
                parts.append(strength)
            else:
                choice = self.labels.choice(key, hit.choice)
                parts.append(self.text("choice", choice=choice, strength=strength))
        if all(hit.choice is None for hit in hits):
            # Text, number and date answers: the value may identify the person; not shown.
            return self.text("item_plain", question=question, strength=self.names(parts))
        return self.text("question_choices", question=question, choices=self.names(parts))
