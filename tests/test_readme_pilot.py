"""README.md's "Pilot in one room", run as written: coordinator, hub, laptop, sync, export, slip.

The section's ```sh blocks are joined into one bash script and run in an empty folder. Two
things differ from a person at a terminal: the hub listens on a free port instead of 8443, and
passphrases come one per line on stdin (`--passphrase-stdin`, added by a `screening` wrapper
to every command that opens a vault) instead of from the hidden prompt.
"""

from __future__ import annotations

import csv
import os
import re
import shlex
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PASSPHRASE = "correct horse battery staple 42"

WRAPPER = """#!/usr/bin/env bash
for a in "$@"; do
  if [[ "$a" == --vault ]]; then
    printf '%s\\n' "$PILOT_PASS" "$PILOT_PASS" "$PILOT_PASS" |
      {python} -m {module} "$@" --passphrase-stdin
    exit
  fi
done
exec {python} -m {module} "$@"
"""

WAIT_FOR_HUB = """
{python} - <<'PY'
import socket, time
for _ in range(300):
    try:
        socket.create_connection(("127.0.0.1", {port}), timeout=1).close()
        break
    except OSError:
        time.sleep(0.1)
PY
"""


def pilot_section(readme: str) -> str:
    found = re.search(r"^## Pilot in one room\n(.*?)(?=^## )", readme, re.S | re.M)
    assert found, "README.md has no '## Pilot in one room' section"
    return found.group(1)


def shell_blocks(section: str) -> list[str]:
    return re.findall(r"^```sh\n(.*?)^```", section, re.S | re.M)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_section_covers_the_round_trip() -> None:
    script = "\n".join(shell_blocks(pilot_section((ROOT / "README.md").read_text("utf-8"))))
    steps = [
        "screening vault init --vault coordinator-vault",
        "screening org init",
        "screening-hub dev-cert",
        "screening-hub serve",
        "screening hub enrol-code",
        "screening device enrol",
        "screening interview run",
        "screening sync --vault laptop-vault",
        "screening sync --vault coordinator-vault",
        "screening export",
        "screening referral slip",
    ]
    for step in steps:
        assert step in script, step
    # A command may only use what an earlier one made: the hub port and CA come before
    # `org init`, the organisation file before the hub, the code before the enrolment.
    assert script.index("dev-cert") < script.index("org init") < script.index("hub init")
    assert script.index("enrol-code") < script.index("device enrol") < script.index("sync")


def test_pilot_in_one_room_runs_as_written(tmp_path: Path) -> None:
    blocks = shell_blocks(pilot_section((ROOT / "README.md").read_text("utf-8")))
    port = free_port()
    python = shlex.quote(sys.executable)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, module in (("screening", "screening.cli"), ("screening-hub", "hub.cli")):
        wrapper = bin_dir / name
        wrapper.write_text(WRAPPER.format(python=python, module=module))
        wrapper.chmod(0o755)
    script = "\n".join(blocks).replace("8443", str(port))
    # Wait until the hub listens before the first command that reaches it.
    script = re.sub(
        r"(screening-hub serve [^&]*&\n)",
        lambda m: m.group(1) + WAIT_FOR_HUB.format(python=python, port=port),
        script,
    )
    assert WAIT_FOR_HUB.format(python=python, port=port) in script
    prelude = "set -euo pipefail\ntrap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n"
    work = tmp_path / "pilot"
    work.mkdir()
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(ROOT),
        "PILOT_PASS": PASSPHRASE,
    }
    done = subprocess.run(
        ["bash", "-c", prelude + script],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    assert "imported 2 interviews;" in done.stdout
    with (work / "pilot.csv").open(encoding="utf-8") as f:
        assert len(list(csv.DictReader(f))) == 2
    from pypdf import PdfReader

    slip = "\n".join(page.extract_text() for page in PdfReader(work / "slip.pdf").pages)
    assert "Safe House Bar" in slip and "safe accommodation" in slip
    assert PASSPHRASE not in done.stdout + done.stderr
