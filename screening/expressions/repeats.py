"""indexed-repeat() reads its value and its repeats from the top of the form.

ODK reads them by absolute path (pyxform writes `indexed-repeat(/data/r/q, /data/r, 2)`), so
from inside a repeat `${q}` there is still every instance's value, not this instance's. The
lookup is asked for `ABSOLUTE + name`; a lookup that knows no repeats (a plain mapping) is asked
for the name itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from screening.expressions.nodes import Call, Node, Ref
from screening.expressions.values import ABSOLUTE, PLAIN_TYPES, normalize

Evaluator = Callable[[Any], object]


def absolute_reference(name: str) -> Evaluator:
    label = "${" + name + "}"

    def reference(ctx: Any) -> object:
        try:
            value = ctx.lookup(ABSOLUTE + name)
        except LookupError:
            value = None
        if value is None:
            value = ctx.lookup(name)
        if type(value) in PLAIN_TYPES:
            return value
        return normalize(value, label)

    return reference


def indexed_repeat_call(
    node: Call, impl: Callable[..., object], compile_node: Callable[[Node], Evaluator]
) -> Evaluator:
    """The value (argument 0) and each repeat (arguments 1, 3, 5) read absolutely; the
    instance numbers (2, 4, 6) where the expression stands (`position(..) - 1` is common)."""
    args = [
        absolute_reference(arg.name)
        if isinstance(arg, Ref) and (i == 0 or i % 2 == 1)
        else compile_node(arg)
        for i, arg in enumerate(node.args)
    ]
    return lambda ctx: impl(*[arg(ctx) for arg in args])
