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
from collections.abc import Sequence

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

    ``alternatives`` are ``(element, first)`` or ``(element, first, guard)`` in ``MatchFirst`` order;
    ``first`` is a regex for one character, ``guard`` one matched where the element would start (its
    opening token: ``$(`` for a subexpression, so ``$name`` does not try it). The next character is
    read after trivia, or right at ``loc`` when ``glued`` (``.Name`` after a value). ``first`` and
    ``guard`` must admit everything the element can start with.
    """

    _parse = pp.ParserElement._parseNoCache   # no memo: its alternatives are memoized

    def __init__(self, alternatives: Sequence[tuple], name: str, glued: bool = False) -> None:
        super().__init__(name)
        self.alternatives = [(alt[0], re.compile(alt[1]), _guard(alt[2] if len(alt) > 2 else None))
                             for alt in alternatives]
        self.glued = glued
        self._by_char: dict[str, tuple[tuple[pp.ParserElement, re.Pattern | None], ...]] = {}

    def candidates(self, char: str) -> tuple[tuple[pp.ParserElement, re.Pattern | None], ...]:
        """The alternatives (with their guards) that may start with ``char`` ("" at the end of the text: none)."""
        found = self._by_char.get(char)
        if found is None:
            found = tuple((element, guard) for element, first, guard in self.alternatives
                          if char and first.match(char))
            self._by_char[char] = found
        return found

    def parseImpl(self, instring, loc, do_actions=True):  # noqa: N802 (pyparsing API)
        here = loc if self.glued else T.skip_trivia(instring, loc)
        for element, guard in self.candidates(instring[here:here + 1]):
            if guard is not None and not guard.match(instring, here):
                continue
            try:
                return element._parse(instring, loc, do_actions)
            except _NO_MATCH:
                continue
        raise pp.ParseException(instring, here, self.errmsg, self)


def _guard(guard: str | re.Pattern | pp.Regex | None) -> re.Pattern | None:
    """A guard given as a pattern, a compiled regex or a regex terminal (its own pattern)."""
    if guard is None or isinstance(guard, re.Pattern):
        return guard
    if isinstance(guard, pp.Regex):
        return guard.re
    return re.compile(guard)


class KeywordFirst(_Element):
    """``if_statement | foreach_statement | ... | fallback``, choosing the statement by its keyword.

    ``keywords`` maps each keyword to its statement (in the order ``MatchFirst`` would try them); the
    keyword must not be followed by a name character or a dash (``foreach`` is not ``ForEach-Object``).
    When no keyword starts the text, or its statement fails without a fatal error, ``fallback`` is
    tried, as ``MatchFirst`` would after every keyword statement failed.
    """

    _parse = pp.ParserElement._parseNoCache   # no memo: its alternatives are memoized

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
    return _skip_line_ends(s, loc, "\n;")


def _skip_line_ends(s: str, loc: int, ends: str) -> int:
    """Skip CR LF / CR and the characters in ``ends``, each after trivia; stop before anything else."""
    while True:
        here = T.skip_trivia(s, loc)
        if here >= len(s):
            return loc
        c = s[here]
        if c == "\r":
            loc = here + (2 if s.startswith("\n", here + 1) else 1)
        elif c in ends:
            loc = here + 1
        else:
            return loc


class StatementList(_Element):
    """``[terms] [statement (terms statement)*] [terms]``: the statements of a block, in one loop."""

    _parse = pp.ParserElement._parseNoCache   # no memo: its alternatives are memoized

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


def skip_newline_tokens(s: str, loc: int) -> int:
    """Skip newlines (with trivia before each); ``loc`` itself when there are none (``ZeroOrMore(NL)``)."""
    return _skip_line_ends(s, loc, "\n")


class Newlines(_Element):
    """Any number of newlines, yielding no tokens (a construct may continue on the next line)."""

    _parse = pp.ParserElement._parseNoCache   # a loop over characters: cheaper than a packrat lookup

    def __init__(self) -> None:
        super().__init__("newlines")
        self.mayReturnEmpty = True

    def parseImpl(self, instring, loc, do_actions=True):  # noqa: N802 (pyparsing API)
        return skip_newline_tokens(instring, loc), []


class Terms(_Element):
    """One or more statement terminators (newline or ``;``), yielding no tokens."""

    _parse = pp.ParserElement._parseNoCache

    def __init__(self) -> None:
        super().__init__("statement terminator")

    def parseImpl(self, instring, loc, do_actions=True):  # noqa: N802 (pyparsing API)
        end = skip_terms(instring, loc)
        if end == loc:
            raise pp.ParseException(instring, loc, self.errmsg, self)
        return end, []
