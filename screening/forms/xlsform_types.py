"""XLSForm survey types, yes/no cells and names, as the importer reads them."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from screening.forms.model import NAME_PATTERN
from screening.forms.xlsform_files import instance_lookups_as_pulldata

NAME_RE = re.compile(NAME_PATTERN)

# Type spellings as pyxform reads them (pyxform/question_type_dictionary.py and aliases.py),
# keyed by `type_key()`: lower case, '_' and runs of spaces as one space.
INPUT_TYPES = {
    **dict.fromkeys(["text", "string", "q string", "add text prompt", "phone number"], "text"),
    **dict.fromkeys(
        [
            "integer",
            "int",
            "q int",
            "add integer prompt",
            "percentage",
            "number of days in last month",
            "number of days in last six months",
            "number of days in last year",
        ],
        "integer",
    ),
    **dict.fromkeys(["decimal", "q decimal", "add decimal prompt"], "decimal"),
    **dict.fromkeys(["date", "q date", "add date prompt"], "date"),
}
# The constraint pyxform's question-type dictionary gives these types; a row's own constraint
# replaces it, as in pyxform (the row's bind is laid over the type's).
TYPE_CONSTRAINTS = {
    "phone number": "regex(., '^\\d*$')",
    "percentage": "0 <= . and . <= 100",
    "number of days in last month": "0 <= . and . <= 31",
    "number of days in last six months": "0 <= . and . <= 183",
    "number of days in last year": "0 <= . and . <= 365",
}
# Types pyxform knows that have no question type here (yet): canonical name for the report.
OTHER_TYPES = {
    **dict.fromkeys(
        ["datetime", "date time", "q date time", "q datetime", "add date time prompt",
         "add datetime prompt"],
        "dateTime",
    ),
    "time": "time",
    **dict.fromkeys(
        ["geopoint", "location", "q location", "q geopoint", "gps", "add location prompt"],
        "geopoint",
    ),
    **dict.fromkeys(["geotrace", "q geotrace"], "geotrace"),
    **dict.fromkeys(["geoshape", "q geoshape"], "geoshape"),
    **dict.fromkeys(["barcode", "q barcode", "add barcode prompt"], "barcode"),
    **dict.fromkeys(["acknowledge", "q acknowledge", "add acknowledge prompt"], "acknowledge"),
    "trigger": "trigger",
    "range": "range",
    "hidden": "hidden",
    **dict.fromkeys(
        ["photo", "image", "q picture", "q image", "add image prompt", "add photo prompt",
         "big-image"],
        "image",
    ),
    **dict.fromkeys(["audio", "q audio", "add audio prompt"], "audio"),
    **dict.fromkeys(["video", "q video", "add video prompt"], "video"),
    **dict.fromkeys(["file", "add file prompt"], "file"),
    "osm": "osm",
    "xml-external": "xml-external",
    "csv-external": "csv-external",
}  # fmt: skip
NOTE_TYPES = frozenset({"note", "q note", "add note prompt"})
CALCULATE_TYPES = frozenset({"calculate", "q calculate", "add calculate prompt"})
# Longest spellings first, so that "select one from" wins over "select one".
SELECT_PREFIXES = {
    "add select one prompt using": "select_one",
    "add select multiple prompt using": "select_multiple",
    "select all that apply from": "select_multiple",
    "select multiple from": "select_multiple",
    "select multiple using": "select_multiple",
    "select one using": "select_one",
    "select one from": "select_one",
    "select all that apply": "select_multiple",
    "select multiple": "select_multiple",
    "select one": "select_one",
    "select1": "select_one",
    "q select1": "select_one",
    "q select": "select_multiple",
}
# Selects whose choices come from elsewhere: reported, not imported (yet).
FILE_SELECTS = {
    "select one from file": "select_one",
    "select multiple from file": "select_multiple",
}
# Questions over a choice list that are not selects: `rank L` puts the list in order.
OTHER_SELECTS = {
    "rank": "rank",
}
METADATA_ALIASES = {
    **dict.fromkeys(["start", "start time", "get start time"], "start"),
    **dict.fromkeys(["end", "end time", "get end time"], "end"),
}
METADATA = frozenset(METADATA_ALIASES.values())
IGNORED_METADATA = {
    **dict.fromkeys(["today", "get today"], "today"),
    **dict.fromkeys(["deviceid", "device id", "get device id", "imei", "uri:deviceid"], "deviceid"),
    **dict.fromkeys(
        ["subscriberid", "subscriber id", "get subscriber id", "uri:subscriberid"], "subscriberid"
    ),
    **dict.fromkeys(["simserial", "sim id", "get sim id", "uri:simserial"], "simserial"),
    **dict.fromkeys(["phonenumber", "get phone number", "uri:phonenumber"], "phonenumber"),
    **dict.fromkeys(["username", "uri:username"], "username"),
    **dict.fromkeys(["email", "uri:email"], "email"),
    **{
        name: name
        for name in (
            "audit",
            "start-geopoint",
            "background-audio",
            "background-geopoint",
        )
    },
}
SURVEY_COLUMNS = frozenset(
    {
        "type",
        "name",
        "label",
        "hint",
        "required",
        "required_message",
        "relevant",
        "constraint",
        "constraint_message",
        "calculation",
        "read_only",
        "repeat_count",
        "appearance",
        "choice_filter",
        "default",
        "parameters",
        "trigger",
    }
)
TRUE_WORDS = frozenset({"yes", "true", "true()", "y", "1"})
FALSE_WORDS = frozenset({"no", "false", "false()", "n", "0"})


_SMART_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


_POSITION = re.compile(r"position\(\s*\.\.\s*\)")


# An XPath path to a question, as older forms write references: /data/group/age, ../age.
_PATH = re.compile(
    r"(?<![\w.$}\])])(?:/[A-Za-z_][\w.-]*)+/(?P<a>[A-Za-z_][\w.-]*)"
    r"|(?<![\w$}\])])(?:\.\./)+(?P<b>[A-Za-z_][\w.-]*)"
)
_QUOTED = re.compile(r"('[^']*'|\"[^\"]*\")")


def clean_expression(text: str) -> str:
    """As pyxform: curly quotes straightened and non-breaking spaces made plain spaces;
    XLSForm's `position(..)` (the parent's position: the repeat instance) as `position()`;
    and, outside quoted text, XPath paths to a question (`/data/g/age`, `../age`) as `${age}`
    (question names are unique here, so the last step names the question); and ODK's lookup
    `instance('f')/root/item[k = v]/c` as the pulldata() call it equals."""
    cleaned = _POSITION.sub("position()", text.translate(_SMART_QUOTES).replace("\u00a0", " "))
    cleaned = instance_lookups_as_pulldata(cleaned)
    if "/" not in cleaned:
        return cleaned
    parts = _QUOTED.split(cleaned)  # odd parts are quoted text, kept as written
    for index in range(0, len(parts), 2):
        parts[index] = _PATH.sub(
            lambda m: "${" + (m.group("a") or m.group("b")) + "}", parts[index]
        )
    return "".join(parts)


def parse_flag(text: str | None) -> bool | str:
    """XLSForm yes/no cells: True, False, or the text when it is an expression."""
    if text is None:
        return False
    low = text.strip().lower()
    if low in TRUE_WORDS:
        return True
    if low in FALSE_WORDS or not low:
        return False
    return text


def sanitize_name(raw: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode()
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", ascii_text.strip()).strip("_") or "_"
    return name if re.match(r"[A-Za-z_]", name) else "_" + name


def type_key(text: str) -> str:
    """pyxform spells types with '_' or spaces and in any case: one key for all of them."""
    return " ".join(text.replace("_", " ").split()).lower()


@dataclass
class TypeSpec:
    kind: str  # input, select, note, calculate, begin, end, metadata, ignored, unsupported
    qtype: str | None = None  # question type, or "group"/"repeat" for begin and end
    list_name: str | None = None
    extra: list[str] = field(default_factory=list)


_CONTROL = {"group": "group", "repeat": "repeat", "lgroup": "repeat", "looped group": "repeat"}
_BEGIN_END = re.compile(r"(begin|end) (group|repeat|lgroup|looped group|loop)(?: (.*))?")


def classify(text: str) -> TypeSpec:
    """The meaning of a survey `type` cell, with every spelling pyxform accepts."""
    key = type_key(text)
    match = _BEGIN_END.fullmatch(key)
    if match and (match.group(1) == "begin" or match.group(3) is None):
        # "begin loop over L" keeps the list name as written (its case and underscores)
        if match.group(2) == "loop" and match.group(3):
            words = text.split()
            return TypeSpec("begin", "loop", words[-1] if words[-1].lower() != "over" else None)
        control = match.group(2)
        if control == "loop":
            over = (match.group(3) or "").split()
            list_name = over[-1] if over and over[-1] != "over" else None
            return TypeSpec(match.group(1), "loop", list_name)
        return TypeSpec(match.group(1), _CONTROL[control])
    words = text.split()
    for count in range(min(len(words), 5), 0, -1):
        head = type_key(" ".join(words[:count]))
        rest = words[count:]
        if head in SELECT_PREFIXES:
            qtype = SELECT_PREFIXES[head]
            return TypeSpec("select", qtype, rest[0] if rest else None, _or_other(rest[1:]))
        if head == "select one external":
            return TypeSpec("select_external", "select_one", rest[0] if rest else None, rest[1:])
        if head in FILE_SELECTS:
            return TypeSpec("select_file", FILE_SELECTS[head], rest[0] if rest else None)
        if head in OTHER_SELECTS:
            return TypeSpec("select", OTHER_SELECTS[head], rest[0] if rest else None, rest[1:])
    if key in INPUT_TYPES:
        return TypeSpec("input", INPUT_TYPES[key])
    if key in NOTE_TYPES:
        return TypeSpec("note", "note")
    if key in CALCULATE_TYPES:
        return TypeSpec("calculate", "calculate")
    if key in METADATA_ALIASES:
        return TypeSpec("metadata", METADATA_ALIASES[key])
    if key in IGNORED_METADATA:
        return TypeSpec("ignored", IGNORED_METADATA[key])
    canonical = OTHER_TYPES.get(key)
    if canonical in ODK_TEXT_INPUTS:
        return TypeSpec("input", ODK_TEXT_INPUTS[canonical])
    if canonical in KINDS:
        return TypeSpec(KINDS[canonical], canonical)
    return TypeSpec("unsupported", canonical or text.strip())


# Kept as ODK's text forms (see screening/engine/odk_values.py).
ODK_TEXT_INPUTS = {
    "dateTime": "datetime",
    "time": "time",
    "geopoint": "geopoint",
    "geotrace": "geotrace",
    "geoshape": "geoshape",
}
# Imported differently; each has a row handler in xlsform_rows.py.
KINDS = {
    "barcode": "barcode",
    "acknowledge": "acknowledge",
    "trigger": "acknowledge",
    "range": "range",
    "hidden": "hidden",
    "image": "media",
    "audio": "media",
    "video": "media",
    "file": "media",
}


def _or_other(words: list[str]) -> list[str]:
    """pyxform's 'or specify other', 'or other' and 'or_other' all mean or_other."""
    joined = " ".join(words).lower().replace("_", " ")
    if joined in ("or other", "or specify other"):
        return ["or_other"]
    return words
