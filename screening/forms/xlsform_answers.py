"""The columns of a survey row whose question can be answered: required and its message,
constraint, read_only, calculation (a prefill, see screening/engine/prefills.py), trigger and
default (a dynamic default is a prefill written at the start).

Mixed into SurveyReader (screening/forms/xlsform_survey.py); what it uses of the reader is
declared here, so this module need not import the survey module that imports it.
"""

from __future__ import annotations

import re
from typing import Any

from screening.forms.xlsform_sheets import INVALID, UNSUPPORTED, Row, quote
from screening.forms.xlsform_types import clean_expression, parse_flag

REFERENCE = re.compile(r"\$\{\s*([^}\s]+)\s*\}")
# A `required` or `calculation` cell holding one bare word (`basic`, `yes`): see answerable().
_BARE_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*\Z")


class AnswerColumns:
    expressions: list[tuple[int, str, str]]  # row, column, text

    # Defined by SurveyReader.
    def problem(self, row: int | None, column: str | None, message: str, kind: str) -> None:
        raise NotImplementedError

    def header(self, base: str) -> str:
        raise NotImplementedError

    def text(self, row: Row, base: str) -> dict[str, str] | None:
        raise NotImplementedError

    def expression(self, row: Row, base: str) -> str | None:
        raise NotImplementedError

    def read_default(self, row: Row, data: dict[str, Any]) -> None:
        default = row.value("default")
        if default is None:
            return
        if "${" in default or "(" in default:
            # ODK's dynamic default: computed once when the interview (or repeat entry)
            # starts, then the screener's to change; a prefill written at the start.
            if "calculate_on" in data or data.get("read_only") or "calculation" in data:
                self.problem(
                    row.number,
                    self.header("default"),
                    "a default computed by an expression on a question that also has a"
                    f" calculation, a trigger or read_only is not supported; {quote(default)}"
                    " ignored",
                    UNSUPPORTED,
                )
                return
            computed = self.expression(row, "default")
            if computed is not None:
                data["calculation"] = computed
                data["calculate_on"] = "start"
            return
        data["default"] = default

    def answerable(self, row: Row, qtype: str, data: dict[str, Any]) -> None:
        required_text = row.value("required")
        required = parse_flag(None if required_text is None else clean_expression(required_text))
        if isinstance(required, str) and _BARE_WORD.match(required):
            # pyxform copies `basic` as the XPath expression it is: a path to a child node that
            # does not exist, an empty node-set, which XPath 1.0's boolean() makes false. So ODK
            # never requires the question; said on the row, since the author meant something.
            self.problem(
                row.number,
                self.header("required"),
                f"required {quote(required)} is neither yes/no nor an expression; ODK reads it"
                " as a path to nothing, which is false, so the question is not required",
                INVALID,
            )
            required = False
        if isinstance(required, str):
            self.expressions.append((row.number, self.header("required"), required))
        if required is not False:
            data["required"] = required
        for key in ("required_message", "constraint_message"):
            value = self.text(row, key)
            if value is not None:
                data[key] = value
        constraint = self.expression(row, "constraint")
        if constraint is not None:
            data["constraint"] = constraint
        read_only_text = row.value("read_only")
        read_only = parse_flag(read_only_text)
        if isinstance(read_only, str):
            self.problem(
                row.number,
                self.header("read_only"),
                f"read_only can only be yes or no here, not an expression; {quote(read_only)}"
                " ignored",
                UNSUPPORTED,
            )
        elif read_only:
            data["read_only"] = True
        calculation = row.value("calculation")
        if calculation is not None and _BARE_WORD.match(clean_expression(calculation)):
            # As with `required` above: ODK reads `yes` as a path to a child node that does
            # not exist, an empty node-set, so the question is never filled in.
            self.problem(
                row.number,
                self.header("calculation"),
                f"calculation {quote(calculation)} is a bare word, not an expression; ODK"
                f" reads it as a path to nothing, so nothing is filled in (write"
                f" '{calculation}' in quotes for the text)",
                INVALID,
            )
        elif calculation is not None:
            # Read-only: the question shows the computed value. Answerable: ODK's editable
            # calculation, a prefill the screener may change (screening/engine/prefills.py).
            data["calculation"] = self.expression(row, "calculation")
        self.read_trigger(row, data)

    def read_trigger(self, row: Row, data: dict[str, Any]) -> None:
        """ODK's `trigger` column: the calculation is written when that question's answer
        changes (pyxform's setvalue on xforms-value-changed); without a calculation the
        answer is emptied then, as pyxform's setvalue without a value does."""
        trigger = row.value("trigger")
        if trigger is None:
            return
        text = clean_expression(trigger)
        names = REFERENCE.findall(text)
        if data.get("read_only") or len(names) != 1 or REFERENCE.sub("", text).strip():
            why = (
                "a read-only question cannot be triggered"
                if data.get("read_only")
                else "a trigger must name one question as ${name}"
            )
            self.problem(
                row.number, self.header("trigger"), f"{why}; {quote(trigger)} ignored", UNSUPPORTED
            )
            return
        data["calculate_on"] = "${" + names[0] + "}"
