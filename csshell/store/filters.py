"""Get-CsUser ``-Filter``: a small OPATH-style filter language, parsed by recursive descent.

The binder hands a script-block filter over as its text (``DisplayName -eq "Ken Myer"``). Supported
(reference sfb-cmdlets.md §3): ``-eq -ne -like -notlike`` (and their ``-i`` forms), ``-and -or -not``
(``!`` too), parentheses, ``$True $False $Null``, quoted ('...' or "...") or bare values. Other
variables are looked up through ``resolve_variable`` when the caller gives one. Comparisons are
case-insensitive; ``X -eq $Null`` is true for a missing or empty value.

Grammar::

    or   := and ( -or and )*
    and  := not ( -and not )*
    not  := ( -not | ! ) not | '(' or ')' | Property op value
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from csshell.store.errors import FilterError
from csshell.store.wildcard import like

Predicate = Callable[[Mapping[str, Any]], bool]
_OPERATORS = {"eq": "eq", "ieq": "eq", "ne": "ne", "ine": "ne", "like": "like", "ilike": "like",
              "notlike": "notlike", "inotlike": "notlike"}
_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<lparen>\()
  | (?P<rparen>\))
  | (?P<bang>!)
  | (?P<dash>-[A-Za-z]+)
  | (?P<dq>"(?:[^"`]|""|`.)*")
  | (?P<sq>'(?:[^']|'')*')
  | (?P<var>\$[A-Za-z_][\w:]*)
  | (?P<word>[^\s()"'$!]+)
""", re.VERBOSE)
_NO_VALUE = object()


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    pos: int
    value: Any = None


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match:
            raise FilterError(f"unexpected character '{text[pos]}'", text, pos)
        kind = match.lastgroup or ""
        raw = match.group(0)
        if kind == "dq":
            tokens.append(Token("value", raw, pos, re.sub(r"`(.)", r"\1", raw[1:-1]).replace('""', '"')))
        elif kind == "sq":
            tokens.append(Token("value", raw, pos, raw[1:-1].replace("''", "'")))
        elif kind != "space":
            tokens.append(Token(kind, raw, pos))
        pos = match.end()
    return tokens


class _Parser:
    def __init__(self, text: str, properties: set[str],
                 resolve_variable: Callable[[str], Any] | None) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0
        self.properties = properties
        self.resolve_variable = resolve_variable

    def fail(self, message: str, token: Token | None = None) -> FilterError:
        pos = token.pos if token else len(self.text)
        return FilterError(message, self.text, pos)

    def peek(self) -> Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> Token:
        token = self.peek()
        if token is None:
            raise self.fail("the filter ends too early")
        self.i += 1
        return token

    def is_keyword(self, token: Token | None, *words: str) -> bool:
        return token is not None and token.kind == "dash" and token.text[1:].lower() in words

    def parse(self) -> Predicate:
        if not self.tokens:
            raise self.fail("the filter is empty")
        predicate = self.parse_or()
        if self.peek() is not None:
            raise self.fail(f"unexpected '{self.peek().text}'", self.peek())
        return predicate

    def parse_or(self) -> Predicate:
        parts = [self.parse_and()]
        while self.is_keyword(self.peek(), "or"):
            self.take()
            parts.append(self.parse_and())
        return parts[0] if len(parts) == 1 else (lambda row: any(p(row) for p in parts))

    def parse_and(self) -> Predicate:
        parts = [self.parse_not()]
        while self.is_keyword(self.peek(), "and"):
            self.take()
            parts.append(self.parse_not())
        return parts[0] if len(parts) == 1 else (lambda row: all(p(row) for p in parts))

    def parse_not(self) -> Predicate:
        token = self.peek()
        if self.is_keyword(token, "not") or (token is not None and token.kind == "bang"):
            self.take()
            inner = self.parse_not()
            return lambda row: not inner(row)
        if token is not None and token.kind == "lparen":
            self.take()
            inner = self.parse_or()
            closing = self.peek()
            if closing is None or closing.kind != "rparen":
                raise self.fail("missing ')'", closing)
            self.take()
            return inner
        return self.parse_comparison()

    def parse_comparison(self) -> Predicate:
        token = self.take()
        if token.kind != "word":
            raise self.fail(f"expected a property name but found '{token.text}'", token)
        name = token.text[2:] if token.text.lower().startswith("$_.") else token.text
        if name.lower() not in self.properties:
            raise self.fail(f"'{name}' is not a property that can be filtered on", token)
        op_token = self.take()
        op = _OPERATORS.get(op_token.text[1:].lower()) if op_token.kind == "dash" else None
        if op is None:
            raise self.fail(f"'{op_token.text}' is not a supported operator (use -eq, -ne, -like, "
                            "-notlike)", op_token)
        value = self.parse_value()
        return _comparison(name, op, value)

    def parse_value(self) -> Any:
        token = self.take()
        if token.kind == "value":
            return token.value
        if token.kind == "word":
            return token.text
        if token.kind == "var":
            return self.variable(token)
        raise self.fail(f"expected a value but found '{token.text}'", token)

    def variable(self, token: Token) -> Any:
        name = token.text[1:]
        builtin = {"true": True, "false": False, "null": None}.get(name.lower(), _NO_VALUE)
        if builtin is not _NO_VALUE:
            return builtin
        if self.resolve_variable is None:
            raise self.fail(f"the variable '{token.text}' cannot be used in this filter", token)
        return self.resolve_variable(name)


def compile_filter(text: str, properties: Iterable[str],
                   resolve_variable: Callable[[str], Any] | None = None) -> Predicate:
    """Parse ``text`` into a predicate over rows keyed by lower-case property name.

    ``properties`` are the names a filter may use; anything else is a :class:`FilterError`.
    """
    return _Parser(text, {p.lower() for p in properties}, resolve_variable).parse()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "True" if value else "False"
    return str(value)


def _equals(left: Any, right: Any) -> bool:
    if right is None or left is None:
        return _text(left) == _text(right)
    if isinstance(left, bool):
        if isinstance(right, str):
            return _text(left).lower() == right.strip().lower()
        return left == bool(right)
    return _text(left).lower() == _text(right).lower()


def _comparison(name: str, op: str, value: Any) -> Predicate:
    key = name.lower()
    if op == "eq":
        return lambda row: _equals(row.get(key), value)
    if op == "ne":
        return lambda row: not _equals(row.get(key), value)
    pattern = _text(value)
    if op == "like":
        return lambda row: like(_text(row.get(key)), pattern)
    return lambda row: not like(_text(row.get(key)), pattern)
