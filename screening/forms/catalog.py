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


def shipped_form_files(*, archived: bool = False) -> list[str]:
    """File names of the shipped form definitions (the schema file is not a form); with
    `archived`, then the earlier versions (`archive/<id>-<version>.json`), so that interviews
    recorded on an earlier version, and drafts begun on one, open with the form they were
    asked with. New interviews and demo data use the current versions only."""
    root = resources.files("forms")
    current = sorted(
        entry.name
        for entry in root.iterdir()
        if entry.name.endswith(".json") and not entry.name.endswith(".schema.json")
    )
    archive = root.joinpath(ARCHIVE)
    if not archived:
        return current
    earlier = (
        sorted(
            f"{ARCHIVE}/{entry.name}" for entry in archive.iterdir() if entry.name.endswith(".json")
        )
        if archive.is_dir()
        else []
    )
    return current + earlier


def shipped_form_text(filename: str) -> str:
    return resources.files("forms").joinpath(*filename.split("/")).read_text(encoding="utf-8")


def shipped_forms(language: str = "en", *, archived: bool = False) -> list[ShippedForm]:
    result = []
    for filename in shipped_form_files(archived=archived):
        data = jsonio.loads(shipped_form_text(filename))
        title = data.get("title", {})
        text = title.get(language) or next(iter(title.values()), data.get("id", filename))
        result.append(ShippedForm(data["id"], data["version"], text, filename))
    return result
