"""No import cycle among the modules of screening/, hub/ and app/, lazy imports and
type-checking imports included (import-linter's contracts in pyproject.toml check packages;
this checks single modules, so no ignored import can hide a cycle)."""

from __future__ import annotations

from collections.abc import Iterable

import grimp


def module_cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan, iteratively)."""
    edges = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in graph.modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for root in sorted(edges):
        if root in index:
            continue
        work: list[tuple[str, Iterable[str]]] = [(root, iter(edges[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(iter(children), None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return groups


def describe(graph: grimp.ImportGraph, group: list[str]) -> str:
    lines = []
    for importer in group:
        for imported in group:
            if graph.direct_import_exists(importer=importer, imported=imported):
                for detail in graph.get_import_details(importer=importer, imported=imported):
                    lines.append(f"  {importer}:{detail['line_number']} imports {imported}")
    return "\n".join(lines)


def test_no_module_imports_itself_round_a_loop() -> None:
    graph = grimp.build_graph("screening", "hub", "app", cache_dir=None)
    cycles = module_cycles(graph)
    assert not cycles, "import cycles:\n" + "\n".join(describe(graph, c) for c in cycles)


def test_a_cycle_is_found_through_a_lazy_import() -> None:
    graph = grimp.ImportGraph()
    for name in ("pkg", "pkg.a", "pkg.b", "pkg.c"):
        graph.add_module(name)
    graph.add_import(importer="pkg.a", imported="pkg.b", line_number=3, line_contents="import")
    graph.add_import(importer="pkg.b", imported="pkg.c", line_number=4, line_contents="import")
    # e.g. an import inside a function: still an edge of the graph
    graph.add_import(importer="pkg.c", imported="pkg.a", line_number=90, line_contents="import")
    assert module_cycles(graph) == [["pkg.a", "pkg.b", "pkg.c"]]
