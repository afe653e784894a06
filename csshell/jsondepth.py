"""How deeply JSON text nests, found without parsing it.

The engine raises Python's recursion limit (engine.py) so the parser and the interpreter can recurse
deeply; Python-to-Python calls stay off the C stack, but the ``json`` module's C decoder does not: it
recurses on the C stack once per ``[`` or ``{`` and only stops at the (raised) recursion limit, so a few
hundred thousand nested brackets crash the process instead of raising. Every ``json.loads`` of text
that did not come from csshell itself first asks :func:`too_deep` and refuses such text.
"""
from __future__ import annotations

import re

# Windows PowerShell 5.1's ConvertFrom-Json (JavaScriptSerializer) stops at 1020 levels; far below what
# the C stack holds.
MAX_DEPTH = 1020

_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[\]{}]', re.DOTALL)
_BYTE_TOKENS = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[\]{}]', re.DOTALL)


def too_deep(text: str | bytes, limit: int = MAX_DEPTH, start: int = 0) -> int | None:
    """The offset of the first ``[`` or ``{`` nested more than ``limit`` deep (outside strings), or ``None``.

    Cheap for ordinary text: when the whole text holds no more than ``limit`` opening brackets it
    cannot nest deeper, and nothing is scanned.
    """
    if isinstance(text, bytes):
        opening, pattern = (b"[", b"{"), _BYTE_TOKENS
    else:
        opening, pattern = ("[", "{"), _TOKENS
    if text.count(opening[0], start) + text.count(opening[1], start) <= limit:
        return None
    depth = 0
    for match in pattern.finditer(text, start):
        token = match.group()
        if token[:1] in opening:
            depth += 1
            if depth > limit:
                return match.start()
        elif token[:1] not in (b'"', '"'):
            depth = max(depth - 1, 0)
    return None
