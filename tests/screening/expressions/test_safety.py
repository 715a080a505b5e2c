"""The package must never hand expression text to Python's own evaluator."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import screening.expressions

PACKAGE = Path(screening.expressions.__file__).parent
FORBIDDEN = {"eval", "exec", "compile", "__import__", "getattr", "globals", "locals", "vars"}


def sources() -> list[Path]:
    files = sorted(PACKAGE.glob("*.py"))
    assert len(files) >= 8
    return files


def test_no_eval_or_exec_in_the_text() -> None:
    for path in sources():
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\b(eval|exec)\s*\(", text), path.name


def test_no_calls_to_dynamic_builtins() -> None:
    # getattr is allowed only for reading the 'msg' of a re.error, in functions.py.
    for path in sources():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                name = node.func.id
                if name == "getattr" and path.name == "functions.py":
                    continue
                assert name not in FORBIDDEN, f"{path.name}:{node.lineno} calls {name}()"


def test_modules_stay_small() -> None:
    for path in sources():
        lines = path.read_text(encoding="utf-8").count("\n")
        assert lines < 400, f"{path.name} has {lines} lines"
