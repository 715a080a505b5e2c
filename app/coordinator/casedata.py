"""Everything one case page shows, read and prepared off the GUI thread (no widgets here).

`load_case` reads the interview's record, answers and audit trail, restores an
`InterviewSession` from the answers and scores it again in the coordinator's chosen language,
and returns plain data: the answers with question and choice labels from the form, values
formatted for that language, "declined" and "don't know" kept as markers, repeats grouped by
entry; the outcome with its explanation and the screener's override; the audit rows of this
interview only (never values: the vault's audit details name questions, not answers).

The result holds answer text. It lives in memory only, for as long as the page shows it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from PySide6.QtCore import QDate, QLocale

from screening.engine import Answer, InterviewSession, Path, Special, format_path, parse_path
from screening.engine.results import outcome_of
from screening.forms.compiler import CompiledForm, Node
from screening.forms.model import Direction
from screening.scoring import ScoringResult, messages

if TYPE_CHECKING:
    from screening.vault import InterviewRecord, Vault

VIEWED = "case_viewed"  # the audit action written when a coordinator opens a case


# ----------------------------------------------------------------------------- the data


@dataclass(frozen=True, slots=True)
class Line:
    """One row of the answers: a heading (section, group, repeat entry) or an answer."""

    level: int  # 0 section, 1 group or repeat, 2 repeat entry, …
    kind: str  # "heading" or "answer"
    text: str  # the heading, or the question's label (form language)
    value: str = ""  # the formatted answer; empty for a special marker
    special: str | None = None  # "declined" | "dont_know"
    key: str = ""  # the answer key, e.g. `family_relation[2]`
    corrected: int = 0  # how many times the answer was corrected after completion


@dataclass(frozen=True, slots=True)
class ElementLines:
    name: str
    present: bool
    counts: str
    lines: list[str]


@dataclass(frozen=True, slots=True)
class Explanation:
    """The outcome as the page shows it; every text is in `language` unless `recorded`."""

    language: str
    standing: str | None  # the recommendation that stands: the override, else the result
    computed: str | None  # what the scoring gave
    names: dict[str, str]  # outcome key → its name in `language`
    referral: bool | None
    override: tuple[str, str, str, str] | None  # recommendation, reason, by, at
    sentences: list[str]
    elements: list[ElementLines]
    recorded: bool  # the sentences are the stored ones (the form is missing or disagrees)
    rescored: str | None  # scoring the answers again here gave this (when it differs)


@dataclass(frozen=True, slots=True)
class TrailRow:
    at: str
    actor: str
    action: str
    detail: str | None
    question: str | None  # the question the detail names, as a label in the chosen language
    source: str  # "vault" (this vault) or "device" (the screener's laptop)


@dataclass
class CaseData:
    record: InterviewRecord
    language: str  # the language of labels and explanation
    languages: list[tuple[str, str]]  # the form's languages: (code, name)
    rtl: bool
    form_title: str
    form_missing: bool
    lines: list[Line]
    explanation: Explanation | None
    trail: list[TrailRow]
    received_at: str | None = None
    device: str | None = None
    unusable: list[str] = field(default_factory=list)  # stored answers the form no longer has

    def forget(self) -> None:
        """Drop the answer text (the page calls this when it closes)."""
        self.lines = []
        self.explanation = None


# ------------------------------------------------------------------------------- loading


def load_case(
    vault: Vault, interview_id: str, language: str | None, *, record_view: bool = False
) -> CaseData:
    """Read and prepare one case; slow enough (audit scan) to belong on the runner.

    `language` is the coordinator's choice; when the form lacks it, the form's default.
    `record_view` appends a `case_viewed` audit row (the first load of an opened case).
    """
    record = vault.get_interview(interview_id)
    form = find_form(vault, record)
    stored = {
        key: Answer(None if special else value, Special(special) if special else None)
        for key, (value, special) in vault.answers(interview_id).items()
    }
    corrections: dict[str, int] = {}
    for correction in vault.corrections(interview_id):
        corrections[correction.name] = corrections.get(correction.name, 0) + 1
    trail, received = read_trail(vault, interview_id, record_view=record_view)
    if form is None:
        return CaseData(
            record=record,
            language=record.screener_language or record.language,
            languages=[],
            rtl=False,
            form_title=f"{record.form_id} {record.form_version}",
            form_missing=True,
            lines=raw_lines(stored, corrections),
            explanation=recorded_explanation(record, None),
            trail=[*trail],
            received_at=received[0] if received else None,
            device=(received[1] or None) if received else None,
        )
    codes = [lang.code for lang in form.form.languages]
    chosen = language if language in codes else form.form.default_language
    session = InterviewSession(form, language=chosen)
    unusable = session.restore(stored, record.instance_counts, exact=True)
    lang = form.form.language(chosen)
    return CaseData(
        record=record,
        language=chosen,
        languages=[(x.code, x.name) for x in form.form.languages],
        rtl=lang is not None and lang.direction == Direction.RTL,
        form_title=form.text(form.form.title, chosen),
        form_missing=False,
        lines=answer_lines(form, session, chosen, corrections),
        explanation=explain(record, form, session, chosen),
        trail=[_with_question(row, form, chosen) for row in trail],
        received_at=received[0] if received else None,
        device=(received[1] or None) if received else None,
        unusable=unusable,
    )


def find_form(vault: Vault, record: InterviewRecord) -> CompiledForm | None:
    """The form the interview was recorded with, when this installation has it: shipped, or
    installed from the organisation in this vault (`screening.forms.library`).

    A coordinator's vault publishes forms but does not install them, so an interview recorded
    with a form from the organisation shows its answers by question id and the outcome as
    recorded, unless the form also ships with this installation.
    """
    from app.interview.forms import compiled_form
    from screening.errors import ScreeningError

    try:
        return compiled_form(
            record.form_id, record.form_version, vault=vault, form_hash=record.form_hash
        )
    except ScreeningError:
        return None


def read_trail(
    vault: Vault, interview_id: str, *, record_view: bool
) -> tuple[list[TrailRow], tuple[str, str] | None]:
    """This interview's audit rows (`screening.vault.trail`) and when it was received, read in
    one transaction that also records the view when asked to."""
    from screening.vault import audit
    from screening.vault.trail import first_receipt, interview_trail

    with vault.transaction() as conn:
        if record_view:
            audit.append(conn, vault.user, VIEWED, interview_id)
        rows = [
            TrailRow(line.at, line.actor, line.action, line.detail, None, line.source)
            for line in interview_trail(conn, interview_id)
        ]
        received = first_receipt(conn, interview_id)
    return rows, received


def _with_question(row: TrailRow, form: CompiledForm, language: str) -> TrailRow:
    """Audit details name a question by its id ("question age", "question x, revision 2")."""
    detail = row.detail or ""
    if not detail.startswith("question "):
        return row
    name = detail[len("question ") :].split(",", 1)[0].strip()
    try:
        node = form.nodes.get(parse_path(name)[0])
    except ValueError:
        return row
    if node is None:
        return row
    label = label_of(form, node, language) or node.name
    path = parse_path(name)[1]
    label = f"{label} ({'.'.join(str(n) for n in path)})" if path else label
    return TrailRow(row.at, row.actor, row.action, row.detail, label, row.source)


# ------------------------------------------------------------------------------- answers


def label_of(form: CompiledForm, node: Node, language: str) -> str:
    return form.text(getattr(node.source, "label", None), language)


def locale_for(language: str) -> QLocale:
    if language == "cnr":
        # Montenegrin: Serbian rules in Latin script, as used in Montenegro.
        return QLocale(
            QLocale.Language.Serbian, QLocale.Script.LatinScript, QLocale.Country.Montenegro
        )
    locale = QLocale(language)
    return QLocale(QLocale.Language.English) if locale.language() == QLocale.Language.C else locale


def format_value(form: CompiledForm, node: Node, value: object, language: str) -> str:
    """An answer as a reader expects it: choice labels, numbers and dates in the language."""
    locale = locale_for(language)
    if node.kind in ("select_one", "select_multiple"):
        labels = {choice.name: form.text(choice.label, language) for choice in node.choices}
        values = value if isinstance(value, list) else [value]
        return "; ".join(labels.get(str(v), str(v)) for v in values)
    if node.kind == "rank":
        # Stored as ODK does ("b a c", first ranked first): shown as a numbered order.
        labels = {choice.name: form.text(choice.label, language) for choice in node.choices}
        ranked = str(value).split()
        return "; ".join(f"{i}. {labels.get(n, n)}" for i, n in enumerate(ranked, 1))
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return locale.toString(value)
    if isinstance(value, float):
        text = format(value, ".15g")
        return text.replace(".", locale.decimalPoint()) if "e" not in text else text
    if isinstance(value, datetime):
        return locale.toString(value, "d MMMM yyyy HH:mm")
    if isinstance(value, date):
        return locale.toString(QDate(value.year, value.month, value.day), "d MMMM yyyy")
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def answer_lines(
    form: CompiledForm, session: InterviewSession, language: str, corrections: dict[str, int]
) -> list[Line]:
    """The relevant answers in form order under their section, group and repeat headings.

    Headings appear only above answers; a repeat's entries are numbered ("Family member 2").
    """
    answers = session.relevant_answers()
    lines: list[Line] = []

    def walk(name: str, instance: Path, level: int, pending: list[Line]) -> None:
        node = form.nodes[name]
        if node.is_question:
            key = format_path(node.name, instance)
            answer = answers.get(key)
            if answer is None or not node.answerable:
                return
            lines.extend(pending)
            pending.clear()
            special = answer.special.value if answer.special is not None else None
            value = "" if special else format_value(form, node, answer.value, language)
            lines.append(
                Line(
                    level,
                    "answer",
                    label_of(form, node, language) or node.name,
                    value,
                    special,
                    key,
                    corrections.get(key, 0),
                )
            )
            return
        title = label_of(form, node, language) or node.name
        if node.kind == "repeat":
            count = session.instance_count(node.name, instance)
            for number in range(1, count + 1):
                heads = [*pending, Line(level, "heading", f"{title} {number}")]
                before = len(lines)
                for child in node.children:
                    walk(child, (*instance, number), level + 1, heads)
                if len(lines) > before:
                    pending.clear()
            return
        heads = [*pending, Line(level, "heading", title)]
        before = len(lines)
        for child in node.children:
            walk(child, instance, level + 1, heads)
        if len(lines) > before:
            pending.clear()

    for section in form.sections():
        walk(section.name, (), 0, [])
    return lines


def raw_lines(stored: dict[str, Answer], corrections: dict[str, int]) -> list[Line]:
    """Without the form: question ids and stored values as they are, in name order."""
    lines = []
    for key in sorted(stored):
        answer = stored[key]
        special = answer.special.value if answer.special is not None else None
        value = "" if special else _plain(answer.value)
        lines.append(Line(0, "answer", key, value, special, key, corrections.get(key, 0)))
    return lines


def _plain(value: object) -> str:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# ------------------------------------------------------------------------------- outcome


def _names(language: str) -> dict[str, str]:
    lang = messages.resolve_language(language)
    names = {}
    for key in ("likely_trafficked", "possible_trafficking", "no_indication", "incomplete"):
        name = messages.outcome_name(lang, key)
        names[key] = name[:1].upper() + name[1:]
    return names


def _override_of(record: InterviewRecord) -> tuple[str, str, str, str] | None:
    o = record.override
    return None if o is None else (o.recommendation, o.reason, o.by, o.at)


def _stored_result(record: InterviewRecord) -> ScoringResult | None:
    if not record.outcome:
        return None
    try:
        return ScoringResult.model_validate(record.outcome)
    except ValidationError:
        return None


def explain(
    record: InterviewRecord, form: CompiledForm, session: InterviewSession, language: str
) -> Explanation | None:
    """Score the restored answers in `language`; fall back to what the laptop recorded.

    When scoring here gives what was recorded, the explanation is the fresh one (in the
    coordinator's language). When it differs (answers corrected since, or a record from an
    older app), the recorded explanation is shown and the difference named.
    """
    # Without answers (metadata-only demo rows) a fresh score would mean nothing.
    fresh = outcome_of(session) if session.relevant_answers() else None
    recorded = (record.outcome or {}).get("result") if record.outcome else None
    if fresh is None:
        return recorded_explanation(record, form)
    if recorded is not None and recorded != fresh.result:
        shown = recorded_explanation(record, form)
        if shown is not None:
            return replace(shown, rescored=fresh.result)
    result = fresh
    override = record.override
    if override is not None:
        result = result.with_recorded_override(
            override.recommendation, override.reason, override.by, override.at
        )
    return Explanation(
        language=result.language,
        standing=result.final_result,
        computed=result.result,
        names=_names(result.language),
        referral=_referral(result),
        override=_override_of(record),
        sentences=list(result.explanation),
        elements=_elements(form, result, result.language),
        recorded=False,
        rescored=None,
    )


def _referral(result: ScoringResult) -> bool:
    if result.override is not None:
        return result.override.recommendation != "no_indication"
    return result.referral_recommended


def _elements(form: CompiledForm, result: ScoringResult, language: str) -> list[ElementLines]:
    from app.outcome.summary import element_rows

    return [
        ElementLines(row.name, row.present, row.counts, list(row.lines))
        for row in element_rows(form, result, language)
        if row.lines
    ]


def recorded_explanation(record: InterviewRecord, form: CompiledForm | None) -> Explanation | None:
    """The outcome stored with the interview, explained in the language it was written in."""
    if not record.outcome:
        if record.override is None:
            return None
        return Explanation(
            language="en",
            standing=record.override.recommendation,
            computed=None,
            names=_names("en"),
            referral=record.override.recommendation != "no_indication",
            override=_override_of(record),
            sentences=[],
            elements=[],
            recorded=True,
            rescored=None,
        )
    result = _stored_result(record)
    if result is None:
        # An outcome in another shape (demo rows, an older app): its result and sentences.
        outcome: dict[str, Any] = record.outcome
        computed = outcome.get("result")
        sentences = outcome.get("explanation")
        language = messages.resolve_language(str(outcome.get("language") or "en"))
        standing = record.override.recommendation if record.override else computed
        return Explanation(
            language=language,
            standing=None if standing is None else str(standing),
            computed=None if computed is None else str(computed),
            names=_names(language),
            referral=outcome.get("referral_recommended"),
            override=_override_of(record),
            sentences=[str(s) for s in sentences] if isinstance(sentences, list) else [],
            elements=[],
            recorded=True,
            rescored=None,
        )
    language = messages.resolve_language(result.language)
    standing = record.override.recommendation if record.override else result.final_result
    return Explanation(
        language=language,
        standing=standing,
        computed=result.result,
        names=_names(language),
        referral=(standing != "no_indication") if record.override else _referral(result),
        override=_override_of(record),
        sentences=list(result.explanation),
        elements=_elements(form, result, language) if form is not None else [],
        recorded=True,
        rescored=None,
    )
