"""PowerShell's two pattern languages on Python's ``re``: .NET regular expressions and wildcards.

``-match``, ``-replace``, ``-split``, ``switch -Regex`` and ``[regex]`` use .NET regular expressions;
the few places where .NET's syntax differs from Python's (named groups ``(?<name>..)``, ``\\k<name>``,
``\\z``, group numbering, ``$1``/``${name}`` substitutions) are translated here. ``-like`` and the
``-Property`` wildcards of the cmdlets use PowerShell wildcards (``*``, ``?``, ``[a-z]``, backtick
escapes), compiled to ``re`` by the store layer's matcher (``csshell/store/wildcard.py``, the lowest
layer, shared with identity look-ups); this module adds PowerShell's error record.
"""
from __future__ import annotations

import re
from typing import Any

from csshell.runtime.dotnet_types import runtime_error
from csshell.runtime.errors import INVALID_OPERATION, NOT_SPECIFIED, PSError
from csshell.runtime.values import PSHashtable, PSObject


# =============================================================================================
# Wildcards
# =============================================================================================

def invalid_wildcard(pattern: str) -> PSError:
    """PowerShell's WildcardPatternException (a RuntimeException: FQID ``RuntimeException``)."""
    err = runtime_error(f"The specified wildcard character pattern is not valid: {pattern}", "RuntimeException",
                        NOT_SPECIFIED, "WildcardPatternException")
    err.record.exception_type = "System.Management.Automation.WildcardPatternException"
    return err


def wildcard_to_regex(pattern: str, case_sensitive: bool = False) -> re.Pattern:
    """A PowerShell wildcard (``*``, ``?``, ``[a-z]``, backtick escapes) as an anchored regex.

    The translation lives in the store layer (``csshell/store/wildcard.py``, shared with identity
    look-ups); here an invalid pattern becomes PowerShell's error record.
    """
    from csshell.store.wildcard import WildcardPatternException, wildcard_regex  # the store package is heavy
    try:
        return wildcard_regex(pattern, case_sensitive=case_sensitive)
    except WildcardPatternException:
        raise invalid_wildcard(pattern) from None


def wildcard_match(pattern: str, text: str, case_sensitive: bool = False) -> bool:
    """``text -like pattern``."""
    return wildcard_to_regex(pattern, case_sensitive).match(text) is not None


# =============================================================================================
# .NET regular expressions on Python's re
# =============================================================================================

_NET_SYNTAX = re.compile(r"\\k<(\w+)>|\\[zZ]|\\.|\(\?<(?![=!])(\w+)>|\(\?'(\w+)'|\[(?:\\.|[^\]])*\]", re.S)


def _translate_net_regex(pattern: str) -> str:
    """Rewrite the .NET-only syntax (``(?<name>..)``, ``\\k<name>``, ``\\z``) into Python's."""
    def fix(m: re.Match) -> str:
        text = m.group(0)
        if m.group(1):
            return f"(?P={m.group(1)})"
        if text == "\\z":
            return "\\Z"
        if text == "\\Z":
            return "(?=\\n?\\Z)"
        if m.group(2) or m.group(3):
            return f"(?P<{m.group(2) or m.group(3)}>"
        return text
    return _NET_SYNTAX.sub(fix, pattern)


def compile_regex(pattern: str, ignore_case: bool = True, multiline: bool = False) -> re.Pattern:
    """Compile a .NET pattern; an invalid one is PowerShell's InvalidRegularExpression error."""
    flags = (re.IGNORECASE if ignore_case else 0) | (re.MULTILINE if multiline else 0)
    try:
        return re.compile(_translate_net_regex(pattern), flags)
    except (re.error, OverflowError):
        raise runtime_error(f"The regular expression pattern {pattern} is not valid.", "InvalidRegularExpression",
                            INVALID_OPERATION, "RuntimeException", target=pattern) from None


def expand_replacement(m: re.Match, replacement: str) -> str:
    """Expand .NET substitutions: ``$1``, ``${name}``, ``$0``/``$&``, ``$$``, ``$` ``, ``$'``, ``$+``, ``$_``."""
    out, i, n = [], 0, len(replacement)
    while i < n:
        ch = replacement[i]
        if ch != "$" or i + 1 >= n:
            out.append(ch)
            i += 1
            continue
        nxt = replacement[i + 1]
        text, used = _substitution(m, replacement, i, nxt)
        out.append(text)
        i += used
    return "".join(out)


def _substitution(m: re.Match, replacement: str, i: int, nxt: str) -> tuple[str, int]:
    simple = {"$": "$", "&": m.group(0), "`": m.string[:m.start()], "'": m.string[m.end():],
              "_": m.string}
    if nxt in simple:
        return simple[nxt], 2
    if nxt == "+":
        last = m.lastindex
        return (m.group(last) or "") if last else "", 2
    groups = dict(net_groups(m.re))
    if nxt == "{":
        end = replacement.find("}", i + 2)
        name = replacement[i + 2:end] if end > 0 else ""
        key: Any = int(name) if name.isdigit() else name
        lookup = next((index for k, index in groups.items() if str(k).lower() == str(key).lower()), None)
        if end > 0 and lookup is not None:
            return m.group(lookup) or "", end - i + 1
        return "$", 1
    digits = re.match(r"\d+", replacement[i + 1:])
    if digits:
        text = digits.group(0)
        while text and int(text) not in groups:
            text = text[:-1]
        if text:
            return m.group(groups[int(text)]) or "", len(text) + 1
    return "$", 1


def net_groups(regex: re.Pattern) -> list[tuple[Any, int]]:
    """.NET group keys in .NET order, each with its Python group index.

    .NET numbers unnamed groups first (1, 2, ...) and names the named ones, so in
    ``(?<first>\\w+) (\\w+)`` group 1 is the *second* parenthesis; Python numbers by position.
    """
    named = {index: name for name, index in regex.groupindex.items()}
    unnamed = [i for i in range(1, regex.groups + 1) if i not in named]
    return [(0, 0)] + [(n, i) for n, i in enumerate(unnamed, 1)] + sorted(
        ((name, i) for i, name in named.items()), key=lambda pair: pair[1])


def matches_table(m: re.Match) -> PSHashtable:
    """The ``$Matches`` hashtable: named groups first, then numbers from the highest (PowerShell's order)."""
    table = PSHashtable()
    keys = net_groups(m.re)
    for key, index in [k for k in keys if isinstance(k[0], str)] + sorted(
            (k for k in keys if isinstance(k[0], int)), key=lambda pair: -pair[0]):
        if m.group(index) is not None:
            table[key] = m.group(index)
    return table


# =============================================================================================
# [regex] values: Match objects and Regex.Escape
# =============================================================================================

def match_object(m: re.Match | None) -> PSObject:
    """A ``System.Text.RegularExpressions.Match``: Success, Value, Index, Length and Groups.

    A Match and each of its Groups print as their matched text (``Capture.ToString()`` is ``Value``),
    so ``"$([regex]::Match('a1', '\\d'))"`` is ``1``.
    """
    groups = PSHashtable()
    for key, index in (net_groups(m.re) if m is not None else []):
        value = m.group(index) or ""
        groups[key] = PSObject([("Success", m.group(index) is not None), ("Name", str(key)), ("Value", value),
                                ("Index", max(m.start(index), 0)), ("Length", len(value))],
                               ["System.Text.RegularExpressions.Group"], tostring=value)
    value = m.group(0) if m else ""
    return PSObject([("Groups", groups), ("Success", m is not None), ("Name", "0"), ("Value", value),
                     ("Index", m.start() if m else 0), ("Length", len(value))],
                    ["System.Text.RegularExpressions.Match"], tostring=value)


_NET_ESCAPES = {"\\": "\\\\", "*": "\\*", "+": "\\+", "?": "\\?", "|": "\\|", "{": "\\{", "[": "\\[",
                "(": "\\(", ")": "\\)", "^": "\\^", "$": "\\$", ".": "\\.", "#": "\\#", " ": "\\ ",
                "\t": "\\t", "\n": "\\n", "\r": "\\r", "\f": "\\f"}


def net_escape(text: str) -> str:
    """``[regex]::Escape``: .NET escapes spaces, ``#`` and the whitespace controls as well as metacharacters."""
    return "".join(_NET_ESCAPES.get(ch, ch) for ch in text)


# =============================================================================================
# -split options ([System.Management.Automation.SplitOptions])
# =============================================================================================

SPLIT_OPTIONS = ("SimpleMatch", "RegexMatch", "CultureInvariant", "IgnorePatternWhitespace", "Multiline",
                 "Singleline", "IgnoreCase", "ExplicitCapture")
_SPLIT_FLAGS = {"ignorepatternwhitespace": re.VERBOSE, "multiline": re.MULTILINE, "singleline": re.DOTALL,
                "ignorecase": re.IGNORECASE}


def split_options(value: Any) -> set[str]:
    """The lower-cased SplitOptions names in ``"SimpleMatch, IgnoreCase"`` (or a list of names).

    An unknown name is the enum conversion error PowerShell gives for ``[SplitOptions]'Foo'``.
    """
    names = value if isinstance(value, (list, tuple)) else str(value).split(",")
    known = {n.lower() for n in SPLIT_OPTIONS}
    given = [str(n).strip() for n in names if str(n).strip()]
    for name in (n for n in given if n.lower() not in known):
        raise runtime_error(
            f'Cannot convert value "{value}" to type "System.Management.Automation.SplitOptions". Error: '
            f'"Unable to match the identifier name {name} to a valid enumerator name. Specify one of the '
            f'following enumerator names and try again: {", ".join(SPLIT_OPTIONS)}"',
            "InvalidCastFromStringToEnum", INVALID_OPERATION, "RuntimeException", target=value)
    return {n.lower() for n in given}


def split_regex(pattern: str, options: set[str]) -> re.Pattern:
    """The delimiter regex of ``-split`` under ``options`` (SimpleMatch escapes, ExplicitCapture drops groups).

    SimpleMatch goes with IgnoreCase only, and Multiline not with Singleline (InvalidSplitOptionCombination).
    """
    if ("simplematch" in options and options - {"simplematch", "ignorecase"}) or \
            {"multiline", "singleline"} <= options:
        raise runtime_error("Cannot use the specified combination of options to split the string.",
                            "InvalidSplitOptionCombination", INVALID_OPERATION, "ParseException")
    if "simplematch" in options:
        pattern = re.escape(pattern)
    elif "explicitcapture" in options:
        pattern = _explicit_capture(pattern)
    flags = 0
    for name, flag in _SPLIT_FLAGS.items():
        if name in options:
            flags |= flag
    try:
        return re.compile(_translate_net_regex(pattern), flags)
    except (re.error, OverflowError):
        raise runtime_error(f"The regular expression pattern {pattern} is not valid.", "InvalidRegularExpression",
                            INVALID_OPERATION, "RuntimeException", target=pattern) from None


_GROUP_OPEN = re.compile(r"\\.|\[(?:\\.|[^\]])*\]|\((?!\?)", re.S)


def _explicit_capture(pattern: str) -> str:
    """RegexOptions.ExplicitCapture: a plain ``( )`` does not capture, only named groups do."""
    return _GROUP_OPEN.sub(lambda m: "(?:" if m.group(0) == "(" else m.group(0), pattern)
