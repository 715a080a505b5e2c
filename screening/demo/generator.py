"""Synthetic interviews for training, demos and benchmarks.

Answers are chosen by walking the real engine over a shipped form, so every generated
interview is one a screener could have produced: skip logic, constraints and repeats hold.
A scenario biases the choices towards indicator-carrying answers (or away from them) so the
demo data shows every outcome. Everything is drawn from one seeded generator: the same seed
gives the same interviews.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from faker import Faker

from screening.demo.places import CENTRES
from screening.engine import InterviewSession
from screening.engine.values import Special
from screening.errors import ScreeningError
from screening.forms.compiler import CompiledForm, Node

# How likely an indicator-carrying choice is picked, by scenario.
SCENARIOS: dict[str, float] = {
    "likely": 0.75,
    "possible": 0.18,
    "none": 0.0,
    "declined": 0.0,
    "refused": 0.0,
}
SCENARIO_WEIGHTS = {"likely": 3, "possible": 3, "none": 3, "declined": 1, "refused": 1}
STOP_REASONS = ("distress", "consent_withdrawn", "interpreter_unavailable", "other")
FAKER_LOCALES = ("sq_AL", "bs_BA", "hr_HR", "ar_EG", "ar_PS", "fa_IR", "fr_FR", "tr_TR", "bn_BD")
NEUTRAL_TEXT = (
    "Worked at a construction site",
    "Stayed with relatives",
    "Came by bus through the mountains",
    "Cleaning in a hotel",
    "Helped at a restaurant",
    "Does not want to say more now",
)


@dataclass
class DemoInterview:
    form_id: str
    scenario: str
    language: str
    screener_language: str
    interpreter_used: bool
    location: str
    started_at: datetime
    status: str  # draft | completed | stopped
    stop_reason: str | None = None
    steps: list[tuple[str, object]] = field(default_factory=list)
    instance_counts: dict[str, int] = field(default_factory=dict)
    session: InterviewSession | None = None


class DemoGenerator:
    def __init__(self, forms: list[CompiledForm], seed: int | None = None) -> None:
        if not forms:
            # One sentence for the CLI, not a traceback (a broken install has no forms).
            raise ScreeningError("No shipped forms were found to make demo interviews from.")
        self.forms = forms
        self.rng = random.Random(seed)
        self.faker = Faker(list(FAKER_LOCALES))
        self.faker.seed_instance(seed)

    def interviews(self, count: int) -> Iterator[DemoInterview]:
        for _ in range(count):
            yield self.one()

    def one(self) -> DemoInterview:
        rng = self.rng
        form = self._pick_form()
        scenario = rng.choices(list(SCENARIO_WEIGHTS), weights=list(SCENARIO_WEIGHTS.values()))[0]
        codes = [lang.code for lang in form.form.languages]
        language = rng.choice(codes)
        screener_language = "cnr" if "cnr" in codes and rng.random() < 0.6 else codes[0]
        started = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(
            days=rng.randrange(0, 330), minutes=rng.randrange(0, 24 * 60)
        )
        roll = rng.random()
        status = "draft" if roll < 0.15 else "stopped" if roll < 0.2 else "completed"
        interview = DemoInterview(
            form_id=form.id,
            scenario=scenario,
            language=language,
            screener_language=screener_language,
            interpreter_used=language != screener_language,
            location=rng.choice(CENTRES),
            started_at=started,
            status=status,
            stop_reason=rng.choice(STOP_REASONS) if status == "stopped" else None,
        )
        session = InterviewSession(form, language=screener_language, today=started.date())
        self._walk(form, session, interview)
        interview.instance_counts = session.instance_counts()
        interview.session = session
        if status == "completed" and not session.complete:
            interview.status = "draft"  # what a screener would have left unfinished
        return interview

    def _pick_form(self) -> CompiledForm:
        # Rapid screenings are the everyday case; full interviews follow some of them.
        weights = [5 if f.id == "rapid-screening" else 2 for f in self.forms]
        return self.rng.choices(self.forms, weights=weights)[0]

    def _walk(self, form: CompiledForm, session: InterviewSession, interview: DemoInterview):
        rng = self.rng
        stop_after = None
        if interview.status != "completed":
            stop_after = rng.randint(2, 12)
        consent = set(form.form.scoring.consent_questions) if form.form.scoring else set()
        attempted: set[str] = set()
        sized: set[str] = set()
        while True:
            self._size_repeats(form, session, sized)
            pending = [k for k in session.visible_questions() if k not in attempted]
            if not pending or (stop_after is not None and len(interview.steps) >= stop_after):
                return
            key = pending[0]
            attempted.add(key)
            node = form.nodes[key.split("[")[0]]
            if node.name in consent:
                value: object = "no" if interview.scenario == "refused" else "yes"
                if session.answer(key, value):
                    interview.steps.append((key, value))
                continue
            if (
                interview.scenario == "declined"
                and form.allows_declined(node)
                and rng.random() < 0.8
            ):
                if session.decline(key):
                    interview.steps.append((key, {"special": Special.DECLINED.value}))
                continue
            if form.allows_dont_know(node) and rng.random() < 0.04:
                if session.dont_know(key):
                    interview.steps.append((key, {"special": Special.DONT_KNOW.value}))
                continue
            for _ in range(8):
                value = self._value(form, node, interview)
                if value is None:
                    break
                if session.answer(key, value):
                    interview.steps.append((key, value))
                    break

    def _size_repeats(self, form: CompiledForm, session: InterviewSession, sized: set[str]):
        for node in form.nodes.values():
            if node.kind != "repeat" or node.name in sized or node.repeat_count is not None:
                continue
            if session.is_relevant(node.name):
                sized.add(node.name)
                wanted = max(node.source.min_repeat, self.rng.randint(0, 2))
                for _ in range(wanted):
                    try:
                        session.add_instance(node.name)
                    except ValueError:
                        break

    def _value(self, form: CompiledForm, node: Node, interview: DemoInterview) -> object:
        rng = self.rng
        bias = SCENARIOS[interview.scenario]
        kind = node.kind
        if kind == "select_one":
            question = node.question
            if question.indicators and question.indicator_choice in node.choice_names:
                if rng.random() < bias:
                    return question.indicator_choice
                others = [c.name for c in node.choices if c.name != question.indicator_choice]
                return rng.choice(others or [question.indicator_choice])
            return self._choose(node, bias, 1)[0]
        if kind == "select_multiple":
            return self._choose(node, bias, rng.choice((1, 1, 2, 3)))
        if kind == "integer":
            return self._integer(form, node)
        if kind == "decimal":
            return round(rng.uniform(0, 3000), 2)
        if kind == "date":
            today = interview.started_at.date()
            return (today - timedelta(days=rng.randrange(1, 3 * 365))).isoformat()
        if kind == "text":
            if "name" in node.name:
                return self.faker.first_name()
            return rng.choice(NEUTRAL_TEXT)
        return None

    def _choose(self, node: Node, bias: float, count: int) -> list[str]:
        tagged = [c.name for c in node.choices if c.indicators]
        plain = [c.name for c in node.choices if not c.indicators]
        picked: list[str] = []
        for _ in range(count):
            pool = tagged if tagged and (self.rng.random() < bias or not plain) else plain
            choice = self.rng.choice(pool)
            if choice not in picked:
                picked.append(choice)
        return picked

    def _integer(self, form: CompiledForm, node: Node) -> int:
        rng = self.rng
        if "age" in node.name:
            population = form.form.scoring.population if form.form.scoring else "adult"
            if population == "child":
                return rng.randint(9, 17)
            if form.id == "rapid-screening":
                return rng.randint(15, 55)
            return rng.randint(18, 60)
        return rng.randint(0, 6)
