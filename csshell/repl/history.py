"""Command history that never keeps a PIN.

DESIGN.md §4: a PIN is shown once and never logged or kept in history. PowerShell's PSReadLine
offers an ``AddToHistoryHandler`` for exactly this; we do the equivalent one step earlier: every
line is *masked* before it enters the history, in memory (Up arrow, Ctrl-R, auto-suggest) and on
disk alike. Masking rather than dropping keeps the rest of the line re-usable; re-running a masked
line fails the PIN policy check (``****`` is not digits) instead of setting a PIN nobody knows.

What is masked (the value's whole word becomes ``****``):

* the value of a PIN parameter — ``-Pin 1234``, ``-pin:'1234'``, or any unique prefix (``-P``,
  ``-Pi``) — of a PIN command (``Set-CsClientPin``, ``Test-CsDialInPin``); ``-Pin`` spelled out in
  full on any other command;
* positional arguments of a PIN command that land on its PIN position or beyond, counted as
  PowerShell binds them: named parameters first, then the positional arguments fill the positions
  still free, so ``Set-CsClientPin "Ken Myer" 121989`` and ``Set-CsClientPin -Identity "Ken Myer"
  121989`` (or ``121989 -Identity x``) alike. Where the binding cannot be told from the text (pipeline
  input, a splatted ``@params``) every positional argument holding a digit is masked;
* literal values assigned to a variable or hashtable key whose name contains ``pin``
  (``$newPin = "121989"``, ``@{Identity="x"; Pin="121989"}``) when they contain a digit;
* the value of ``-Password`` on any command, also abbreviated down to ``-Passw`` (``-Pass`` may be
  ``-PassThru``): ``Set-CsAdminCredential -Identity x -Password 'S3cret!'`` (a typed password is as
  secret as a PIN);
* a command run by the call operator from a variable or expression (``& $cmd "Ken Myer" 12345``):
  it may be a PIN command whose binding cannot be seen, so it is treated as one with uncertain
  positions (every positional argument holding a digit, and any ``-Pin`` prefix);
* any literal string (or value holding a digit) assigned to a variable named like ``passw``,
  ``pwd`` or ``secret`` (or a ``Password``/``Secret`` key), or to a variable that the same line
  passes as a PIN (``$p = "12345"; Set-CsClientPin x -Pin $p``);
* a quoted string of 4 to 24 digits assigned to any variable (``$p = '0123'``): it looks like a PIN,
  and may be used as one on a later line.

A plain variable reference (``-Pin $pin``) is left alone: it holds no digits.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterable

from prompt_toolkit.history import FileHistory, History, InMemoryHistory

from csshell.repl.words import Segment, Word, scan

MASK = "****"

# Parameters of the PIN commands, so that positional arguments can be counted. Names are
# lower-case; aliases of the common parameters are included. Unknown names count as switches.
_VALUE_PARAMETERS = frozenset({
    "identity", "pin", "erroraction", "warningaction", "informationaction", "errorvariable",
    "warningvariable", "informationvariable", "outvariable", "outbuffer", "pipelinevariable",
    "ea", "wa", "infa", "ev", "wv", "iv", "ov", "ob", "pv",
})
_SWITCH_PARAMETERS = frozenset({"force", "whatif", "confirm", "verbose", "debug", "wi", "cf", "vb", "db"})

# command (lower-case) -> its positional parameters in position order (the PIN is one of them)
PIN_COMMANDS: dict[str, tuple[str, ...]] = {
    "set-csclientpin": ("identity", "pin"),
    "test-csdialinpin": ("identity", "pin"),
    "set-csdialinpin": ("identity", "pin"),
}

_PLAIN_VARIABLE = re.compile(r"^\$(?:[A-Za-z]+:)?\w+$")
_SPLAT = re.compile(r"^@\w+$")
_PIN_ASSIGNMENT_TARGET = re.compile(r"^(?:\[[^\]]*\])*(?:\$(?:\w+:)?\w*pin\w*|['\"]?pin['\"]?)$", re.IGNORECASE)
# a variable or hashtable key named like a password or secret: any literal assigned to it is masked
_SECRET_ASSIGNMENT_TARGET = re.compile(
    r"^(?:\[[^\]]*\])*(?:\$(?:\w+:)?\w*(?:passw|pwd|secret)\w*|['\"]?(?:password|secret)['\"]?)$", re.IGNORECASE)
_ANY_VARIABLE_TARGET = re.compile(r"^(?:\[[^\]]*\])*\$(?:(?P<scope>\w+):)?(?P<name>\w+)$")
# a quoted string of 4 to 24 digits: what a PIN looks like, whatever the variable is called
_QUOTED_DIGITS = re.compile(r"^(['\"\u2018\u2019\u201c\u201d])\d{4,24}\1$")
_PASSWORD_PREFIX_MIN = 5      # -Passw (shorter prefixes also start -PassThru)


def mask_pins(text: str) -> str:
    """``text`` with every PIN value replaced by ``****`` (see the module docstring for the rules)."""
    spans: list[tuple[int, int]] = []
    segments = scan(text).segments
    values = [(segment, _pin_values(segment, piped=_is_piped(text, segment))) for segment in segments]
    # variables passed as a PIN (or password) anywhere in the line: what is assigned to them is masked too
    pin_variables = {_variable_key(value) for _, found in values for _, _, value in found
                     if _PLAIN_VARIABLE.match(value)}
    for segment, found in values:
        spans.extend(_assignment_spans(segment, pin_variables))
        spans.extend((start, end) for start, end, value in found if _is_secret(value))
    for start, end in sorted(set(spans), reverse=True):
        text = text[:start] + MASK + text[end:]
    return text


def _is_piped(text: str, segment: Segment) -> bool:
    """Whether the command receives pipeline input (a ``|`` before its first word)."""
    if not segment.words:
        return False
    return text[:segment.words[0].start].rstrip(" \t\r\n`").endswith("|")


def _variable_key(text: str) -> str:
    """``$Script:Pin`` and ``$pin`` are the same variable to us: lower-case name without scope."""
    return text.lstrip("$").split(":")[-1].lower()


def _pin_values(segment: Segment, piped: bool = False) -> list[tuple[int, int, str]]:
    """(start, end, text) of every argument of one command that is (or may be) a PIN or password,
    plain variables included (the caller masks only what is not one, and notes the variables)."""
    positions = PIN_COMMANDS.get((segment.command_name or "").lower())
    if positions is None and _is_dynamic_call(segment):
        # `& $cmd x 1234`: the command is only known when it runs; it may be a PIN command whose
        # binding we cannot see, so it is treated as one with uncertain positions
        positions, piped = PIN_COMMANDS["set-csclientpin"], True
    named, positionals, values = _split_arguments(segment.arguments, positions or ())
    if positions is not None:
        values.extend(_positional_pin_values(positions, named, positionals, piped))
    return values


def _is_dynamic_call(segment: Segment) -> bool:
    """``& $cmd ...`` / ``. (Get-Command x) ...``: a call operator whose command is not written out."""
    words = segment.words
    return len(words) >= 2 and words[0].text in ("&", ".") and words[1].text[:1] in ("$", "(")


def _split_arguments(arguments: list[Word],
                     positions: tuple[str, ...]) -> tuple[set[str], list[Word], list[tuple[int, int, str]]]:
    """(positional parameters given by name, positional words, named PIN values as (start, end, text)).

    ``positions`` are the PIN command's positional parameters (empty for any other command). A
    typed name counts for every one of them it is a prefix of: ``-Id`` fills ``Identity``, and so
    does the ambiguous ``-I`` (the safe side: the next positional argument then counts as the PIN).
    """
    named: set[str] = set()
    positionals: list[Word] = []
    spans: list[tuple[int, int, str]] = []
    i = 0
    while i < len(arguments):
        word = arguments[i]
        if not word.is_parameter:
            positionals.append(word)
            i += 1
            continue
        low = word.parameter_name.lower()
        named.update(p for p in positions if p.startswith(low))
        is_pin, takes_value = _classify(word.parameter_name, pin_command=bool(positions))
        value = word.attached_value
        if value is not None:                               # -Pin:1234 (or -Pin: 1234)
            if value:
                if is_pin:
                    spans.append((word.end - len(value), word.end, value))
                i += 1
                continue
            takes_value = True
        if takes_value and i + 1 < len(arguments) and not arguments[i + 1].is_parameter:
            if is_pin:
                spans.append((arguments[i + 1].start, arguments[i + 1].end, arguments[i + 1].text))
            i += 2
        else:
            i += 1
    return named, positionals, spans


def _positional_pin_values(positions: tuple[str, ...], named: set[str], positionals: list[Word],
                           piped: bool) -> Iterable[tuple[int, int, str]]:
    """The positional arguments that are (or could be) the PIN.

    PowerShell binds named parameters first, then the positional arguments in order to the
    positions still free: ``Set-CsClientPin -Identity x 1234`` makes ``1234`` the PIN. Every
    argument that lands on the PIN's position or beyond it is masked. When the positions cannot be
    known from the text (a splatted ``@params``, or pipeline input the user may have meant for
    ``Identity``), every positional argument holding a digit is masked as well.
    """
    free = [name for name in positions if name not in named]
    before_pin = set(positions[:positions.index("pin")])
    uncertain = piped or any(_SPLAT.match(word.text) for word in positionals)
    for index, word in enumerate(positionals):
        lands_on = free[index] if index < len(free) else None    # None: beyond the last position
        if lands_on in before_pin and not (uncertain and _has_digit(word.text)):
            continue
        yield word.start, word.end, word.text


def _classify(name: str, pin_command: bool) -> tuple[bool, bool]:
    """(is this the PIN parameter?, does it take a value?) for a typed parameter name.

    On a PIN command any prefix of ``Pin`` counts as the PIN (even when PowerShell would call
    ``-P`` ambiguous, masking is the safe side); elsewhere only the full name ``-Pin`` does.
    """
    low = name.lower()
    if len(low) >= _PASSWORD_PREFIX_MIN and "password".startswith(low):      # -Password, -Passw, -Passwo...
        return True, True
    if not pin_command:
        return low == "pin", low == "pin"
    if low and "pin".startswith(low):
        return True, True
    if low in _VALUE_PARAMETERS:
        return False, True
    if low in _SWITCH_PARAMETERS:
        return False, False
    candidates = [p for p in _VALUE_PARAMETERS | _SWITCH_PARAMETERS if p.startswith(low)]
    return False, bool(candidates) and all(c in _VALUE_PARAMETERS for c in candidates)


def _assignment_spans(segment: Segment, pin_variables: frozenset[str] | set[str] = frozenset()
                      ) -> Iterable[tuple[int, int]]:
    """``$pin = 1234`` / ``$pin=1234`` / hashtable ``Pin = '1234'``: the literal after ``=``.

    Which literals, by the target: a name like ``pin`` → words holding a digit; a name like
    ``password``/``secret``, or a variable the same line passes as a PIN (``pin_variables``) → quoted
    strings and words holding a digit; any other variable → a quoted string of 4 to 24 digits.
    """
    words = segment.words
    if not words:
        return
    first = words[0]
    if "=" in first.text and not first.text.startswith("="):
        target, value = first.text.split("=", 1)
        if value:
            if _value_is_masked(target.strip(), value, pin_variables):
                yield first.end - len(value), first.end
        else:
            yield from _value_words(target.strip(), words[1:], pin_variables)
        return
    if len(words) >= 2 and words[1].text.startswith("="):
        rest = words[1].text[1:]
        if rest and _value_is_masked(first.text, rest, pin_variables):
            yield words[1].start + 1, words[1].end
        yield from _value_words(first.text, words[2:], pin_variables)


def _target_kind(target: str, pin_variables: frozenset[str] | set[str]) -> str | None:
    """How to mask what is assigned to ``target``: "pin", "secret", "digits" or None (not a target)."""
    if _PIN_ASSIGNMENT_TARGET.match(target):
        return "pin"
    if _SECRET_ASSIGNMENT_TARGET.match(target):
        return "secret"
    variable = _ANY_VARIABLE_TARGET.match(target)
    if variable is None:
        return None
    return "secret" if variable.group("name").lower() in pin_variables else "digits"


def _value_is_masked(target: str, value: str, pin_variables: frozenset[str] | set[str]) -> bool:
    kind = _target_kind(target, pin_variables)
    if kind == "pin":
        return _has_digit(value) and not _PLAIN_VARIABLE.match(value)
    if kind == "secret":
        return not _PLAIN_VARIABLE.match(value) and (_has_digit(value) or value[:1] in "'\"\u2018\u2019\u201c\u201d")
    return kind == "digits" and bool(_QUOTED_DIGITS.match(value))


def _value_words(target: str, words: list[Word], pin_variables: frozenset[str] | set[str]
                 ) -> Iterable[tuple[int, int]]:
    for word in words:
        if _value_is_masked(target, word.text, pin_variables):
            yield word.start, word.end


def _has_digit(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


def _is_secret(value: str) -> bool:
    """Everything but a plain ``$variable`` may carry a PIN."""
    return not _PLAIN_VARIABLE.match(value)


class PinSafeHistoryMixin(History):
    """Masks PINs before a line reaches memory or storage, and again when old files are loaded."""

    def append_string(self, string: str) -> None:
        super().append_string(mask_pins(string))

    def store_string(self, string: str) -> None:
        super().store_string(mask_pins(string))

    def load_history_strings(self) -> Iterable[str]:
        for line in super().load_history_strings():
            yield mask_pins(line)


class PinSafeFileHistory(PinSafeHistoryMixin, FileHistory):
    """The persistent history file (readable by its owner only: it is an admin's command log)."""

    def __init__(self, filename: str) -> None:
        folder = os.path.dirname(os.path.abspath(filename))
        os.makedirs(folder, mode=0o700, exist_ok=True)
        if not os.path.exists(filename):
            fd = os.open(filename, os.O_WRONLY | os.O_CREAT, 0o600)
            os.close(fd)
        super().__init__(filename)


class PinSafeInMemoryHistory(PinSafeHistoryMixin, InMemoryHistory):
    """History for sessions that must not write a file (``history_path=None``)."""


def default_history_path() -> str:
    """Where the interactive history lives: ``$XDG_DATA_HOME/csshell/history`` (or the OS's data folder)."""
    if os.name == "nt":
        base = os.environ.get("LOCALAPPDATA") or os.path.expanduser(r"~\AppData\Local")
    else:
        base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return os.path.join(base, "csshell", "history")
