"""Choosing an alternative by its first character or keyword, and PowerShell's statement list, fast.

A pyparsing ``MatchFirst`` tries every alternative in turn; in this grammar each try costs a packrat
lookup and a few element calls even when the alternative could never start with the character at
hand (a ``'string'`` is tried before a ``$variable`` on every variable). The elements here keep
``MatchFirst``'s meaning (first alternative that matches wins, a fatal error stops everything) but
only try the alternatives whose first character fits: :class:`FirstChar` by character after trivia
(or glued, with no trivia), :class:`KeywordFirst` by the statement keyword. :class:`StatementList`
is ``[terms] [statement (terms statement)*] [terms]`` as one loop.
"""
from __future__ import annotations

import re
from typing import Sequence

import pyparsing as pp

from csshell.language import tokens as T

_NO_MATCH = (pp.ParseException, IndexError)   # what pyparsing's MatchFirst / ZeroOrMore / Opt backtrack on


class _Element(pp.ParserElement):
    """A hand-written combinator: skips nothing itself (its parts skip PowerShell trivia)."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.mayReturnEmpty = False
        self.mayIndexError = False
        self.set_name(name)

    def _generateDefaultName(self) -> str:  # noqa: N802 (pyparsing API)
        return type(self).__name__

    def preParse(self, instring: str, loc: int) -> int:  # noqa: N802 (pyparsing API)
        return loc


class FirstChar(_Element):
    """``a | b | c`` trying only the alternatives whose first-character class matches the next character.

    ``alternatives`` are ``(element, first)`` pairs in ``MatchFirst`` order; ``first`` is a regex for one
    character. The next character is read after trivia, or right at ``loc`` when ``glued`` (``.Name``
    after a value). An alternative's ``first`` must admit every character it can start with.
    """

    def __init__(self, alternatives: Sequence[tuple[pp.ParserElement, str]], name: str, glued: bool = False) -> None:
        super().__init__(name)
        self.alternatives = [(element, re.compile(first)) for element, first in alternatives]
        self.glued = glued
        self._by_char: dict[str, tuple[pp.ParserElement, ...]] = {}

    def candidates(self, char: str) -> tuple[pp.ParserElement, ...]:
        """The alternatives that may start with ``char`` ("" at the end of the text: none)."""
        found = self._by_char.get(char)
        if found is None:
            found = tuple(element for element, first in self.alternatives if char and first.match(char))
            self._by_char[char] = found
        return found

    def parseImpl(self, instring, loc, do_actions=True):  # noqa: N802 (pyparsing API)
        here = loc if self.glued else T.skip_trivia(instring, loc)
        for element in self.candidates(instring[here:here + 1]):
            try:
                return element._parse(instring, loc, do_actions)
            except _NO_MATCH:
                continue
        raise pp.ParseException(instring, here, self.errmsg, self)


class KeywordFirst(_Element):
    """``if_statement | foreach_statement | ... | fallback``, choosing the statement by its keyword.

    ``keywords`` maps each keyword to its statement (in the order ``MatchFirst`` would try them); the
    keyword must not be followed by a name character or a dash (``foreach`` is not ``ForEach-Object``).
    When no keyword starts the text, or its statement fails without a fatal error, ``fallback`` is
    tried, as ``MatchFirst`` would after every keyword statement failed.
    """

    def __init__(self, keywords: Sequence[tuple[str, pp.ParserElement]], fallback: pp.ParserElement,
                 name: str) -> None:
        super().__init__(name)
        self.statements = [element for _, element in keywords]
        groups = "|".join(f"(?P<k{i}>{re.escape(word)})" for i, (word, _) in enumerate(keywords))
        self._keyword = re.compile(rf"(?i)(?:{groups})(?![\w\-{T.DASHES[1:]}])")
        self.fallback = fallback

    def parseImpl(self, instring, loc, do_actions=True):  # noqa: N802 (pyparsing API)
        m = self._keyword.match(instring, T.skip_trivia(instring, loc))
        if m:
            statement = self.statements[int(m.lastgroup[1:])]
            try:
                return statement._parse(instring, loc, do_actions)
            except _NO_MATCH:
                pass
        return self.fallback._parse(instring, loc, do_actions)


def skip_terms(s: str, loc: int) -> int:
    """Skip statement terminators (newlines and ``;`` with trivia between); ``loc`` itself when there are none.

    The offset after the last terminator is returned, not after the trivia that follows it: extents of
    script blocks end there, as with pyparsing's ``OneOrMore(NL | SEMI)``.
    """
    while True:
        here = T.skip_trivia(s, loc)
        if here >= len(s):
            return loc
        c = s[here]
        if c == "\r":
            loc = here + (2 if s.startswith("\n", here + 1) else 1)
        elif c == "\n" or c == ";":
            loc = here + 1
        else:
            return loc


class StatementList(_Element):
    """``[terms] [statement (terms statement)*] [terms]``: the statements of a block, in one loop."""

    def __init__(self, statement: pp.ParserElement) -> None:
        super().__init__("statement list")
        self.statement = statement
        self.mayReturnEmpty = True

    def parseImpl(self, instring, loc, do_actions=True):  # noqa: N802 (pyparsing API)
        statement = self.statement
        end = skip_terms(instring, loc)
        items: list = []
        try:
            end, toks = statement._parse(instring, end, do_actions)
        except _NO_MATCH:
            return end, items
        items.extend(toks)
        while True:
            after_terms = skip_terms(instring, end)
            if after_terms == end:
                break
            try:
                end, toks = statement._parse(instring, after_terms, do_actions)
            except _NO_MATCH:
                break
            items.extend(toks)
        return skip_terms(instring, end), items
