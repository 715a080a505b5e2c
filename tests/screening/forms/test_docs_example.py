"""The worked example in docs/forms.md is a real, valid form that behaves as described."""

from __future__ import annotations

import json
import re
from pathlib import Path

from screening.engine import InterviewSession
from screening.engine.replay import replay
from screening.forms.compiler import compile_json

DOC = Path(__file__).resolve().parents[3] / "docs" / "forms.md"


def test_worked_example_compiles_and_replays_as_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    form_json = re.search(r"```json\n(.*?)```", text, re.S).group(1)
    answers = json.loads(re.search(r"<<'JSON'\n(.*?)\nJSON", text, re.S).group(1))["answers"]
    form = compile_json(form_json, "docs/forms.md")
    session = InterviewSession(form)
    rejected = replay(session, [tuple(a) for a in answers])
    assert [(r.name, r.value, r.error) for r in rejected] == [("hours", 30, "Between 0 and 24.")]
    assert session.calculated() == {"long_days": "yes"}
    assert "long_days_note" in session.pages()
    assert session.complete


def test_docs_list_every_shipped_form_and_section() -> None:
    from screening.demo.seed import shipped_compiled_forms

    text = DOC.read_text(encoding="utf-8")
    for form in shipped_compiled_forms():
        assert f"### `{form.id}` {form.version}" in text
        for section in form.sections():
            assert f"| `{section.name}`" in text
