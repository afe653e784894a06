"""The hottest constructs of a script as single elements: trailed heads, member access, pipelines, assignments.

Written with pyparsing's combinators these were ``Build(a + ZeroOrMore(b))`` shapes costing four or
five element calls (and packrat lookups) per step, most of them failing: every value tried four
kinds of postfix operation, every statement tried ``=`` and ``|``. Each element here is the same
rule as one loop that looks at the next character before calling anything. Tokens and extents are
exactly those the combinator version produced, and the same builders make the nodes.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pyparsing as pp

from csshell.language import tokens as T
from csshell.language.dispatch import _NO_MATCH, _Element, skip_newline_tokens
from csshell.language.elements import missing_after


def _built(build: Callable[..., Any], start: int, end: int, items: list) -> tuple[int, list]:
    node = build(T.extent(start, end), items)
    return end, ([] if node is None else [node])


class Trailed(_Element):
    """``Build(head + ZeroOrMore(trailer), build)`` as one loop.

    A value and its glued postfix operations (``$u.Sip.ToUpper()``, ``$a[0]``, ``$i++``), a command
    name and its arguments, an expression and its redirections.
    """

    _parse = pp.ParserElement._parseNoCache   # always reached through a memoized rule

    def __init__(self, head: pp.ParserElement, trailer: pp.ParserElement, build: Callable, name: str) -> None:
        super().__init__(name)
        self.head, self.trailer, self.build = head, trailer, build

    def parseImpl(self, instring, loc, do_actions=True):  # noqa: N802 (pyparsing API)
        start = T.skip_trivia(instring, loc)
        end, toks = self.head._parse(instring, loc, do_actions)
        items = toks.as_list()
        trailer = self.trailer
        while True:
            try:
                end, toks = trailer._parse(instring, end, do_actions)
            except _NO_MATCH:
                break
            items.extend(toks.as_list())
        return _built(self.build, start, end, items) if do_actions else (end, [])


class MemberOperation(_Element):
    """``.Name``, ``.Method(args)``, ``::Name``, ``::Method(args)`` glued to a value.

    Tokens are one list: ``[kind, name, end]`` or ``[kind + "()", name, arguments, end]`` (the end
    offset makes the extent of the member expression). A name must follow the operator
    (``MissingPropertyName``); an argument list is taken when ``(`` follows the name with no space.
    """

    _parse = pp.ParserElement._parseNoCache

    def __init__(self, kind: str, member_name: pp.ParserElement, arguments: pp.ParserElement) -> None:
        super().__init__(f"'{kind}'")
        self.kind = kind
        self._operator = re.compile(r"\.(?!\.)" if kind == "." else "::")
        self.member_name, self.arguments = member_name, arguments

    def parseImpl(self, instring, loc, do_actions=True):  # noqa: N802 (pyparsing API)
        m = self._operator.match(instring, loc)
        if not m:
            raise pp.ParseException(instring, loc, self.errmsg, self)
        try:
            end, name = self.member_name._parse(instring, m.end(), do_actions)
        except pp.ParseFatalException:
            raise
        except pp.ParseException:
            raise missing_after(instring, m.end(), "MissingPropertyName") from None
        arguments = None
        if instring.startswith("(", end):
            try:
                end, arguments = self.arguments._parse(instring, end, do_actions)
            except _NO_MATCH:
                arguments = None
        if not do_actions:
            return end, []
        if arguments is None:
            return end, [[self.kind, name[0], end]]
        return end, [[self.kind + "()", name[0], arguments.as_list()[0], end]]


class Pipeline(_Element):
    """``first (| element)*``; newlines may follow a ``|``; ``element`` reports a missing element itself."""

    _parse = pp.ParserElement._parseNoCache   # always reached through a memoized Forward

    _PIPE = T.PIPE.re

    def __init__(self, first: pp.ParserElement, element: pp.ParserElement, build: Callable) -> None:
        super().__init__("pipeline")
        self.first, self.element, self.build = first, element, build

    def parseImpl(self, instring, loc, do_actions=True):  # noqa: N802 (pyparsing API)
        start = T.skip_trivia(instring, loc)
        end, toks = self.first._parse(instring, loc, do_actions)
        items = toks.as_list()
        while True:
            bar = T.skip_trivia(instring, end)
            if not self._PIPE.match(instring, bar):
                break
            end, toks = self.element._parse(instring, skip_newline_tokens(instring, bar + 1), do_actions)
            items.extend(toks.as_list())
        return _built(self.build, start, end, items) if do_actions else (end, [])


class Assignment(_Element):
    """``target op value`` where ``op`` is ``=``, ``+=``, ``-=``, ... and newlines may follow it.

    Fails (so a pipeline is tried) when no assignment operator follows the target; ``value`` reports a
    missing value itself.
    """

    _parse = pp.ParserElement._parseNoCache   # always reached through a memoized Forward

    _OPERATOR = T.ASSIGN_OP.re

    def __init__(self, target: pp.ParserElement, value: pp.ParserElement, build: Callable) -> None:
        super().__init__("assignment")
        self.target, self.value, self.build = target, value, build

    def parseImpl(self, instring, loc, do_actions=True):  # noqa: N802 (pyparsing API)
        start = T.skip_trivia(instring, loc)
        end, toks = self.target._parse(instring, loc, do_actions)
        at = T.skip_trivia(instring, end)
        m = self._OPERATOR.match(instring, at)
        if not m:
            raise pp.ParseException(instring, at, self.errmsg, self)
        end, value = self.value._parse(instring, skip_newline_tokens(instring, m.end()), do_actions)
        if not do_actions:
            return end, []
        return _built(self.build, start, end, toks.as_list() + [m.group(0)] + value.as_list())
