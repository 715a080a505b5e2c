"""Precedence-climbing parser from tokens to the syntax tree."""

from __future__ import annotations

from screening.expressions.errors import ExpressionSyntaxError, one_line, shorten
from screening.expressions.nodes import (
    BINARY_PRECEDENCE,
    Binary,
    Call,
    Current,
    Negate,
    Node,
    Number,
    Ref,
    String,
)
from screening.expressions.tokenizer import (
    COMMA,
    DOT,
    END,
    KEYWORDS,
    LPAREN,
    NAME,
    NUMBER,
    OP,
    REF,
    RPAREN,
    STRING,
    Token,
    tokenize,
)

# Both limits keep every later tree walk (printer, checker, closures) far from Python's recursion
# limit: nesting bounds the parser's own recursion, depth bounds the tree it builds.
MAX_NESTING = 40  # parentheses, function calls and unary minus inside each other
MAX_DEPTH = 250  # nodes on the longest path from the root, e.g. a chain of 250 'or's


def parse(text: str) -> Node:
    """Parse ``text`` into a syntax tree, or raise ExpressionSyntaxError naming the position."""
    return _Parser(text).parse()


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = tokenize(text)
        self.index = 0
        self.nesting = 0

    @property
    def peek(self) -> Token:
        return self.tokens[self.index]

    def advance(self) -> Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def parse(self) -> Node:
        if self.peek.kind == END:
            raise ExpressionSyntaxError("the expression is empty", 0)
        node, _ = self.expression(0)
        if self.peek.kind != END:
            raise _unexpected(self.peek, operand_expected=False)
        return node

    def expression(self, min_precedence: int) -> tuple[Node, int]:
        left, depth = self.unary()
        while True:
            token = self.peek
            if token.kind != OP or token.text not in BINARY_PRECEDENCE:
                return left, depth
            precedence = BINARY_PRECEDENCE[token.text]
            if precedence < min_precedence:
                return left, depth
            self.advance()
            # precedence + 1 on the right makes operators of equal precedence left-associative.
            right, right_depth = self.expression(precedence + 1)
            left = Binary(token.text, left, right)  # type: ignore[arg-type]
            depth = max(depth, right_depth) + 1
            _check_depth(depth, token)

    def unary(self) -> tuple[Node, int]:
        token = self.peek
        if token.kind == OP and token.text == "-":
            self.advance()
            self.enter(token)
            operand, depth = self.unary()
            self.nesting -= 1
            _check_depth(depth + 1, token)
            return Negate(operand), depth + 1
        return self.primary()

    def primary(self) -> tuple[Node, int]:
        token = self.advance()
        kind = token.kind
        if kind == NUMBER:
            return Number(token.value), 1  # type: ignore[arg-type]
        if kind == STRING:
            return String(token.value), 1  # type: ignore[arg-type]
        if kind == REF:
            return Ref(token.value), 1  # type: ignore[arg-type]
        if kind == DOT:
            return Current(), 1
        if kind == LPAREN:
            self.enter(token)
            node, depth = self.expression(0)
            self.close(token)
            self.nesting -= 1
            return node, depth
        if kind == NAME and self.peek.kind == LPAREN:
            return self.call(token)
        raise _unexpected(token, operand_expected=True)

    def call(self, name: Token) -> tuple[Node, int]:
        opening = self.advance()
        self.enter(opening)
        args: list[Node] = []
        depth = 0
        if self.peek.kind == RPAREN:
            self.advance()
        else:
            while True:
                arg, arg_depth = self.expression(0)
                args.append(arg)
                depth = max(depth, arg_depth)
                if self.peek.kind == COMMA:
                    self.advance()
                    continue
                self.close(opening)
                break
        self.nesting -= 1
        _check_depth(depth + 1, name)
        return Call(name.text, tuple(args)), depth + 1

    def enter(self, token: Token) -> None:
        self.nesting += 1
        if self.nesting > MAX_NESTING:
            raise ExpressionSyntaxError(
                f"the expression is nested too deeply at position {token.pos}", token.pos
            )

    def close(self, opening: Token) -> None:
        token = self.advance()
        if token.kind == RPAREN:
            return
        if token.kind == END:
            raise ExpressionSyntaxError(f"unclosed '(' at position {opening.pos}", opening.pos)
        raise _unexpected(token, operand_expected=False)


def _check_depth(depth: int, token: Token) -> None:
    if depth > MAX_DEPTH:
        raise ExpressionSyntaxError(
            f"the expression is nested too deeply at position {token.pos}", token.pos
        )


def _unexpected(token: Token, *, operand_expected: bool) -> ExpressionSyntaxError:
    where = f"at position {token.pos}"
    kind = token.kind
    text = shorten(token.text)
    if kind == END:
        return ExpressionSyntaxError(f"unexpected end of expression {where}", token.pos)
    if kind == STRING:
        shown = token.text if len(token.text) <= 30 else token.text[:26] + "..." + token.text[0]
        shown = one_line(shown)
        return ExpressionSyntaxError(f"unexpected string {shown} {where}", token.pos)
    if kind == NUMBER:
        return ExpressionSyntaxError(f"unexpected number {text} {where}", token.pos)
    if kind == REF:
        return ExpressionSyntaxError(f"unexpected {text} {where}", token.pos)
    if kind == NAME and operand_expected and token.text not in KEYWORDS:
        return ExpressionSyntaxError(
            f"unexpected name '{text}' {where} "
            f"(question names are written ${{{text}}}, functions as {text}(...))",
            token.pos,
        )
    return ExpressionSyntaxError(f"unexpected '{text}' {where}", token.pos)
