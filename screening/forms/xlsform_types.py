"""XLSForm survey types, yes/no cells and names, as the importer reads them."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from screening.forms.model import NAME_PATTERN

NAME_RE = re.compile(NAME_PATTERN)

INPUT_TYPES = {
    "text": "text",
    "string": "text",
    "integer": "integer",
    "int": "integer",
    "decimal": "decimal",
    "date": "date",
}
SELECT_PREFIXES = {
    "select_one": "select_one",
    "select one": "select_one",
    "select_multiple": "select_multiple",
    "select multiple": "select_multiple",
    "select all that apply": "select_multiple",
}
METADATA = frozenset({"start", "end"})
IGNORED_METADATA = frozenset(
    {
        "today",
        "deviceid",
        "subscriberid",
        "simserial",
        "phonenumber",
        "username",
        "email",
        "audit",
        "imei",
        "start-geopoint",
        "background-audio",
        "background-geopoint",
    }
)
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
    }
)
TRUE_WORDS = frozenset({"yes", "true", "true()", "y", "1"})
FALSE_WORDS = frozenset({"no", "false", "false()", "n", "0"})


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


@dataclass
class TypeSpec:
    kind: str  # input, select, note, calculate, begin, end, metadata, ignored, unsupported
    qtype: str | None = None  # question type, or "group"/"repeat" for begin and end
    list_name: str | None = None
    extra: list[str] = field(default_factory=list)


def classify(text: str) -> TypeSpec:
    words = text.split()
    joined = " ".join(words).lower()
    match = re.fullmatch(r"(begin|end)[ _](group|repeat)", joined)
    if match:
        return TypeSpec(match.group(1), match.group(2))
    for prefix, qtype in SELECT_PREFIXES.items():
        if joined == prefix or joined.startswith(prefix + " "):
            rest = words[len(prefix.split()) :]
            return TypeSpec("select", qtype, rest[0] if rest else None, rest[1:])
    if joined in INPUT_TYPES:
        return TypeSpec("input", INPUT_TYPES[joined])
    if joined in ("note", "calculate"):
        return TypeSpec(joined, joined)
    if joined in METADATA:
        return TypeSpec("metadata", joined)
    if joined in IGNORED_METADATA:
        return TypeSpec("ignored", joined)
    return TypeSpec("unsupported", joined)
