"""The interview engine: what is visible, what is valid, what is computed, as answers arrive.

State is kept per target of the form's dependency graph (see `screening.forms.graph`) and per
repeat instance, addressed by a path of instance numbers (`screening.engine.instances`: repeats
may hold repeats). An answer marks the value it changed; the targets that read it are
re-evaluated in topological order, and only those whose result changed pass the change on.
Answers of questions that become irrelevant are kept, but read as empty and left out of
results, as ODK does.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date

from screening.engine.evaluation import Evaluation
from screening.engine.instances import (
    Path,
    as_path,
    format_path,
    parse_path,
    repeat_chains,
)
from screening.engine.odk_session import (
    default_answers,
    fill_text,
    instance_name,
    offered_choices,
)
from screening.engine.session_repeats import (
    DEFAULT_MAX_INSTANCES,
    Slot,
    no_instance,
)
from screening.engine.values import Answer, AnswerTypeError, Special, coerce, is_empty
from screening.expressions import ExpressionError
from screening.forms.compiler import CompiledForm, Node
from screening.forms.model import Choice, LocalizedText

PathKey = tuple[str, Path]  # (question name, instance path)


@dataclass(frozen=True)
class AnswerResult:
    ok: bool
    key: str
    error: str | None = None

    def __bool__(self) -> bool:
        return self.ok


@dataclass(frozen=True)
class SectionProgress:
    name: str
    answered: int
    total: int
    missing_required: int
    relevant: bool

    @property
    def complete(self) -> bool:
        return not self.relevant or self.missing_required == 0


class InterviewSession(Evaluation):
    """One interview over a compiled form. Pure: storage is the caller's concern."""

    def __init__(
        self,
        form: CompiledForm,
        *,
        language: str | None = None,
        today: date | None = None,
        incremental: bool = True,
    ) -> None:
        self.form = form
        self.language = language or form.form.default_language
        self.today = today
        self.incremental = incremental
        self._answers: dict[PathKey, Answer] = {}
        self._state: dict[Slot, object] = {}
        self._counts: dict[tuple[str, Path], int] = {}  # (repeat, its outer instance path)
        self._chains = repeat_chains(form)
        # Repeats holding repeats: a change in their instances re-evaluates the whole form
        # (rare: an instance added or removed), so nested counts need no graph edges.
        self._nesting = {
            outer
            for name, node in form.nodes.items()
            if node.kind == "repeat"
            for outer in self._chains[name]
        }
        self.evaluations = 0  # targets evaluated so far; lets tests see incrementality
        self.current: str | None = None
        self._tables = form.form.data_files
        self._writes = set()
        self._apply_defaults()
        self._evaluate_all()

    def _apply_defaults(self) -> None:
        for (name, i), answer in default_answers(self.form).items():
            self._answers[(name, as_path(i))] = answer
            self._writes.add((name, as_path(i)))

    # ----------------------------------------------------------------- engine writes
    def engine_writes(self) -> list[str]:
        """Keys of answers the engine wrote itself (defaults, and prefills of answerable
        questions with a calculation) that the caller has not yet stored."""
        return [format_path(name, path) for name, path in sorted(self._writes)]

    def engine_writes_stored(self, keys: list[str]) -> None:
        """The caller has stored these `engine_writes()` keys."""
        self._writes.difference_update(parse_path(key) for key in keys)

    # ----------------------------------------------------------------- choices
    def choices(self, key: str) -> tuple[Choice, ...]:
        """The choices a select offers now: all of them, or those its choice_filter passes."""
        name, path = parse_path(key)
        node = self.form.nodes[name]
        if node.choice_filter is None:
            return node.choices
        return offered_choices(self, node, self._lookup(node, path))

    def instance_name(self) -> str | None:
        """The interview's name from the form's instance_name, or None."""
        return instance_name(self, self._lookup(None, ()))

    def fill(self, text: str, key: str | None = None) -> str:
        """`text` (a label or hint) with ${name} replaced by the answers, as seen from the
        question `key` (inside a repeat: its instance)."""
        reader, path = None, ()
        if key is not None:
            name, path = parse_path(key)
            reader = self.form.nodes.get(name)
        nodes = self.form.nodes
        return fill_text(text, self._lookup(reader, path), lambda n: n in nodes)

    # ----------------------------------------------------------------- answering
    def answer(self, key: str, value: object) -> AnswerResult:
        """Give, change, or (with an empty value) clear an answer."""
        try:
            node, instance = self._answerable(key)
        except ValueError as exc:
            return AnswerResult(False, key, str(exc))
        if is_empty(value):
            return self.clear(key)
        try:
            typed = coerce(node, value)
        except AnswerTypeError as exc:
            return AnswerResult(False, key, str(exc))
        if node.choice_filter is not None:
            offered = {choice.name for choice in self.choices(format_path(node.name, instance))}
            picked = typed if isinstance(typed, list) else [typed]
            if node.kind == "rank":
                picked = str(typed).split()
            left_out = [name for name in picked if name not in offered]
            if left_out:
                return AnswerResult(False, key, f"{left_out[0]!r} is not offered here")
            if node.kind == "rank" and len(picked) != len(offered):
                return AnswerResult(False, key, "every choice offered must be ranked")
        problem = self._constraint_problem(node, instance, typed)
        if problem:
            return AnswerResult(False, key, problem)
        self._store((node.name, instance), Answer(typed))
        return AnswerResult(True, format_path(node.name, instance))

    def decline(self, key: str) -> AnswerResult:
        return self._special(key, Special.DECLINED)

    def dont_know(self, key: str) -> AnswerResult:
        return self._special(key, Special.DONT_KNOW)

    def clear(self, key: str) -> AnswerResult:
        try:
            node, instance = self._answerable(key)
        except ValueError as exc:
            return AnswerResult(False, key, str(exc))
        if (node.name, instance) in self._answers:
            self._store((node.name, instance), None)
        return AnswerResult(True, format_path(node.name, instance))

    def _special(self, key: str, special: Special) -> AnswerResult:
        try:
            node, instance = self._answerable(key)
        except ValueError as exc:
            return AnswerResult(False, key, str(exc))
        if special is Special.DECLINED and not self.form.allows_declined(node):
            return AnswerResult(False, key, "'declined to answer' is not allowed here")
        if special is Special.DONT_KNOW and not self.form.allows_dont_know(node):
            return AnswerResult(False, key, "'don't know' is not allowed here")
        self._store((node.name, instance), Answer(None, special))
        return AnswerResult(True, format_path(node.name, instance))

    def restore(
        self,
        answers: Mapping[str, Answer],
        instance_counts: Mapping[str, int] | None = None,
        *,
        exact: bool = False,
    ) -> list[str]:
        """Load saved answers (a resumed draft) as they were; returns keys that no longer fit.

        Saved answers are not re-validated against constraints: they were valid when given,
        and a later change elsewhere must not make the engine drop them. Repeats the screener
        sizes get `instance_counts` (or as many instances as the answers need); a nested
        repeat's count is keyed by its outer instance (`member[2]`), as `instance_counts()`
        gives it. Prefilled answers are not computed again: what was stored stands.

        The values a new interview starts with (defaults, prefills) are kept only while
        nothing is stored (a draft opened for the first time: they are then `engine_writes`
        to store); once anything is, the stored answers are the whole interview, so a default
        the screener cleared stays cleared. `exact`: never keep them (a received interview).
        """
        if answers or exact:
            self._answers.clear()
            self._writes.clear()
        for key_text, count in (instance_counts or {}).items():
            try:
                repeat, outer = parse_path(key_text)
            except ValueError:
                continue
            node = self.form.nodes.get(repeat)
            if (
                node is not None
                and node.kind == "repeat"
                and self._user_sized(repeat)
                and len(outer) == len(self._chains[repeat])
            ):
                limit = node.source.max_repeat or DEFAULT_MAX_INSTANCES
                self._counts[(repeat, outer)] = max(0, min(int(count), limit))
        unusable: list[str] = []
        for key_text, saved in answers.items():
            try:
                name, path = parse_path(key_text)
                node = self.form.nodes[name]
                chain = self._chains[name]
                if not node.answerable or len(path) != len(chain):
                    raise ValueError
                typed = None if saved.special else coerce(node, saved.value)
            except (ValueError, KeyError):
                unusable.append(key_text)
                continue
            for depth, repeat in enumerate(chain):
                outer, wanted = path[:depth], path[depth]
                if self._counts.get((repeat, outer), 0) < wanted and self._user_sized(repeat):
                    self._counts[(repeat, outer)] = wanted
            self._answers[(name, path)] = Answer(typed, saved.special)
        self._evaluate_all(prefill=False)
        return unusable

    def _answerable(self, key: str) -> tuple[Node, Path]:
        name, instance = parse_path(key)
        node = self.form.nodes.get(name)
        if node is None:
            raise ValueError(f"{name} is not a question in this form")
        if not node.answerable:
            what = (
                "read-only"
                if node.is_question and node.kind not in ("note", "calculate")
                else node.kind
            )
            raise ValueError(f"{name} takes no answer (it is a {what})")
        chain = self._chains[name]
        if not chain and instance:
            raise ValueError(f"{name} is not inside a repeat")
        if len(instance) != len(chain):
            inside = " and ".join(chain)
            raise ValueError(f"{name} is inside repeat {inside}: say which instance of each")
        for depth, repeat in enumerate(chain):
            if instance[depth] > self.instance_count(repeat, instance[:depth]):
                raise ValueError(no_instance(chain, instance, depth))
        if not self._state.get(("rel", name, instance), False):
            raise ValueError(f"{format_path(name, instance)} is not visible now")
        return node, instance

    def _constraint_problem(self, node: Node, instance: Path, value: object) -> str | None:
        if node.constraint is None:
            return None
        try:
            ok = self._truth(node.constraint, node, instance, value)
        except ExpressionError:
            ok = False
        if ok:
            return None
        return self.form.text(node.question.constraint_message, self.language) or (
            "the answer is not allowed here"
        )

    def _store(self, key: PathKey, answer: Answer | None) -> None:
        if answer is None:
            self._answers.pop(key, None)
        else:
            self._answers[key] = answer
        name, instance = key
        if self.incremental:
            self._propagate([("val", name, instance)])
        else:
            self._evaluate_all()

    # ----------------------------------------------------------------- reading
    def is_relevant(self, key: str) -> bool:
        name, instance = parse_path(key)
        return bool(self._state.get(("rel", name, instance), False))

    def _walk(self) -> Iterator[tuple[Node, Path]]:
        """Nodes in form order, repeats expanded instance by instance."""
        nodes = self.form.nodes

        def visit(name: str, instance: Path) -> Iterator[tuple[Node, Path]]:
            node = nodes[name]
            if not self._state.get(("rel", name, instance), False):
                return
            yield node, instance
            if node.kind == "repeat":
                for i in range(1, self._count(name, instance) + 1):
                    for child in node.children:
                        yield from visit(child, (*instance, i))
            else:
                for child in node.children:
                    yield from visit(child, instance)

        for section in self.form.sections():
            yield from visit(section.name, ())

    def pages(self) -> list[str]:
        """Visible questions and notes in order: what the screener steps through."""
        return [
            format_path(node.name, instance)
            for node, instance in self._walk()
            if node.is_question and node.kind != "calculate"
        ]

    def visible_questions(self) -> list[str]:
        return [
            format_path(node.name, instance)
            for node, instance in self._walk()
            if node.is_question and node.kind not in ("note", "calculate")
        ]

    def get(self, key: str) -> Answer | None:
        return self._answers.get(parse_path(key))

    @property
    def text_variant(self) -> str | None:
        """The answer (e.g. `female`) that picks gendered wording in texts; None until given."""
        rule = self.form.form.text_variants
        if rule is None or not self.is_relevant(rule.question):
            return None
        answer = self._answers.get((rule.question, ()))
        if answer is None or answer.special or not isinstance(answer.value, str):
            return None
        return answer.value

    def text(self, text: LocalizedText | None, language: str | None = None) -> str:
        """A form text in `language` (the interview's by default), worded for this person."""
        return self.form.text(text, language or self.language, self.text_variant)

    def relevant_answers(self) -> dict[str, Answer]:
        return {
            format_path(node.name, instance): self._answers[(node.name, instance)]
            for node, instance in self._walk()
            if (node.name, instance) in self._answers
        }

    def calculated(self) -> dict[str, object]:
        return {
            format_path(node.name, instance): self._state.get(("val", node.name, instance))
            for node, instance in self._walk()
            # calculate, and read-only questions that compute (a prefill is an answer)
            if node.calculation is not None and not node.prefilled
        }

    def is_required(self, node: Node, instance: int | Path | None) -> bool:
        if isinstance(node.required, bool):
            return node.required
        return bool(self._state.get(("req", node.name, as_path(instance)), False))

    def missing_required(self) -> list[str]:
        return [
            format_path(node.name, instance)
            for node, instance in self._walk()
            if node.answerable
            and self.is_required(node, instance)
            and (node.name, instance) not in self._answers
        ]

    def invalid(self) -> list[str]:
        """Answers that a later change made break their constraint."""
        return [
            format_path(node.name, instance)
            for node, instance in self._walk()
            if node.constraint is not None
            and self._state.get(("con", node.name, instance), True) is False
        ]

    def repeat_problems(self) -> list[str]:
        """Repeats with fewer instances than their min_repeat: the name of a top-level one,
        the key of a nested one with its outer instance (`member[2]`)."""
        problems = []
        for node, path in self._walk():
            if (
                node.kind == "repeat"
                and self._user_sized(node.name)
                and self._count(node.name, path) < node.source.min_repeat
            ):
                problems.append(format_path(node.name, path))
        return problems

    @property
    def complete(self) -> bool:
        return not (self.missing_required() or self.invalid() or self.repeat_problems())

    def progress(self) -> list[SectionProgress]:
        result = []
        for section in self.form.sections():
            answered = total = missing = 0
            relevant = bool(self._state.get(("rel", section.name, ()), False))
            for node, instance in self._walk():
                if node.section != section.name or not node.answerable:
                    continue
                total += 1
                if (node.name, instance) in self._answers:
                    answered += 1
                elif self.is_required(node, instance):
                    missing += 1
            result.append(SectionProgress(section.name, answered, total, missing, relevant))
        return result

    def incomplete_sections(self) -> list[str]:
        """Sections that scoring needs (required_for_scoring) with required answers missing."""
        needed = {
            s.name for s in self.form.sections() if getattr(s.source, "required_for_scoring", False)
        }
        return [p.name for p in self.progress() if p.name in needed and p.missing_required]

    # ----------------------------------------------------------------- navigation
    def start(self) -> str | None:
        pages = self.pages()
        self.current = pages[0] if pages else None
        return self.current

    def next(self) -> str | None:
        """Move to the next visible page; stays put (returns None) at the end."""
        return self._step(+1)

    def previous(self) -> str | None:
        return self._step(-1)

    def go_to(self, key: str) -> str:
        if key not in self.pages():
            raise ValueError(f"{key} is not visible now")
        self.current = key
        return key

    def _step(self, direction: int) -> str | None:
        pages = self.pages()
        if not pages:
            self.current = None
            return None
        if self.current is None:
            self.current = pages[0]
            return self.current
        if self.current in pages:
            index = pages.index(self.current) + direction
        else:
            # The current page became irrelevant: continue from where it stood in form order.
            index = self._nearest(pages, direction)
        if 0 <= index < len(pages):
            self.current = pages[index]
            return self.current
        return None

    def _nearest(self, pages: list[str], direction: int) -> int:
        order = {name: node.index for name, node in self.form.nodes.items()}
        here = order[parse_path(self.current or pages[0])[0]]
        indices = [order[parse_path(p)[0]] for p in pages]
        if direction > 0:
            return next((i for i, idx in enumerate(indices) if idx > here), len(pages))
        return max((i for i, idx in enumerate(indices) if idx < here), default=-1)
