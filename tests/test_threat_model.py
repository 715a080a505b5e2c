"""docs/threat-model.md names the test that proves each mitigation; each must exist."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_proof_named_in_the_threat_model_exists() -> None:
    text = (ROOT / "docs" / "threat-model.md").read_text(encoding="utf-8")
    named = 0
    for line in text.splitlines():
        if not line.startswith("| "):
            continue
        current = None
        for ref in re.findall(r"`([^`]*::[^`]*)`", line):
            path, _, name = ref.partition("::")
            current = path or current  # `::name` is another test in the same file
            assert current is not None, line
            source = (ROOT / "tests" / current).read_text(encoding="utf-8")
            assert re.search(rf"def {re.escape(name)}\(", source), ref
            named += 1
    assert named >= 25
