"""The host: where a session's text goes and where its questions are answered.

The runtime never touches stdout, stdin or a socket: it talks to a :class:`Host`. The script runner
uses :class:`ConsoleHost` (stdout/stderr, no prompting when non-interactive); the REPL and the remote
server provide their own subclasses. Colours are only hints; a host may ignore them.
"""
from __future__ import annotations

import contextlib
import os
import sys
from typing import Callable, Iterator, TextIO


class Host:
    """Base host: collects nothing, prompts for nothing. Subclasses override the writers."""

    interactive: bool = False   # may we ask the user (mandatory parameters, -Confirm, Read-Host)?
    color: bool = False         # may we emit ANSI colour?
    width: int = 120            # console width for formatting
    # IHostSupportsInteractiveSession: may Enter-PSSession hand this host's input to a remote session?
    # Only the interactive prompt (csshell/repl) can; scripts, -Command and remote channels cannot.
    supports_interactive_session: bool = False

    def write(self, text: str) -> None:
        """Formatted output (the success stream after Out-Default)."""

    def write_error(self, text: str) -> None:
        """A rendered error record (and warnings/verbose lines)."""

    def write_host(self, text: str, foreground: str | None = None, background: str | None = None,
                   newline: bool = True) -> None:
        """``Write-Host``: goes to the display, not the pipeline."""
        self.write(text + ("\n" if newline else ""))

    def read_line(self, prompt: str, secret: bool = False) -> str | None:
        """Ask the user for a line; ``None`` when nobody can answer (EOF / non-interactive)."""
        return None

    def progress(self, activity: str, status: str, percent: int, completed: bool) -> None:
        """``Write-Progress``; hosts without a terminal draw nothing."""

    def clear_progress(self) -> None:
        """The run ended: remove any progress bar still shown (5.1 clears it when the pipeline ends)."""

    def enter_nested_prompt(self, prompt: Callable[[], str], run_line: Callable[[str], bool]) -> bool:
        """Suspend at a confirm prompt: read lines at ``prompt()`` and hand each to ``run_line`` until it
        returns ``False`` (the admin typed ``exit``) or input ends, then return ``True``.

        A host that cannot nest a prompt (this base, buffers, scripts) returns ``False``; the command
        then stops with 5.1's "user selected the Stop option" error.
        """
        return False


class ConsoleHost(Host):
    """stdout/stderr host for ``-File`` and ``-Command`` runs."""

    _bar: str | None = None     # the progress line now drawn on stderr (None: nothing drawn)

    ANSI = {"black": 30, "darkred": 31, "darkgreen": 32, "darkyellow": 33, "darkblue": 34,
            "darkmagenta": 35, "darkcyan": 36, "gray": 37, "darkgray": 90, "red": 91, "green": 92,
            "yellow": 93, "blue": 94, "magenta": 95, "cyan": 96, "white": 97}

    def __init__(self, out: TextIO | None = None, err: TextIO | None = None,
                 stdin: TextIO | None = None, interactive: bool = False) -> None:
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.stdin = stdin or sys.stdin
        self.interactive = interactive
        self.color = _wants_color(self.out)
        try:
            self.width = int(os.environ.get("COLUMNS", "")) or os.get_terminal_size(self.out.fileno()).columns
        except (OSError, ValueError, AttributeError):
            self.width = 120

    def write(self, text: str) -> None:
        with self._bar_lifted():
            write_safely(self.out, text)

    def write_error(self, text: str) -> None:
        if _wants_color(self.err):
            text = f"\x1b[91m{text}\x1b[0m"
        with self._bar_lifted():
            write_safely(self.err, text)

    # --- progress ----------------------------------------------------------------------------
    def progress(self, activity: str, status: str, percent: int, completed: bool) -> None:
        """Draw (or overwrite) one progress line on stderr, only when stderr is a terminal.

        Redirected output gets nothing, as a log file must not fill with bar redraws.
        """
        if not _is_tty(self.err):
            return
        if completed:
            self.clear_progress()
            return
        self._bar = progress_line(activity, status, percent, self.width)
        write_safely(self.err, "\r" + self._bar + ERASE_LINE)

    def clear_progress(self) -> None:
        if self._bar is not None:
            self._bar = None
            write_safely(self.err, "\r" + ERASE_LINE)

    @contextlib.contextmanager
    def _bar_lifted(self) -> Iterator[None]:
        """Output written while a bar is shown: erase the bar, write, draw the bar again below."""
        bar = self._bar
        if bar is not None:
            write_safely(self.err, "\r" + ERASE_LINE)
        try:
            yield
        finally:
            if bar is not None and self._bar == bar:
                write_safely(self.err, "\r" + bar + ERASE_LINE)

    def write_host(self, text: str, foreground: str | None = None, background: str | None = None,
                   newline: bool = True) -> None:
        code = self.ANSI.get((foreground or "").lower())
        if code and self.color:
            text = f"\x1b[{code}m{text}\x1b[0m"
        self.write(text + ("\n" if newline else ""))

    def read_line(self, prompt: str, secret: bool = False) -> str | None:
        if not self.interactive:
            return None
        self.write(prompt)
        line = self.stdin.readline()
        return None if line == "" else line.rstrip("\n")


ERASE_LINE = "\x1b[K"
BAR_WIDTH = 50


def progress_line(activity: str, status: str, percent: int, width: int) -> str:
    """One line in the 5.1 console's style: ``Activity  Status [ooooo      ] 40%``.

    The 5.1 console fills its bar with ``o`` in proportion to PercentComplete; -1 (unknown) shows no bar.
    The line never exceeds the console width, so overwriting it with ``\\r`` stays on one row.
    """
    text = f"{activity}  {status}"
    if 0 <= percent <= 100:
        filled = BAR_WIDTH * percent // 100
        text += f" [{'o' * filled}{' ' * (BAR_WIDTH - filled)}] {percent}%"
    limit = max(width - 1, 10)
    return text if len(text) <= limit else text[:limit]


def write_safely(stream: TextIO, text: str) -> None:
    """Write and flush; a character the stream cannot encode (a lone surrogate such as ``[char]0xD800``,
    or anything outside a legacy code page) is written as ``?`` instead of failing, as a console does."""
    try:
        stream.write(text)
    except UnicodeEncodeError:
        encoding = getattr(stream, "encoding", None) or "utf-8"
        stream.write(text.encode(encoding, errors="replace").decode(encoding, errors="replace"))
    stream.flush()


def _wants_color(stream: TextIO) -> bool:
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return _is_tty(stream)


def _is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class BufferHost(Host):
    """Collects output and errors in memory (tests, ``Out-String``, remote exec)."""

    def __init__(self, interactive: bool = False, answers: list[str] | None = None, width: int = 120) -> None:
        self.out: list[str] = []
        self.err: list[str] = []
        self.interactive = interactive
        self.answers = list(answers or [])
        self.width = width

    def write(self, text: str) -> None:
        self.out.append(text)

    def write_error(self, text: str) -> None:
        self.err.append(text)

    def read_line(self, prompt: str, secret: bool = False) -> str | None:
        self.out.append(prompt)
        if not self.interactive or not self.answers:
            return None
        return self.answers.pop(0)

    @property
    def stdout(self) -> str:
        return "".join(self.out)

    @property
    def stderr(self) -> str:
        return "".join(self.err)
