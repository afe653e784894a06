"""Tab completion: command names, parameter names, ``-Identity`` values.

As in PowerShell, what Tab completes depends on where the cursor is in the *current pipeline
segment* (the command after the last ``|``, ``;`` or open bracket):

* first word — command names (cmdlets, aliases, functions), case-insensitive prefix match, or a
  wildcard pattern (``*-CsClient*``) expanded to every matching name;
* a word starting with ``-`` — that command's parameter names, common parameters included
  (``Lock-CsClientPin -Id`` → ``-Identity``);
* the value after ``-Identity`` (or ``-Identity:``, or the first positional argument of a command
  that has an Identity parameter) — users from the store via the engine, quoted when needed.

The completer asks the engine for names at every Tab, so functions and aliases defined during the
session appear at once. It never raises: a failing engine call simply completes nothing.
"""
from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from typing import Protocol

from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document

from csshell.repl.words import DOUBLE_QUOTES, SINGLE_QUOTES, Word, scan

_NEEDS_QUOTES = set(" \t'\"`$;|(){},&<>\u2018\u2019\u201c\u201d")
_NEEDS_QUOTES_FIRST = set("@#-<>")       # splatting, comment, parameter, redirection


class CompletionSource(Protocol):
    """The part of the engine the completer reads."""

    def command_names(self) -> list[str]: ...
    def parameter_names(self, command: str) -> list[str] | None: ...
    def complete_identity(self, prefix: str) -> list[str]: ...


class ShellCompleter(Completer):
    """prompt_toolkit completer over an engine's commands, parameters and identities."""

    def __init__(self, source: CompletionSource) -> None:
        self.source = source

    def get_completions(self, document: Document, complete_event: CompleteEvent) -> Iterable[Completion]:
        text = document.text_before_cursor
        found = scan(text)
        words = found.current.words
        current = words[-1] if found.ends_in_word and words else None
        before = words[:-1] if current is not None else words
        typed = current.text if current is not None else ""
        try:
            if _is_command_position(before):
                yield from self._commands(typed)
                return
            command = found.current.command_name or ""
            if current is not None and (current.is_parameter or typed == "-"):
                if current.attached_value is not None:
                    if self._resolves_to_identity(command, current.parameter_name):
                        yield from self._identities(current.attached_value)
                    return
                yield from self._parameters(command, typed)
                return
            if self._wants_identity(command, before):
                yield from self._identities(typed)
        except Exception:   # noqa: BLE001 — a completion failure must never break the prompt
            return

    # -- command names ---------------------------------------------------------------------------
    def _commands(self, typed: str) -> Iterable[Completion]:
        if typed[:1] in ("$", "-") or typed[:1] in SINGLE_QUOTES + DOUBLE_QUOTES:
            return
        names = sorted(set(self.source.command_names()), key=str.lower)
        if any(ch in typed for ch in "*?["):
            matches = [n for n in names if fnmatch.fnmatchcase(n.lower(), typed.lower())]
        else:
            matches = [n for n in names if n.lower().startswith(typed.lower())]
        for name in matches:
            yield Completion(name, start_position=-len(typed))

    # -- parameter names -------------------------------------------------------------------------
    def _parameters(self, command: str, typed: str) -> Iterable[Completion]:
        names = self.source.parameter_names(command) if command else None
        if not names:
            return
        prefix = typed[1:].lower()
        for name in names:
            if name.lower().startswith(prefix):
                yield Completion("-" + name, start_position=-len(typed))

    def _resolves_to_identity(self, command: str, typed_name: str) -> bool:
        """Does ``-typed_name`` bind to Identity? (exact name, or a prefix only Identity matches)."""
        names = self.source.parameter_names(command) or []
        low = typed_name.lower()
        if low == "identity":
            return any(n.lower() == "identity" for n in names)
        matches = [n for n in names if n.lower().startswith(low)] if low else []
        return len(matches) == 1 and matches[0].lower() == "identity"

    # -- identity values -------------------------------------------------------------------------
    def _wants_identity(self, command: str, before: list[Word]) -> bool:
        if len(before) < 1:
            return False
        last = before[-1]
        if last.is_parameter and last.attached_value is None:
            return self._resolves_to_identity(command, last.parameter_name)
        # the first positional argument (Identity is position 1 on the Cs user cmdlets)
        arguments = before[1:] if before[0].text not in ("&", ".") else before[2:]
        if arguments:
            return False
        names = self.source.parameter_names(command) or []
        return any(n.lower() == "identity" for n in names)

    def _identities(self, typed: str) -> Iterable[Completion]:
        quote = typed[:1] if typed[:1] in SINGLE_QUOTES + DOUBLE_QUOTES else ""
        prefix = typed[1:] if quote else typed
        if quote and len(prefix) >= 1 and prefix[-1] == quote:
            prefix = prefix[:-1]
        for value in self.source.complete_identity(prefix):
            yield Completion(quote_argument(value, quote), start_position=-len(typed), display=value)


def _is_command_position(before: list[Word]) -> bool:
    """Nothing before the cursor in this segment, or only a call operator (``&``, ``.``)."""
    return not before or (len(before) == 1 and before[0].text in ("&", "."))


def quote_argument(value: str, quote: str = "") -> str:
    """``value`` as a command argument: bare when safe, else quoted (single quotes by default).

    PowerShell's own completion uses single quotes, which expand nothing; a user who already
    typed a double quote keeps it (with ``"`` and `` ` `` and ``$`` escaped by a backtick).
    """
    if quote in DOUBLE_QUOTES and quote:
        escaped = "".join("`" + ch if ch in '"`$' else ch for ch in value)
        return f'"{escaped}"'
    if not quote and value and not (set(value) & _NEEDS_QUOTES) and value[0] not in _NEEDS_QUOTES_FIRST:
        return value
    return "'" + value.replace("'", "''") + "'"
