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


ARCHIVE = "archive"


def shipped_form_files() -> list[str]:
    """File names of the shipped form definitions (the schema file is not a form)."""
    return sorted(
        entry.name
        for entry in resources.files("forms").iterdir()
        if entry.name.endswith(".json") and not entry.name.endswith(".schema.json")
    )


def archived_form_files() -> list[str]:
    """The earlier versions of the shipped forms (`archive/<id>-<version>.json`): interviews
    recorded on one, and drafts begun on one, open with the form they were asked with; new
    interviews and demo data never use them."""
    archive = resources.files("forms").joinpath(ARCHIVE)
    if not archive.is_dir():
        return []
    return sorted(f"{ARCHIVE}/{e.name}" for e in archive.iterdir() if e.name.endswith(".json"))


def shipped_form_text(filename: str) -> str:
    return resources.files("forms").joinpath(*filename.split("/")).read_text(encoding="utf-8")


def shipped_forms(language: str = "en") -> list[ShippedForm]:
    result = []
    for filename in shipped_form_files():
        data = jsonio.loads(shipped_form_text(filename))
        title = data.get("title", {})
        text = title.get(language) or next(iter(title.values()), data.get("id", filename))
        result.append(ShippedForm(data["id"], data["version"], text, filename))
    return result
