"""Repeat instances addressed by a path of numbers, outermost repeat first.

A question outside any repeat has the path `()`; inside repeat `household` it is `(2,)` in the
second household; inside `member`, a repeat within `household`, `(2, 3)` is the third member of
the second household. Keys write the path after the name: `age`, `age[2]`, `age[2][3]`. The
first two are the keys stored before nested repeats existed and keep their meaning.

References follow ODK (pyxform writes `${x}` inside repeats as a path relative to the nearest
repeat the reader and `x` share; ODK XForms spec, "Repeats"): `x` is read in the reader's own
instance of every repeat they share, and in every instance of the repeats they do not.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from screening.forms.compiler import CompiledForm

Path = tuple[int, ...]

_PATH_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_.-]*)((?:\[\d+\])*)$")


def parse_path(text: str) -> tuple[str, Path]:
    """`age` → ("age", ()); `age[2][3]` → ("age", (2, 3)). ValueError on anything else."""
    match = _PATH_KEY.match(text.strip()) if isinstance(text, str) else None
    if not match:
        raise ValueError(f"{text!r} is not a question name")
    path = tuple(int(n) for n in re.findall(r"\d+", match.group(2)))
    if any(n < 1 for n in path):
        raise ValueError(f"{text!r}: repeat instances are numbered from 1")
    return match.group(1), path


def format_path(name: str, path: Path) -> str:
    return name + "".join(f"[{n}]" for n in path)


def as_path(instance: int | Path | None) -> Path:
    """The path of an instance given the older way (None, or one number) or as a path."""
    if instance is None:
        return ()
    if isinstance(instance, int):
        return (instance,)
    return tuple(instance)


def repeat_chains(form: CompiledForm) -> dict[str, tuple[str, ...]]:
    """For each node, the repeats whose instances hold it, outermost first (a repeat's own
    chain leaves itself out: the repeat node stands in its outer instance)."""
    chains: dict[str, tuple[str, ...]] = {}
    for name, node in form.nodes.items():
        chain: list[str] = []
        repeat = node.repeat
        while repeat is not None:
            chain.append(repeat)
            repeat = form.nodes[repeat].repeat
        chains[name] = tuple(reversed(chain))
    return chains


def shared(first: tuple[str, ...], second: tuple[str, ...]) -> int:
    """How many repeats, from the outermost, two chains have in common."""
    n = 0
    for a, b in zip(first, second, strict=False):
        if a != b:
            break
        n += 1
    return n


def instance_paths(
    chain: tuple[str, ...], prefix: Path, count: Callable[[str, Path], int]
) -> list[Path]:
    """Every instance path of `chain` that starts with `prefix`, in form (document) order."""
    paths: list[Path] = [prefix]
    for level in range(len(prefix), len(chain)):
        repeat = chain[level]
        paths = [(*path, i) for path in paths for i in range(1, count(repeat, path) + 1)]
    return paths


def shift_after_removal(
    mapping: Mapping[tuple[str, Path], object], depth: int, outer: Path, removed: int
) -> dict[tuple[str, Path], object]:
    """`mapping` (keyed by name and path) without the entries inside instance `removed` (at
    `depth`, within `outer`), later instances moved up by one."""
    result: dict[tuple[str, Path], object] = {}
    for (name, path), value in mapping.items():
        if len(path) > depth and path[:depth] == outer and path[depth] >= removed:
            if path[depth] == removed:
                continue
            path = (*outer, path[depth] - 1, *path[depth + 1 :])
        result[(name, path)] = value
    return result
