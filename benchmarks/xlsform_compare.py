"""What benchmarks/xlsform_corpus.py counts as a question kept: pyxform's reading of a workbook
against the form JSON `screening forms import` wrote.

Core types, decided by pyxform's own question-type dictionary (so that its aliases count as
what they mean there): a row whose type has the `select1` control is `select_one`, `select` is
`select_multiple` (`select_one_from_file` included); an `input` control bound to `string` is
`text` (`string`, `add text prompt`, `phone number` …), or `note` when pyxform binds it
read-only; `int` is `integer`; `decimal`, `date`, `time`, `dateTime` (our `datetime`),
`geopoint`, `geotrace`, `geoshape` are themselves; `calculate` and `hidden` (no control) are
`calculate`. Not core: metadata that pyxform fills in itself (`jr:preload`: start, deviceid,
the `meta` group's instanceID …), questions whose names pyxform makes up (an unnamed note's
`generated_note_name_N`, the rows it adds for a `table-list` group, the `{repeat}_count`
calculate it adds for a repeat_count expression), and other types (media, barcode, range,
rank, trigger, osm, select one external: ODK offers its choices from an external CSV).

Names: a question's name, except inside `begin loop`, which this importer unrolls into one
group per choice with the questions named `{name}_{choice}` (docs/forms.md); pyxform keeps the
name and puts it under a group per choice. So a looped question is looked up as
`{name}_{choice}`, and a `${x}` naming a question of the same loop means `${x_choice}`.
pyxform allows one name in two groups; names are unique here and the importer renames the
second `{name}_2`, the third `{name}_3` (reported), so the n-th question of a name is looked up
so.

Expressions (relevant, constraint, calculation, choice_filter) are equal when they are equal
after these rewrites, applied to both sides, and to nothing else:

- curly quotes become straight quotes and non-breaking / other Unicode spaces become spaces
  (pyxform straightens quotes itself);
- a string literal is written with single quotes unless it contains one (`"a"` = `'a'`);
- outside string literals, whitespace is dropped except between two name characters
  (`${a} = 'x'` = `${a}='x'`, but `a and b` stays apart);
- `${ x }` is `${x}`; an XPath path to a question, absolute (`/data/group/x`) or relative
  (`../x`, `../../x`, `current()/../x`), is `${x}` (names are unique in our forms, and the
  importer reads such paths that way);
- ODK's lookup into an attached file, `instance('f')/root/item[k = ${v}]/c`, is
  `pulldata('f', 'c', 'k', ${v})`: ODK's documentation ("Form datasets") gives the two as
  equivalent, and the importer writes the lookup that way.

A constraint on a calculate or a note and a choice_filter on a question that is not a select are
not compared: ODK checks a constraint only on an answer the user gives, and a filter only
filters choices. A calculate with no calculation in pyxform (a lone `hidden` row: a node with
no control, whose value is empty) is equal to our calculation `''` (the same empty value).

Nothing else is treated as equal: a different function, operator, value, or a missing or
extra expression is a difference.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

CORE_INPUT = {
    "string": "text",
    "int": "integer",
    "decimal": "decimal",
    "date": "date",
    "time": "time",
    "dateTime": "datetime",
    "geopoint": "geopoint",
    "geotrace": "geotrace",
    "geoshape": "geoshape",
}
# Names pyxform makes up (xls2json.py): for a note without a name, and the rows it writes itself
# for a `table-list` group (a header note and a label row per select).
GENERATED = (
    "generated_note_name_",
    "generated_table_list_label_",
    "reserved_name_for_field_list_labels_",
)
CALCULATE_TYPES = {"calculate", "add calculate prompt", "q calculate", "hidden"}
# A constraint checks an answer the user gives; ODK checks none on a calculate or a note, which
# have no answer to give, so such a constraint is not compared (nor a choice_filter outside a
# select, which filters no choices).
INERT = {("constraint", "calculate"), ("constraint", "note")}
LOGIC = (("relevant", "relevant"), ("constraint", "constraint"), ("calculate", "calculation"))

CURLY = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"',
                       "‟": '"'})  # fmt: skip
SPACES = re.compile(r"[\s\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
LITERAL = re.compile(r"'[^']*'|\"[^\"]*\"")
# Written here apart from the importer's own rewrite, so that the measurement does not trust it.
INSTANCE_LOOKUP = re.compile(
    r"instance\(\s*['\"]([\w.-]+)['\"]\s*\)\s*/\s*root\s*/\s*item\s*"
    r"\[\s*([\w.-]+)\s*=\s*(\$\{\s*[\w.-]+\s*\})\s*\]\s*/\s*([\w.-]+(?::[\w.-]+)?)"
)
NAME_CHAR = re.compile(r"[\w.:\-]")
PATH = re.compile(
    r"\$\{\s*([^}\s]+)\s*\}"  # ${ x }
    r"|(?:current\(\)\s*/\s*)?(?:\.\.\s*/\s*)+([A-Za-z_][\w.\-]*)"  # ../x, current()/../x
    r"|(?<![\w)\]}.])/[A-Za-z_][\w.\-]*(?:/[A-Za-z_][\w.\-]*)*/([A-Za-z_][\w.\-]*)"  # /data/../x
)


def core_type(type_name: str) -> str | None:
    """Our type for a pyxform question type, or None when it is not a core type."""
    from pyxform.question_type_dictionary import QUESTION_TYPE_DICT

    entry = QUESTION_TYPE_DICT.get(type_name)
    if entry is None or "external" in type_name:
        return None
    bind = entry.get("bind", {})
    if "jr:preload" in bind:
        return None
    control = entry.get("control", {}).get("tag")
    if control == "select1":
        return "select_one"
    if control == "select":
        return "select_multiple"
    if control is None:
        return "calculate" if type_name in CALCULATE_TYPES else None
    if control != "input":
        return None
    if bind.get("type") == "string" and bind.get("readonly") == "true()":
        return "note"
    return CORE_INPUT.get(bind.get("type", ""))


def _loops(element: Any) -> list[tuple[str, list[str]]]:
    """(choice, names in that loop) for each loop around the element, nearest first."""
    found = []
    while element.parent is not None:
        parent = element.parent
        if parent.parent is not None and getattr(parent.parent, "type", None) == "loop":
            found.append((parent.name, [e.name for e in parent.iter_descendants()]))
        element = parent
    return found


def _counts_a_repeat(element: Any) -> bool:
    """The calculate pyxform adds for a repeat_count that is an expression: `{repeat}_count`,
    which the repeat's jr:count then names (xls2json.py); ours keeps the expression."""
    siblings = getattr(element.parent, "children", None) or []
    return any(
        (getattr(sibling, "control", None) or {}).get("jr:count") == "${" + element.name + "}"
        and element.name == f"{sibling.name}_count"
        for sibling in siblings
    )


def pyxform_questions(survey: Any) -> list[dict[str, Any]]:
    """pyxform's core questions: our name and type for each, and its logic as pyxform holds it."""
    questions = []
    for element in survey.iter_descendants():
        if element is survey or getattr(element, "children", None) is not None:
            continue
        if element.parent is not None and element.parent.name == "meta":
            continue
        if str(element.name).startswith(GENERATED) or _counts_a_repeat(element):
            continue
        qtype = core_type(str(element.type))
        if qtype is None:
            continue
        bind = element.bind or {}
        if "jr:preload" in bind:
            continue
        name, renames = element.name, {}
        for choice, names in _loops(element):
            renames.update({n: f"{renames.get(n, n)}_{choice}" for n in names})
        name = renames.get(name, name)
        logic = {ours: bind.get(theirs) for theirs, ours in LOGIC}
        logic["choice_filter"] = getattr(element, "choice_filter", None)
        questions.append({"name": name, "type": qtype, "logic": logic, "renames": renames,
                          "pyxform_type": str(element.type)})  # fmt: skip
    return questions


def _our_questions(items: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for item in items:
        if item.get("type") in ("group", "repeat"):
            yield from _our_questions(item.get("items", []))
        else:
            yield item


def normalise(expression: Any, renames: dict[str, str] | None = None) -> str:
    """The rewrites in the module docstring; `renames` maps loop names to their copies."""
    if expression is None:
        return ""
    text = SPACES.sub(" ", str(expression).translate(CURLY)).strip()
    text = INSTANCE_LOOKUP.sub(r"pulldata('\1', '\4', '\2', \3)", text)
    renames = renames or {}
    parts, at = [], 0
    for literal in LITERAL.finditer(text):
        parts.append(_outside(text[at : literal.start()], renames))
        inner = literal.group()[1:-1]
        parts.append(f'"{inner}"' if "'" in inner else f"'{inner}'")
        at = literal.end()
    parts.append(_outside(text[at:], renames))
    return "".join(parts)


def _outside(code: str, renames: dict[str, str]) -> str:
    def reference(match: re.Match[str]) -> str:
        name = next(group for group in match.groups() if group)
        return "${" + renames.get(name, name) + "}"

    code = PATH.sub(reference, code)
    kept = []
    for i, char in enumerate(code):
        if char == " ":
            before = kept[-1] if kept else ""
            after = code[i + 1] if i + 1 < len(code) else ""
            if not (NAME_CHAR.match(before or " ") and NAME_CHAR.match(after or " ")):
                continue
        kept.append(char)
    return "".join(kept)


def compare(questions: list[dict[str, Any]], ours: dict[str, Any]) -> tuple[int, list[str], list]:
    """(core questions compared, the causes of differences, one line per difference)."""
    by_name: dict[str, dict[str, Any]] = {}
    for section in ours.get("sections", []):
        for item in _our_questions(section.get("items", [])):
            by_name.setdefault(item.get("name", ""), item)
    causes: list[str] = []
    details: list[str] = []
    seen: dict[str, int] = {}
    for question in questions:
        seen[question["name"]] = seen.get(question["name"], 0) + 1
        nth = seen[question["name"]]
        mine = by_name.get(question["name"] if nth == 1 else f"{question['name']}_{nth}")
        if mine is None:
            causes.append(f"question missing ({question['pyxform_type']})")
            details.append(f"{question['name']}: missing ({question['pyxform_type']})")
            continue
        if mine.get("type") != question["type"]:
            cause = f"type {question['pyxform_type']} became {mine.get('type')}"
            causes.append(cause)
            details.append(f"{question['name']}: {cause}")
            continue
        for key, theirs in question["logic"].items():
            if (key, question["type"]) in INERT or (
                key == "choice_filter" and not question["type"].startswith("select")
            ):
                continue
            if key == "calculation" and question["type"] == "calculate" and theirs is None:
                theirs = "''"  # an empty value either way (module docstring)
            if normalise(theirs, question["renames"]) != normalise(mine.get(key)):
                causes.append(f"{key} differs")
                details.append(
                    f"{question['name']}: {key}: pyxform {theirs!r} / ours {mine.get(key)!r}"
                )
    return len(questions), causes, details
