"""Finding the compiled form an interview was recorded with, and its language facts."""

from __future__ import annotations

from functools import cache

from screening.errors import ScreeningError
from screening.forms.catalog import ShippedForm, shipped_form_text, shipped_forms
from screening.forms.compiler import CompiledForm, compile_json
from screening.forms.model import Direction


class FormNotAvailable(ScreeningError):
    """The interview's form is not shipped with this installation."""


def available_forms(ui_language: str = "en") -> list[ShippedForm]:
    return shipped_forms(ui_language)


@cache
def _compiled(filename: str) -> CompiledForm:
    # Forms are immutable once shipped: compiling each once per process is enough.
    return compile_json(shipped_form_text(filename), filename)


def compiled_form(form_id: str, version: str | None = None) -> CompiledForm:
    for entry in shipped_forms():
        if entry.id == form_id and (version is None or entry.version == version):
            return _compiled(entry.filename)
    wanted = form_id if version is None else f"{form_id} {version}"
    raise FormNotAvailable(f"The questionnaire {wanted} is not installed on this laptop.")


def is_rtl(form: CompiledForm, language: str) -> bool:
    lang = form.form.language(language)
    return lang is not None and lang.direction == Direction.RTL


def language_name(form: CompiledForm, language: str) -> str:
    lang = form.form.language(language)
    return lang.name if lang is not None else language
