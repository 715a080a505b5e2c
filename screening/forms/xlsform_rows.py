"""Survey rows of XLSForm types that become one of our question types in another shape:
barcode (typed in), acknowledge and trigger (a single 'OK' choice), range (a number with its
bounds as a constraint), hidden (a calculation), media (a note saying so). Each adaptation is
reported once per form with the rows it concerns, not once per row."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from screening.expressions.values import format_number
from screening.forms.xlsform_choices import CHOICE_NAME_RE
from screening.forms.xlsform_files import (
    FILE_SUFFIXES,
    DataFileError,
    MissingDataFile,
    read_rows,
    table_name,
)
from screening.forms.xlsform_languages import Languages
from screening.forms.xlsform_sheets import (
    ADAPTED,
    INVALID,
    UNSUPPORTED,
    ProblemLog,
    Row,
    Sheet,
    quote,
)
from screening.forms.xlsform_tree import GroupNode, QuestionNode
from screening.forms.xlsform_types import NAME_RE, TypeSpec, clean_expression, sanitize_name

ACKNOWLEDGE_LIST = "_acknowledge"
MEDIA_HINT = (
    "Screening Desk does not capture photos, sound, video or files: note where the item is kept."
)
# Appearances that change nothing here that the screener would miss.
QUIET_APPEARANCES = frozenset({"field-list"})
# Appearances the interview shows (app/interview/widgets.py), kept without a word.
SHOWN_APPEARANCES = frozenset(
    {"multiline", "minimal", "likert", "horizontal", "horizontal-compact"}
)
# Appearances that mean something on a desktop screen: kept on the question.
DESKTOP_APPEARANCES = frozenset(
    {"multiline", "minimal", "likert", "label", "list-nolabel", "horizontal", "horizontal-compact"}
)
_PARAMETER = re.compile(r"([A-Za-z_-]+)\s*=\s*([^\s,;]+)")


class AdaptedRows:
    """Mixed into SurveyReader: the handlers of the types above and the once-per-form report.

    What the handlers use of the reader is declared here, so this module need not import the
    survey module that imports it."""

    sheet: Sheet
    log: ProblemLog
    languages: Languages
    root: list[QuestionNode | GroupNode]
    choice_lists: dict[str, list[dict[str, Any]]]
    lists_used: set[str]
    expressions: list[tuple[int, str, str]]  # row, column, text
    adapted: defaultdict[tuple[str, str], list[int]]
    missing_files: dict[str, str]  # file name → the list or table it fills
    folder: Path | None
    file_lists: dict[str, str]  # CSV file name → the choice list made from it
    external_lists: dict[str, str]  # list name on the external_choices sheet → ours

    # Defined by SurveyReader.
    def problem(self, row: int | None, column: str | None, message: str, kind: str) -> None:
        raise NotImplementedError

    def header(self, base: str) -> str:
        raise NotImplementedError

    def unique(self, wanted: str, row: int) -> str:
        raise NotImplementedError

    def skip(self, row: Row, type_text: str, message: str) -> None:
        raise NotImplementedError

    def question(self, row: Row, qtype: str, extra: dict[str, Any] | None = None) -> None:
        raise NotImplementedError

    def row_select(self, row: Row, spec: TypeSpec, type_text: str) -> None:
        raise NotImplementedError

    def note_adapted(self, row: Row | int, column: str, message: str) -> None:
        self.adapted[(column, message)].append(row if isinstance(row, int) else row.number)

    def report_adapted(self) -> None:
        for (column, message), rows in self.adapted.items():
            self.log.add_rows(self.sheet.title, rows, self.header(column), message, ADAPTED)

    def row_barcode(self, row: Row, spec: TypeSpec, type_text: str) -> None:
        self.note_adapted(row, "type", "barcode questions are typed in as text (no scanner)")
        self.question(row, "text")

    def row_acknowledge(self, row: Row, spec: TypeSpec, type_text: str) -> None:
        if ACKNOWLEDGE_LIST not in self.choice_lists:
            ok = {"name": "OK", "label": self.languages.everywhere("OK")}
            self.choice_lists[ACKNOWLEDGE_LIST] = [ok]
        self.lists_used.add(ACKNOWLEDGE_LIST)
        self.note_adapted(
            row,
            "type",
            f"{spec.qtype} becomes a select_one with the single choice 'OK'"
            f" (list {ACKNOWLEDGE_LIST!r}), the value ODK records",
        )
        self.question(row, "select_one", {"choices": ACKNOWLEDGE_LIST})

    def row_range(self, row: Row, spec: TypeSpec, type_text: str) -> None:
        text = row.value("parameters") or ""
        given = dict(_PARAMETER.findall(text))
        numbers: dict[str, float] = {}
        for key, fallback in (("start", "1"), ("end", "10"), ("step", "1")):
            try:
                numbers[key] = float(given.get(key, fallback))
                if not math.isfinite(numbers[key]):
                    raise ValueError
            except ValueError:
                numbers[key] = float(fallback)
                self.problem(
                    row.number,
                    self.header("parameters"),
                    f"range {key} {quote(given[key])} is not a number; {fallback} is used",
                    UNSUPPORTED,
                )
        whole = all(value.is_integer() for value in numbers.values())
        low, high = sorted((numbers["start"], numbers["end"]))  # a range may run downwards
        bounds = f". >= {format_number(low)} and . <= {format_number(high)}"
        if whole and numbers["step"] not in (0.0, 1.0):
            start, step = format_number(numbers["start"]), format_number(numbers["step"])
            bounds += f" and (. - {start}) mod {step} = 0"
        self.note_adapted(
            row, "type", "range is asked as a number box, its bounds and step as a constraint"
        )
        self.question(row, "integer" if whole else "decimal", {"range": bounds})

    def row_hidden(self, row: Row, spec: TypeSpec, type_text: str) -> None:
        calculation = row.value("calculation")
        default = row.value("default")
        if calculation is None and default is None:
            # pyxform keeps it as a node with no control and an empty value; so is it here.
            self.note_adapted(row, "type", "a hidden question without a default or calculation"
                              " becomes a calculation whose value is empty ('')")  # fmt: skip
            self.question(row, "calculate", {"calculation": "''"})
            return
        if calculation is None:
            quote_char = '"' if "'" in (default or "") else "'"
            calculation = f"{quote_char}{default}{quote_char}"
        self.note_adapted(row, "type", "hidden questions become calculations")
        self.question(row, "calculate", {"calculation": clean_expression(calculation)})

    def row_media(self, row: Row, spec: TypeSpec, type_text: str) -> None:
        self.note_adapted(
            row,
            "type",
            "media questions (image, audio, video, file) become a note saying that this app"
            " does not capture media",
        )
        self.question(row, "note", {"hint": self.languages.everywhere(MEDIA_HINT)})

    def row_select_external(self, row: Row, spec: TypeSpec, type_text: str) -> None:
        """select_one_external L: the list L of the external_choices sheet."""
        name = spec.list_name
        if name is not None and name in self.external_lists:
            spec = TypeSpec("select", spec.qtype, self.external_lists[name], spec.extra)
        self.row_select(row, spec, type_text)

    def row_select_file(self, row: Row, spec: TypeSpec, type_text: str) -> None:
        file_name = spec.list_name
        if not file_name or not file_name.lower().endswith(FILE_SUFFIXES):
            self.skip(
                row,
                type_text,
                f"type {quote(type_text)} is not supported (only CSV and GeoJSON files);"
                " the row is skipped",
            )
            return
        list_name = self.file_lists.get(file_name)
        if list_name is None:
            try:
                rows = read_rows(self.folder, file_name)
            except MissingDataFile:
                # Kept with its name, type and logic, and an empty list the file will fill: in
                # ODK too the file is attached to the form apart from it (ODK Central's form
                # attachments), and the form cannot be used until it is.
                list_name = self.file_list(file_name, [])
                self.missing_files[file_name] = list_name
                self.log.add(
                    self.sheet.title,
                    row.number,
                    self.header("type"),
                    f"{file_name} is not beside the XLSForm: put it there and import again;"
                    " until then the question offers no choices and the form cannot be"
                    " published",
                    INVALID,
                )
            except DataFileError as exc:
                self.skip(row, type_text, f"{exc}; the row is skipped")
                return
            else:
                geojson = file_name.lower().endswith(".geojson")
                given = dict(_PARAMETER.findall(row.value("parameters") or ""))
                # ODK reads a GeoJSON feature's id as the value and its `title` as the label.
                choices = self.file_choices(
                    rows,
                    given.get("value", "id" if geojson else "name"),
                    given.get("label", "title" if geojson else "label"),
                )
                if not choices:
                    self.skip(row, type_text, f"{file_name} holds no choice; the row is skipped")
                    return
                list_name = self.file_list(file_name, choices)
                self.note_adapted(
                    row,
                    "type",
                    f"the {len(choices)} choices of {file_name} are bundled into the form as"
                    f" list {list_name!r}",
                )
        else:
            row.value("parameters")
        self.lists_used.add(list_name)
        extra: dict[str, Any] = {"choices": list_name}
        choice_filter = row.value("choice_filter")
        if choice_filter is not None:
            extra["choice_filter"] = clean_expression(choice_filter)
            self.expressions.append((row.number, self.header("choice_filter"), choice_filter))
        self.question(row, spec.qtype or "select_one", extra)

    def file_list(self, file_name: str, choices: list[dict[str, Any]]) -> str:
        list_name = self.unique_list(sanitize_name(table_name(file_name)))
        self.choice_lists[list_name] = choices
        self.file_lists[file_name] = list_name
        return list_name

    def file_choices(
        self, rows: list[dict[str, str]], value: str, label: str
    ) -> list[dict[str, Any]]:
        choices: list[dict[str, Any]] = []
        seen: set[str] = set()
        for source in rows:
            raw = source.get(value, "")
            name = raw if CHOICE_NAME_RE.match(raw) else sanitize_name(raw) if raw else ""
            if not name or name in seen:
                continue
            seen.add(name)
            choice: dict[str, Any] = {
                "name": name,
                "label": self.languages.everywhere(source.get(label) or raw),
            }
            properties = {
                key: text
                for key, text in source.items()
                if key not in (value, label) and NAME_RE.match(key)
            }
            if properties:
                choice["properties"] = properties
            choices.append(choice)
        return choices

    def unique_list(self, wanted: str) -> str:
        name, n = wanted, 2
        while name in self.choice_lists:
            name, n = f"{wanted}_{n}", n + 1
        return name

    def unroll_loops(self, items: list[QuestionNode | GroupNode] | None = None) -> None:
        """Unroll every loop, then report the adaptations; called once the texts are complete in
        every language, since the copies take their texts from the questions and choices."""

        for item in self.root if items is None else items:
            if isinstance(item, GroupNode):
                self.unroll_loops(item.items)
                if item.written == "loop":
                    self.unroll(item)
        if items is None:
            self.report_adapted()

    def unroll(self, loop: GroupNode) -> None:
        """'begin loop over L' asks its questions once per choice of L, as pyxform writes it:
        one group per choice; questions are named `{name}_{choice}` and `%(label)s` / `%(name)s`
        in texts become the choice's label / name."""

        choices = self.choice_lists.get(loop.loop_list or "")
        if not choices:
            self.problem(
                loop.row,
                self.header("type"),
                f"the loop's list {loop.loop_list!r} is not in the choices sheet; its questions"
                " are asked once, as a group",
                INVALID,
            )
            return
        self.lists_used.add(loop.loop_list or "")
        template = loop.items
        loop.items = []
        for choice in choices:
            suffix = choice["name"]
            renames = {name: self.unique(f"{name}_{suffix}", loop.row) for name in _names(template)}
            group = GroupNode(loop.row, "group", "group", {
                "name": self.unique(f"{loop.name}_{suffix}", loop.row),
                "label": dict(choice["label"]),
            })  # fmt: skip
            group.items = [_copy(item, renames, choice) for item in template]
            loop.items.append(group)
        self.note_adapted(
            loop.row,
            "type",
            "begin loop is unrolled into one group per choice; its questions are named"
            " {name}_{choice}",
        )

    def read_appearance(self, row: Row, data: dict[str, Any]) -> None:
        appearance = row.value("appearance")
        kept: list[str] = []
        for word in (appearance or "").split():
            if word in SHOWN_APPEARANCES:
                kept.append(word)
            elif word in DESKTOP_APPEARANCES:
                kept.append(word)
                self.note_adapted(
                    row,
                    "appearance",
                    f"appearance {word!r} is kept in the form for the screen to use; the"
                    " interview shows the question as usual for now",
                )
            elif word not in QUIET_APPEARANCES:
                self.note_adapted(
                    row, "appearance", f"appearance {word!r} is not shown differently; ignored"
                )
        if kept:
            data["appearance"] = " ".join(kept)


def _names(items: list[QuestionNode | GroupNode]) -> list[str]:

    names: list[str] = []
    for item in items:
        names.append(item.name)
        if isinstance(item, GroupNode):
            names.extend(_names(item.items))
    return names


# calculate_on is a trigger's ${name} (or 'start'): renamed like the expressions.
_EXPRESSION_KEYS = ("relevant", "constraint", "calculation", "required", "repeat_count",
                    "choice_filter", "calculate_on")  # fmt: skip


def _copy(
    item: QuestionNode | GroupNode, renames: dict[str, str], choice: dict[str, Any]
) -> QuestionNode | GroupNode:

    data = dict(item.data)
    data["name"] = renames[item.name]
    for key in ("label", "hint"):
        if isinstance(data.get(key), dict):
            data[key] = {
                code: text.replace("%(label)s", choice["label"].get(code, choice["name"])).replace(
                    "%(name)s", choice["name"]
                )
                for code, text in data[key].items()
            }
    for key in _EXPRESSION_KEYS:
        if isinstance(data.get(key), str):
            # pyxform fills %(name)s in a looped row's expressions too (builder.py,
            # _name_and_label_substitutions): selected(${q}, '%(name)s') asks about this choice.
            data[key] = re.sub(
                r"\$\{\s*([^}\s]+)\s*\}",
                lambda m: "${" + renames.get(m.group(1), m.group(1)) + "}",
                data[key].replace("%(name)s", choice["name"]),
            )
    if isinstance(item, QuestionNode):
        return QuestionNode(item.row, data)
    copy = GroupNode(item.row, item.kind, item.written, data)
    copy.items = [_copy(child, renames, choice) for child in item.items]
    return copy
