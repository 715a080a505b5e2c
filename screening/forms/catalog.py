"""The questionnaires shipped in the `forms` data package."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from screening import jsonio


@dataclass(frozen=True)
class ShippedForm:
    id: str
    version: str
    title: str
    filename: str


def shipped_form_files() -> list[str]:
    """File names of the shipped form definitions (the schema file is not a form)."""
    root = resources.files("forms")
    return sorted(
        entry.name
        for entry in root.iterdir()
        if entry.name.endswith(".json") and not entry.name.endswith(".schema.json")
    )


def shipped_form_text(filename: str) -> str:
    return resources.files("forms").joinpath(filename).read_text(encoding="utf-8")


def shipped_forms(language: str = "en") -> list[ShippedForm]:
    result = []
    for filename in shipped_form_files():
        data = jsonio.loads(shipped_form_text(filename))
        title = data.get("title", {})
        text = title.get(language) or next(iter(title.values()), data.get("id", filename))
        result.append(ShippedForm(data["id"], data["version"], text, filename))
    return result
