"""What the outcome view shows, read from the engine and the scoring result (no Qt here).

Question and choice names become labels in the screener's language. Free-text answers are
never shown here: the outcome is about indicators and needs, not what the person said.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError

from screening.engine import InterviewSession, parse_path
from screening.engine.results import outcome_of
from screening.forms.compiler import CompiledForm
from screening.forms.indicators import Element, Strength
from screening.recording import resume
from screening.scoring import IndicatorHit, ScoringResult, messages
from screening.vault import InterviewRecord, Vault

RECOMMENDATIONS = ("likely_trafficked", "possible_trafficking", "no_indication")
NOT_A_NEED = frozenset({"no", "none", "no_needs", "nothing"})


@dataclass(frozen=True)
class ElementRow:
    element: Element
    name: str
    present: bool
    counts: str
    lines: list[str]  # one per answer: the question, then its choices, with their strength
    sentences: frozenset[str]  # this element's sentences in the explanation, to show once
    none_sentence: str = ""  # "<element>: no indicator found." in the explanation's language


def session_for(
    vault: Vault, interview_id: str, form: CompiledForm, language: str
) -> InterviewSession:
    # With the stored repeat entry counts: an empty entry still counts in count(${repeat}).
    return resume(vault, interview_id, form, language)[0]


def result_for(
    record: InterviewRecord, session: InterviewSession, *, prefer_stored: bool
) -> ScoringResult | None:
    """The stored outcome of a finished interview, else the one the answers give now.

    A draft's override lives in the record beside the answers; it is applied again here.
    """
    if prefer_stored and record.outcome:
        try:
            return ScoringResult.model_validate(record.outcome)
        except ValidationError:
            pass  # an outcome from an older format: recompute rather than show nothing
    result = outcome_of(session)
    override = record.override
    if result is not None and override is not None:
        result = result.with_recorded_override(
            override.recommendation, override.reason, override.by, override.at
        )
    return result


def language_of(result: ScoringResult | None, fallback: str) -> str:
    return messages.resolve_language(result.language if result else fallback)


def outcome_name(language: str, outcome: str) -> str:
    name = messages.outcome_name(messages.resolve_language(language), outcome)
    return name[:1].upper() + name[1:]  # a heading; scripts without case are unchanged


def question_label(form: CompiledForm, key: str, language: str) -> str:
    name, path = parse_path(key)
    node = form.nodes.get(name)
    label = form.text(getattr(node.source, "label", None), language) if node else name
    where = ".".join(str(n) for n in path)  # "(2)", or "(2.3)" inside a nested repeat
    return f"{label or name} ({where})" if path else (label or name)


def choice_label(form: CompiledForm, key: str, choice: str, language: str) -> str:
    node = form.nodes.get(parse_path(key)[0])
    for item in node.choices if node else ():
        if item.name == choice:
            return form.text(item.label, language)
    return choice


def element_rows(form: CompiledForm, result: ScoringResult, language: str) -> list[ElementRow]:
    """Each ILO element with the answers behind it, phrased with the explanation's templates."""
    lang = messages.resolve_language(language)
    t = messages.TEMPLATES[lang]
    rows = []
    for element in Element:
        found = result.elements[element]
        name = messages.element_name(lang, element)
        counts = messages.text(
            lang,
            "counts",
            strong=found.counts.get(Strength.STRONG, 0),
            medium=found.counts.get(Strength.MEDIUM, 0),
            weak=found.counts.get(Strength.WEAK, 0),
        )
        grouped: dict[str, list[IndicatorHit]] = {}
        for hit in found.indicators:
            grouped.setdefault(hit.question, []).append(hit)
        lines = []
        for key, hits in grouped.items():
            question = question_label(form, key, language)
            strengths = [messages.strength_name(lang, hit.strength) for hit in hits]
            if all(hit.choice is None for hit in hits):
                # A typed answer may identify the person: only its question is named.
                strength = t["name_sep"].join(strengths)
                lines.append(
                    messages.text(lang, "item_plain", question=question, strength=strength)
                )
                continue
            choices = t["name_sep"].join(
                messages.text(
                    lang,
                    "choice",
                    choice=choice_label(form, key, hit.choice or "", language),
                    strength=strength,
                )
                for hit, strength in zip(hits, strengths, strict=True)
            )
            lines.append(
                messages.text(lang, "question_choices", question=question, choices=choices)
            )
        none = messages.text(lang, "element_none", element=name)
        own = frozenset(s for s in result.explanation if s == none or (name in s and counts in s))
        rows.append(ElementRow(element, name, found.present, counts, lines, own, none))
    return rows


def needs_lines(session: InterviewSession, language: str) -> list[str]:
    lang = messages.resolve_language(language)
    separator = messages.TEMPLATES[lang]["name_sep"]
    return [
        messages.text(
            lang,
            "question_choices",
            question=question,
            choices=separator.join(messages.text(lang, "quoted", text=a) for a in answers),
        )
        for question, answers in needs(session, language)
    ]


def needs(session: InterviewSession, language: str) -> list[tuple[str, list[str]]]:
    """Answers to the needs questions: choice questions in sections named like "needs", and
    questions whose own name starts with "needs" (e.g. a yes/no "needs_medical")."""
    form = session.form
    found = []
    for key, answer in session.relevant_answers().items():
        node = form.nodes[parse_path(key)[0]]
        if node.kind not in ("select_one", "select_multiple") or answer.special is not None:
            continue
        if "needs" not in node.section and not node.name.startswith("needs"):
            continue
        values = answer.value if isinstance(answer.value, list) else [answer.value]
        # "No" (or "none") to a needs question is the absence of a need, not a need.
        values = [v for v in values if str(v) not in NOT_A_NEED]
        if not values:
            continue
        labels = [choice_label(form, key, str(v), language) for v in values]
        found.append((question_label(form, key, language), labels))
    return found


def protection_sentence(result: ScoringResult) -> str:
    """The child-protection sentence of the explanation, in the explanation's language."""
    return messages.protection_sentence(result.language, result.child_protection_reasons)
