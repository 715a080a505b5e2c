"""The JSON Schema of the form format, generated from the pydantic models.

`docs/form.schema.json` is this output, committed so editors can validate form files;
a test keeps the two equal.
"""

from __future__ import annotations

from typing import Any

from screening.forms.model import Form

SCHEMA_ID = "https://screening-desk.invalid/form.schema.json"


def form_json_schema() -> dict[str, Any]:
    schema = Form.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
    }
