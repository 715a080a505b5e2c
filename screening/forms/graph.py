"""The dependency graph of a form's expressions.

Each target is a thing the engine computes: the relevance of a node (`rel`), the value of a
question (`val`: an answer, or a calculation), whether a question is required (`req`),
whether its answer meets its constraint (`con`), the instance count of a repeat (`cnt`), and
the computed value that fills in an answerable question with a calculation (`pre`, see
`screening.engine.prefills`): it reads what the calculation reads, and the answer reads it.
An edge A → B means B reads A. The targets are kept in a topological order so that one
pass in that order, starting from what changed, computes everything exactly once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from screening.errors import ScreeningError
from screening.forms.nodes import Node

Target = tuple[str, str]  # (kind, node name)


class GraphCycleError(ScreeningError):
    def __init__(self, names: list[str]) -> None:
        self.names = names
        super().__init__("expressions refer to each other in a cycle: " + " → ".join(names))


@dataclass(frozen=True)
class DependencyGraph:
    order: tuple[Target, ...]
    position: Mapping[Target, int]
    dependents: Mapping[Target, tuple[Target, ...]]


def build_graph(nodes: Mapping[str, Node]) -> DependencyGraph:
    edges: dict[Target, set[Target]] = {}

    def target(kind: str, name: str) -> Target:
        key = (kind, name)
        edges.setdefault(key, set())
        return key

    def reads(reader: Target, names: frozenset[str]) -> None:
        for name in names:
            if name in nodes and ("val", name) in edges:
                edges[("val", name)].add(reader)
            elif name in nodes and nodes[name].kind == "repeat":
                # ${repeat} reads its instances: they come and go with its children's relevance.
                for child in nodes[name].children:
                    edges[("rel", child)].add(reader)

    # Create every target first so that reads() sees them regardless of form order.
    for node in nodes.values():
        target("rel", node.name)
        if node.is_question and node.kind != "note":
            target("val", node.name)
        if node.prefilled:
            target("pre", node.name)
        if node.is_question and not isinstance(node.required, bool):
            target("req", node.name)
        if node.constraint is not None:
            target("con", node.name)
        if node.repeat_count is not None:
            target("cnt", node.name)

    for node in nodes.values():
        rel = ("rel", node.name)
        if node.parent is not None:
            edges[("rel", node.parent)].add(rel)
        if node.relevant is not None:
            reads(rel, node.relevant.refs)
        if ("val", node.name) in edges:
            val = ("val", node.name)
            edges[rel].add(val)
            if node.prefilled:
                pre = ("pre", node.name)
                edges[rel].add(pre)
                edges[pre].add(val)
                if node.calculation is not None:
                    reads(pre, node.calculation.refs)
                if node.trigger is not None:
                    reads(pre, frozenset({node.trigger}))
            elif node.calculation is not None:
                reads(val, node.calculation.refs)
        if ("req", node.name) in edges and not isinstance(node.required, bool):
            reads(("req", node.name), node.required.refs)
        if node.constraint is not None:
            con = ("con", node.name)
            reads(con, node.constraint.refs)
            edges[("val", node.name)].add(con)
        if node.repeat_count is not None:
            cnt = ("cnt", node.name)
            reads(cnt, node.repeat_count.refs)
            for child in node.children:
                edges[cnt].add(("rel", child))

    order = _topological_order(edges)
    position = {t: i for i, t in enumerate(order)}
    dependents = {
        t: tuple(sorted(readers, key=position.__getitem__)) for t, readers in edges.items()
    }
    return DependencyGraph(tuple(order), position, dependents)


def _topological_order(edges: Mapping[Target, set[Target]]) -> list[Target]:
    incoming = {t: 0 for t in edges}
    for readers in edges.values():
        for reader in readers:
            incoming[reader] += 1
    # Stable: ready targets are taken in insertion (form) order, so evaluation order is
    # predictable and easy to reason about in tests.
    ready = [t for t, n in incoming.items() if n == 0]
    order: list[Target] = []
    index = 0
    while index < len(ready):
        current = ready[index]
        index += 1
        order.append(current)
        for reader in edges[current]:
            incoming[reader] -= 1
            if incoming[reader] == 0:
                ready.append(reader)
    if len(order) != len(edges):
        raise GraphCycleError(_find_cycle(edges, {t for t, n in incoming.items() if n > 0}))
    return order


def _find_cycle(edges: Mapping[Target, set[Target]], stuck: set[Target]) -> list[str]:
    """Names along one cycle among the stuck targets, first name repeated at the end.

    Every stuck target waits on at least one stuck target that it reads, so walking
    backwards along reads from any of them must come round to a target already seen.
    """
    read_by: dict[Target, list[Target]] = {t: [] for t in stuck}
    for source, readers in edges.items():
        if source in stuck:
            for reader in readers:
                if reader in stuck:
                    read_by[reader].append(source)
    path: list[Target] = []
    seen: dict[Target, int] = {}
    current = min(stuck)
    while current not in seen:
        seen[current] = len(path)
        path.append(current)
        current = min(read_by[current])
    cycle = [*path[seen[current] :], current]
    cycle.reverse()
    names: list[str] = []
    for _kind, name in cycle:
        if not names or names[-1] != name:
            names.append(name)
    if len(names) == 1:
        names.append(names[0])
    return names
