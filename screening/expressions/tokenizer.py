"""Hand-written tokenizer for XLSForm expressions.

``and``, ``or``, ``div`` and ``mod`` are operators only where an operator can stand (after an
operand), as XPath 1.0 says; elsewhere a name is a function name. Function names may contain
'-' and '.', so ``count-selected`` is one token.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from screening.expressions.errors import ExpressionSyntaxError

NUMBER = "number"
STRING = "string"
REF = "ref"
DOT = "dot"
NAME = "name"
OP = "op"
LPAREN = "("
RPAREN = ")"
COMMA = ","
END = "end"

KEYWORDS = frozenset({"and", "or", "div", "mod"})
NAME_PATTERN = r"[A-Za-z_][A-Za-z0-9_.\-]*"

_NAME_RE = re.compile(NAME_PATTERN)
# Function names may carry a namespace: jr:choice-name.
FUNCTION_NAME_PATTERN = rf"{NAME_PATTERN}(?::{NAME_PATTERN})?"
_FUNCTION_NAME_RE = re.compile(FUNCTION_NAME_PATTERN)
_NUMBER_RE = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+")
# After an operand, 'div-1' is 'div' then '-1': the keyword ends where a plain word would.
_KEYWORD_RE = re.compile(r"(?:and|or|div|mod)(?![A-Za-z0-9_])")
_TWO_CHAR_OPS = frozenset({"!=", "<=", ">="})
_ONE_CHAR_OPS = frozenset("=<>+-*")
_OPERAND_END = frozenset({NUMBER, STRING, REF, DOT, RPAREN})
_DIGITS = frozenset("0123456789")

# Things people type from other languages or from word processors, with what to write instead.
_TWO_CHAR_HINTS = {
    "==": "use a single '='",
    "<>": "use '!='",
    "&&": "use 'and'",
    "||": "use 'or'",
}
_CHAR_HINTS = {
    "!": "use '!=' or not()",
    "&": "use 'and'",
    "|": "use 'or'",
    "/": "use 'div' to divide; paths like /data/x are not supported, use ${name}",
    "[": "predicates are not supported",
    "@": "attributes are not supported",
    "‘": "use straight quotes ' or \"",
    "’": "use straight quotes ' or \"",
    "“": "use straight quotes ' or \"",
    "”": "use straight quotes ' or \"",
}


@dataclass(frozen=True, slots=True)
class Token:
    kind: str
    text: str  # exactly as in the source, for messages
    pos: int
    value: object = None  # float for numbers; the content for strings, refs, names and operators


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens, ending with an END token at ``len(text)``."""
    tokens: list[Token] = []
    i = 0
    length = len(text)
    while i < length:
        char = text[i]
        if char.isspace():
            i += 1
            continue
        after_operand = bool(tokens) and tokens[-1].kind in _OPERAND_END
        token = _next_token(text, i, after_operand)
        tokens.append(token)
        i += len(token.text)
    tokens.append(Token(END, "", length))
    return tokens


def _next_token(text: str, i: int, after_operand: bool) -> Token:
    char = text[i]
    if char == "$":
        return _reference(text, i)
    if char in "'\"":
        end = text.find(char, i + 1)
        if end < 0:
            raise ExpressionSyntaxError(f"unclosed string starting at position {i}", i)
        return Token(STRING, text[i : end + 1], i, text[i + 1 : end])
    if char in _DIGITS or (char == "." and text[i + 1 : i + 2] in _DIGITS):
        match = _NUMBER_RE.match(text, i)
        assert match is not None  # the first character is a digit or '.digit'
        return Token(NUMBER, match[0], i, float(match[0]))
    if char == ".":
        return Token(DOT, ".", i)
    if after_operand:
        keyword = _KEYWORD_RE.match(text, i)
        if keyword is not None:
            return Token(OP, keyword[0], i, keyword[0])
    name = _FUNCTION_NAME_RE.match(text, i)
    if name is not None:
        return Token(NAME, name[0], i, name[0])
    pair = text[i : i + 2]
    if pair in _TWO_CHAR_OPS:
        return Token(OP, pair, i, pair)
    if pair in _TWO_CHAR_HINTS:
        raise ExpressionSyntaxError(
            f"unexpected '{pair}' at position {i} ({_TWO_CHAR_HINTS[pair]})", i
        )
    if char in _ONE_CHAR_OPS:
        return Token(OP, char, i, char)
    if char == "(":
        return Token(LPAREN, char, i)
    if char == ")":
        return Token(RPAREN, char, i)
    if char == ",":
        return Token(COMMA, char, i)
    hint = _CHAR_HINTS.get(char)
    suffix = f" ({hint})" if hint else ""
    raise ExpressionSyntaxError(f"unexpected character {char!r} at position {i}{suffix}", i)


def _reference(text: str, i: int) -> Token:
    if text[i + 1 : i + 2] != "{":
        raise ExpressionSyntaxError(
            f"unexpected character '$' at position {i} (question names are written ${{name}})", i
        )
    name = _NAME_RE.match(text, i + 2)
    if name is None:
        if text[i + 2 : i + 3] == "}":
            raise ExpressionSyntaxError(f"missing question name in '${{}}' at position {i}", i)
        raise ExpressionSyntaxError(f"expected a question name after '${{' at position {i}", i)
    end = name.end()
    if text[end : end + 1] != "}":
        raise ExpressionSyntaxError(f"missing '}}' after '${{{name[0]}' at position {i}", i)
    return Token(REF, text[i : end + 1], i, name[0])
