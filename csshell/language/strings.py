"""String terminals: verbatim and expandable strings, here-strings and bare words.

Scanned by hand because an expandable string can hold ``$( ... )``, a full statement list that may
itself contain strings; the subexpression is parsed by the grammar *in place* (same source text, same
offsets), so every node inside keeps a true extent. Smart quotes count as quotes (spec §2.3.5.2).
"""
from __future__ import annotations

import re
from typing import Any

from csshell.language import tokens as T
from csshell.language.ast import Constant, ExpandableString, VariableExpr
from csshell.language.parse_errors import ParseFatal, fatal

_VARIABLE = re.compile(T.VARIABLE_RE)
_NAME_CHAR = re.compile(r"[\w?]")
_HERE_FOOTER = {'"': re.compile(r"\r?\n[\"\u201c\u201d\u201e]@"), "'": re.compile(r"\r?\n['\u2018\u2019\u201a\u201b]@")}
_HERE_FOOTER_INDENTED = {'"': re.compile(r"\r?\n[ \t]+[\"\u201c\u201d\u201e]@"),
                         "'": re.compile(r"\r?\n[ \t]+['\u2018\u2019\u201a\u201b]@")}


class Expander:
    """Scans expandable text (``"..."``, ``@"..."@``, bare words) into literal and expression parts."""

    subexpression: Any = None  # the grammar's ``$( ... )`` element, set by grammar.py

    @classmethod
    def scan(cls, s: str, i: int, limit: int, closing: str | None) -> tuple[list[Any], int]:
        """Scan from ``i``; stop at an unescaped ``closing`` quote (returns the index after it) or at ``limit``."""
        parts: list[Any] = []
        buf: list[str] = []
        while i < limit:
            c = s[i]
            if c == "`" and i + 1 < limit:
                buf.append(T.ESCAPES.get(s[i + 1], s[i + 1]))
                i += 2
            elif closing and c in closing:
                if i + 1 < limit and s[i + 1] in closing:
                    buf.append(s[i + 1] if s[i + 1] == '"' else '"')
                    i += 2
                else:
                    _flush(buf, parts)
                    return parts, i + 1
            elif c == "$" and i + 1 < limit:
                i = cls._dollar(s, i, buf, parts)
            else:
                buf.append(c)
                i += 1
        _flush(buf, parts)
        return parts, -1 if closing else limit

    @classmethod
    def _dollar(cls, s: str, i: int, buf: list[str], parts: list[Any]) -> int:
        if s[i + 1] == "(":
            end, toks = cls.subexpression._parse(s, i)
            _flush(buf, parts)
            parts.append(toks[0])
            return end
        m = _VARIABLE.match(s, i)
        if not m:
            buf.append("$")
            return i + 1
        if m.group("name") and m.end() < len(s) and s[m.end()] == ":" and not s.startswith("::", m.end()) and (
                m.end() + 1 >= len(s) or not _NAME_CHAR.match(s[m.end() + 1])):
            raise fatal(s, i, "InvalidVariableReferenceWithDrive", start=i, end=m.end() + 1, incomplete=False)
        _flush(buf, parts)
        name = m.group("braced") if m.group("braced") is not None else m.group("name")
        parts.append(VariableExpr(T.extent(i, m.end()), name))
        return m.end()


def _flush(buf: list[str], parts: list[Any]) -> None:
    if buf:
        parts.append("".join(buf))
        buf.clear()


def _string_node(start: int, end: int, parts: list[Any], bare: bool = False):
    ext = T.extent(start, end)
    if all(isinstance(p, str) for p in parts):
        return Constant(ext, "".join(parts), bare=bare)
    return ExpandableString(ext, parts, bare=bare)


class SingleQuoted(T.Custom):
    """``'verbatim'`` with ``''`` for a quote."""

    def scan(self, s: str, loc: int):
        if loc >= len(s) or s[loc] not in T.SINGLE_QUOTES:
            return None
        out: list[str] = []
        i = loc + 1
        while i < len(s):
            c = s[i]
            if c in T.SINGLE_QUOTES:
                if i + 1 < len(s) and s[i + 1] in T.SINGLE_QUOTES:
                    out.append("'")
                    i += 2
                    continue
                return i + 1, Constant(T.extent(loc, i + 1), "".join(out))
            out.append(c)
            i += 1
        raise _unterminated(s, loc, "'")


def _unterminated(s: str, loc: int, quote: str):
    return ParseFatal(s, len(s), "TerminatorExpectedAtEndOfString",
                      f"The string is missing the terminator: {quote}.", loc, loc + 1, True)


class DoubleQuoted(T.Custom):
    """``"expandable $var $(...) `n"``."""

    def scan(self, s: str, loc: int):
        if loc >= len(s) or s[loc] not in T.DOUBLE_QUOTES:
            return None
        parts, end = Expander.scan(s, loc + 1, len(s), T.DOUBLE_QUOTES)
        if end < 0:
            raise _unterminated(s, loc, '"')
        return end, _string_node(loc, end, parts)


class HereString(T.Custom):
    """``@" ... "@`` (expandable) and ``@' ... '@`` (verbatim)."""

    def scan(self, s: str, loc: int):
        if not (s.startswith("@", loc) and loc + 1 < len(s) and s[loc + 1] in T.DOUBLE_QUOTES + T.SINGLE_QUOTES):
            return None
        kind = '"' if s[loc + 1] in T.DOUBLE_QUOTES else "'"
        i = loc + 2
        while i < len(s) and s[i] in " \t":
            i += 1
        if i < len(s) and s[i] not in "\r\n":
            raise fatal(s, i, "UnexpectedCharactersAfterHereStringHeader", start=i, end=i + 1, incomplete=False)
        content_start = i + (2 if s.startswith("\r\n", i) else 1)
        footer = _HERE_FOOTER[kind].search(s, i)
        if footer is None and content_start <= len(s) and re.match(r"[\"\u201c\u201d\u201e'\u2018\u2019\u201a\u201b]@",
                                                                     s[content_start:content_start + 2]):
            footer_start, footer_end = content_start, content_start + 2   # empty here-string
        elif footer is None:
            indented = _HERE_FOOTER_INDENTED[kind].search(s, i)
            if indented:   # PowerShell marks the quote of the indented footer; more lines may still follow
                at = indented.end() - 2
                raise fatal(s, at, "WhitespaceBeforeHereStringFooter", start=at, end=at + 1, incomplete=True)
            raise _unterminated(s, loc, kind + "@")
        else:
            footer_start, footer_end = footer.start(), footer.end()
        content_end = max(footer_start, content_start)
        if kind == "'":
            return footer_end, Constant(T.extent(loc, footer_end), s[content_start:content_end])
        parts, _ = Expander.scan(s, content_start, content_end, None)
        return footer_end, _string_node(loc, footer_end, parts)


_BARE = re.compile(T.BARE_WORD_RE)


class BareWord(T.Custom):
    """An unquoted argument-mode word; ``$var`` inside it expands (``a$x``), backticks escape."""

    def scan(self, s: str, loc: int):
        m = _BARE.match(s, loc)
        if not m:
            return None
        text = m.group(0)
        if "$" in text:
            parts, _ = Expander.scan(s, loc, m.end(), None)
            return m.end(), _string_node(loc, m.end(), parts, bare=True)
        return m.end(), Constant(T.extent(loc, m.end()), T.unescape(text), bare=True)
