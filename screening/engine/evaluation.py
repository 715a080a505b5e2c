"""Evaluating a form's targets for one interview: relevance, values, requirements, constraints,
repeat counts and prefills (the kinds of `screening.forms.graph`), per repeat instance.

`InterviewSession` is built on this: it takes answers and reads results; this computes what
follows from them, everything at once (`_evaluate_all`) or only what an answer changed
(`_propagate`, in the graph's topological order). Both give the same state; the property tests
in tests/screening/engine/test_properties.py hold them to it.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from datetime import date

from screening.engine.instances import Path, instance_paths, shared
from screening.engine.prefills import prefilled_answer
from screening.engine.session_repeats import DEFAULT_MAX_INSTANCES, RepeatInstances, Slot
from screening.expressions import ABSOLUTE, Expression, ExpressionError, NodeSet
from screening.forms.compiler import Node


class Evaluation(RepeatInstances):
    """The targets' state of one interview; see the module docstring."""

    today: date | None
    _tables: dict[str, list[dict[str, str]]]
    evaluations: int

    def _paths(self, name: str, prefix: Path = ()) -> list[Path]:
        """Every instance path of node `name` that starts with `prefix`."""
        return instance_paths(self._chains[name], prefix, self._count)

    def _lookup(self, reader: Node | None, path: Path) -> Callable[[str], object]:
        """How `reader`, standing in instance `path`, reads ${name} (ODK's relative paths):
        in the instances of the repeats they share, its own; in the others, every one."""
        state = self._state
        nodes = self.form.nodes
        chains = self._chains
        own = chains[reader.name] if reader is not None else ()

        def lookup(name: str) -> object:
            absolute = name.startswith(ABSOLUTE)
            if absolute:
                name = name[len(ABSOLUTE) :]
            target = nodes[name]
            chain = chains[name]
            depth = 0 if absolute else shared(own, chain)
            prefix = path[:depth]
            if target.kind == "repeat":
                # ${repeat} is its instances: count(${repeat}) counts them.
                inner = (*chain, name)
                paths = instance_paths(inner, prefix, self._count)
                return NodeSet([None] * len(paths), paths)
            if depth == len(chain):
                return state.get(("val", name, prefix))
            paths = instance_paths(chain, prefix, self._count)
            return NodeSet([state.get(("val", name, p)) for p in paths], paths)

        return lookup

    def _choice_label(self, question: str, choice: str) -> str | None:
        """For jr:choice-name(): a choice's label in the interview's language."""
        node = self.form.nodes.get(question)
        for option in node.choices if node is not None else ():
            if option.name == choice:
                return self.form.text(option.label, self.language)
        return None

    def _evaluate_all(self, *, prefill: bool = True) -> None:
        """Compute every target from scratch (first load, resume, and the benchmark baseline).

        `prefill`: write each computed prefill that differs from the last one computed, as an
        incremental pass would (False: the answers are exactly what was stored)."""
        previous = self._state
        self._state = {}
        nodes = self.form.nodes
        for kind, name in self.form.graph.order:
            node = nodes[name]
            # Outer repeats' counts come earlier in the order than the nodes inside them.
            for path in self._paths(name):
                value = self._evaluate(kind, node, path)
                self._state[(kind, name, path)] = value
                if kind == "cnt":
                    self._counts[(name, path)] = value  # type: ignore[assignment]
                elif kind == "pre" and prefill:
                    old = previous.get((kind, name, path), _UNSET)
                    if old is _UNSET or not _same(old, value):
                        self._prefill(node, path, value, first=old is _UNSET)

    def _propagate(self, start: list[Slot]) -> None:
        position = self.form.graph.position
        dependents = self.form.graph.dependents
        nodes = self.form.nodes
        chains = self._chains
        heap: list[tuple[int, Path, Slot]] = []
        queued: set[Slot] = set()
        renumbered = False

        def push(slot: Slot) -> None:
            if slot not in queued:
                queued.add(slot)
                heapq.heappush(heap, (position[slot[0], slot[1]], slot[2], slot))

        for slot in start:
            push(slot)
        while heap:
            _, _, slot = heapq.heappop(heap)
            kind, name, path = slot
            node = nodes[name]
            new = self._evaluate(kind, node, path)
            old = self._state.get(slot, _UNSET)
            if old is not _UNSET and _same(old, new):
                continue
            self._state[slot] = new
            if kind == "pre":
                self._prefill(node, path, new, first=old is _UNSET)
            elif kind == "cnt":
                self._counts[(name, path)] = new  # type: ignore[assignment]
                if name in self._nesting:
                    renumbered = True  # instances with repeats inside: recomputed below
                    continue
                previous = 0 if old is _UNSET else int(old or 0)  # type: ignore[call-overload]
                low, high = sorted((previous, int(new)))  # type: ignore[call-overload]
                for child in node.children:
                    for i in range(low + 1, high + 1):
                        push(("rel", child, (*path, i)))
                continue
            chain = chains[name]
            parent = nodes[node.parent] if node.parent is not None else None
            # A repeat child's relevance also stands for "an instance of the repeat came or
            # went", read by ${repeat} (count()): seen by every instance beside it.
            as_instance = kind == "rel" and parent is not None and parent.kind == "repeat"
            for reader_kind, reader_name in dependents[(kind, name)]:
                # The reader's instances that see this one: those in the same instances of
                # the repeats both are in (all of them when they share none).
                seen_from = chain
                if as_instance and reader_name != name and nodes[reader_name].parent != name:
                    seen_from = chains[parent.name]  # type: ignore[union-attr]
                depth = shared(seen_from, chains[reader_name])
                for reader_path in self._paths(reader_name, path[:depth]):
                    push((reader_kind, reader_name, reader_path))
        if renumbered:
            self._evaluate_all()

    def _evaluate(self, kind: str, node: Node, instance: Path) -> object:
        self.evaluations += 1
        try:
            if kind == "rel":
                return self._relevance(node, instance)
            if kind == "val":
                return self._value(node, instance)
            if kind == "pre":
                return self._prefill_state(node, instance)
            if kind == "req":
                return self._truth(node.required, node, instance)  # type: ignore[arg-type]
            if kind == "con":
                answer = self._answers.get((node.name, instance))
                if answer is None or answer.special is not None:
                    return True
                return self._truth(node.constraint, node, instance, answer.value)  # type: ignore[arg-type]
            if kind == "cnt":
                return self._repeat_count(node, instance)
        except ExpressionError:
            # As in ODK, an expression that cannot be evaluated reads as false / empty.
            return _FAILED[kind]
        raise AssertionError(f"unknown target kind {kind}")

    def _evaluate_expression(
        self, expr: Expression, node: Node, instance: Path, current: object = None
    ) -> object:
        """`expr` evaluated where `node` (in repeat `instance`) stands, `current` as '.'."""
        return expr.evaluate(*self._where(node, instance, current))

    def _truth(self, expr: Expression, node: Node, instance: Path, current: object = None) -> bool:
        """XPath boolean() of `expr` evaluated where `node` stands."""
        return expr.evaluate_bool(*self._where(node, instance, current))

    def _where(self, node: Node, instance: Path, current: object) -> tuple[object, ...]:
        """The arguments of `Expression.evaluate` for an expression of `node` in `instance`."""
        return (
            self._lookup(node, instance),
            current,
            self.today,
            self._choice_label,
            self._tables,
            instance[-1] if instance else None,  # position(..): the innermost instance
        )

    def _relevance(self, node: Node, instance: Path) -> bool:
        if node.parent is not None:
            parent_instance = instance[: len(self._chains[node.parent])]
            if not self._state.get(("rel", node.parent, parent_instance), False):
                return False
            if instance and instance[-1] > self._count(node.repeat or "", instance[:-1]):
                return False
        if node.relevant is None:
            return True
        return self._truth(node.relevant, node, instance)

    def _prefill_state(self, node: Node, instance: Path) -> object:
        """The `pre` target, whose change writes the prefill. With a trigger: that question's
        answer (as `node` sees it). Otherwise: the computed value; for a prefill written
        whenever that changes, only while its question is shown (None while hidden)."""
        if node.trigger is not None:
            seen = self._lookup(node, instance)(node.trigger)
            return tuple(seen.items) if isinstance(seen, NodeSet) else seen
        if not node.once and not self._state.get(("rel", node.name, instance), False):
            return None
        return self._computed(node, instance)

    def _computed(self, node: Node, instance: Path) -> object:
        if node.calculation is None:
            return None  # a trigger without a value empties the answer, as pyxform's does
        own = self._answers.get((node.name, instance))
        current = None if own is None else own.value  # '.', which once() keeps
        return self._evaluate_expression(node.calculation, node, instance, current)  # type: ignore[arg-type]

    def _prefill(self, node: Node, path: Path, value: object, *, first: bool) -> None:
        """Write the answer of a prefilled question when its `pre` target became `value`
        (see prefills): once at the start (ODK's dynamic default, shown or not), on each
        change of its trigger (ODK's setvalue, shown or not), or on each change of the
        computed value while the question is shown."""
        if node.once:
            if not first:
                return
        elif node.trigger is not None:
            if first:
                return  # ODK's trigger fires on a change, not when the form opens
            try:
                value = self._computed(node, path)
            except ExpressionError:
                value = None
        elif not self._state.get(("rel", node.name, path), False):
            return
        key = (node.name, path)
        changed, answer = prefilled_answer(node, self._answers.get(key), value, first=first)
        if not changed:
            return
        if answer is None:
            self._answers.pop(key, None)
        else:
            self._answers[key] = answer
        self._writes.add(key)

    def _value(self, node: Node, instance: Path) -> object:
        if not self._state.get(("rel", node.name, instance), False):
            return None
        if node.calculation is not None and not node.prefilled:
            # A calculation sees its own last value as '.', which once() keeps.
            own = self._state.get(("val", node.name, instance))
            return self._evaluate_expression(node.calculation, node, instance, own)
        answer = self._answers.get((node.name, instance))
        return None if answer is None else answer.value

    def _repeat_count(self, node: Node, outer: Path) -> int:
        value = self._evaluate_expression(node.repeat_count, node, outer)  # type: ignore[arg-type]
        try:
            count = int(float(value))  # type: ignore[arg-type]
        except (TypeError, ValueError, OverflowError):
            return 0
        limit = node.source.max_repeat or DEFAULT_MAX_INSTANCES
        return max(0, min(count, limit))


_UNSET = object()


def _same(old: object, new: object) -> bool:
    # 1 == True and 1 == 1.0 in Python, but a change of type is a change of value here.
    return type(old) is type(new) and old == new


_FAILED: dict[str, object] = {
    "rel": False,
    "val": None,
    "req": False,
    "con": False,
    "cnt": 0,
    "pre": None,
}
