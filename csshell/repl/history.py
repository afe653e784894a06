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
* positional arguments of a PIN command from its PIN position on (``Set-CsClientPin "Ken Myer"
  121989``);
* literal values assigned to a variable or hashtable key whose name contains ``pin``
  (``$newPin = "121989"``, ``@{Identity="x"; Pin="121989"}``) when they contain a digit;
* the value of ``-Password`` (spelled out in full) on any command: ``Set-CsAdminCredential
  -Identity x -Password 'S3cret!'`` (a typed password is as secret as a PIN).

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

# command (lower-case) -> 0-based position of its PIN among positional arguments
PIN_COMMANDS: dict[str, int] = {"set-csclientpin": 1, "test-csdialinpin": 1, "set-csdialinpin": 1}

_PLAIN_VARIABLE = re.compile(r"^\$(?:[A-Za-z]+:)?\w+$")
_PIN_ASSIGNMENT_TARGET = re.compile(r"^(?:\[[^\]]*\])*(?:\$(?:\w+:)?\w*pin\w*|['\"]?pin['\"]?)$", re.IGNORECASE)


def mask_pins(text: str) -> str:
    """``text`` with every PIN value replaced by ``****`` (see the module docstring for the rules)."""
    spans: list[tuple[int, int]] = []
    for segment in scan(text).segments:
        spans.extend(_pin_spans(segment))
    for start, end in sorted(set(spans), reverse=True):
        text = text[:start] + MASK + text[end:]
    return text


def _pin_spans(segment: Segment) -> Iterable[tuple[int, int]]:
    """Offsets of the PIN-carrying text in one command or statement."""
    yield from _assignment_spans(segment)
    name = (segment.command_name or "").lower()
    pin_position = PIN_COMMANDS.get(name)
    arguments = segment.arguments
    position = 0
    i = 0
    while i < len(arguments):
        word = arguments[i]
        if not word.is_parameter:
            if pin_position is not None and position >= pin_position and _is_secret(word.text):
                yield word.start, word.end
            position += 1
            i += 1
            continue
        is_pin, takes_value = _classify(word.parameter_name, pin_command=pin_position is not None)
        value = word.attached_value
        if value is not None:                               # -Pin:1234 (or -Pin: 1234)
            if value:
                if is_pin and _is_secret(value):
                    yield word.end - len(value), word.end
                i += 1
                continue
            takes_value = True
        if takes_value and i + 1 < len(arguments) and not arguments[i + 1].is_parameter:
            if is_pin and _is_secret(arguments[i + 1].text):
                yield arguments[i + 1].start, arguments[i + 1].end
            i += 2
        else:
            i += 1


def _classify(name: str, pin_command: bool) -> tuple[bool, bool]:
    """(is this the PIN parameter?, does it take a value?) for a typed parameter name.

    On a PIN command any prefix of ``Pin`` counts as the PIN (even when PowerShell would call
    ``-P`` ambiguous, masking is the safe side); elsewhere only the full name ``-Pin`` does.
    """
    low = name.lower()
    if low == "password":
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


def _assignment_spans(segment: Segment) -> Iterable[tuple[int, int]]:
    """``$pin = 1234`` / ``$pin=1234`` / hashtable ``Pin = '1234'``: the literal after ``=``."""
    words = segment.words
    if not words:
        return
    first = words[0]
    if "=" in first.text and not first.text.startswith("="):
        target, value = first.text.split("=", 1)
        if _PIN_ASSIGNMENT_TARGET.match(target.strip()) and value and _has_digit(value):
            yield first.end - len(value), first.end
        if not value and _PIN_ASSIGNMENT_TARGET.match(target.strip()):
            yield from _digit_words(words[1:])
        return
    if len(words) >= 2 and _PIN_ASSIGNMENT_TARGET.match(first.text) and words[1].text.startswith("="):
        rest = words[1].text[1:]
        if rest and _has_digit(rest):
            yield words[1].start + 1, words[1].end
        yield from _digit_words(words[2:])


def _digit_words(words: list[Word]) -> Iterable[tuple[int, int]]:
    for word in words:
        if _has_digit(word.text) and not _PLAIN_VARIABLE.match(word.text):
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
