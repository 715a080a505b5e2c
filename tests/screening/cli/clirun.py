"""Run the `screening` CLI in a child process, as a user would.

Key derivation in the child is made cheap the way the in-process tests make it cheap: by
replacing the module-level defaults before the command runs. Production code has no option,
setting or environment variable that selects these parameters (issue #13, item 2).
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass

# Run with `python -c`: the child needs nothing from tests/ on its import path.
CHEAP_KDF_MAIN = (
    "import sys\n"
    "from screening.vault import keys\n"
    "keys.DEFAULT_KDF = keys.NAME_TAG_KDF = keys.KdfParams.fast_for_tests()\n"
    "from screening.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


@dataclass
class Run:
    code: int
    out: str
    err: str


def screening_argv(*args: str, cheap_kdf: bool = True) -> list[str]:
    """The child's command line: the real CLI, with cheap key derivation unless told not to."""
    if cheap_kdf:
        return [sys.executable, "-c", CHEAP_KDF_MAIN, *args]
    return [sys.executable, "-m", "screening.cli", *args]


def screening(
    *args: str, stdin: str | None = None, cwd: str | None = None, cheap_kdf: bool = True
) -> Run:
    proc = subprocess.run(
        screening_argv(*args, cheap_kdf=cheap_kdf),
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)
