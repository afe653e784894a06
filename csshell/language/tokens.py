"""Terminals of the grammar: pyparsing elements that skip PowerShell "trivia" themselves.

PowerShell's whitespace is not pyparsing's: spaces and tabs separate tokens, but a newline ends a
statement, a backtick before a newline continues the line, and ``<# #>`` / ``#`` comments may sit
between any two tokens. Every terminal here therefore overrides ``preParse`` with
:func:`skip_trivia`, and the combinators built in ``grammar.py`` skip nothing on their own.
Strings are scanned by hand (``strings.py``) because ``$( ... )`` inside them nests full statements.
"""
from __future__ import annotations

import math
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


DECIMAL_MAX = 79228162514264337593543950335      # System.Decimal.MaxValue
_DECIMAL_DIGITS = len(str(DECIMAL_MAX))             # longer integer literals cannot be Decimals
_MULTIPLIERS = {"kb": 1024, "mb": 1024**2, "gb": 1024**3, "tb": 1024**4, "pb": 1024**5}
_INT64 = (-2**63, 2**63 - 1)


def number_value(m: re.Match) -> int | float:
    """The value of a numeric literal matched by NUMBER_RE, typed the way 5.1's tokenizer types it.

    A literal 5.1 cannot represent (``1e400``, 400 digits, ``0x`` with 17 hex digits) is, as in
    5.1's ``ScanNumber``, a plain word in argument mode (``pp.ParseException``: the grammar goes on
    to a bare word) and the parse error ``BadNumericConstant`` in expression mode.
    """
    sign = -1 if m.group("sign") else 1
    multiplier = _MULTIPLIERS[m.group("mult").lower()] if m.group("mult") else 1
    value = literal_number(m.group("body").lower(), (m.group("type") or "").lower(), sign * multiplier)
    if value is not None:
        return value
    if m.re.pattern.endswith(ARG_END):
        raise pp.ParseException(m.string, m.start(), "not a number")
    end = m.end()
    raise ParseFatal(m.string, end, "BadNumericConstant", f"The numeric constant {m.group(0)} is not valid.",
                     end, end + 1, incomplete=False)


def literal_number(body: str, suffix: str, multiplier: int) -> int | float | None:
    """5.1's ``Tokenizer.TryGetNumberValue``: the value of ``body`` (lower case) or ``None``.

    Python ints stand for Int32, Int64 and integral Decimals (csshell has no Decimal type: the
    ``d`` suffix gives a Double). Digit strings are never handed to ``int()`` beyond Decimal's 29
    digits, so Python's 4,300-digit conversion limit cannot surface. ``multiplier`` carries the
    sign, as 5.1's does for hex literals.
    """
    if body.startswith("0x"):
        return _hex_literal(body[2:], suffix, multiplier)
    if suffix == "d":
        return _decimal_literal(body, multiplier)
    if "." in body or "e" in body:
        return _real_literal(body, suffix, multiplier)
    return _integer_literal(body, suffix, multiplier)


def _hex_literal(digits: str, suffix: str, multiplier: int) -> int | float | None:
    """Hex fits Int32 (8 digits) or Int64 (16 digits) as two's complement, else it is not a number."""
    n = int(digits, 16)         # base 16 has no digit limit in Python
    if n >= 2**64:
        return None             # 5.1 tries Decimal, which rejects hex
    if n < 2**32 and suffix != "l":
        n = n - 2**32 if n >= 2**31 else n
    elif n >= 2**63:
        n -= 2**64
    return _scaled(n, multiplier, suffix)


def _decimal_literal(body: str, multiplier: int) -> float | None:
    """``7d``: System.Decimal in 5.1; a Double here, and invalid where Decimal overflows."""
    value = float(body) * multiplier
    return value if abs(value) <= DECIMAL_MAX else None


def _real_literal(body: str, suffix: str, multiplier: int) -> int | float | None:
    """``1.5``, ``1e3``: a Double; .NET Framework's Double.TryParse fails on overflow (``1e400``)."""
    value = float(body)
    if math.isinf(value):
        return None
    if suffix == "l":           # 1.5l: Convert.ToInt64 rounds half to even, then the checked multiply
        return _scaled(round(value), multiplier, suffix)
    return value * multiplier


def _integer_literal(body: str, suffix: str, multiplier: int) -> int | float | None:
    """Int32, else Int64, else Decimal, else Double (``l``: Int64 or nothing)."""
    digits = body.lstrip("0") or "0"
    if len(digits) > _DECIMAL_DIGITS:
        value = float(digits)
        return None if math.isinf(value) or suffix == "l" else value * multiplier
    n = int(digits)
    if suffix == "l" or n <= DECIMAL_MAX:
        return _scaled(n, multiplier, suffix)
    return float(n) * multiplier


def _scaled(n: int, multiplier: int, suffix: str) -> int | float | None:
    """The multiplied integer: an ``l`` literal must stay an Int64, others widen to Decimal, then Double."""
    value = n * multiplier
    if suffix == "l":
        return value if _INT64[0] <= value <= _INT64[1] else None
    return value if abs(value) <= DECIMAL_MAX else float(value)
