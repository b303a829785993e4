"""``-k EXPR``: choosing scenarios by name, with pytest's expression language.

An expression is words joined by ``and``, ``or``, ``not`` and parentheses (``not`` binds
tightest, then ``and``, then ``or``, as in pytest). A word matches a scenario when it is a
substring, in any letter case, of one of the scenario's names (its path as shown, its file
name, its description). ``sales and not busy`` runs the sales scenarios except the busy one.

The expression is read by a small recursive-descent parser into a tree of closures; nothing is
ever passed to ``eval``. An empty expression matches everything.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

#: What a word may be made of (pytest's identifier characters).
_TOKEN = re.compile(r"[()]|[\w:+\-.\[\]\\/{}@#*$%&=,']+")
_SPACE = re.compile(r"\s*")
_KEYWORDS = ("and", "or", "not")
#: Parentheses deeper than this are refused (the parser recurses once per level).
MAX_DEPTH = 100

Matcher = Callable[[Sequence[str]], bool]


class KeywordError(ValueError):
    """A ``-k`` expression that cannot be read; the message says where and what was expected."""


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[tuple[str, int]] = []
        position = _SPACE.match(text, 0).end()  # type: ignore[union-attr]
        while position < len(text):
            match = _TOKEN.match(text, position)
            if match is None:
                raise KeywordError(
                    f"unexpected character {text[position]!r} at column {position + 1}"
                    f" of {text!r}"
                )
            self.tokens.append((match.group(), position))
            position = _SPACE.match(text, match.end()).end()  # type: ignore[union-attr]
        self.index = 0

    def peek(self) -> str | None:
        return self.tokens[self.index][0] if self.index < len(self.tokens) else None

    def fail(self, wanted: str) -> KeywordError:
        if self.index >= len(self.tokens):
            return KeywordError(f"expected {wanted} at the end of {self.text!r}")
        token, start = self.tokens[self.index]
        return KeywordError(
            f"expected {wanted} at column {start + 1} of {self.text!r}, found {token!r}"
        )

    def take(self, token: str) -> bool:
        if self.peek() == token:
            self.index += 1
            return True
        return False

    def expression(self, depth: int) -> Matcher:
        parts = [self.conjunction(depth)]
        while self.take("or"):
            parts.append(self.conjunction(depth))
        return parts[0] if len(parts) == 1 else _any(parts)

    def conjunction(self, depth: int) -> Matcher:
        parts = [self.negation(depth)]
        while self.take("and"):
            parts.append(self.negation(depth))
        return parts[0] if len(parts) == 1 else _all(parts)

    def negation(self, depth: int) -> Matcher:
        negations = 0
        while self.take("not"):
            negations += 1
        inner = self.atom(depth)
        return _negated(inner) if negations % 2 else inner

    def atom(self, depth: int) -> Matcher:
        token = self.peek()
        if token == "(":
            if depth >= MAX_DEPTH:
                raise KeywordError(f"parentheses nested deeper than {MAX_DEPTH} in {self.text!r}")
            self.index += 1
            inner = self.expression(depth + 1)
            if not self.take(")"):
                raise self.fail("')'")
            return inner
        if token is None or token == ")" or token in _KEYWORDS:
            raise self.fail("a word or '('")
        self.index += 1
        return _word(token)


def _word(token: str) -> Matcher:
    wanted = token.lower()
    return lambda names: any(wanted in name.lower() for name in names)


def _any(parts: list[Matcher]) -> Matcher:
    # A flat list, not a chain of pairs: a long expression costs no stack when it is matched.
    return lambda names: any(part(names) for part in parts)


def _all(parts: list[Matcher]) -> Matcher:
    return lambda names: all(part(names) for part in parts)


def _negated(inner: Matcher) -> Matcher:
    return lambda names: not inner(names)


def compile_keyword(text: str) -> Matcher:
    """A matcher for ``-k TEXT``: called with a scenario's names, says whether it is chosen.

    >>> chosen = compile_keyword("sales and not busy")
    >>> chosen(["examples/scenarios/ivr-menu-sales.toml"]), chosen(["ivr-menu-sales-busy.toml"])
    (True, False)
    """
    parser = _Parser(text)
    if not parser.tokens:
        return lambda names: True
    matcher = parser.expression(0)
    if parser.index != len(parser.tokens):
        raise parser.fail("'and', 'or' or the end")
    return matcher


__all__ = ["MAX_DEPTH", "KeywordError", "Matcher", "compile_keyword"]
