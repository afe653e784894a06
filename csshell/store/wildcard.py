"""PowerShell wildcards (``*``, ``?``, ``[a-z]``) as case-insensitive regular expressions.

Identities accept only ``*`` (reference sfb-cmdlets.md §2); ``-like`` in filters accepts all three.
"""
from __future__ import annotations

import re
from functools import lru_cache


class WildcardPatternException(ValueError):
    """An invalid pattern (``[z-a]``, an unclosed ``[``), worded as PowerShell's exception of that name.

    It carries ``message``/``error_id``/``category`` like the other store errors, so the cmdlet that
    hits it reports a PowerShell error record (never ``re.error``).
    """

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.message = f"The specified wildcard character pattern is not valid: {pattern}"
        self.error_id = "RuntimeException"
        self.category = "NotSpecified"
        super().__init__(self.message)


@lru_cache(maxsize=512)
def wildcard_regex(pattern: str, star_only: bool = False, case_sensitive: bool = False) -> re.Pattern[str]:
    """Compile ``pattern`` to an anchored regex (``^...\\Z``: ``match`` and ``fullmatch`` agree).

    Follows PowerShell's ``WildcardPatternParser``: inside ``[...]`` every character is literal except
    ``-`` (a range) and the backtick; a ``]`` right after ``[`` is literal; backticks escape; a reversed
    range or an unclosed ``[`` is invalid. A trailing backtick is literal; a lone one matches nothing but
    the empty string. ``star_only`` (identities) treats every character but ``*`` literally. This is the
    one wildcard implementation: the runtime's ``-like`` uses it too (the store is the lowest layer).
    """
    out: list[str] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "*":
            out.append(".*")
        elif ch == "?" and not star_only:
            out.append(".")
        elif ch == "[" and not star_only:
            body, i = _bracket(pattern, i + 1)
            out.append(body)
            continue
        elif ch == "`" and not star_only and i + 1 < len(pattern):
            i += 1
            out.append(re.escape(pattern[i]))
        elif not (ch == "`" and pattern == "`" and not star_only):
            out.append(re.escape(ch))
        i += 1
    flags = re.DOTALL | (0 if case_sensitive else re.IGNORECASE)
    return re.compile("^" + "".join(out) + r"\Z", flags)


def _bracket(pattern: str, i: int) -> tuple[str, int]:
    """The regex class for ``[...]`` whose body starts at ``i``, and the index after its ``]``."""
    chars: list[tuple[str, bool]] = []        # (character, is an unescaped '-')
    start, escaped = i, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "]" and i > start and not escaped:
            return _bracket_class(chars, pattern), i + 1
        if ch != "`" or escaped:
            chars.append((ch, ch == "-" and not escaped))
        escaped = ch == "`" and not escaped
        i += 1
    raise WildcardPatternException(pattern)


def _bracket_class(chars: list[tuple[str, bool]], pattern: str) -> str:
    parts, k = [], 0
    while k < len(chars):
        if k + 2 < len(chars) and chars[k + 1][1]:
            low, high = chars[k][0], chars[k + 2][0]
            if low > high:
                raise WildcardPatternException(pattern)
            parts.append(f"{re.escape(low)}-{re.escape(high)}")
            k += 3
        else:
            parts.append(re.escape(chars[k][0]))
            k += 1
    return "[" + "".join(parts) + "]" if parts else "(?!)"


def has_wildcard(text: str) -> bool:
    return "*" in text


def like(value: str, pattern: str) -> bool:
    """``value -like pattern`` (case-insensitive)."""
    return wildcard_regex(pattern).fullmatch(value) is not None
