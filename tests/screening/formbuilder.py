"""Small forms built in code for tests: one language, sensible defaults."""

from __future__ import annotations

from typing import Any

from screening.forms.compiler import CompiledForm, compile_data


def q(kind: str, name: str, **extra: Any) -> dict[str, Any]:
    item: dict[str, Any] = {"type": kind, "name": name, **extra}
    if kind != "calculate" and "label" not in item:
        item["label"] = {"en": name.replace("_", " ").capitalize()}
    return item


def group(name: str, *items: dict[str, Any], repeat: bool = False, **extra: Any) -> dict:
    return {
        "type": "repeat" if repeat else "group",
        "name": name,
        "label": {"en": name},
        "items": list(items),
        **extra,
    }


def form_data(
    *items: dict[str, Any],
    sections: list[dict[str, Any]] | None = None,
    choice_lists: dict[str, list[str]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    lists = {
        name: [{"name": c, "label": {"en": c}} for c in choices]
        for name, choices in (choice_lists or {"yes_no": ["yes", "no"]}).items()
    }
    return {
        "id": "test-form",
        "version": "1.0.0",
        "title": {"en": "Test form"},
        "languages": [{"code": "en", "name": "English"}],
        "default_language": "en",
        "choice_lists": lists,
        "sections": sections or [{"name": "main", "label": {"en": "Main"}, "items": list(items)}],
        **extra,
    }


def section(name: str, *items: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"name": name, "label": {"en": name}, "items": list(items), **extra}


def compiled(*items: dict[str, Any], **kwargs: Any) -> CompiledForm:
    return compile_data(form_data(*items, **kwargs), "test.json")
