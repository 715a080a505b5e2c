"""The survey sheet of an XLSForm → a tree of groups, repeats and questions.

Rows are read in order with a stack of open groups. Everything that cannot be mapped is
reported on its row; structural mistakes (unclosed groups, stray ends, nested repeats) are
repaired and reported.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from screening.forms.xlsform_answers import REFERENCE, AnswerColumns
from screening.forms.xlsform_languages import Languages, Texts
from screening.forms.xlsform_rows import AdaptedRows
from screening.forms.xlsform_sheets import (
    FILLED,
    INVALID,
    UNSUPPORTED,
    WARNING,
    ProblemLog,
    Row,
    Sheet,
    describe_unused,
    quote,
)
from screening.forms.xlsform_tree import GroupNode, QuestionNode
from screening.forms.xlsform_types import (
    NAME_RE,
    SURVEY_COLUMNS,
    TYPE_CONSTRAINTS,
    TypeSpec,
    classify,
    clean_expression,
    sanitize_name,
    type_key,
)

_LAST_SAVED = re.compile(r"\$\{\s*last-saved#")
# Device properties ODK records as metadata; a desktop has none of them, so a form that reads
# one in an expression gets a calculate of this value under its name (today is known).
UNKNOWN_PROPERTY_VALUES = {
    "today": "today()",
    **dict.fromkeys(
        ["deviceid", "subscriberid", "simserial", "phonenumber", "username", "email"], "''"
    ),
}


class SurveyReader(AnswerColumns, AdaptedRows):
    def __init__(
        self,
        sheet: Sheet,
        languages: Languages,
        texts: Texts,
        choice_lists: dict[str, list[dict[str, Any]]],
        log: ProblemLog,
    ) -> None:
        self.sheet = sheet
        self.languages = languages
        self.texts = texts
        self.choice_lists = choice_lists
        self.log = log
        self.root: list[QuestionNode | GroupNode] = []
        self.stack: list[GroupNode] = []
        self.names: dict[str, int] = {}  # every name given to an item → its row
        self.skipped: dict[str, tuple[int, str]] = {}  # names of skipped rows → row, type
        self.metadata: list[str] = []
        self.referenced: set[str] = set()  # every ${name} the sheet writes, filled by read()
        self.lists_used: set[str] = set()
        self.expressions: list[tuple[int, str, str]] = []  # row, column, text
        self.adapted = defaultdict(list)
        self.folder: Path | None = None  # where CSV files beside the XLSForm are looked for
        self.file_lists: dict[str, str] = {}
        self.missing_files: dict[str, str] = {}
        self.list_renames: dict[str, str] = {}  # a list name pyxform accepts → ours
        self.external_lists: dict[str, str] = {}

    # -- helpers -------------------------------------------------------------------------

    def problem(self, row: int | None, column: str | None, message: str, kind: str) -> None:
        self.log.add(self.sheet.title, row, column, message, kind)

    def header(self, base: str) -> str:
        columns = self.sheet.columns_for(base)
        return columns[0].header if columns else base

    def text(self, row: Row, base: str) -> dict[str, str] | None:
        return self.texts.collect(self.sheet.title, row.number, base, row.texts(base))

    def expression(self, row: Row, base: str) -> str | None:
        value = row.value(base)
        if value is not None:
            value = clean_expression(value)
            if _LAST_SAVED.search(value):
                # ODK reads the form's last saved record here: in a reception centre that is
                # the previous person's interview, whose answer must not seed this one.
                self.problem(
                    row.number,
                    self.header(base),
                    f"${{last-saved#…}} reads the last interview saved with this form, the"
                    f" previous person's, and is not supported; {quote(value)} ignored",
                    UNSUPPORTED,
                )
                return None
            self.expressions.append((row.number, self.header(base), value))
        return value

    def unique(self, wanted: str, row: int) -> str:
        name, n = wanted, 2
        while name in self.names:
            name = f"{wanted}_{n}"
            n += 1
        self.names[name] = row
        return name

    def take_name(self, row: Row, what: str) -> str:
        raw = row.value("name")
        column = self.header("name")
        if raw is None:
            name = self.unique(f"{what}_row{row.number}", row.number)
            self.problem(row.number, column, f"the {what} has no name; named {name!r}", INVALID)
            return name
        wanted = raw if NAME_RE.match(raw) else sanitize_name(raw)
        if wanted != raw:
            self.problem(
                row.number,
                column,
                f"{quote(raw)} is not a valid name (a letter or _ first, then letters, digits,"
                f" _ . -); renamed {wanted!r}",
                INVALID,
            )
        if what == "question":
            self.free_from_enclosing_group(wanted, row.number)
        name = self.unique(wanted, row.number)
        if name != wanted:
            first = self.names[wanted]
            self.problem(
                row.number,
                column,
                f"the name {wanted!r} is already used on row {first}; renamed {name!r}"
                f" (expressions with ${{{wanted}}} refer to row {first})",
                INVALID,
            )
        return name

    def free_from_enclosing_group(self, wanted: str, row: int) -> None:
        """pyxform lets a question share its name with a group around it (a repeat `gps`
        holding a geopoint `gps`: their paths differ). Names are unique here, so the group
        gives the name up; pyxform refuses `${gps}` when two items have that name, so no
        expression of a form it accepts can mean the group by it."""
        group = next((g for g in self.stack if g.name == wanted), None)
        if group is None:
            return
        renamed = self.unique(f"{wanted}_{group.written}", group.row)
        group.data["name"] = renamed
        del self.names[wanted]  # the question takes it next
        self.problem(
            group.row,
            self.header("name"),
            f"the {group.written} shares the name {wanted!r} with a question inside it (row"
            f" {row}); the {group.written} is renamed {renamed!r}",
            INVALID,
        )

    def report_leftovers(self, row: Row, type_text: str) -> None:
        context = f"for type {type_text!r}"
        for column, value in row.leftovers():
            reason = describe_unused(column, context, SURVEY_COLUMNS)
            self.problem(
                row.number, column.header, f"{reason}, {quote(value)} ignored", UNSUPPORTED
            )

    def add(self, node: QuestionNode | GroupNode) -> None:
        (self.stack[-1].items if self.stack else self.root).append(node)

    # -- rows ----------------------------------------------------------------------------

    def read(self) -> list[QuestionNode | GroupNode]:
        self.referenced = {
            ref
            for row in self.sheet.rows
            for text in row.values.values()
            for ref in REFERENCE.findall(text)
        }
        for row in self.sheet.rows:
            self.read_row(row)
        while self.stack:
            group = self.stack[-1]
            self.problem(
                group.row,
                self.header("type"),
                f"'begin {group.written}' {group.name!r} has no 'end {group.written}';"
                " closed at the end of the survey",
                INVALID,
            )
            self.close()
        return self.root

    def read_row(self, row: Row) -> None:
        type_text = row.value("type")
        if type_text is None:
            row.use_all()
            self.problem(row.number, self.header("type"), "the row has no type; ignored", INVALID)
            return
        spec = classify(type_text)
        handler = getattr(self, f"row_{spec.kind}")
        handler(row, spec, type_text)
        self.report_leftovers(row, type_text)

    def row_unsupported(self, row: Row, spec: TypeSpec, type_text: str) -> None:
        self.skip(row, type_text, f"type {quote(type_text)} is not supported; the row is skipped")

    def row_ignored(self, row: Row, spec: TypeSpec, type_text: str) -> None:
        name = row.value("name")
        value = UNKNOWN_PROPERTY_VALUES.get(spec.qtype or "")
        if name and value is not None and name in self.referenced:
            self.question(row, "calculate", {"calculation": value})
            row.use_all()
            reads = "today's date, as today()" if value == "today()" else "as empty"
            self.problem(
                row.number,
                self.header("type"),
                f"metadata {type_text!r} is not recorded; ${{{name}}}, which the form uses,"
                f" reads {reads} (ODK Collect too leaves a property the device lacks empty)",
                UNSUPPORTED,
            )
            return
        hint = " (use today() in expressions)" if spec.qtype == "today" else ""
        self.skip(row, type_text, f"metadata {type_text!r} is not recorded{hint}; ignored")

    def skip(self, row: Row, type_text: str, message: str) -> None:
        name = row.value("name")
        row.use_all()
        if name:
            self.skipped.setdefault(name, (row.number, type_text))
        self.problem(row.number, self.header("type"), message, UNSUPPORTED)

    def row_metadata(self, row: Row, spec: TypeSpec, type_text: str) -> None:
        kind = spec.qtype or ""
        name = row.value("name")
        if kind in self.metadata:
            self.problem(row.number, self.header("type"), f"{kind!r} is already recorded", INVALID)
            return
        self.metadata.append(kind)
        if name and name != kind:
            self.problem(
                row.number,
                self.header("name"),
                f"metadata {name!r} is recorded as {kind!r}; ${{{name}}} cannot be used in"
                " expressions",
                WARNING,
            )

    def row_begin(self, row: Row, spec: TypeSpec, type_text: str) -> None:
        written = spec.qtype or "group"
        kind = written
        data: dict[str, Any] = {"name": self.take_name(row, written)}
        for key in ("label", "hint"):
            value = self.text(row, key)
            if value is not None:
                data[key] = value
        relevant = self.expression(row, "relevant")
        if relevant is not None:
            data["relevant"] = relevant
        if kind == "repeat":
            count = self.expression(row, "repeat_count")
            if count is not None:
                data["repeat_count"] = count
        appearance = row.value("appearance")
        if appearance is not None:
            words = appearance.split()
            if "field-list" in words:
                data["field_list"] = True
            others = [w for w in words if w != "field-list"]
            if others:
                self.problem(
                    row.number,
                    self.header("appearance"),
                    f"appearance {quote(' '.join(others))} is not supported, ignored",
                    UNSUPPORTED,
                )
        node = GroupNode(row.number, "group" if kind == "loop" else kind, written, data)
        node.loop_list = spec.list_name if kind == "loop" else None
        self.stack.append(node)

    def row_end(self, row: Row, spec: TypeSpec, type_text: str) -> None:
        row.value("name")  # an end row may repeat the group's name; nothing to map
        if not self.stack:
            self.problem(
                row.number,
                self.header("type"),
                f"{quote(type_text)} without a matching 'begin {spec.qtype}'; ignored",
                INVALID,
            )
            return
        group = self.stack[-1]
        if group.written != spec.qtype:
            self.problem(
                row.number,
                self.header("type"),
                f"{quote(type_text)} closes 'begin {group.written}' {group.name!r}"
                f" (row {group.row}); taken as 'end {group.written}'",
                INVALID,
            )
        self.close()

    def close(self) -> None:
        group = self.stack.pop()
        if not group.items:
            self.problem(
                group.row,
                self.header("type"),
                f"{group.written} {group.name!r} holds no question that could be imported; skipped",
                INVALID,
            )
            self.skipped.setdefault(group.name, (group.row, f"empty {group.written}"))
            return
        self.add(group)

    def row_note(self, row: Row, spec: TypeSpec, type_text: str) -> None:
        self.question(row, "note")

    def row_calculate(self, row: Row, spec: TypeSpec, type_text: str) -> None:
        if row.value("calculation") is None:
            self.skip(row, type_text, "a calculate row needs a calculation; the row is skipped")
            return
        self.question(row, "calculate")

    def row_input(self, row: Row, spec: TypeSpec, type_text: str) -> None:
        built_in = TYPE_CONSTRAINTS.get(type_key(type_text))
        self.question(row, spec.qtype or "text", {"constraint": built_in} if built_in else None)

    def row_select(self, row: Row, spec: TypeSpec, type_text: str) -> None:
        qtype = spec.qtype or "select_one"
        column = self.header("type")
        list_name = spec.list_name
        list_name = self.list_renames.get(list_name or "", list_name)
        or_other = spec.extra == ["or_other"] and list_name in self.choice_lists
        if or_other:
            self.add_other_choice(list_name or "")
            self.note_adapted(
                row,
                "type",
                "or_other: as in pyxform, the list gets an 'other' choice and the form asks"
                " 'Specify other.' in a text question {name}_other, shown when 'other' is chosen",
            )
        elif spec.extra:
            extra = " ".join(spec.extra)
            self.problem(
                row.number, column, f"{quote(extra)} after the list name; ignored", INVALID
            )
        if list_name is None:
            self.problem(
                row.number, column, f"{qtype} names no choice list; imported as text", INVALID
            )
            qtype = "text"
        elif list_name not in self.choice_lists:
            self.problem(
                row.number,
                column,
                f"choice list {list_name!r} is not in the choices sheet; imported as text",
                INVALID,
            )
            self.lists_used.add(list_name)
            qtype = "text"
        else:
            self.lists_used.add(list_name)
        extra: dict[str, Any] = {"choices": list_name} if qtype != "text" else {}
        choice_filter = row.value("choice_filter")
        if choice_filter is not None and qtype != "text":
            extra["choice_filter"] = clean_expression(choice_filter)
            self.expressions.append((row.number, self.header("choice_filter"), choice_filter))
        self.question(row, qtype, extra)
        if or_other and qtype != "text":
            self.add_other_question(row)

    def add_other_choice(self, list_name: str) -> None:
        """pyxform adds the choice 'other' (label 'Other') to the list itself, so every
        question and loop over that list offers it (pyxform/xls2json.py, or_other)."""
        choices = self.choice_lists[list_name]
        if not any(choice["name"] == "other" for choice in choices):
            choices.append({"name": "other", "label": self.languages.everywhere("Other")})
        self.lists_used.add(list_name)

    def add_other_question(self, row: Row) -> None:
        """The question pyxform writes after an or_other select: text `{name}_other`, label
        'Specify other.', relevant while 'other' is selected."""
        select = (self.stack[-1].items if self.stack else self.root)[-1]
        data: dict[str, Any] = {
            "type": "text",
            "name": self.unique(f"{select.name}_other", row.number),
            "label": self.languages.everywhere("Specify other."),
            "relevant": f"selected(${{{select.name}}}, 'other')",
        }
        self.add(QuestionNode(row.number, data))

    def question(self, row: Row, qtype: str, extra: dict[str, Any] | None = None) -> None:
        data: dict[str, Any] = {"type": qtype, "name": self.take_name(row, "question")}
        label = self.text(row, "label")
        if label is None and qtype != "calculate":
            label = self.languages.everywhere(data["name"])
            self.problem(
                row.number,
                self.header("label"),
                f"no label; the name {data['name']!r} is used as its label",
                FILLED,
            )
        if label is not None:
            data["label"] = label
        hint = self.text(row, "hint")
        if hint is not None:
            data["hint"] = hint
        extra = dict(extra or {})
        bounds = extra.pop("range", None)
        given_calculation = extra.pop("calculation", None)
        data.update(extra)
        relevant = self.expression(row, "relevant")
        if relevant is not None:
            data["relevant"] = relevant
        if qtype == "calculate":
            # A calculation that was ignored (reported) leaves the calculate empty.
            data["calculation"] = given_calculation or self.expression(row, "calculation") or "''"
        elif qtype != "note":
            self.answerable(row, qtype, data)
            self.read_default(row, data)
            if bounds:
                own = data.get("constraint")
                data["constraint"] = f"({own}) and {bounds}" if own else bounds
        self.read_appearance(row, data)
        self.add(QuestionNode(row.number, data))
