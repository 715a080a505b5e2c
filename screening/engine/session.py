"""The interview engine: what is visible, what is valid, what is computed, as answers arrive.

State is kept per target of the form's dependency graph (see `screening.forms.graph`) and per
repeat instance. An answer marks the value it changed; the targets that read it are
re-evaluated in topological order, and only those whose result changed pass the change on.
Answers of questions that become irrelevant are kept, but read as empty and left out of
results, as ODK does.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date

from screening.engine.odk_session import (
    default_answers,
    fill_text,
    instance_name,
    offered_choices,
)
from screening.engine.values import (
    Answer,
    AnswerTypeError,
    Key,
    Special,
    coerce,
    format_key,
    is_empty,
    parse_key,
)
from screening.expressions import Expression, ExpressionError, NodeSet
from screening.forms.compiler import CompiledForm, Node
from screening.forms.model import Choice, LocalizedText

Slot = tuple[str, str, int | None]  # (target kind, node name, repeat instance)

DEFAULT_MAX_INSTANCES = 100


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


class InterviewSession:
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
        self._answers: dict[Key, Answer] = {}
        self._state: dict[Slot, object] = {}
        self._counts: dict[str, int] = {}
        self.evaluations = 0  # targets evaluated so far; lets tests see incrementality
        self.current: str | None = None
        self._tables = form.form.data_files
        self._apply_defaults()
        self._evaluate_all()

    def _apply_defaults(self) -> None:
        self._answers.update(default_answers(self.form))

    # ----------------------------------------------------------------- choices
    def choices(self, key: str) -> tuple[Choice, ...]:
        """The choices a select offers now: all of them, or those its choice_filter passes."""
        name, instance = parse_key(key)
        node = self.form.nodes[name]
        if node.choice_filter is None:
            return node.choices
        return offered_choices(self, node, self._lookup(node, instance))

    def instance_name(self) -> str | None:
        """The interview's name from the form's instance_name, or None."""
        return instance_name(self, self._lookup(None, None))

    def fill(self, text: str, key: str | None = None) -> str:
        """`text` (a label or hint) with ${name} replaced by the answers, as seen from the
        question `key` (inside a repeat: its instance)."""
        reader, instance = None, None
        if key is not None:
            name, instance = parse_key(key)
            reader = self.form.nodes.get(name)
        nodes = self.form.nodes
        return fill_text(text, self._lookup(reader, instance), lambda n: n in nodes)

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
            offered = {choice.name for choice in self.choices(format_key((node.name, instance)))}
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
        return AnswerResult(True, format_key((node.name, instance)))

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
        return AnswerResult(True, format_key((node.name, instance)))

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
        return AnswerResult(True, format_key((node.name, instance)))

    def restore(
        self, answers: Mapping[str, Answer], instance_counts: Mapping[str, int] | None = None
    ) -> list[str]:
        """Load saved answers (a resumed draft) as they were; returns keys that no longer fit.

        Saved answers are not re-validated against constraints: they were valid when given,
        and a later change elsewhere must not make the engine drop them. Repeats the screener
        sizes get `instance_counts` (or as many instances as the answers need).
        """
        for repeat, count in (instance_counts or {}).items():
            node = self.form.nodes.get(repeat)
            if node is not None and node.kind == "repeat" and self._user_sized(repeat):
                limit = node.source.max_repeat or DEFAULT_MAX_INSTANCES
                self._counts[repeat] = max(0, min(int(count), limit))
        unusable: list[str] = []
        for key_text, saved in answers.items():
            try:
                name, instance = parse_key(key_text)
                node = self.form.nodes[name]
                if not node.answerable:
                    raise ValueError
                typed = None if saved.special else coerce(node, saved.value)
            except (ValueError, KeyError):
                unusable.append(key_text)
                continue
            if node.repeat is not None:
                wanted = instance or 1
                if self._counts.get(node.repeat, 0) < wanted and self._user_sized(node.repeat):
                    self._counts[node.repeat] = wanted
            self._answers[(name, instance)] = Answer(typed, saved.special)
        self._evaluate_all()
        return unusable

    def _answerable(self, key: str) -> tuple[Node, int | None]:
        name, instance = parse_key(key)
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
        if node.repeat is None and instance is not None:
            raise ValueError(f"{name} is not inside a repeat")
        if node.repeat is not None:
            if instance is None:
                raise ValueError(f"{name} is inside repeat {node.repeat}: say which instance")
            if instance > self.instance_count(node.repeat):
                raise ValueError(f"repeat {node.repeat} has no instance {instance}")
        if not self._state.get(("rel", name, instance), False):
            raise ValueError(f"{format_key((name, instance))} is not visible now")
        return node, instance

    def _constraint_problem(self, node: Node, instance: int | None, value: object) -> str | None:
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

    def _store(self, key: Key, answer: Answer | None) -> None:
        if answer is None:
            self._answers.pop(key, None)
        else:
            self._answers[key] = answer
        name, instance = key
        if self.incremental:
            self._propagate([("val", name, instance)])
        else:
            self._evaluate_all()

    # ----------------------------------------------------------------- repeats
    def instance_count(self, repeat: str) -> int:
        return self._counts.get(repeat, 0)

    def instance_counts(self) -> dict[str, int]:
        """Instance counts of the repeats the screener sizes (to save with a draft)."""
        return {name: n for name, n in self._counts.items() if self._user_sized(name)}

    def _user_sized(self, repeat: str) -> bool:
        return self.form.nodes[repeat].repeat_count is None

    def add_instance(self, repeat: str) -> int:
        """Add an instance to a repeat the screener sizes; returns its number."""
        node = self.form.nodes.get(repeat)
        if node is None or node.kind != "repeat":
            raise ValueError(f"{repeat} is not a repeat in this form")
        if not self._user_sized(repeat):
            raise ValueError(f"the number of {repeat} instances is computed by the form")
        limit = node.source.max_repeat or DEFAULT_MAX_INSTANCES
        count = self.instance_count(repeat)
        if count >= limit:
            raise ValueError(f"{repeat} allows at most {limit} instances")
        self._set_count(repeat, count + 1)
        return count + 1

    def remove_instance(self, repeat: str, instance: int) -> None:
        """Delete one instance and its answers; later instances move up by one."""
        count = self.instance_count(repeat)
        if not self._user_sized(repeat) or not 1 <= instance <= count:
            raise ValueError(f"{repeat} has no instance {instance} to remove")
        members = {name for name, n in self.form.nodes.items() if n.repeat == repeat}
        moved: dict[Key, Answer] = {}
        for (name, inst), answer in list(self._answers.items()):
            if name in members and inst is not None and inst >= instance:
                del self._answers[(name, inst)]
                if inst > instance:
                    moved[(name, inst - 1)] = answer
        self._answers.update(moved)
        self._counts[repeat] = count - 1
        self._evaluate_all()

    def _set_count(self, repeat: str, count: int) -> None:
        old = self.instance_count(repeat)
        self._counts[repeat] = count
        if self.incremental:
            changed = range(min(old, count) + 1, max(old, count) + 1)
            children = self.form.nodes[repeat].children
            self._propagate([("rel", child, i) for child in children for i in changed])
        else:
            self._evaluate_all()

    # ----------------------------------------------------------------- evaluation
    def _lookup(self, reader: Node | None, instance: int | None) -> Callable[[str], object]:
        state = self._state
        nodes = self.form.nodes
        own_repeat = reader.repeat if reader is not None else None

        def lookup(name: str) -> object:
            target = nodes[name]
            if target.kind == "repeat":
                # ${repeat} is its instances: count(${repeat}) counts them.
                return NodeSet([None] * self.instance_count(name))
            if target.repeat is None:
                return state.get(("val", name, None))
            if target.repeat == own_repeat and instance is not None:
                return state.get(("val", name, instance))
            # From outside its repeat a question is its value in every instance.
            count = self.instance_count(target.repeat)
            return NodeSet([state.get(("val", name, i)) for i in range(1, count + 1)])

        return lookup

    def _choice_label(self, question: str, choice: str) -> str | None:
        """For jr:choice-name(): a choice's label in the interview's language."""
        node = self.form.nodes.get(question)
        for option in node.choices if node is not None else ():
            if option.name == choice:
                return self.form.text(option.label, self.language)
        return None

    def _evaluate_all(self) -> None:
        """Compute every target from scratch (first load, resume, and the benchmark baseline)."""
        self._state.clear()
        nodes = self.form.nodes
        for kind, name in self.form.graph.order:
            node = nodes[name]
            if node.repeat is not None and kind != "cnt":
                for instance in range(1, self.instance_count(node.repeat) + 1):
                    self._state[(kind, name, instance)] = self._evaluate(kind, node, instance)
            else:
                value = self._evaluate(kind, node, None)
                self._state[(kind, name, None)] = value
                if kind == "cnt":
                    self._counts[name] = value  # type: ignore[assignment]

    def _propagate(self, start: list[Slot]) -> None:
        position = self.form.graph.position
        dependents = self.form.graph.dependents
        nodes = self.form.nodes
        heap: list[tuple[int, int, Slot]] = []
        queued: set[Slot] = set()

        def push(slot: Slot) -> None:
            if slot not in queued:
                queued.add(slot)
                heapq.heappush(heap, (position[slot[0], slot[1]], slot[2] or 0, slot))

        for slot in start:
            push(slot)
        while heap:
            _, _, slot = heapq.heappop(heap)
            kind, name, instance = slot
            node = nodes[name]
            new = self._evaluate(kind, node, instance)
            old = self._state.get(slot, _UNSET)
            if old is not _UNSET and _same(old, new):
                continue
            self._state[slot] = new
            if kind == "cnt":
                self._counts[name] = new  # type: ignore[assignment]
                previous = 0 if old is _UNSET else int(old or 0)  # type: ignore[call-overload]
                low, high = sorted((previous, int(new)))  # type: ignore[call-overload]
                for child in node.children:
                    for i in range(low + 1, high + 1):
                        push(("rel", child, i))
                continue
            for reader_kind, reader_name in dependents[(kind, name)]:
                reader = nodes[reader_name]
                if reader.repeat is None:
                    push((reader_kind, reader_name, None))
                elif reader.repeat == node.repeat:
                    push((reader_kind, reader_name, instance))
                else:
                    # Read from outside the reader's repeat (or the repeat's own relevance
                    # changed): every instance of the reader follows.
                    for i in range(1, self.instance_count(reader.repeat) + 1):
                        push((reader_kind, reader_name, i))

    def _evaluate(self, kind: str, node: Node, instance: int | None) -> object:
        self.evaluations += 1
        try:
            if kind == "rel":
                return self._relevance(node, instance)
            if kind == "val":
                return self._value(node, instance)
            if kind == "req":
                return self._truth(node.required, node, instance)  # type: ignore[arg-type]
            if kind == "con":
                answer = self._answers.get((node.name, instance))
                if answer is None or answer.special is not None:
                    return True
                return self._truth(node.constraint, node, instance, answer.value)  # type: ignore[arg-type]
            if kind == "cnt":
                return self._repeat_count(node)
        except ExpressionError:
            # As in ODK, an expression that cannot be evaluated reads as false / empty.
            return _FAILED[kind]
        raise AssertionError(f"unknown target kind {kind}")

    def _evaluate_expression(
        self, expr: Expression, node: Node, instance: int | None, current: object = None
    ) -> object:
        """`expr` evaluated where `node` (in repeat `instance`) stands, `current` as '.'."""
        return expr.evaluate(
            self._lookup(node, instance),
            current,
            self.today,
            self._choice_label,
            self._tables,
            instance,
        )

    def _truth(
        self, expr: Expression, node: Node, instance: int | None, current: object = None
    ) -> bool:
        """XPath boolean() of `expr` evaluated where `node` stands."""
        return expr.evaluate_bool(
            self._lookup(node, instance),
            current,
            self.today,
            self._choice_label,
            self._tables,
            instance,
        )

    def _relevance(self, node: Node, instance: int | None) -> bool:
        if node.parent is not None:
            parent = self.form.nodes[node.parent]
            parent_instance = instance if parent.repeat is not None else None
            if not self._state.get(("rel", node.parent, parent_instance), False):
                return False
            if (
                node.repeat is not None
                and instance is not None
                and instance > self.instance_count(node.repeat)
            ):
                return False
        if node.relevant is None:
            return True
        return self._truth(node.relevant, node, instance)

    def _value(self, node: Node, instance: int | None) -> object:
        if not self._state.get(("rel", node.name, instance), False):
            return None
        if node.calculation is not None:
            # A calculation sees its own last value as '.', which once() keeps.
            own = self._state.get(("val", node.name, instance))
            return self._evaluate_expression(node.calculation, node, instance, own)
        answer = self._answers.get((node.name, instance))
        return None if answer is None else answer.value

    def _repeat_count(self, node: Node) -> int:
        value = self._evaluate_expression(node.repeat_count, node, None)  # type: ignore[arg-type]
        try:
            count = int(float(value))  # type: ignore[arg-type]
        except (TypeError, ValueError, OverflowError):
            return 0
        limit = node.source.max_repeat or DEFAULT_MAX_INSTANCES
        return max(0, min(count, limit))

    # ----------------------------------------------------------------- reading
    def is_relevant(self, key: str) -> bool:
        name, instance = parse_key(key)
        return bool(self._state.get(("rel", name, instance), False))

    def _walk(self) -> Iterator[tuple[Node, int | None]]:
        """Nodes in form order, repeats expanded instance by instance."""
        nodes = self.form.nodes

        def visit(name: str, instance: int | None) -> Iterator[tuple[Node, int | None]]:
            node = nodes[name]
            if not self._state.get(("rel", name, instance), False):
                return
            yield node, instance
            if node.kind == "repeat":
                for i in range(1, self.instance_count(name) + 1):
                    for child in node.children:
                        yield from visit(child, i)
            else:
                for child in node.children:
                    yield from visit(child, instance)

        for section in self.form.sections():
            yield from visit(section.name, None)

    def pages(self) -> list[str]:
        """Visible questions and notes in order: what the screener steps through."""
        return [
            format_key((node.name, instance))
            for node, instance in self._walk()
            if node.is_question and node.kind != "calculate"
        ]

    def visible_questions(self) -> list[str]:
        return [
            format_key((node.name, instance))
            for node, instance in self._walk()
            if node.is_question and node.kind not in ("note", "calculate")
        ]

    def get(self, key: str) -> Answer | None:
        return self._answers.get(parse_key(key))

    @property
    def text_variant(self) -> str | None:
        """The answer (e.g. `female`) that picks gendered wording in texts; None until given."""
        rule = self.form.form.text_variants
        if rule is None or not self.is_relevant(rule.question):
            return None
        answer = self._answers.get((rule.question, None))
        if answer is None or answer.special or not isinstance(answer.value, str):
            return None
        return answer.value

    def text(self, text: LocalizedText | None, language: str | None = None) -> str:
        """A form text in `language` (the interview's by default), worded for this person."""
        return self.form.text(text, language or self.language, self.text_variant)

    def relevant_answers(self) -> dict[str, Answer]:
        return {
            format_key((node.name, instance)): self._answers[(node.name, instance)]
            for node, instance in self._walk()
            if (node.name, instance) in self._answers
        }

    def calculated(self) -> dict[str, object]:
        return {
            format_key((node.name, instance)): self._state.get(("val", node.name, instance))
            for node, instance in self._walk()
            if node.calculation is not None  # calculate, and read-only questions that compute
        }

    def is_required(self, node: Node, instance: int | None) -> bool:
        if isinstance(node.required, bool):
            return node.required
        return bool(self._state.get(("req", node.name, instance), False))

    def missing_required(self) -> list[str]:
        return [
            format_key((node.name, instance))
            for node, instance in self._walk()
            if node.answerable
            and self.is_required(node, instance)
            and (node.name, instance) not in self._answers
        ]

    def invalid(self) -> list[str]:
        """Answers that a later change made break their constraint."""
        return [
            format_key((node.name, instance))
            for node, instance in self._walk()
            if node.constraint is not None
            and self._state.get(("con", node.name, instance), True) is False
        ]

    def repeat_problems(self) -> list[str]:
        problems = []
        for node, _ in self._walk():
            if (
                node.kind == "repeat"
                and self._user_sized(node.name)
                and self.instance_count(node.name) < node.source.min_repeat
            ):
                problems.append(node.name)
        return problems

    @property
    def complete(self) -> bool:
        return not (self.missing_required() or self.invalid() or self.repeat_problems())

    def progress(self) -> list[SectionProgress]:
        result = []
        for section in self.form.sections():
            answered = total = missing = 0
            relevant = bool(self._state.get(("rel", section.name, None), False))
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
        here = order[parse_key(self.current or pages[0])[0]]
        indices = [order[parse_key(p)[0]] for p in pages]
        if direction > 0:
            return next((i for i, idx in enumerate(indices) if idx > here), len(pages))
        return max((i for i, idx in enumerate(indices) if idx < here), default=-1)


_UNSET = object()


def _same(old: object, new: object) -> bool:
    # 1 == True and 1 == 1.0 in Python, but a change of type is a change of value here.
    return type(old) is type(new) and old == new


_FAILED: dict[str, object] = {"rel": False, "val": None, "req": False, "con": False, "cnt": 0}
