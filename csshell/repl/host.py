"""The interactive session's host: terminal output, red errors, questions asked at the prompt.

The engine talks only to a :class:`~csshell.runtime.host.Host`. In the REPL, output goes to
stdout (coloured when it is a terminal and ``NO_COLOR`` is unset), error records to stderr in red,
and questions (mandatory parameters, ``Read-Host``, ``-Confirm``) are asked through a small
prompt_toolkit prompt of their own, so they get line editing and, for secrets, no echo.
"""
from __future__ import annotations

import os
import shutil
import sys
from typing import Callable, TextIO

from prompt_toolkit import PromptSession
from prompt_toolkit.input import Input
from prompt_toolkit.layout.processors import Processor, Transformation, TransformationInput
from prompt_toolkit.output import Output

from csshell.runtime.host import ConsoleHost, Host, write_safely

RED = "\x1b[91m"
RESET = "\x1b[0m"


class ReplHost(Host):
    """Host of an interactive terminal session (``interactive`` is always true)."""

    interactive = True
    supports_interactive_session = True     # Enter-PSSession: the engine then sends typed lines to the remote session

    def __init__(self, out: TextIO | None = None, err: TextIO | None = None,
                 prompt_input: Input | None = None, prompt_output: Output | None = None) -> None:
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.color = colour_allowed(self.out)
        self._error_color = colour_allowed(self.err)
        self._prompt_input = prompt_input
        self._prompt_output = prompt_output
        self._question_session: PromptSession[str] | None = None
        self._hidden_session: PromptSession[str] | None = None

    @property  # type: ignore[override]
    def width(self) -> int:
        """The terminal's current width: it may change while the session runs."""
        return shutil.get_terminal_size(fallback=(120, 24)).columns

    def write(self, text: str) -> None:
        write_safely(self.out, text)

    def write_error(self, text: str) -> None:
        if self._error_color:
            text = f"{RED}{text}{RESET}"
        write_safely(self.err, text)

    def write_host(self, text: str, foreground: str | None = None, background: str | None = None,
                   newline: bool = True) -> None:
        code = ConsoleHost.ANSI.get((foreground or "").lower())
        if code and self.color:
            text = f"\x1b[{code}m{text}{RESET}"
        self.write(text + ("\n" if newline else ""))

    def read_line(self, prompt: str, secret: bool = False) -> str | None:
        """Ask one question; ``None`` on Ctrl-D. Ctrl-C propagates and stops the running command."""
        try:
            return self._questions().prompt(prompt, is_password=secret)
        except EOFError:
            return None

    def read_hidden(self, prompt: str) -> str | None:
        """Ask for a sign-in secret (an SSH password, a key's passphrase) showing nothing at all while it is
        typed, as OpenSSH does: not even the asterisks of Read-Host -AsSecureString, which tell the secret's
        length. ``None`` on Ctrl-D; Ctrl-C propagates."""
        if self._hidden_session is None:
            self._hidden_session = PromptSession(input=self._prompt_input, output=self._prompt_output,
                                                 input_processors=[ShowNothing()])
        try:
            return self._hidden_session.prompt(prompt)
        except EOFError:
            return None

    def enter_nested_prompt(self, prompt: Callable[[], str], run_line: Callable[[str], bool]) -> bool:
        """[S] Suspend at a confirm prompt: a nested prompt (``PS C:\\>> ``) until ``exit`` or Ctrl-D.

        Ctrl-C drops the line typed or stops the nested command; lines, like answers, stay out of the history.
        """
        while True:
            try:
                text = self._questions().prompt(prompt())
            except KeyboardInterrupt:
                continue
            except EOFError:
                return True
            try:
                if text.strip() and not run_line(text):
                    return True
            except KeyboardInterrupt:
                self.write_error("The pipeline has been stopped.\n")

    def _questions(self) -> PromptSession[str]:
        # A separate session: answers (which may be PINs) never enter the command history.
        if self._question_session is None:
            self._question_session = PromptSession(input=self._prompt_input, output=self._prompt_output)
        return self._question_session


class ShowNothing(Processor):
    """Displays no input and keeps the cursor just after the prompt, so the screen never shows a length."""

    def apply_transformation(self, transformation_input: TransformationInput) -> Transformation:
        return Transformation([], source_to_display=lambda _: 0, display_to_source=lambda _: 0)


def colour_allowed(stream: TextIO) -> bool:
    """ANSI colour only on a terminal, and never when ``NO_COLOR`` is set (no-color.org)."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
