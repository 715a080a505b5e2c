"""XLSForm import: an ODK/Kobo `.xlsx` form → our form JSON (`screening.forms.model.Form`).

What can be mapped is mapped; everything else is reported as an `ImportProblem` naming the
sheet, row and column and why, and the import still produces what it could. The result is
`fatal` only when it would be meaningless: the file cannot be read, there is no survey sheet,
or no question could be imported.

The parts: `xlsform_sheets` (cells and problems), `xlsform_languages` (translations),
`xlsform_survey` (rows → groups and questions), `xlsform_choices` (choices and settings).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from screening.expressions.errors import ExpressionError
from screening.expressions.evaluator import Expression
from screening.forms.model import Form
from screening.forms.xlsform_choices import read_choices, read_settings
from screening.forms.xlsform_files import (
    DataFileError,
    MissingDataFile,
    pulldata_tables,
    read_rows,
)
from screening.forms.xlsform_languages import Languages, Texts, resolve_languages
from screening.forms.xlsform_sheets import (
    ADAPTED,
    ASSUMED,
    COMPILE,
    FILLED,
    INVALID,
    UNSUPPORTED,
    WARNING,
    ImportProblem,
    ProblemLog,
    WorkbookError,
    read_workbook,
)
from screening.forms.xlsform_survey import SurveyReader
from screening.forms.xlsform_tree import GroupNode, QuestionNode
from screening.forms.xlsform_types import clean_expression

VERSION_RE = re.compile(r"^\d+(\.\d+){0,2}$")
KNOWN_SHEETS = ("survey", "choices", "settings", "external_choices")
OTHER_SHEETS = {
    "entities": "ODK entities are not supported",
}


@dataclass
class ImportResult:
    form: Form | None
    problems: list[ImportProblem]
    fatal: bool

    def by_kind(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for problem in self.problems:
            counts[problem.kind] = counts.get(problem.kind, 0) + 1
        return counts


def import_xlsform(path: Path | str, *, form_id: str | None = None) -> ImportResult:
    """Import an XLSForm; never raises for bad content (see the module docstring)."""
    log = ProblemLog()
    try:
        form = _Import(Path(path), form_id, log).run()
    except Exception as exc:  # a bug must not cost the user a traceback; say what happened
        log.add("", None, None, f"the import failed unexpectedly: {exc!r}", INVALID)
        form = None
    return ImportResult(form, sorted(log.problems, key=_reading_order), fatal=form is None)


def _reading_order(problem: ImportProblem) -> tuple[int, int]:
    """File-wide problems first, then sheet by sheet (survey, choices, settings), row by row."""
    sheets = ("", "survey", "choices", "external_choices", "settings")
    sheet = problem.sheet.lower()
    return (sheets.index(sheet) if sheet in sheets else len(sheets), problem.row or 0)


class _Import:
    def __init__(self, path: Path, form_id: str | None, log: ProblemLog) -> None:
        self.path = path
        self.form_id = form_id
        self.log = log

    def fail(self, message: str, sheet: str = "") -> None:
        self.log.add(sheet, None, None, message, INVALID)

    def run(self) -> Form | None:
        try:
            sheets = read_workbook(self.path)
        except WorkbookError as exc:
            self.fail(str(exc))
            return None
        survey = sheets.get("survey")
        if (
            survey is None
            and len(sheets) == 1
            and not sheets.keys() & {*KNOWN_SHEETS, *OTHER_SHEETS}
        ):
            # As pyxform: a workbook's only sheet is its survey, unless named as another sheet.
            survey = next(iter(sheets.values()))
            sheets = {"survey": survey}
            self.log.add(
                survey.title, None, None, "the only sheet is read as the survey sheet", ADAPTED
            )
        if survey is None:
            names = ", ".join(repr(sheet.title) for sheet in sheets.values()) or "none"
            self.fail(f"the workbook has no 'survey' sheet (its sheets: {names})")
            return None
        for key, sheet in sheets.items():
            if key not in KNOWN_SHEETS and sheet.columns:
                reason = OTHER_SHEETS.get(key, "the sheet is not part of an XLSForm")
                self.log.add(
                    sheet.title, None, None, f"{reason}; the sheet is ignored", UNSUPPORTED
                )
        settings = read_settings(sheets.get("settings"), self.log)
        choices = sheets.get("choices")
        external = sheets.get("external_choices")
        translated = [sheet for sheet in (survey, choices, external) if sheet is not None]
        languages = resolve_languages(translated, settings.get("default_language"), self.log)
        texts = Texts(languages, self.log)
        list_renames: dict[str, str] = {}
        lists, list_rows = read_choices(choices, languages, texts, self.log, list_renames)
        external_names: dict[str, str] = {}
        if external is not None:
            # ODK keeps long filtered lists there (select_one_external); here they are lists
            # like any other, filtered by the question's choice_filter. The sheet has its own
            # names, so a list also on the choices sheet is renamed.
            more, more_rows = read_choices(external, languages, texts, self.log)
            for name, entries in more.items():
                own, n = name, 2
                while own in lists:
                    own, n = f"{name}_external{'' if n == 2 else n - 1}", n + 1
                external_names[name] = own
                lists[own] = entries
                list_rows[own] = more_rows[name]
        reader = SurveyReader(survey, languages, texts, lists, self.log)
        reader.external_lists = external_names
        reader.list_renames = list_renames
        reader.folder = self.path.parent
        reader.read()
        data_files = self.bundle_tables(reader)
        title = settings.get("form_title")
        texts.finalize(sheets)
        reader.unroll_loops()
        sections = _Sections(reader, languages, title or "Questions", self.log).build()
        if not sections:
            self.fail("the survey has no question that could be imported", survey.title)
            return None
        if not any(_asks(item) for section in sections for item in section["items"]):
            # As in ODK, such a form is valid (pyxform's own hidden.xls is one): kept, but said.
            self.log.add(survey.title, None, None, "the form asks nothing (it holds only"
                         " calculations and notes); an interview with it records no answer",
                         WARNING)  # fmt: skip
        for name, row in list_rows.items():
            if name not in reader.lists_used:
                message = f"choice list {name!r} is not used by any question; kept"
                column = choices.columns_for("list_name")[0].header if choices else None
                self.log.add(choices.title if choices else "", row, column, message, WARNING)
        self.check_references(reader)
        form_id = self.derive_id(settings.get("form_id"))
        data: dict[str, Any] = {
            "id": form_id,
            "version": self.version(settings.get("version")),
            "title": languages.everywhere(title or self.title_from_file(form_id)),
            "languages": languages.model(),
            "default_language": languages.default,
            "metadata": reader.metadata,
            "choice_lists": {name: lists[name] for name in lists},
            "sections": sections,
        }
        if data_files:
            data["data_files"] = data_files
        if reader.missing_files:
            data["missing_files"] = reader.missing_files
        if settings.get("instance_name"):
            # The case label ODK shows for a submission; here the name an interview is listed by.
            instance_name = clean_expression(settings["instance_name"])
            if self.label_parses(instance_name):
                data["instance_name"] = instance_name
        try:
            form = Form.model_validate(data)
        except ValidationError as exc:
            for error in exc.errors():
                where = ".".join(str(part) for part in error["loc"])
                self.fail(f"the imported form is not valid: {where}: {error['msg']}")
            return None
        self.compile_check(form, reader)
        return form

    def label_parses(self, text: str) -> bool:
        """An instance_name that is not an expression (`Survey-v1`, unquoted) only names
        cases: it is reported and left out, rather than making the whole form unusable."""
        try:
            Expression.compile(text)
        except ExpressionError as exc:
            self.log.add(
                "settings",
                None,
                "instance_name",
                f"instance_name {text!r} is not an expression ({exc.message}); left out,"
                " interviews are listed by their case code (quote a fixed text: 'Survey')",
                INVALID,
            )
            return False
        return True

    def bundle_tables(self, reader: SurveyReader) -> dict[str, list[dict[str, str]]]:
        """The CSV files pulldata() reads, bundled into the form."""
        tables: dict[str, list[dict[str, str]]] = {}
        for name, (row, column) in pulldata_tables(reader.expressions).items():
            # instance('f') in ODK names f.csv or f.geojson; the one beside the XLSForm is read.
            geojson = f"{name}.geojson"
            file_name = geojson if (self.path.parent / geojson).is_file() else f"{name}.csv"
            if {geojson, f"{name}.csv"} & reader.missing_files.keys():
                continue  # reported on the select that names it
            try:
                tables[name] = read_rows(self.path.parent, file_name)
            except MissingDataFile as exc:
                reader.missing_files[file_name] = name
                self.log.add(
                    reader.sheet.title,
                    row,
                    column,
                    f"pulldata(): {exc}: put it there and import again; until then the form"
                    " cannot be published",
                    INVALID,
                )
                continue
            except DataFileError as exc:
                self.log.add(reader.sheet.title, row, column, f"pulldata(): {exc}", INVALID)
                continue
            self.log.add(
                reader.sheet.title,
                row,
                column,
                f"pulldata(): {file_name} ({len(tables[name])} rows) is bundled into the form",
                ADAPTED,
            )
        return tables

    def check_references(self, reader: SurveyReader) -> None:
        for row, column, text in reader.expressions:
            for ref in dict.fromkeys(re.findall(r"\$\{\s*([^}]*?)\s*\}", text)):
                if ref in reader.skipped and ref not in reader.names:
                    where, what = reader.skipped[ref]
                    self.log.add(
                        reader.sheet.title,
                        row,
                        column,
                        f"refers to ${{{ref}}}, which was not imported (row {where}, {what!r})",
                        WARNING,
                    )

    def compile_check(self, form: Form, reader: SurveyReader) -> None:
        """Report what the whole-form checks of the compiler reject; the form is kept, so that
        it can be corrected in JSON, but `screening forms validate` will refuse it as it is.
        Their warnings (what ODK runs, but is often a mistake) are reported too."""
        from screening.forms.compiler import FormError, compile_form

        try:
            found = [(warning, WARNING) for warning in compile_form(form, self.path.name).warnings]
        except FormError as exc:
            found = [(problem, COMPILE) for problem in exc.problems]
            found += [(warning, WARNING) for warning in exc.warnings]
        for problem, kind in found:
            row = reader.names.get(problem.question or "")
            sheet = reader.sheet.title if row is not None else ""
            field = re.match(r"[a-z_]+", problem.message)
            column = None
            if row is not None and field and reader.sheet.columns_for(field.group()):
                column = reader.header(field.group())
            where = f"{problem.question}: " if problem.question and row is None else ""
            if kind == WARNING:
                message = f"warning: {where}{problem.message}"
            else:
                message = f"{where}{problem.message} (whole-form check)"
            self.log.add(sheet, row, column, message, kind)

    def derive_id(self, setting: str | None) -> str:
        if self.form_id is not None:
            raw, origin = self.form_id, "the form_id given"
        elif setting:
            raw, origin = setting, "form_id"
        else:
            raw, origin = self.path.stem, ""
        derived = re.sub(r"[^a-z0-9-]+", "-", raw.lower().replace("_", "-"))
        derived = re.sub(r"-{2,}", "-", derived).strip("-") or "form"
        if not origin:
            self.log.add(
                "settings",
                None,
                "form_id",
                f"no form_id; the id {derived!r} is taken from the file name",
                ASSUMED,
            )
        elif derived != raw.lower().replace("_", "-"):
            sheet = "settings" if origin == "form_id" else ""
            self.log.add(
                sheet,
                None,
                "form_id" if sheet else None,
                f"{origin} {raw!r} is not a valid id (a-z, 0-9 and -); using {derived!r}",
                ASSUMED,
            )
        return derived

    def version(self, setting: str | None) -> str:
        if setting is not None and VERSION_RE.match(setting):
            return setting
        if setting is None:
            message = "no version; using '1'"
        else:
            message = (
                f"version {setting!r} is not a number such as 3, 2024010101 or 1.2.0; using '1'"
            )
        self.log.add("settings", None, "version", message, ASSUMED)
        return "1"

    def title_from_file(self, form_id: str) -> str:
        title = re.sub(r"[_\s]+", " ", self.path.stem).strip() or form_id
        self.log.add("settings", None, "form_title", f"no form_title; using {title!r}", ASSUMED)
        return title


def _asks(item: dict[str, Any]) -> bool:
    """Whether the item is, or holds, a question the screener answers."""
    if item.get("type") in ("group", "repeat"):
        return any(_asks(inner) for inner in item.get("items", []))
    return item.get("type") not in ("calculate", "note") and not item.get("read_only")


class _Sections:
    """The top level of our format is sections: top-level groups and repeats become
    sections, and consecutive questions outside any group are gathered into one."""

    def __init__(
        self, reader: SurveyReader, languages: Languages, loose_label: str, log: ProblemLog
    ) -> None:
        self.reader = reader
        self.languages = languages
        self.loose_label = loose_label
        self.log = log
        self.sections: list[dict[str, Any]] = []
        self.loose: list[QuestionNode] = []
        self.loose_count = 0

    def build(self) -> list[dict[str, Any]]:
        for node in self.reader.root:
            if isinstance(node, QuestionNode):
                self.loose.append(node)
            else:
                self.flush()
                self.sections.append(self.from_group(node))
        self.flush()
        return self.sections

    def flush(self) -> None:
        if not self.loose:
            return
        self.loose_count += 1
        wanted = "main" if self.loose_count == 1 else f"section_{len(self.sections) + 1}"
        name = self.reader.unique(wanted, self.loose[0].row)
        self.sections.append(
            {
                "name": name,
                "label": self.languages.everywhere(self.loose_label),
                "items": [node.data for node in self.loose],
            }
        )
        self.loose = []

    def note(self, node: GroupNode, message: str, kind: str, column: str = "type") -> None:
        self.log.add(self.reader.sheet.title, node.row, self.reader.header(column), message, kind)

    def label(self, node: GroupNode) -> dict[str, str]:
        label = node.data.get("label")
        if label is None:
            self.note(
                node,
                f"{node.written} {node.name!r} has no label; the section is labelled with its name",
                FILLED,
                "label",
            )
            label = self.languages.everywhere(node.name)
        return label

    def from_group(self, node: GroupNode) -> dict[str, Any]:
        if node.kind == "repeat":
            name = self.reader.unique(f"{node.name}_section", node.row)
            return {"name": name, "label": self.label(node), "items": [node.to_dict()]}
        data = dict(node.data)
        items = [
            child.to_dict() if isinstance(child, GroupNode) else child.data for child in node.items
        ]
        if data.pop("field_list", False):
            inner = self.reader.unique(f"{node.name}_page", node.row)
            self.note(
                node,
                f"field-list on a top-level group: sections have no field-list, so its"
                f" questions are wrapped in field-list group {inner!r}",
                ADAPTED,
                "appearance",
            )
            items = [{"type": "group", "name": inner, "field_list": True, "items": items}]
        section: dict[str, Any] = {"name": node.name, "label": self.label(node)}
        section.update({key: data[key] for key in ("hint", "relevant") if key in data})
        section["items"] = items
        return section


__all__ = ["ImportProblem", "ImportResult", "import_xlsform"]
