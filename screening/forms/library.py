"""Every questionnaire this laptop can use: the shipped forms and those from the organisation.

Shipped forms come with the program (the `forms` data package). Forms from the organisation
were published by a coordinator, signed with the organisation's key, and installed by sync
(`sync_forms`); their signature is checked again each time the catalogue is read
(`screening.sync.offered`, which hands them to `build_catalogue` here: this module reads no
vault). docs/forms.md, "Forms from your organisation",
gives the rules; in short:

- A form is identified by id and version. When a form from the organisation has the id and
  version of a shipped form but other content, the shipped one is used: the organisation's is
  not offered for new interviews and is reported (an interview already recorded with it, by
  its form hash, still opens with it).
- Every version stays reachable; `newest()` gives the latest of each form, which is what a
  screener is offered first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from screening import jsonio
from screening.canonical import canonical_json
from screening.errors import ScreeningError
from screening.forms.catalog import archived_form_files, shipped_form_files, shipped_form_text
from screening.forms.compiler import CompiledForm, compile_json
from screening.forms.problems import FormError

Origin = Literal["shipped", "organisation"]
SHIPPED: Origin = "shipped"
ORGANISATION: Origin = "organisation"
ORIGIN_LABELS: dict[Origin, str] = {
    SHIPPED: "shipped",
    ORGANISATION: "from your organisation",
}


class FormNotAvailable(ScreeningError, LookupError):
    """The questionnaire an interview needs is neither shipped nor installed here."""


@dataclass(frozen=True)
class FormEntry:
    """One form definition on offer; `compile()` turns it into the engine's form."""

    id: str
    version: str
    title: str
    origin: Origin
    source: str  # where problems are reported from: a file name or "… from your organisation"
    text: str  # the definition's JSON text

    @property
    def origin_label(self) -> str:
        return ORIGIN_LABELS[self.origin]

    @property
    def label(self) -> str:
        """`Title · version 1.0 · shipped`: what a person choosing a form reads."""
        return f"{self.title} · version {self.version} · {self.origin_label}"

    def data(self) -> dict[str, Any]:
        value = jsonio.loads(self.text)
        assert isinstance(value, dict)
        return value

    def compile(self) -> CompiledForm:
        """The compiled form; raises FormError when it does not compile with this program."""
        return _compile(self.text, self.source)

    def compile_or_explain(self) -> CompiledForm:
        """The compiled form, or FormNotAvailable with one plain sentence (no problem list)."""
        try:
            compiled = self.compile()
        except FormError as exc:
            count = len(exc.problems)
            raise FormNotAvailable(
                f"The questionnaire {self.title} (version {self.version}, {self.origin_label}) "
                f"cannot be used: it has {count} problem{'s' if count != 1 else ''} that this "
                "version of Screening Desk cannot accept."
            ) from None
        if compiled.form.missing_files:
            # Imported from an XLSForm whose CSV/GeoJSON file was not beside it: some questions
            # would offer no choices. `forms publish` refuses it; this guards any other path.
            raise FormNotAvailable(
                f"The questionnaire {self.title} (version {self.version}, {self.origin_label}) "
                "cannot be used: it was imported without the file(s) "
                f"{', '.join(sorted(compiled.form.missing_files))}, so some questions offer no "
                "choices."
            )
        return compiled


@lru_cache(maxsize=16)
def _compile(text: str, source: str) -> CompiledForm:
    # A definition never changes under the same text: compiling each once per process is enough.
    return compile_json(text, source)


@dataclass
class FormCatalogue:
    """The forms on offer (`entries`, by id then newest version first) and why others are not."""

    entries: list[FormEntry]
    problems: list[str] = field(default_factory=list)
    # Forms from the organisation that clash with a shipped form: never offered, kept only so
    # that an interview recorded with one of them (same form hash) still opens.
    withheld: list[FormEntry] = field(default_factory=list)
    # Earlier versions of the shipped forms (forms/archive/): never offered for a new
    # interview, kept so that interviews and drafts recorded on them open as they were asked.
    retired: list[FormEntry] = field(default_factory=list)

    def newest(self) -> list[FormEntry]:
        """The latest version of each form, in the order of `entries`."""
        seen: set[str] = set()
        result = []
        for entry in self.entries:
            if entry.id not in seen:
                seen.add(entry.id)
                result.append(entry)
        return result

    def versions(self, form_id: str) -> list[FormEntry]:
        return [e for e in self.entries if e.id == form_id]

    def find(self, form_id: str, version: str | None = None) -> FormEntry | None:
        """The form with this id and version (the newest version when `version` is None)."""
        for entry in self.entries:
            if entry.id == form_id and (version is None or entry.version == version):
                return entry
        return None

    def for_interview(self, form_id: str, version: str, form_hash: str | None) -> FormEntry | None:
        """The definition an interview was recorded with (id, version and, when it tells
        them apart, the form hash the interview stored)."""
        offered = self.find(form_id, version) or next(
            (e for e in self.retired if e.id == form_id and e.version == version), None
        )
        clashing = [e for e in self.withheld if e.id == form_id and e.version == version]
        if form_hash:
            for entry in clashing:
                if _hash_of(entry) == form_hash:
                    return entry
        return offered

    def compiled(self, form_id: str, version: str | None = None) -> CompiledForm:
        """Compile the form for a new interview; FormNotAvailable says why it cannot be used."""
        entry = self.find(form_id, version)
        if entry is None:
            raise FormNotAvailable(_not_here(form_id, version))
        return entry.compile_or_explain()

    def compiled_for_interview(
        self, form_id: str, version: str, form_hash: str | None
    ) -> CompiledForm:
        entry = self.for_interview(form_id, version, form_hash)
        if entry is None:
            raise FormNotAvailable(_not_here(form_id, version))
        return entry.compile_or_explain()


def _not_here(form_id: str, version: str | None) -> str:
    wanted = form_id if version is None else f"{form_id} {version}"
    return f"The questionnaire {wanted} is not installed on this laptop."


def _hash_of(entry: FormEntry) -> str | None:
    try:
        return entry.compile().form_hash
    except FormError:
        return None


def version_key(version: str) -> tuple[tuple[int, int | str], ...]:
    """Orders versions as people read them: "1.10" after "1.9", "2.0" after "1.0.3"."""
    parts = re.findall(r"\d+|[^\d.\-_ ]+", version)
    return tuple((0, int(p)) if p.isdigit() else (1, p.lower()) for p in parts)


def title_in(data: dict[str, Any], language: str) -> str:
    """The form's title in `language`, else in its default language, else any, else its id."""
    title = data.get("title")
    if isinstance(title, str) and title:
        return title
    if isinstance(title, dict):
        for key in (language, data.get("default_language")):
            if isinstance(key, str) and isinstance(title.get(key), str) and title[key]:
                return str(title[key])
        for value in title.values():
            if isinstance(value, str) and value:
                return value
    return str(data.get("id") or "untitled form")


def _entry(data: dict[str, Any], text: str, origin: Origin, source: str, lang: str) -> FormEntry:
    return FormEntry(
        str(data["id"]), str(data["version"]), title_in(data, lang), origin, source, text
    )


def shipped_entries(language: str = "en", *, archived: bool = False) -> list[FormEntry]:
    """The shipped forms' current versions; with `archived`, their earlier versions only."""
    return list(_shipped(language, archived))


@lru_cache(maxsize=8)
def _shipped(language: str, archived: bool) -> tuple[FormEntry, ...]:
    # The shipped files are part of the program: reading them once per language is enough.
    result = []
    for filename in archived_form_files() if archived else shipped_form_files():
        text = shipped_form_text(filename)
        result.append(_entry(jsonio.loads(text), text, SHIPPED, f"forms/{filename}", language))
    return tuple(result)


def build_catalogue(
    installed: Iterable[dict[str, Any]] = (),
    language: str = "en",
    *,
    problems: Iterable[str] = (),
) -> FormCatalogue:
    """The forms on offer: the shipped ones and the organisation's `installed` forms (their
    signatures already checked by the caller, which holds the vault); titles in `language`
    where the form has it. `problems` are the caller's reasons for forms it left out.

    With a vault at hand, `screening.sync.offered.form_catalogue(vault, language)` reads the
    installed forms and calls this."""
    entries = shipped_entries(language)
    retired = shipped_entries(language, archived=True)
    shipped = {(e.id, e.version): e for e in (*entries, *retired)}
    catalogue = FormCatalogue(entries, problems=list(problems), retired=retired)
    for form in installed:
        text = canonical_json(form).decode("utf-8")
        source = f"{form['id']} {form['version']} from your organisation"
        entry = _entry(form, text, ORGANISATION, source, language)
        twin = shipped.get((entry.id, entry.version))
        if twin is None:
            entries.append(entry)
        elif not _same_definition(twin, entry):
            catalogue.withheld.append(entry)
            catalogue.problems.append(
                f"The form {entry.id} version {entry.version} from your organisation is not "
                "offered: a different form with the same id and version ships with Screening "
                "Desk, and the shipped one is used. Ask your coordinator to publish it as a "
                "new version."
            )
        # else: the same definition as the shipped form, which already stands for it.
    # By id, then newest version first, then the shipped copy first (sorts are stable).
    entries.sort(key=lambda e: e.origin != SHIPPED)
    entries.sort(key=lambda e: version_key(e.version), reverse=True)
    entries.sort(key=lambda e: e.id)
    return catalogue


def _same_definition(shipped: FormEntry, installed: FormEntry) -> bool:
    if canonical_json(shipped.data()) == canonical_json(installed.data()):
        return True
    theirs = _hash_of(installed)
    return theirs is not None and theirs == _hash_of(shipped)
