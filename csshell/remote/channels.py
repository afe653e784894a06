"""One SSH session channel: decides between the interactive prompt and a one-off run, and feeds it.

- ``exec`` request with a command → :class:`ExecRun` of that command (``-`` reads stdin); with a terminal
  (``ssh -t``) the command may ask questions, answered with the keys the client types;
- ``shell`` request with a terminal (``ssh -t``, or plain ``ssh`` from a terminal) → :class:`ShellRun`;
- ``shell`` request without a terminal (``ssh host < script.ps1``) → :class:`ExecRun` of stdin;
- the ``csshell-objects`` subsystem (csshell's own New-PSSession / Invoke-Command) → :class:`ObjectRun`;
- other subsystems (``sftp``, ...), port forwarding, agent and X11 forwarding: refused.

The server keeps every open channel in its registry, so SIGTERM can let running statements finish.
"""
from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING, Any

import asyncssh

from csshell.remote.exec_channel import ExecRun
from csshell.remote.object_channel import SUBSYSTEM, ObjectRun
from csshell.remote.session_engine import Identity
from csshell.remote.shell_channel import ShellRun
from csshell.runtime.errors import INVALID_DATA, ErrorRecord, render_error

if TYPE_CHECKING:
    from csshell.remote.server import ServerState

SHUTDOWN_NOTICE = "\r\nThe csshell server is shutting down; this session ends now.\r\n"
UNDECODABLE_COMMAND = ErrorRecord(
    "The command sent with the SSH exec request is not valid UTF-8 text, so it cannot be read; nothing was run. "
    "Send the command as UTF-8 (or send the script on standard input).", "CommandTextNotUtf8", INVALID_DATA,
    reason="DecoderFallbackException", exception_type="System.Text.DecoderFallbackException")


def accept_any_exec_command(chan: Any, session: CsshellSession) -> None:
    """Let an exec request whose command is not UTF-8 through, marked, so the session can say why it will not
    run it (asyncssh alone refuses the request, and OpenSSH then shows only "exec request failed", exit 255).
    Uses asyncssh's per-channel request handler lookup (``_process_<name>_request``); left as it is when that
    is not there."""
    start = getattr(chan, "_start_session", None)
    if start is None or not hasattr(chan, "_process_exec_request"):
        return

    def process_exec_request(packet: Any) -> bool:
        raw = packet.get_string()
        packet.check_end()
        try:
            command = raw.decode("utf-8")
        except UnicodeDecodeError:
            session.undecodable_command = True
            command = raw.decode("utf-8", errors="replace")
        return start(command=command)
    chan._process_exec_request = process_exec_request


class CsshellSession(asyncssh.SSHServerSession):
    """The per-channel object asyncssh calls back; the work happens in a worker thread."""

    def __init__(self, state: ServerState, who: Identity) -> None:
        self._state = state
        self._who = who
        self._chan: Any = None
        self._terminal: str | None = None     # terminal type when the client asked for a pty
        self._command: str | None = None
        self._shell = False
        self._run: ShellRun | ExecRun | ObjectRun | None = None
        self._objects = False                   # the csshell-objects subsystem was requested
        self._reading_stdin = False
        self._finished = False
        self.undecodable_command = False        # the exec command was not UTF-8 (see accept_any_exec_command)

    # --- requests -----------------------------------------------------------------------------
    def connection_made(self, chan: Any) -> None:
        self._chan = chan

    def pty_requested(self, term_type: str, term_size: tuple[int, int, int, int], term_modes: Any) -> bool:
        self._terminal = term_type or "xterm"
        return True

    def shell_requested(self) -> bool:
        self._shell = True
        return True

    def exec_requested(self, command: str) -> bool:
        self._command = command
        return True

    def subsystem_requested(self, subsystem: str) -> bool:
        self._objects = subsystem == SUBSYSTEM
        return self._objects

    def session_started(self) -> None:
        if not self._state.admit(self):
            self._chan.write_stderr("The csshell server is shutting down.\r\n" if self._state.stopping else
                                    "The csshell server has reached its session limit "
                                    f"({self._state.config.limits.max_sessions}); try again later.\r\n")
            self._chan.exit(1)
            self._finished = True
            return
        if self.undecodable_command:
            self._chan.write_stderr(render_error(UNDECODABLE_COMMAND) + "\n")
            self._exit(1)
            return
        loop = asyncio.get_running_loop()
        if self._objects:
            self._run = ObjectRun(loop, self._chan, self._state.config, self._who, self._exit, self._state.stores)
            self._run.start()
            return
        if self._shell and self._terminal is not None:
            self._run = ShellRun(loop, self._chan, self._state.config, self._who, self._terminal, self._exit,
                                 self._state.stores)
            self._run.start()
            return
        self._run = ExecRun(loop, self._chan, self._state.config, self._who, self._terminal is not None, self._exit,
                            self._state.stores, term_type=self._terminal)
        if self._command is not None and self._command.strip() != "-":
            self._run.start(self._command)
        else:
            self._reading_stdin = True        # the script arrives on stdin; it runs at end of input

    # --- data ---------------------------------------------------------------------------------
    def data_received(self, data: str, datatype: Any) -> None:
        if isinstance(self._run, (ShellRun, ObjectRun)) or self._reading_stdin and self._run is not None:
            self._run.feed(data)
        elif isinstance(self._run, ExecRun) and self._run.reads_keys:
            self._run.feed_keys(data)        # answers to questions of a command run on a terminal

    def eof_received(self) -> bool:
        if isinstance(self._run, (ShellRun, ObjectRun)):
            self._run.end_input()
        elif isinstance(self._run, ExecRun) and self._run.reads_keys:
            self._run.end_keys()
        elif self._reading_stdin and self._run is not None:
            self._reading_stdin = False
            if self._run.too_large:
                self._chan.write_stderr(f"The script sent on standard input is larger than "
                                        f"{self._state.config.limits.max_script_bytes} bytes; nothing was run.\n")
                self._exit(1)
            else:
                self._run.start()
        return True          # keep our sending side open: the output is still to come

    def terminal_size_changed(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        if isinstance(self._run, ShellRun):
            self._run.resize()

    def connection_lost(self, exc: Exception | None) -> None:
        """The channel closed (the client closed it, or its connection dropped): a running statement stops
        as Ctrl-C stops it, as a console's SIGHUP would; what it already wrote stays; nothing new starts.
        (Also called once the session has ended by itself: then nothing runs any more.)"""
        if self._run is not None and not self._reading_stdin:
            self._run.abandon()
        if self._reading_stdin or self._run is None:      # nothing runs and nothing will
            self._reading_stdin = False
            self._finished = True
            self._state.release(self)

    # --- ending -------------------------------------------------------------------------------
    def _exit(self, code: int) -> None:
        """The run ended (on the event loop): send the exit status and close the channel."""
        if self._finished:
            return
        self._finished = True
        with contextlib.suppress(Exception):          # the client is already gone
            self._chan.exit(code & 0xFF if code >= 0 else 1)
        self._state.release(self)

    def begin_shutdown(self) -> None:
        """SIGTERM: an idle prompt ends now; a running statement finishes first; unsent scripts never run."""
        if isinstance(self._run, ObjectRun):
            with contextlib.suppress(Exception):      # the client shows it when it next uses the session
                self._chan.write_stderr(SHUTDOWN_NOTICE.strip() + "\n")
            self._run.end_input()
        elif isinstance(self._run, ShellRun):
            if not self._run.statement_running:
                with contextlib.suppress(Exception):
                    self._chan.write(SHUTDOWN_NOTICE)
            self._run.end_input()
        elif self._reading_stdin or self._run is None:
            self._reading_stdin = False
            self._exit(1)

    def join(self, timeout: float | None) -> bool:
        return self._run.join(timeout) if self._run is not None else True
