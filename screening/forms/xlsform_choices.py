"""The choices and settings sheets of an XLSForm."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from screening.forms.model import CHOICE_NAME_PATTERN
from screening.forms.xlsform_languages import Languages, Texts
from screening.forms.xlsform_sheets import (
    ADAPTED,
    FILLED,
    INVALID,
    UNSUPPORTED,
    Column,
    ProblemLog,
    Sheet,
    describe_unused,
    quote,
)
from screening.forms.xlsform_sheets import MEDIA_COLUMNS as _MEDIA
from screening.forms.xlsform_types import NAME_RE, sanitize_name

CHOICE_NAME_RE = re.compile(CHOICE_NAME_PATTERN)

CHOICE_COLUMNS = frozenset({"list_name", "name", "label"})
SETTINGS = frozenset({"form_title", "form_id", "version", "default_language", "instance_name"})
UNSUPPORTED_SETTINGS = {
    "public_key": "encryption keys are set by Screening Desk, not the form",
    "submission_url": "submission URLs are not used (interviews travel through the hub)",
    "allow_choice_duplicates": "duplicate choices are not allowed (the first one is kept)",
    "style": "form styles are not supported",
}

ChoiceLists = dict[str, list[dict[str, Any]]]
# The list names pyxform accepts and ours do not: an XML name with one namespace prefix
# (pyxform.parsing.expression.is_xml_tag, RE_NCNAME_NAMESPACED), such as OSM's `isced:level`.
_PYXFORM_LIST_NAME = re.compile(r"[A-Za-z_][\w.-]*:[A-Za-z_][\w.-]*\Z", re.ASCII)


def read_choices(
    sheet: Sheet | None,
    languages: Languages,
    texts: Texts,
    log: ProblemLog,
    renamed: dict[str, str] | None = None,
) -> tuple[ChoiceLists, dict[str, int]]:
    """Choice lists by name (as JSON dicts) and the first row of each list. A list name that
    is not a name here but pyxform accepts (`isced:level`) is renamed when the new name is
    free; `renamed` (if given) receives old → new, for the questions that name the list."""
    lists: ChoiceLists = {}
    first_rows: dict[str, int] = {}
    if sheet is None:
        return lists, first_rows
    renamed = {} if renamed is None else renamed
    given_names = {row.value("list_name") for row in sheet.rows}
    renamed_rows: dict[str, list[int]] = defaultdict(list)
    title = sheet.title
    seen: dict[tuple[str, str], int] = {}
    bad_lists: dict[str, list[int]] = defaultdict(list)
    unused: dict[tuple[str, str], list[int]] = defaultdict(list)

    def header(base: str) -> str:
        columns = sheet.columns_for(base)
        return columns[0].header if columns else base

    for row in sheet.rows:
        list_name = row.value("list_name")
        raw = row.value("name")
        found = row.texts("label")
        properties: dict[str, str] = {}
        for column, value in row.leftovers():
            if _is_property(column):
                # Further columns are what choice filters read (`${state} = cf`), by header.
                properties[column.header] = value
                row.used.add(column.index)
                continue
            reason = describe_unused(column, "on the choices sheet", CHOICE_COLUMNS)
            unused[(column.header, reason)].append(row.number)
        if list_name is None:
            log.add(title, row.number, header("list_name"), "no list_name; choice skipped", INVALID)
            continue
        if not NAME_RE.match(list_name):
            own = renamed.get(list_name) or sanitize_name(list_name)
            taken = own in given_names or (own in renamed.values() and list_name not in renamed)
            if taken or not _PYXFORM_LIST_NAME.match(list_name):
                bad_lists[list_name].append(row.number)  # the new name is taken
                continue
            renamed[list_name] = own
            renamed_rows[list_name].append(row.number)
            list_name = own
        if raw is None:
            log.add(title, row.number, header("name"), "choice without a name; skipped", INVALID)
            continue
        name = raw if CHOICE_NAME_RE.match(raw) else sanitize_name(raw)
        if name != raw:
            log.add(
                title,
                row.number,
                header("name"),
                f"{quote(raw)} is not a valid choice name (letters, digits, _ . -); renamed"
                f" {name!r} — expressions comparing with {quote(raw)} must be updated",
                INVALID,
            )
        if (list_name, name) in seen:
            log.add(
                title,
                row.number,
                header("name"),
                f"choice {name!r} is already in list {list_name!r} (row"
                f" {seen[(list_name, name)]}); the first one is kept, this one skipped",
                INVALID,
            )
            continue
        seen[(list_name, name)] = row.number
        label = texts.collect(title, row.number, "label", found)
        if label is None:
            label = languages.everywhere(name)
            log.add(
                title,
                row.number,
                header("label"),
                f"choice {name!r} has no label; its name is used",
                FILLED,
            )
        choice: dict[str, Any] = {"name": name, "label": label}
        if properties:
            choice["properties"] = properties
        lists.setdefault(list_name, []).append(choice)
        first_rows.setdefault(list_name, row.number)
    for list_name, rows in renamed_rows.items():
        log.add_rows(
            title,
            rows,
            header("list_name"),
            f"list name {quote(list_name)} is renamed {renamed[list_name]!r} (letters, digits,"
            " _ . -), on the questions that name it too",
            ADAPTED,
        )
    for list_name, rows in bad_lists.items():
        log.add_rows(
            title,
            rows,
            header("list_name"),
            f"{quote(list_name)} is not a valid list name; its choices are skipped",
            INVALID,
        )
    for (column, reason), rows in unused.items():
        log.add_rows(title, rows, column, f"{reason}, ignored", UNSUPPORTED)
    return lists, first_rows


def _is_property(column: Column) -> bool:
    return (
        bool(column.base)
        and column.language is None
        and not column.duplicate
        and column.base not in CHOICE_COLUMNS
        and column.base not in _MEDIA
        and "::" not in column.base
        and NAME_RE.match(column.header) is not None
    )


def read_settings(sheet: Sheet | None, log: ProblemLog) -> dict[str, str]:
    """The settings that the import uses; the others are reported."""
    values: dict[str, str] = {}
    if sheet is None or not sheet.rows:
        return values
    first, *others = sheet.rows
    for column in sheet.columns:
        value = first.values.get(column.index)
        if value is None:
            continue
        if column.base in SETTINGS and column.language is None and not column.duplicate:
            values[column.base] = value
            continue
        reason = UNSUPPORTED_SETTINGS.get(column.base) or describe_unused(
            column, "", (), unknown=f"unknown setting {column.header!r}"
        )
        log.add(
            sheet.title,
            first.number,
            column.header,
            f"{reason}, {quote(value)} ignored",
            UNSUPPORTED,
        )
    for row in others:
        for column, value in row.leftovers():
            log.add(
                sheet.title,
                row.number,
                column.header,
                f"only the first row of settings is read, {quote(value)} ignored",
                INVALID,
            )
    return values
