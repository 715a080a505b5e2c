"""Turn a validated `Form` into a `CompiledForm`: flat nodes, parsed expressions, a checked
dependency graph. Every problem is collected and reported with the file and question name."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from screening import jsonio
from screening.expressions import Expression
from screening.forms.form_builder import FormBuilder
from screening.forms.form_hash import form_hash
from screening.forms.graph import DependencyGraph, GraphCycleError, Target, build_graph
from screening.forms.model import Form, LocalizedText
from screening.forms.nodes import Node
from screening.forms.problems import FormError, FormProblem, FormWarning
from screening.forms.variants import resolve


@dataclass(eq=False)
class CompiledForm:
    form: Form
    source_name: str
    nodes: dict[str, Node]
    graph: DependencyGraph
    form_hash: str
    instance_name: Expression | None = None
    # What ODK runs but is often a mistake; each runs with ODK's meaning (docs/forms.md).
    warnings: tuple[FormWarning, ...] = ()

    @property
    def id(self) -> str:
        return self.form.id

    @property
    def version(self) -> str:
        return self.form.version

    def questions(self) -> Iterator[Node]:
        return (node for node in self.nodes.values() if node.is_question)

    def sections(self) -> list[Node]:
        return [node for node in self.nodes.values() if node.kind == "section"]

    def allows_declined(self, node: Node) -> bool:
        own = node.question.allow_declined
        return self.form.allow_declined if own is None else own

    def allows_dont_know(self, node: Node) -> bool:
        own = node.question.allow_dont_know
        return self.form.allow_dont_know if own is None else own

    def text(
        self, text: LocalizedText | None, language: str | None = None, variant: str | None = None
    ) -> str:
        """The text in `language`, falling back to the form's default language, with its
        gendered wording for `variant` (all alternatives paired when None)."""
        if not text:
            return ""
        lang = language or self.form.default_language
        chosen = text.get(lang) or text.get(self.form.default_language) or next(iter(text.values()))
        return resolve(chosen, variant)


def load_form(path: str | Path, *, strict: bool = False) -> CompiledForm:
    """Read, validate and compile one form file; raises FormError naming every problem (and,
    when `strict`, every warning as a problem)."""
    path = Path(path)
    source = str(path)
    try:
        raw_text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FormError([FormProblem(source, None, "file not found")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise FormError([FormProblem(source, None, f"cannot be read ({exc})")]) from None
    return compile_json(raw_text, source, strict=strict)


def compile_json(raw_text: str, source: str, *, strict: bool = False) -> CompiledForm:
    try:
        data = jsonio.loads(raw_text)
    except jsonio.JSONInputError as exc:
        raise FormError([FormProblem(source, None, exc.detail)]) from None
    return compile_data(data, source, strict=strict)


def compile_data(data: object, source: str, *, strict: bool = False) -> CompiledForm:
    try:
        form = Form.model_validate(data)
    except ValidationError as exc:
        raise FormError(list(_pydantic_problems(exc, data, source))) from None
    return compile_form(form, source, strict=strict)


def awaiting_files(compiled: CompiledForm) -> str:
    """Why a valid form cannot be used yet, or "": files its XLSForm named that were not beside
    it, so some questions offer no choices. The definition is sound, so validation passes;
    publishing and starting an interview refuse it (docs/forms.md)."""
    missing = compiled.form.missing_files
    if not missing:
        return ""
    names = ", ".join(sorted(missing))
    return (
        f"{names} {'was' if len(missing) == 1 else 'were'} not beside"
        " the XLSForm, so its questions offer no choices yet; put the file(s) there and import"
        " again"
    )


def compile_form(form: Form, source: str = "<form>", *, strict: bool = False) -> CompiledForm:
    """Compile a validated form; raises FormError naming every problem. Warnings do not refuse
    the form unless `strict` (this project's own forms are held to it), where they are
    problems."""
    builder = FormBuilder(form, source, strict)
    builder.build()
    warnings = builder.warnings
    if builder.problems:
        raise FormError(builder.problems, warnings)
    try:
        graph = build_graph(builder.nodes)
    except GraphCycleError as exc:
        cycle = FormProblem(source, exc.names[0], str(exc))
        raise FormError([cycle], warnings) from None
    return CompiledForm(
        form,
        source,
        builder.nodes,
        graph,
        form_hash(form),
        builder.instance_name,
        tuple(warnings),
    )


def _pydantic_problems(exc: ValidationError, data: object, source: str) -> Iterator[FormProblem]:
    for error in exc.errors():
        loc = error["loc"]
        question = _question_at(data, loc)
        where = ".".join(str(part) for part in loc if not _is_tag(part))
        message = error["msg"]
        if error["type"] == "extra_forbidden":
            message = f"unknown field {loc[-1]!r}"
            where = ".".join(str(part) for part in loc[:-1] if not _is_tag(part))
        elif error["type"] == "missing":
            message = f"field {loc[-1]!r} is missing"
            where = ".".join(str(part) for part in loc[:-1] if not _is_tag(part))
        elif error["type"] in ("enum", "literal_error") and "type" in (loc[-1],):
            message = f"unknown type {error.get('input')!r}"
        yield FormProblem(source, question, f"{where}: {message}" if where else message)


def _is_tag(part: object) -> bool:
    return part in ("question", "group")


def _question_at(data: object, loc: tuple) -> str | None:
    """The name of the innermost item on the error's path, to name it in the message."""
    name = None
    current = data
    for part in loc:
        if _is_tag(part):
            continue
        try:
            current = current[part]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(current, dict) and isinstance(current.get("name"), str) and "type" in current:
            name = current["name"]
    return name


__all__ = [
    "CompiledForm",
    "FormError",
    "FormProblem",
    "FormWarning",
    "Node",
    "Target",
    "compile_data",
    "compile_form",
    "compile_json",
    "form_hash",
    "load_form",
]
