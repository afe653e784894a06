"""Terminals of the grammar: pyparsing elements that skip PowerShell "trivia" themselves.

PowerShell's whitespace is not pyparsing's: spaces and tabs separate tokens, but a newline ends a
statement, a backtick before a newline continues the line, and ``<# #>`` / ``#`` comments may sit
between any two tokens. Every terminal here therefore overrides ``preParse`` with
:func:`skip_trivia`, and the combinators built in ``grammar.py`` skip nothing on their own.
Strings are scanned by hand (``strings.py``) because ``$( ... )`` inside them nests full statements.
"""
from __future__ import annotations

import re
import threading

import pyparsing as pp

from csshell.language.ast import Extent, Source
from csshell.language.parse_errors import ParseFatal

# Combinators must not skip anything: the terminals do it the PowerShell way.
pp.ParserElement.set_default_whitespace_chars("")

SPACE = " \t\f\v\u00a0\ufeff"
DASHES = "-\u2013\u2014\u2015"
SINGLE_QUOTES = "'\u2018\u2019\u201a\u201b"
DOUBLE_QUOTES = '"\u201c\u201d\u201e'
DASH = "[" + DASHES + "]"


class _ParseState(threading.local):
    """The source being parsed (extents need it); set by parser.parse for one parse at a time."""
    source: Source | None = None


STATE = _ParseState()


def extent(start: int, end: int) -> Extent:
    assert STATE.source is not None
    return Extent(STATE.source, start, end)


def skip_trivia(s: str, loc: int) -> int:
    """Skip spaces, backtick line continuations and comments; never a newline."""
    n = len(s)
    while loc < n:
        c = s[loc]
        if c in SPACE:
            loc += 1
        elif c == "`" and loc + 1 < n and s[loc + 1] in "\r\n":
            loc += 3 if s.startswith("\r\n", loc + 1) else 2
        elif c == "<" and s.startswith("<#", loc):
            end = s.find("#>", loc + 2)
            if end < 0:
                raise ParseFatal(s, loc, "MissingTerminatorMultiLineComment",
                                 "The terminator '#>' is missing from the multiline comment.",
                                 loc, loc + 2, incomplete=True)
            loc = end + 2
        elif c == "#":
            nl = s.find("\n", loc)
            loc = n if nl < 0 else (nl - 1 if nl > 0 and s[nl - 1] == "\r" else nl)
        else:
            break
    return loc


class Tok(pp.Regex):
    """A regex terminal preceded by PowerShell trivia.

    The skipping happens in ``parseImpl``, not ``preParse``: pyparsing's combinators call their first
    element without pre-parsing, and ours skip nothing themselves. Terminals bypass the packrat cache:
    matching one regex again is cheaper than a cache lookup (the rules above them are memoized).
    """

    _parse = pp.ParserElement._parseNoCache

    def __init__(self, pattern: str, flags: int = 0, name: str | None = None) -> None:
        super().__init__(pattern, flags)
        if name:
            self.set_name(name)

    def preParse(self, instring: str, loc: int) -> int:  # noqa: N802 (pyparsing API)
        return loc

    def parseImpl(self, instring, loc, do_actions=True):  # noqa: N802
        return pp.Regex.parseImpl(self, instring, skip_trivia(instring, loc), do_actions)


class Glued(pp.Regex):
    """A regex terminal that must follow the previous token with no space (``$x.Prop``, ``$a[0]``)."""

    _parse = pp.ParserElement._parseNoCache

    def __init__(self, pattern: str, flags: int = 0, name: str | None = None) -> None:
        super().__init__(pattern, flags)
        if name:
            self.set_name(name)

    def preParse(self, instring: str, loc: int) -> int:  # noqa: N802
        return loc


class Custom(pp.Token):
    """Base for hand-written terminals; subclasses implement ``scan(s, loc) -> (end, value)``.

    Not memoized, like :class:`Tok`: a scan that parses nested statements (``"$( )"``, ``-Name:(...)``)
    does so through memoized rules, so scanning the same text again stays linear.
    """

    glued = False
    _parse = pp.ParserElement._parseNoCache

    def __init__(self, name: str) -> None:
        super().__init__()
        self.set_name(name)
        self.mayReturnEmpty = False
        self.mayIndexError = False

    def preParse(self, instring: str, loc: int) -> int:  # noqa: N802
        return loc

    def parseImpl(self, instring, loc, do_actions=True):  # noqa: N802
        if not self.glued:
            loc = skip_trivia(instring, loc)
        result = self.scan(instring, loc)
        if result is None:
            raise pp.ParseException(instring, loc, f"Expected {self.name}", self)
        end, value = result
        return end, [value]

    def scan(self, s: str, loc: int):
        raise NotImplementedError


def word(text: str) -> Tok:
    """A keyword: case-insensitive, not followed by a name character or a dash (``foreach`` vs ``ForEach-Object``)."""
    return Tok(rf"(?i){re.escape(text)}(?![\w\-{DASHES[1:]}])", name=text)


def sym(text: str, not_followed: str = "") -> Tok:
    pattern = re.escape(text) + (f"(?!{not_followed})" if not_followed else "")
    return Tok(pattern, name=repr(text))


def glued_sym(text: str, not_followed: str = "") -> Glued:
    pattern = re.escape(text) + (f"(?!{not_followed})" if not_followed else "")
    return Glued(pattern, name=repr(text))


# --- punctuation -----------------------------------------------------------------------------
NL = Tok(r"\r?\n|\r", name="newline")
SEMI = sym(";")
PIPE = sym("|", r"\|")
LPAREN = sym("(")
RPAREN = sym(")")
LBRACE = sym("{")
RBRACE = sym("}")
RBRACKET = sym("]")
COMMA = sym(",")
AT_PAREN = sym("@(")
AT_BRACE = sym("@{")
DOLLAR_PAREN = sym("$(")
AMP = Tok(r"&(?!&)", name="'&'")
DOT_SOURCE = Tok(r"\.(?=[ \t])", name="'.'")
EQUALS = Tok(r"=(?!=)", name="'='")
ASSIGN_OP = Tok(rf"(?:[+*/%]|{DASH})?=(?!=)", name="assignment operator")

# --- variables and numbers -------------------------------------------------------------------
VARIABLE_RE = r"\$(?:\{(?P<braced>[^}]*)\}|(?P<name>(?:[A-Za-z_][\w]*:(?=[\w?]))?[\w?]+|[$?^]))"
SPLAT_RE = r"@(?P<name>[\w?]+)"
NUMBER_RE = (r"(?i)(?P<sign>" + DASH + r")?(?P<body>0x[0-9a-f]+|(?:\d+(?:\.\d+)?|\.\d+)(?:e[+-]?\d+)?)"
             r"(?P<type>[ld])?(?P<mult>kb|mb|gb|tb|pb)?")
TYPE_NAME_RE = r"[A-Za-z_][\w.`]*(?:\[(?:[^\[\]]|\[[^\[\]]*\])*\])*"
TYPE_LITERAL_RE = r"\[\s*(?P<type>" + TYPE_NAME_RE + r")\s*\]"

# expression-mode operators (word operators: dash + name, not followed by a name character)
_CMP = ("eq|ne|gt|ge|lt|le|like|notlike|match|notmatch|contains|notcontains|in|notin|replace|split|join")
CMP_OP = Tok(rf"(?i){DASH}(?P<op>(?:[ci]?(?:{_CMP}))|isnot|is|as|band|bor|bxor|shl|shr)(?![\w\-])",
             name="comparison operator")
LOGIC_OP = Tok(rf"(?i){DASH}(?P<op>and|or|xor)(?![\w\-])", name="logical operator")
FORMAT_OP = Tok(rf"(?i){DASH}f(?![\w\-])", name="'-f'")
NOT_OP = Tok(rf"(?i)(?:{DASH}not(?![\w\-])|!)", name="'-not'")
BNOT_OP = Tok(rf"(?i){DASH}bnot(?![\w\-])", name="'-bnot'")
UNARY_SPLIT_JOIN = Tok(rf"(?i){DASH}(?P<op>split|join)(?![\w\-])", name="unary -split/-join")
INCDEC = Tok(rf"\+\+|{DASH}{DASH}(?![\w])", name="'++'")
MINUS = Tok(rf"{DASH}(?![{DASHES}A-Za-z_=])", name="'-'")   # dashes first: "-" must not form a range
PLUS = Tok(r"\+(?![+=])", name="'+'")
MUL_OP = Tok(r"(?:\*(?![=>])|[/%](?!=))", name="multiplicative operator")    # `*>` is a redirection
RANGE = sym("..")

# argument mode
PARAMETER_RE = (rf"{DASH}(?P<name>[A-Za-z_?][^\s{{}}();,|&`:" + "'\"" + DOUBLE_QUOTES[1:] + SINGLE_QUOTES[1:] + "]*)"
                r"(?P<colon>:)?")
REDIRECTION_RE = r"(?P<stream>[*1-6])?(?P<op>>>|>)(?:&(?P<merge>[1-6]))?"
BARE_START = r"[^\s{}();,|&`$@#<>" + "'\"" + DOUBLE_QUOTES[1:] + SINGLE_QUOTES[1:] + "]"
BARE_CONT = r"[^\s{}();,|&`" + "'\"" + DOUBLE_QUOTES[1:] + SINGLE_QUOTES[1:] + "]"
BARE_WORD_RE = rf"(?:{BARE_START}|`[\s\S])(?:{BARE_CONT}|`[\s\S])*"
ARG_END = r"(?=[\s;,|&(){}]|$)"

ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}


def unescape(text: str) -> str:
    """Apply backtick escapes (case-sensitive; `` `x `` is ``x``)."""
    if "`" not in text:
        return text
    out, i = [], 0
    while i < len(text):
        c = text[i]
        if c == "`" and i + 1 < len(text):
            nxt = text[i + 1]
            out.append(ESCAPES.get(nxt, nxt))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def number_value(m: re.Match) -> int | float:
    """The value of a numeric literal matched by NUMBER_RE."""
    body = m.group("body").lower()
    if body.startswith("0x"):
        value: int | float = int(body, 16)
        if value >= 2**31 and value < 2**32 and not m.group("type"):
            value -= 2**32  # 0xFFFFFFFF is -1 as an Int32 in PowerShell
        elif 2**63 <= value < 2**64:
            value -= 2**64  # and 0xFFFFFFFFFFFFFFFF is -1 as an Int64 (Parser.Tests.ps1 numeric notations)
    elif any(ch in body for ch in ".e"):
        value = float(body)
    else:
        value = int(body)
    if m.group("type") and m.group("type").lower() == "d":
        value = float(value)
    mult = m.group("mult")
    if mult:
        value = value * {"kb": 1024, "mb": 1024**2, "gb": 1024**3, "tb": 1024**4, "pb": 1024**5}[mult.lower()]
    if m.group("sign"):
        value = -value
    return value
