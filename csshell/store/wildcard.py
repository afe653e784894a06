"""PowerShell wildcards (``*``, ``?``, ``[a-z]``) as case-insensitive regular expressions.

Identities accept only ``*`` (reference sfb-cmdlets.md §2); ``-like`` in filters accepts all three.
"""
from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=256)
def wildcard_regex(pattern: str, star_only: bool = False) -> re.Pattern[str]:
    """Compile ``pattern`` to a full-match, case-insensitive regex."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "*":
            out.append(".*")
        elif ch == "?" and not star_only:
            out.append(".")
        elif ch == "[" and not star_only and "]" in pattern[i + 1:]:
            end = pattern.index("]", i + 1)
            body = pattern[i + 1:end].replace("\\", "\\\\")
            out.append(f"[{body}]" if body else re.escape("[]"))
            i = end
        elif ch == "`" and not star_only and i + 1 < len(pattern):
            i += 1
            out.append(re.escape(pattern[i]))
        else:
            out.append(re.escape(ch))
        i += 1
    return re.compile("".join(out), re.IGNORECASE | re.DOTALL)


def has_wildcard(text: str) -> bool:
    return "*" in text


def like(value: str, pattern: str) -> bool:
    """``value -like pattern`` (case-insensitive)."""
    return wildcard_regex(pattern).fullmatch(value) is not None
