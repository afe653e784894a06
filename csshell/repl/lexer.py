"""Syntax colouring of the input line, and the prompt's colour scheme.

Pygments' ``PowerShellLexer`` does the work. It marks every word shaped like an approved
``Verb-Noun`` as ``Name.Builtin``, known or not (reference/ux-remote-store.md §1.2), so the wrapper
re-styles such a word as ``unknown-command`` when the engine knows no command by that name: a typo
in a cmdlet name shows before Enter, while running it still gives PowerShell's usual
CommandNotFoundException.
"""
from __future__ import annotations

from collections.abc import Callable

from prompt_toolkit.document import Document
from prompt_toolkit.formatted_text import StyleAndTextTuples
from prompt_toolkit.lexers import Lexer, PygmentsLexer
from prompt_toolkit.styles import Style
from pygments.lexers.shell import PowerShellLexer

BUILTIN_STYLE = "class:pygments.name.builtin"
UNKNOWN_COMMAND_STYLE = "class:unknown-command"


class ShellLexer(Lexer):
    """``PygmentsLexer(PowerShellLexer)`` plus unknown-command marking.

    ``command_names`` is called once per input change (not per line), so it may be the engine's
    own method; it is expected to be cheap.
    """

    def __init__(self, command_names: Callable[[], list[str]] | None = None) -> None:
        self._pygments = PygmentsLexer(PowerShellLexer)
        self._command_names = command_names

    def lex_document(self, document: Document) -> Callable[[int], StyleAndTextTuples]:
        get_line = self._pygments.lex_document(document)
        if self._command_names is None:
            return get_line
        try:
            known = {name.lower() for name in self._command_names()}
        except Exception:  # noqa: BLE001 — colouring must never break typing
            return get_line

        def get_marked_line(lineno: int) -> StyleAndTextTuples:
            return [_mark(fragment, known) for fragment in get_line(lineno)]

        return get_marked_line


def _mark(fragment: tuple, known: set[str]) -> tuple:
    style, text = fragment[0], fragment[1]
    if style == BUILTIN_STYLE and "-" in text and text.strip().lower() not in known:
        return (UNKNOWN_COMMAND_STYLE, *fragment[1:])
    return fragment


def repl_style() -> Style:
    """Colours added on top of the default Pygments style (which PromptSession includes)."""
    return Style.from_dict({
        "unknown-command": "ansired",
        "continuation": "ansibrightblack",
    })
