"""Languages of an imported XLSForm: `label::Français (fr)` columns → codes and names, and
translated texts completed so that every text has every language of the form."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from screening.forms.model import LANGUAGE_PATTERN
from screening.forms.xlsform_sheets import (
    ASSUMED,
    FILLED,
    INVALID,
    Column,
    ProblemLog,
    Sheet,
    quote,
)

TRANSLATABLE = ("label", "hint", "constraint_message", "required_message")

# The language's own name for itself, by code (used when a column gives only a code).
NATIVE_NAMES = {
    "am": "አማርኛ", "ar": "العربية", "bg": "Български", "bn": "বাংলা", "bs": "Bosanski",
    "cnr": "Crnogorski", "cs": "Čeština", "de": "Deutsch", "el": "Ελληνικά", "en": "English",
    "es": "Español", "fa": "فارسی", "ff": "Fulfulde", "fr": "Français", "ha": "Hausa",
    "he": "עברית", "hi": "हिन्दी", "hr": "Hrvatski", "hu": "Magyar", "hy": "Հայերեն",
    "id": "Bahasa Indonesia", "it": "Italiano", "ja": "日本語", "ka": "ქართული", "km": "ខ្មែរ",
    "ko": "한국어", "ku": "Kurdî", "ln": "Lingála", "mk": "Македонски", "my": "မြန်မာ",
    "ne": "नेपाली", "nl": "Nederlands", "om": "Afaan Oromoo", "pl": "Polski", "prs": "دری",
    "ps": "پښتو", "pt": "Português", "ro": "Română", "ru": "Русский", "sk": "Slovenčina",
    "so": "Soomaali", "sq": "Shqip", "sr": "Српски", "sw": "Kiswahili", "ta": "தமிழ்",
    "th": "ไทย", "ti": "ትግርኛ", "tl": "Tagalog", "tr": "Türkçe", "uk": "Українська",
    "ur": "اردو", "vi": "Tiếng Việt", "wo": "Wolof", "zh": "中文",
}  # fmt: skip

# Common language names (English and own names, lower case, accents removed) → code.
NAME_CODES = {
    "amharic": "am", "arabic": "ar", "bangla": "bn", "bengali": "bn", "bosnian": "bs",
    "bulgarian": "bg", "burmese": "my", "chinese": "zh", "croatian": "hr", "czech": "cs",
    "dari": "prs", "deutsch": "de", "dutch": "nl", "english": "en", "espanol": "es",
    "farsi": "fa", "francais": "fr", "french": "fr", "fula": "ff", "fulfulde": "ff",
    "georgian": "ka", "german": "de", "greek": "el", "hausa": "ha", "hebrew": "he",
    "hindi": "hi", "hungarian": "hu", "indonesian": "id", "italian": "it", "italiano": "it",
    "japanese": "ja", "khmer": "km", "kiswahili": "sw", "korean": "ko", "kurdish": "ku",
    "lingala": "ln", "macedonian": "mk", "montenegrin": "cnr", "nepali": "ne",
    "oromo": "om", "pashto": "ps", "persian": "fa", "polish": "pl", "portugues": "pt",
    "portuguese": "pt", "romanian": "ro", "russian": "ru", "serbian": "sr", "slovak": "sk",
    "somali": "so", "spanish": "es", "swahili": "sw", "tagalog": "tl", "filipino": "tl",
    "tamil": "ta", "thai": "th", "tigrinya": "ti", "turkish": "tr", "ukrainian": "uk",
    "urdu": "ur", "vietnamese": "vi", "wolof": "wo", "albanian": "sq", "armenian": "hy",
    "العربية": "ar", "عربي": "ar", "فارسی": "fa", "اردو": "ur", "پښتو": "ps", "دری": "prs",
    "русский": "ru", "українська": "uk", "ትግርኛ": "ti", "አማርኛ": "am", "中文": "zh",
}  # fmt: skip

RTL = frozenset(
    {"ar", "arc", "ckb", "dv", "fa", "he", "ku-arab", "prs", "ps", "sd", "ug", "ur", "yi"}
)


@dataclass(frozen=True)
class LanguageInfo:
    code: str
    name: str
    guessed: bool = False  # the code is neither given nor a known name: a private-use code

    @property
    def direction(self) -> str:
        first = self.code.split("-")[0]
        return "rtl" if self.code.lower() in RTL or first in RTL else "ltr"

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


def _as_code(text: str) -> str | None:
    parts = text.strip().replace("_", "-").split("-")
    code = "-".join([parts[0].lower(), *parts[1:]])
    return code if re.match(LANGUAGE_PATTERN, code) else None


def _plain(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(ch for ch in folded if not unicodedata.combining(ch))


def parse_language(label: str) -> LanguageInfo:
    """'English (en)' → en/English; 'fr' → fr/Français; 'French' → fr/French."""
    match = re.match(r"^(.*?)\s*\(([^()]*)\)\s*$", label)
    if match:
        name, given = match.group(1).strip(), match.group(2)
        code = _as_code(given)
        if code:
            return LanguageInfo(code, name or NATIVE_NAMES.get(code, code))
        label = name or given
    stripped = label.strip()
    if len(stripped) <= 3 or re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})+", stripped):
        code = _as_code(stripped)
        if code:
            return LanguageInfo(code, NATIVE_NAMES.get(code.split("-")[0], stripped))
    known = NAME_CODES.get(_plain(stripped)) or NAME_CODES.get(stripped.lower())
    if known:
        return LanguageInfo(known, stripped)
    slug = re.sub(r"[^a-z0-9]+", "", _plain(stripped))[:6]
    if len(slug) < 2:
        slug = (slug + "xx")[:2]
    return LanguageInfo(f"qaa-{slug}", stripped or "unknown", guessed=True)


class Languages:
    """The form's languages, in order, the default first; and column labels → codes."""

    def __init__(self) -> None:
        self.infos: dict[str, LanguageInfo] = {}
        self.codes: dict[str, str] = {}  # column language label → code
        self.default = ""

    def register(self, label: str) -> LanguageInfo:
        if label in self.codes:
            return self.infos[self.codes[label]]
        info = parse_language(label)
        code = info.code
        if info.guessed and code in self.infos and self.infos[code].name != info.name:
            stem, n = code, 2
            while f"{stem}{n}" in self.infos:
                n += 1
            code = f"{stem}{n}"
            info = LanguageInfo(code, info.name, guessed=True)
        self.infos.setdefault(code, info)
        self.codes[label] = code
        return self.infos[code]

    @property
    def order(self) -> list[str]:
        return [self.default, *(c for c in self.infos if c != self.default)]

    def everywhere(self, text: str) -> dict[str, str]:
        return {code: text for code in self.order}

    def model(self) -> list[dict[str, str]]:
        return [
            {"code": c, "name": self.infos[c].name, "direction": self.infos[c].direction}
            for c in self.order
        ]


def resolve_languages(
    sheets: list[Sheet], default_setting: str | None, log: ProblemLog
) -> Languages:
    """Languages from the translated columns that hold text; the default from settings."""
    languages = Languages()
    plain_columns: dict[str, list[str]] = {}  # base → headers of its columns without language
    translated: set[str] = set()
    for sheet in sheets:
        for column in sheet.columns:
            if column.base not in TRANSLATABLE or not sheet.has_content(column):
                continue
            if column.language is None:
                plain_columns.setdefault(column.base, []).append(column.header)
                continue
            translated.add(column.base)
            before = set(languages.infos)
            info = languages.register(column.language)
            if info.guessed and info.code not in before:
                log.add(
                    sheet.title,
                    None,
                    column.header,
                    f"language {column.language!r} has no known code; using {info.code!r}"
                    " (write it as 'Name (code)' to choose one)",
                    ASSUMED,
                )
    found = list(languages.infos)
    plain_headers = ", ".join(sorted({h for hs in plain_columns.values() for h in hs}))
    both = sorted(plain_columns.keys() & translated)
    if default_setting:
        info = parse_language(default_setting)
        if info.code in languages.infos or plain_columns or not found:
            languages.infos.setdefault(info.code, info)
            languages.default = info.code
        else:
            languages.default = found[0]
            log.add(
                "settings",
                None,
                "default_language",
                f"default_language {default_setting!r} has no text in the form;"
                f" using {languages.infos[found[0]]} instead",
                INVALID,
            )
    elif found and both:
        # As in ODK: the columns without a language are a language of their own, the default.
        languages.infos = {"und": LanguageInfo("und", "Default"), **languages.infos}
        languages.default = "und"
        log.add(
            "settings",
            None,
            "default_language",
            f"no default_language, and {', '.join(both)} has texts both with and without a"
            f" language: the columns without one ({plain_headers}) are taken as an unnamed"
            " language 'und' (set default_language, e.g. 'English (en)', to name it)",
            ASSUMED,
        )
    elif found:
        languages.default = found[0]
        if plain_columns:
            log.add(
                "settings",
                None,
                "default_language",
                f"no default_language: the columns without a language ({plain_headers})"
                f" are taken as {languages.infos[found[0]]}",
                ASSUMED,
            )
    else:
        languages.infos["en"] = LanguageInfo("en", "English")
        languages.default = "en"
        log.add(
            "settings",
            None,
            "default_language",
            "no language is named (no default_language, no label::Language columns);"
            " the texts are taken as English (en)",
            ASSUMED,
        )
    return languages


class Texts:
    """Collects the translated texts of every cell; `finalize` fills the missing languages."""

    def __init__(self, languages: Languages, log: ProblemLog) -> None:
        self.languages = languages
        self.log = log
        self._pending: list[tuple[str, int, str, dict[str, str], dict[str, str]]] = []

    def collect(self, sheet: str, row: int, base: str, found: dict) -> dict[str, str] | None:
        """`found` is Row.texts(base). Returns a dict that `finalize` completes in place."""
        texts: dict[str, str] = {}
        headers: dict[str, str] = {}
        plain = found.pop(None, None)
        for label, (column, text) in found.items():
            code = self.languages.codes.get(label) or self.languages.register(label).code
            if code not in texts:
                texts[code] = text
                headers[code] = column.header
        if plain is not None:
            column, text = plain
            default = self.languages.default  # the columns without a language are in it
            if default not in texts:
                texts[default] = text
                headers[default] = column.header
            elif texts[default] != text:
                self.log.add(
                    sheet,
                    row,
                    column.header,
                    f"differs from {headers[default]!r}, which is used; {quote(text)} ignored",
                    INVALID,
                )
        if not texts:
            return None
        self._pending.append((sheet, row, base, texts, headers))
        return texts

    def finalize(self, sheets: dict[str, Sheet]) -> None:
        missing: dict[tuple[str, str, str], list[int]] = defaultdict(list)
        sources: dict[tuple[str, str, str], set[str]] = defaultdict(set)
        order = self.languages.order
        for sheet, row, base, texts, _headers in self._pending:
            source = self.languages.default if self.languages.default in texts else None
            source = source or next(code for code in order if code in texts)
            for code in order:
                if code not in texts:
                    texts[code] = texts[source]
                    missing[(sheet, base, code)].append(row)
                    sources[(sheet, base, code)].add(source)
        for (sheet, base, code), rows in missing.items():
            info = self.languages.infos[code]
            used = sources[(sheet, base, code)]
            origin = (
                str(self.languages.infos[next(iter(used))])
                if len(used) == 1
                else "another language of the row"
            )
            self.log.add_rows(
                sheet,
                rows,
                _header(sheets.get(sheet.lower()), base, code, self.languages),
                f"no {info} text; filled from {origin}",
                FILLED,
            )


def _header(sheet: Sheet | None, base: str, code: str, languages: Languages) -> str:
    columns: list[Column] = sheet.columns_for(base) if sheet else []
    for column in columns:
        if column.language is not None and languages.codes.get(column.language) == code:
            return column.header
    return f"{base}::{languages.infos[code]}"
