"""Parsing entry points: text in, :class:`~csshell.language.ast.ScriptBlockAst` out, or PowerShell's errors.

A script with a parse error runs nothing: callers get :class:`ParseErrors` before any evaluation.
``is_incomplete`` tells the interactive prompt to ask for another line (``>>``) instead.
"""
from __future__ import annotations

import contextlib
import gc
import re
import sys
import threading
from collections.abc import Iterator

import pyparsing as pp

from csshell.language import ast as A
from csshell.language import tokens as T
from csshell.language.elements import skip_lines, unexpected_token
from csshell.language.grammar import GRAMMAR
from csshell.language.parse_errors import ParseError, ParseErrors, ParseFatal

_LOCK = threading.Lock()
RECURSION_LIMIT = 20_000   # frames the parser may use: about 50 per nesting level of ( { $( @{
_REQUIRES = re.compile(r"(?im)^[ \t]*#requires[ \t]+(.+?)[ \t]*$")


def parse(text: str, file: str | None = None) -> A.ScriptBlockAst:
    """Parse a whole script (or one interactive input)."""
    source = A.Source(text, file)
    with _LOCK, _recursion_limit(RECURSION_LIMIT), _no_gc():
        T.STATE.source = source
        try:
            pp.ParserElement.reset_cache()
            end, toks = GRAMMAR["script"]._parse(text, 0)
            rest = skip_lines(text, end)
            if rest < len(text):
                raise unexpected_token(text, rest)
        except ParseFatal as err:
            raise ParseErrors([_to_error(source, err)]) from None
        except pp.ParseBaseException as err:
            loc = min(getattr(err, "loc", 0), len(text))
            raise ParseErrors([_to_error(source, unexpected_token(text, T.skip_trivia(text, loc)))]) from None
        except RecursionError:
            raise ParseErrors([ParseError("ScriptTooComplex", "The script is nested too deeply to be parsed.",
                                          A.Extent(source, 0, min(1, len(text))))]) from None
        finally:
            T.STATE.source = None
            pp.ParserElement.reset_cache()      # the memo holds every node of the text: do not keep it alive
    script: A.ScriptBlockAst = toks[0]
    script.requires = [m.group(1) for m in _REQUIRES.finditer(text)]
    return script


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while parsing.

    The packrat memo grows with the text (hundreds of thousands of entries for 10,000 lines); every
    full collection walks all of it, which made parse time grow faster than the script. The memo is
    dropped right after the parse, so nothing accumulates while the collector is off.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextlib.contextmanager
def _recursion_limit(limit: int) -> Iterator[None]:
    """Let the recursive-descent parser nest as deep as admins' scripts do, only while it parses.

    Python's default (1000 frames) stopped the grammar at about 15 nested blocks or 20 parentheses;
    the evaluator keeps the default. Python 3.11 calls between Python functions use no C stack, so
    a higher limit cannot overflow it.
    """
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(max(previous, limit))
    try:
        yield
    finally:
        sys.setrecursionlimit(previous)


def _to_error(source: A.Source, err: ParseFatal) -> ParseError:
    start, end = err.span
    return ParseError(err.error_id, err.ps_message, A.Extent(source, start, end), err.incomplete)


def is_incomplete(text: str) -> bool:
    """True when ``text`` is a valid beginning that needs more lines (open block, string, pipe, backtick)."""
    stripped = text.rstrip("\r\n")
    backticks = len(stripped) - len(stripped.rstrip("`"))
    if backticks % 2 == 1:          # a line-continuation backtick (not an escaped one, not one before a space)
        return True
    try:
        parse(text)
    except ParseErrors as errors:
        return errors.incomplete
    return False
