"""Repeat instances of an interview: counting, adding and removing them (a nested repeat's
within one instance of the outer one), and the flow of pages with the places to add more.

A mixin of `InterviewSession` (screening/engine/session.py), kept apart to keep both short.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from screening.engine.instances import Path, as_path, format_path, shift_after_removal
from screening.engine.values import Answer

if TYPE_CHECKING:
    from screening.forms.compiler import CompiledForm, Node

DEFAULT_MAX_INSTANCES = 100
REPEAT_PROMPT = "+"  # before a repeat's key in flow(): where another instance is added
Slot = tuple[str, str, Path]  # (target kind, node name, repeat instance path)


@dataclass(frozen=True)
class EntriesCheckpoint:
    answers: Mapping[tuple[str, Path], Answer]
    counts: Mapping[tuple[str, Path], int]
    writes: frozenset[tuple[str, Path]]  # engine-written answers not stored yet


class RepeatInstances:
    form: CompiledForm
    incremental: bool
    _answers: dict[tuple[str, Path], Answer]
    _state: dict[Slot, object]
    _counts: dict[tuple[str, Path], int]
    _writes: set[tuple[str, Path]]  # keys of answers the engine wrote, not yet stored
    _chains: dict[str, tuple[str, ...]]
    _nesting: set[str]

    def _evaluate_all(self, *, prefill: bool = True) -> None:
        raise NotImplementedError

    def _propagate(self, start: list[Slot]) -> None:
        raise NotImplementedError

    def _count(self, repeat: str, outer: Path) -> int:
        return self._counts.get((repeat, outer), 0)

    def instance_count(self, repeat: str, outer: int | Path | None = None) -> int:
        """The number of instances of `repeat`; for a repeat inside another, those within the
        outer instance path `outer` (`(2,)`: in the second instance of the outer repeat)."""
        return self._counts.get((repeat, as_path(outer)), 0)

    def instance_counts(self) -> dict[str, int]:
        """Instance counts of the repeats the screener sizes (to save with a draft): keyed by
        the repeat's name, with its outer instance for a nested one (`member[2]`)."""
        return {
            format_path(name, outer): n
            for (name, outer), n in self._counts.items()
            if self._user_sized(name)
        }

    def _user_sized(self, repeat: str) -> bool:
        return self.form.nodes[repeat].repeat_count is None

    def _repeat_node(self, repeat: str, outer: Path) -> Node:
        node = self.form.nodes.get(repeat)
        if node is None or node.kind != "repeat":
            raise ValueError(f"{repeat} is not a repeat in this form")
        chain = self._chains[repeat]
        if len(outer) != len(chain):
            raise ValueError(f"{repeat} is inside repeat {' and '.join(chain)}: say which instance")
        for depth, holder in enumerate(chain):
            if outer[depth] > self.instance_count(holder, outer[:depth]):
                raise ValueError(no_instance(chain, outer, depth))
        return node

    def add_instance(self, repeat: str, outer: int | Path | None = None) -> int:
        """Add an instance to a repeat the screener sizes (within the outer instance `outer`
        for a nested one); returns its number."""
        outer = as_path(outer)
        node = self._repeat_node(repeat, outer)
        if not self._user_sized(repeat):
            raise ValueError(f"the number of {repeat} instances is computed by the form")
        limit = node.source.max_repeat or DEFAULT_MAX_INSTANCES
        count = self.instance_count(repeat, outer)
        if count >= limit:
            raise ValueError(f"{repeat} allows at most {limit} instances")
        self._set_count(repeat, outer, count + 1)
        return count + 1

    def remove_instance(self, repeat: str, instance: int, outer: int | Path | None = None) -> None:
        """Delete one instance, its answers and the instances nested in it; later instances
        move up by one."""
        outer = as_path(outer)
        try:
            self._repeat_node(repeat, outer)
        except ValueError:
            raise ValueError(f"{repeat} has no instance {instance} to remove") from None
        count = self.instance_count(repeat, outer)
        if not self._user_sized(repeat) or not 1 <= instance <= count:
            raise ValueError(f"{repeat} has no instance {instance} to remove")
        depth = len(outer)
        members = {
            n for n, chain in self._chains.items() if len(chain) > depth and chain[depth] == repeat
        }
        inside = {k: v for k, v in self._answers.items() if k[0] in members}
        kept = {k: v for k, v in self._answers.items() if k[0] not in members}
        moved = shift_after_removal(inside, depth, outer, instance)
        self._answers = {**kept, **moved}  # type: ignore[dict-item]
        nested = {k: v for k, v in self._counts.items() if k[0] in members}
        self._counts = {k: v for k, v in self._counts.items() if k[0] not in members}
        self._counts.update(shift_after_removal(nested, depth, outer, instance))  # type: ignore[arg-type]
        self._counts[(repeat, outer)] = count - 1
        # The later entries' answers moved down as they were: their prefills are not
        # computed again, so what the screener changed in them stands.
        self._evaluate_all(prefill=False)

    def entries_checkpoint(self) -> EntriesCheckpoint:
        """The answers, instance counts and pending engine writes as they are now, for
        `roll_back_entries`."""
        return EntriesCheckpoint(dict(self._answers), dict(self._counts), frozenset(self._writes))

    def roll_back_entries(self, checkpoint: EntriesCheckpoint) -> None:
        """Back to a checkpoint: a removal the storage refused is undone, so the session
        holds exactly what was stored."""
        self._answers = dict(checkpoint.answers)
        self._counts = dict(checkpoint.counts)
        self._writes = set(checkpoint.writes)
        self._evaluate_all(prefill=False)

    def _set_count(self, repeat: str, outer: Path, count: int) -> None:
        old = self.instance_count(repeat, outer)
        self._counts[(repeat, outer)] = count
        if self.incremental and repeat not in self._nesting:
            changed = range(min(old, count) + 1, max(old, count) + 1)
            children = self.form.nodes[repeat].children
            self._propagate([("rel", child, (*outer, i)) for child in children for i in changed])
        else:
            self._evaluate_all()

    def flow(self) -> list[str]:
        """`pages()` with, after the instances of each visible repeat the screener sizes, the
        place to add another: `+` and the repeat's key (`+member[2]`: members of household 2)."""
        nodes = self.form.nodes
        keys: list[str] = []

        def visit(name: str, instance: Path) -> None:
            node = nodes[name]
            if not self._state.get(("rel", name, instance), False):
                return
            if node.is_question and node.kind != "calculate":
                keys.append(format_path(name, instance))
            if node.kind == "repeat":
                for i in range(1, self._count(name, instance) + 1):
                    for child in node.children:
                        visit(child, (*instance, i))
                if self._user_sized(name):
                    keys.append(REPEAT_PROMPT + format_path(name, instance))
            else:
                for child in node.children:
                    visit(child, instance)

        for section in self.form.sections():
            visit(section.name, ())
        return keys

    def repeat_chain(self, name: str) -> tuple[str, ...]:
        """The repeats whose instances hold node `name`, outermost first (a repeat's own
        chain leaves itself out)."""
        return self._chains[name]

    def answer_keys(self) -> list[str]:
        """Keys of every answer held, relevant or not (to mirror a renumbering into storage)."""
        return [format_path(name, path) for name, path in self._answers]


def no_instance(chain: tuple[str, ...], path: Path, depth: int) -> str:
    where = f" in {format_path(chain[depth - 1], path[:depth])}" if depth else ""
    return f"repeat {chain[depth]} has no instance {path[depth]}{where}"
