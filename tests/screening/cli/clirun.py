"""Run the `screening` CLI in a child process, as a user would."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass


@dataclass
class Run:
    code: int
    out: str
    err: str


def screening(*args: str, stdin: str | None = None, cwd: str | None = None) -> Run:
    proc = subprocess.run(
        [sys.executable, "-m", "screening.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)
