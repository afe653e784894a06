"""The interactive loop: prompt, run, repeat — until ``exit`` or Ctrl-D.

This module only wires things together; each concern lives in its own module (completion in
``completer``, colouring in ``lexer``, PIN-free history in ``history``, Enter/continuation in
``keys``, terminal output and questions in ``host``). The engine knows nothing of the terminal.
"""
from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from typing import Protocol

from prompt_toolkit import PromptSession
from prompt_toolkit.auto_suggest import AutoSuggestFromHistory
from prompt_toolkit.history import History
from prompt_toolkit.input import Input
from prompt_toolkit.output import Output
from prompt_toolkit.shortcuts import CompleteStyle

from csshell.repl.completer import ShellCompleter
from csshell.repl.history import (
    PinSafeFileHistory,
    PinSafeInMemoryHistory,
    default_history_path,
)
from csshell.repl.host import ReplHost
from csshell.repl.keys import build_key_bindings, continuation_prompt
from csshell.repl.lexer import ShellLexer, repl_style
from csshell.runtime.errors import ErrorRecord, render_error
from csshell.runtime.host import Host

__all__ = ["ReplEngine", "build_prompt_session", "default_history_path", "run_repl"]

# PipelineStoppedException's message: what PowerShell reports when Ctrl-C stops a command.
INTERRUPTED_NOTICE = "The pipeline has been stopped.\n"
# prompt_toolkit's switch for cursor position requests; read when a prompt session is created.
NO_CPR = "PROMPT_TOOLKIT_NO_CPR"


class ReplEngine(Protocol):
    """What the REPL needs from ``csshell.engine.Engine``."""

    host: Host
    exit_code: int | None

    def run_command_text(self, text: str) -> bool: ...
    def is_incomplete(self, text: str) -> bool: ...
    def command_names(self) -> list[str]: ...
    def parameter_names(self, command: str) -> list[str] | None: ...
    def complete_identity(self, prefix: str) -> list[str]: ...
    def prompt_text(self) -> str: ...
    def close(self) -> None: ...


def run_repl(engine_factory: Callable[[Host], ReplEngine], *, history_path: str | None,
             input: Input | None = None, output: Output | None = None,
             host: ReplHost | None = None, open_in_editor: bool = True) -> int:
    """Run the interactive shell; returns the process exit code (``exit N`` → N, else 0).

    ``input``/``output`` (prompt_toolkit objects) and ``host`` exist for tests and for front ends
    that drive the prompt over something other than the process's terminal. ``open_in_editor=False``
    removes Ctrl-X Ctrl-E (it starts ``$EDITOR``: a remote session must never start a program).
    """
    host = host or ReplHost(prompt_input=input, prompt_output=output)
    engine = engine_factory(host)
    try:
        history = PinSafeFileHistory(history_path) if history_path else PinSafeInMemoryHistory()
        session = build_prompt_session(engine, history, input=input, output=output, open_in_editor=open_in_editor)
        quiet_when_cpr_is_unanswered(session)
        return _read_eval_loop(engine, host, session)
    finally:
        _close(engine)


def quiet_when_cpr_is_unanswered(session: PromptSession[str]) -> None:
    """No "WARNING: your terminal doesn't support cursor position requests (CPR)" in the output.

    prompt_toolkit asks the terminal where the cursor is (CPR) and prints that warning when nothing
    answers within two seconds: a pty with no terminal emulator behind it (``script``, expect, a test
    harness) then gets it in the middle of the command output. A real terminal answers and keeps CPR;
    one that does not is noted silently, and CPR is turned off for the later prompts of this process
    (the questions of Read-Host and -Confirm), as the SSH server does for its sessions.
    """
    def unanswered() -> None:
        os.environ[NO_CPR] = "1"
    session.app.renderer.cpr_not_supported_callback = unanswered


def _read_eval_loop(engine: ReplEngine, host: Host, session: PromptSession[str]) -> int:
    """Prompt, run, repeat; the exit code once ``exit [N]`` ran or Ctrl-D was pressed."""
    while True:
        try:
            text = session.prompt(_prompt_text(engine))
        except KeyboardInterrupt:      # Ctrl-C at the prompt: drop the line, PowerShell prints nothing
            continue
        except EOFError:               # Ctrl-D on an empty line
            break
        if text.strip():
            _run_one(engine, host, text)
        if engine.exit_code is not None:
            return engine.exit_code
    return engine.exit_code or 0


def _close(engine: ReplEngine) -> None:
    """Release the engine's store (its lock and file handle) however the session ended."""
    close = getattr(engine, "close", None)
    if close is not None:
        with contextlib.suppress(Exception):   # leaving the shell must not end in a traceback
            close()


def build_prompt_session(engine: ReplEngine, history: History, *, input: Input | None = None,
                         output: Output | None = None, open_in_editor: bool = True) -> PromptSession[str]:
    """The main prompt: PowerShell colouring, Tab completion, PIN-free history, ``>>`` continuation."""
    return PromptSession(
        multiline=True,
        prompt_continuation=continuation_prompt,
        key_bindings=build_key_bindings(engine.is_incomplete),
        completer=ShellCompleter(engine),
        complete_in_thread=True,          # identity look-ups may read the store
        complete_while_typing=False,      # Tab completes, as in PowerShell
        complete_style=CompleteStyle.MULTI_COLUMN,
        lexer=ShellLexer(engine.command_names),
        style=repl_style(),
        history=history,
        auto_suggest=AutoSuggestFromHistory(),
        enable_history_search=False,      # Up/Down: previous/next line, as PowerShell 5.1
        search_ignore_case=True,
        enable_open_in_editor=open_in_editor,
        input=input,
        output=output,
    )


def _prompt_text(engine: ReplEngine) -> str:
    try:
        return engine.prompt_text()
    except Exception:  # noqa: BLE001 — a broken prompt function must not end the session
        return "PS> "


def _run_one(engine: ReplEngine, host: Host, text: str) -> None:
    """Run one input; Ctrl-C stops it, and no Python failure ever ends the session."""
    try:
        engine.run_command_text(text)
    except KeyboardInterrupt:
        host.write_error(INTERRUPTED_NOTICE)
    except Exception as exc:  # noqa: BLE001 — shown as an error record, never as a traceback
        record = ErrorRecord(message=str(exc) or type(exc).__name__, error_id=type(exc).__name__,
                             reason=type(exc).__name__)
        host.write_error(render_error(record) + "\n")
