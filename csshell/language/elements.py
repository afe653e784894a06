"""Grammar building blocks that pyparsing lacks: PowerShell's error reporting and extents.

pyparsing backtracks silently; PowerShell reports a specific error at a specific token. The elements
here commit to an error where PowerShell would: :class:`Expect` (a required part is missing),
:class:`Braced` (a closer is missing: the marker sits on the opener at the end of the text),
:class:`OpOperand` (an operator without its operand). :class:`Build` gives every node its extent,
starting after the trivia the terminals skip. ``node_token``/``glued_token`` are regex terminals whose
match becomes a node; :class:`Parameter` and :class:`Redirect` are the argument-mode terminals that
carry a value.
"""
from __future__ import annotations

import re
from typing import Any, Callable

import pyparsing as pp

from csshell.language import ast as A
from csshell.language import tokens as T
from csshell.language.parse_errors import ParseFatal, fatal
from csshell.language.strings import DoubleQuoted, SingleQuoted

_TOKEN_AT = re.compile(r"\"[^\"\n]*\"?|'[^'\n]*'?|\$?[\w\-]+|.", re.S)


def unexpected_token(s: str, loc: int) -> ParseFatal:
    """PowerShell's ``UnexpectedToken`` for whatever token starts at ``loc``.

    ``&&`` and ``||`` are pipeline-chain operators only from PowerShell 7; Windows PowerShell 5.1 reports
    them as ``InvalidEndOfLine`` ("... is not a valid statement separator in this version."). A ``|``
    that follows no pipeline element (``| b``, ``foreach (...) {} | b``) is ``EmptyPipeElement``.
    """
    if s.startswith(("&&", "||"), loc):
        return fatal(s, loc, "InvalidEndOfLine", s[loc:loc + 2], start=loc, end=loc + 2, incomplete=False)
    if s.startswith("|", loc):       # a pipe with nothing before it: `| b`, `foreach (...) {} | b`
        return fatal(s, loc, "EmptyPipeElement", start=loc, end=loc + 1, incomplete=False)
    m = _TOKEN_AT.match(s, loc)
    text = m.group(0) if m else s[loc:loc + 1]
    return fatal(s, loc, "UnexpectedToken", text, start=loc, end=loc + len(text), incomplete=False)


_LINE_COMMENT = re.compile(r"(?:^|[ \t;|(){}])(#)")


def after_previous(s: str, loc: int) -> int:
    """The offset just after the last token before ``loc`` (PowerShell's ``After(token)``).

    PowerShell marks a missing part (an operand, a closer, a block) with a zero-width extent right
    after the token that should have been followed by it, not at whatever comes next: ``$a = `` is
    marked at column 5, ``gps|`` at column 5. Spaces, newlines, line continuations and comments
    between that token and ``loc`` are skipped backwards.
    """
    loc = min(loc, len(s))
    while loc > 0:
        c = s[loc - 1]
        if c in T.SPACE or c in "\r\n" or (c == "`" and loc < len(s) and s[loc] in "\r\n"):
            loc -= 1
        elif c == ">" and loc >= 2 and s[loc - 2] == "#" and s.rfind("<#", 0, loc - 2) >= 0:
            loc = s.rfind("<#", 0, loc - 2)
        elif (comment := _line_comment_start(s, loc)) is not None:
            loc = comment
        else:
            break
    return loc


def _line_comment_start(s: str, loc: int) -> int | None:
    """Where a ``#`` comment ending at ``loc`` starts (quotes before it must be balanced), else None."""
    line_start = max(s.rfind("\n", 0, loc), s.rfind("\r", 0, loc)) + 1
    for m in _LINE_COMMENT.finditer(s, line_start, loc):
        before = s[line_start:m.start(1)]
        if before.count("'") % 2 == 0 and before.count('"') % 2 == 0:
            return m.start(1)
    return None


def missing_after(s: str, loc: int, error_id: str, *fmt: str, incomplete: bool | None = None) -> ParseFatal:
    """PowerShell's error for a part missing at ``loc``, marked zero-width after the previous token.

    The error is *incomplete input* (the prompt asks for more with ``>>``) when nothing but trivia
    follows ``loc``.
    """
    at = after_previous(s, loc)
    if incomplete is None:
        incomplete = only_trivia_after(s, loc)
    return fatal(s, loc, error_id, *fmt, start=at, end=at, incomplete=incomplete)


def only_trivia_after(s: str, loc: int) -> bool:
    """True when nothing but spaces, newlines and comments follows ``loc`` (PowerShell's end of script)."""
    try:
        while True:
            loc = T.skip_trivia(s, loc)
            if loc < len(s) and s[loc] in "\r\n":
                loc += 1
                continue
            return loc >= len(s)
    except ParseFatal:
        return True


def skip_newlines(s: str, loc: int) -> int:
    """Skip trivia and newlines, not ``;`` (an operator continues over newlines, never over ``;``)."""
    while True:
        loc = T.skip_trivia(s, loc)
        if loc < len(s) and s[loc] in "\r\n":
            loc += 1
            continue
        return loc


def skip_lines(s: str, loc: int) -> int:
    """Skip trivia and newlines (used to look past the end of a body)."""
    while True:
        loc = T.skip_trivia(s, loc)
        if loc < len(s) and s[loc] in "\r\n;":
            loc += 1
            continue
        return loc


# ---------------------------------------------------------------------------------------------
# Element helpers
# ---------------------------------------------------------------------------------------------

class Build(pp.ParseElementEnhance):
    """Match ``expr`` and turn its tokens into one node: ``fn(extent, tokens)``."""

    def __init__(self, expr: pp.ParserElement, fn: Callable[[A.Extent, list], Any]) -> None:
        super().__init__(expr)
        self.fn = fn

    def parseImpl(self, instring, loc, do_actions=True):  # noqa: N802
        start = T.skip_trivia(instring, loc)
        end, toks = self.expr._parse(instring, loc, do_actions)
        if not do_actions:
            return end, []
        node = self.fn(T.extent(start, end), toks.as_list())
        return end, ([] if node is None else [node])


class WithEnd(pp.ParseElementEnhance):
    """``expr``'s tokens followed by the offset where it ended (parse actions only know the start).

    A postfix operation's extent must end at its closer (``)`` of a call, ``]`` of an index), which
    is not the end of its last inner node.
    """

    def parseImpl(self, instring, loc, do_actions=True):  # noqa: N802
        end, toks = self.expr._parse(instring, loc, do_actions)
        return end, toks.as_list() + [end]


class Expect(pp.ParseElementEnhance):
    """``expr``, or PowerShell's parse error ``error_id``, marked right after the previous token."""

    def __init__(self, expr: pp.ParserElement, error_id: str, *fmt: str, incomplete: bool | None = None) -> None:
        super().__init__(expr)
        self.error_id = error_id
        self.fmt = fmt
        self.incomplete = incomplete   # None: incomplete when at the end; False: PowerShell's ReportError

    def parseImpl(self, instring, loc, do_actions=True):  # noqa: N802
        try:
            return self.expr._parse(instring, loc, do_actions)
        except pp.ParseFatalException:
            raise
        except pp.ParseException:
            raise missing_after(instring, loc, self.error_id, *self.fmt, incomplete=self.incomplete) from None


class Braced(pp.ParserElement):
    """``open body close`` with PowerShell's errors for a missing closer.

    ``build(open_start, inner_start, inner_end, end, body_tokens)`` makes the node. When the closer is
    missing at the end of the text the error is ``error_id``, marked on the opener when ``mark_open``
    (``{`` as PowerShell does) and otherwise right after the last token inside (``(``, ``$(``, ``@(``);
    when something else stands there, it is ``UnexpectedToken``.
    """

    def __init__(self, opener: pp.ParserElement, body: pp.ParserElement, closer: pp.ParserElement,
                 error_id: str, build: Callable, mark_open: bool = True) -> None:
        super().__init__()
        self.opener, self.body, self.closer = opener, body, closer
        self.error_id, self.build, self.mark_open = error_id, build, mark_open
        self.mayReturnEmpty = False
        self.mayIndexError = False
        self.set_name(f"{opener}...")

    def _generateDefaultName(self) -> str:  # noqa: N802 (pyparsing API)
        return type(self).__name__

    def preParse(self, instring, loc):  # noqa: N802
        return loc

    def parseImpl(self, instring, loc, do_actions=True):  # noqa: N802
        open_start = T.skip_trivia(instring, loc)
        inner_start, _ = self.opener._parse(instring, loc, do_actions)
        body_end, body = self.body._parse(instring, inner_start, do_actions)
        close_start = skip_lines(instring, body_end)
        try:
            end, _ = self.closer._parse(instring, close_start, do_actions)
        except pp.ParseFatalException:
            raise
        except pp.ParseException:
            if close_start >= len(instring):
                if self.mark_open:
                    raise fatal(instring, len(instring), self.error_id, start=open_start,
                                end=inner_start, incomplete=True) from None
                raise missing_after(instring, len(instring), self.error_id, incomplete=True) from None
            raise unexpected_token(instring, close_start) from None
        if not do_actions:
            return end, []
        node = self.build(open_start, inner_start, close_start, end, body.as_list())
        return end, [node]


class OpOperand(pp.ParserElement):
    """``op NLs operand`` where a missing operand is PowerShell's ExpectedValueExpression.

    The error is marked zero-width right after the operator (``After(token)``), as PowerShell does.
    """

    def __init__(self, op: pp.ParserElement, operand: pp.ParserElement, unary: bool = False,
                 newlines: bool = True) -> None:
        super().__init__()
        self.op, self.operand, self.unary, self.newlines = op, operand, unary, newlines
        self.mayReturnEmpty = False
        self.mayIndexError = False
        self.set_name(str(op))

    def _generateDefaultName(self) -> str:  # noqa: N802 (pyparsing API)
        return type(self).__name__

    def preParse(self, instring, loc):  # noqa: N802
        return loc

    def parseImpl(self, instring, loc, do_actions=True):  # noqa: N802
        op_start = T.skip_trivia(instring, loc)
        op_end, op_toks = self.op._parse(instring, loc, do_actions)
        op_text = instring[op_start:op_end]
        here = skip_newlines(instring, op_end) if self.newlines else op_end
        try:
            end, toks = self.operand._parse(instring, here, do_actions)
        except pp.ParseFatalException:
            raise
        except pp.ParseException:
            raise missing_operand(instring, here, op_text, op_end, self.unary) from None
        return end, [op_text] + toks.as_list()


def missing_operand(s: str, here: int, op_text: str, op_end: int, unary: bool) -> ParseFatal:
    """PowerShell's error for an operator with no operand at ``here``, marked zero-width after the operator."""
    error_id = "MissingExpressionAfterOperator" if unary else "ExpectedValueExpression"
    if op_text == "," and not unary:
        error_id = "MissingExpressionAfterToken"
    return fatal(s, here, error_id, op_text, start=op_end, end=op_end, incomplete=only_trivia_after(s, here))


class AtBodyEnd(pp.ParserElement):
    """Succeeds (consuming nothing) when only newlines stand before ``}`` or the end of the text.

    ``strict``: anything else is PowerShell's ``UnexpectedToken`` on it (a statement after named blocks).
    """

    def __init__(self, strict: bool = False) -> None:
        super().__init__()
        self.strict = strict
        self.mayReturnEmpty = True
        self.set_name("end of body")

    def _generateDefaultName(self) -> str:  # noqa: N802 (pyparsing API)
        return type(self).__name__

    def preParse(self, instring, loc):  # noqa: N802
        return loc

    def parseImpl(self, instring, loc, do_actions=True):  # noqa: N802
        here = skip_lines(instring, loc)
        if here >= len(instring) or instring[here] == "}":
            return loc, []
        if self.strict:
            raise unexpected_token(instring, here)
        raise pp.ParseException(instring, loc, "not at end of body", self)


class Reject(pp.ParserElement):
    """A token that cannot stand here: PowerShell's ``error_id`` on it (``gcm ,``: ``MissingArgument``)."""

    def __init__(self, text: str, error_id: str) -> None:
        super().__init__()
        self.text, self.error_id = text, error_id
        self.set_name(repr(text))

    def _generateDefaultName(self) -> str:  # noqa: N802 (pyparsing API)
        return type(self).__name__

    def parseImpl(self, instring, loc, do_actions=True):  # noqa: N802
        here = T.skip_trivia(instring, loc)
        if not instring.startswith(self.text, here):
            raise pp.ParseException(instring, here, self.errmsg, self)
        raise fatal(instring, here, self.error_id, start=here, end=here + len(self.text), incomplete=False)


class Parameter(T.Custom):
    """``-Name`` / ``-Name:value`` (argument mode)."""

    value: pp.ParserElement | None = None
    _re = re.compile(T.PARAMETER_RE)

    def scan(self, s, loc):
        m = self._re.match(s, loc)
        if not m:
            return None
        name = m.group("name")
        if not m.group("colon"):
            return m.end(), A.CommandParameter(T.extent(loc, m.end()), name)
        try:
            end, toks = self.value._parse(s, m.end())
        except pp.ParseFatalException:
            raise
        except pp.ParseException:
            raise fatal(s, m.end(), "ParameterRequiresArgument", s[loc:m.end()], start=m.end(), end=m.end(),
                        incomplete=False) from None
        return end, A.CommandParameter(T.extent(loc, end), name, toks[0], colon=True)


class Redirect(T.Custom):
    """``> file``, ``>> file``, ``2>&1``, ``2> $null``."""

    target: pp.ParserElement | None = None
    _re = re.compile(T.REDIRECTION_RE)

    def scan(self, s, loc):
        m = self._re.match(s, loc)
        if not m:
            return None
        stream = m.group("stream") or "1"
        if m.group("merge"):
            return m.end(), A.Redirection(T.extent(loc, m.end()), stream, False, None, m.group("merge"))
        try:
            end, toks = self.target._parse(s, m.end())
        except pp.ParseFatalException:
            raise
        except pp.ParseException:
            raise missing_after(s, m.end(), "MissingExpressionInRedirection") from None
        return end, A.Redirection(T.extent(loc, end), stream, m.group("op") == ">>", toks[0])


class GluedSingle(SingleQuoted):
    glued = True


class GluedDouble(DoubleQuoted):
    glued = True


def node_token(pattern: str, fn: Callable[[A.Extent, re.Match], Any], flags: int = 0,
               name: str = "") -> pp.ParserElement:
    """A regex terminal (after trivia) whose match becomes a node: ``fn(extent, match)``."""
    rx = re.compile(pattern, flags)
    tok = T.Tok(pattern, flags, name=name or pattern)

    def action(s, loc, toks):
        start = T.skip_trivia(s, loc)
        m = rx.match(s, start)
        return fn(T.extent(start, m.end()), m)

    return tok.set_parse_action(action)


def glued_token(pattern: str, fn: Callable[[A.Extent, re.Match], Any], flags: int = 0,
                name: str = "") -> pp.ParserElement:
    """Like :func:`node_token`, but glued to the previous token (member names after ``.``)."""
    rx = re.compile(pattern, flags)
    tok = T.Glued(pattern, flags, name=name or pattern)

    def action(s, loc, toks):
        m = rx.match(s, loc)
        return fn(T.extent(loc, m.end()), m)

    return tok.set_parse_action(action)
