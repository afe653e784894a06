"""The *exec* channel (``ssh host 'Unlock-CsClientPin ...'``) and a shell channel without a terminal
(``ssh host < script.ps1``): run text once, as ``csshell -Command`` does.

Output goes to the channel's stdout, error records to its stderr, and the exit status follows pwsh's
``-Command`` rule: 0 when the last statement succeeded, else 1, or N after ``exit N``. Text sent on
stdin is collected up to the end of input (or a size limit) and then run as one script; nothing
runs if the client disconnects before sending it all. The command ``-`` also reads stdin, as
``csshell -Command -`` does.

An exec request that came with a terminal (``ssh -t host 'Unlock-CsClientPin "Ken Myer" -Confirm'``)
is interactive, as ``csshell -Command`` is at a terminal: questions (``-Confirm``, a missing mandatory
parameter, ``Read-Host``) are asked through a prompt_toolkit prompt reading the keys the client types
(line editing, no echo for secrets); Ctrl-C, at a question or while the command runs, stops it. Without a
terminal, or when the command text comes from stdin (``-``), nobody can answer and questions are
NonInteractive errors.

A client that goes away while the command runs (its channel closes, its connection drops: ``kill -9`` of
``ssh``) stops it as Ctrl-C would (stopping.py): what it already wrote stays, nothing after it runs. The
mere end of the client's input (``ssh host cmd < /dev/null``) is not a stop: the client still waits for
the output.
"""
from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable
from typing import Any

from csshell.remote.channel_io import ChannelHost, ChannelStream, terminal_width
from csshell.remote.config import ServerConfig
from csshell.remote.session_engine import Identity, build_engine
from csshell.remote.stopping import StatementStopper
from csshell.remote.store_pool import StorePool
from csshell.runtime.errors import ErrorRecord, render_error

CTRL_C = "\x03"


class ExecRun:
    """One run of text for one account, in its own worker thread."""

    def __init__(self, loop: asyncio.AbstractEventLoop, chan: Any, config: ServerConfig, who: Identity,
                 terminal: bool, on_exit: Callable[[int], None], stores: StorePool | None = None,
                 term_type: str | None = None) -> None:
        self._loop = loop
        self._term_type = term_type or "xterm"
        self._keys: Any = None            # the pipe the client's keys go to while a terminal run may ask
        self._keys_cm: Any = None
        self._keys_guard = threading.Lock()
        self._stores = stores
        self._chan = chan
        self._config = config
        self._who = who
        self._terminal = terminal
        self._on_exit = on_exit
        self._chunks: list[str] = []
        self._size = 0
        self._thread: threading.Thread | None = None
        self._stopper = StatementStopper(loop)
        self._host: ChannelHost | None = None
        self.too_large = False

    # --- stdin collection (event loop) --------------------------------------------------------
    def feed(self, data: str) -> None:
        """Script text from stdin; beyond the limit the run is refused rather than cut."""
        self._size += len(data)
        if self._size > self._config.limits.max_script_bytes:
            self.too_large = True
            return
        self._chunks.append(data)

    def start(self, text: str | None = None) -> None:
        """Run ``text`` (the exec command), or what stdin delivered when ``text`` is None.

        A command given with the request on a terminal may ask questions: keys then go to :meth:`feed_keys`."""
        if text is None:
            text = "".join(self._chunks)
        elif self._terminal:
            from prompt_toolkit.input import create_pipe_input
            self._keys_cm = create_pipe_input()
            self._keys = self._keys_cm.__enter__()
        self._thread = threading.Thread(target=self._run, args=(text,), daemon=True,
                                        name=f"csshell-exec-{self._who.account}")
        self._thread.start()

    @property
    def reads_keys(self) -> bool:
        """Whether the run is interactive (a terminal and a command given with the request)."""
        return self._keys is not None

    def feed_keys(self, data: str) -> None:
        """Keys the client typed (on the event loop); they wait in the pipe until a question reads them.
        Ctrl-C while no question is asked stops the command, as at a local terminal."""
        if CTRL_C in data and not self._asking():
            self._stopper.stop()
            data = data.replace(CTRL_C, "")
        with self._keys_guard, contextlib.suppress(OSError):
            if self._keys is not None:
                self._keys.send_text(data)

    def end_keys(self) -> None:
        """The client closed its input or went away: a question now reads end-of-input (no answer)."""
        with self._keys_guard:
            keys, self._keys = self._keys, None
            if keys is not None:
                with contextlib.suppress(OSError):
                    keys.close()

    def abandon(self) -> None:
        """The client went away (channel closed, connection lost): stop the command as Ctrl-C would. A
        question being asked first reads end-of-input; the stop follows once it has returned."""
        self.end_keys()
        self._stopper.stop_for_good(wait_while=self._asking)

    def _asking(self) -> bool:
        return isinstance(self._host, TerminalExecHost) and self._host.asking

    def join(self, timeout: float | None) -> bool:
        if self._thread is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()

    # --- the worker thread --------------------------------------------------------------------
    def _run(self, text: str) -> None:
        out = ChannelStream(self._loop, self._chan, terminal=self._terminal)
        err = ChannelStream(self._loop, self._chan, stderr=True, terminal=self._terminal)
        keys = self._keys
        host: ChannelHost
        if keys is not None:
            host = TerminalExecHost(out, err, keys, self._term_type, self._chan)
        else:
            host = ChannelHost(out, err, width=lambda: terminal_width(self._chan))
        self._host = host
        code = 1
        engine = None
        try:
            with contextlib.ExitStack() as stack:
                if isinstance(host, TerminalExecHost):
                    from prompt_toolkit.application.current import create_app_session
                    stack.enter_context(create_app_session(input=keys, output=host.prompt_output))
                engine = build_engine(host, self._config, self._who, self._stores)
                with self._stopper.statement():
                    ok = engine.run_command_text(text)
                code = engine.exit_code if engine.exit_code is not None else (0 if ok else 1)
        except KeyboardInterrupt:     # Ctrl-C, or the client went away: the command stops, as at a local terminal
            host.write_error(INTERRUPTED + "\n")
        except BaseException as exc:  # noqa: BLE001 — never a traceback to the client, never a dead server
            record = ErrorRecord(str(exc) or type(exc).__name__, type(exc).__name__, reason=type(exc).__name__)
            host.write_error(render_error(record) + "\n")
        finally:
            self.end_keys()
            if self._keys_cm is not None:
                with contextlib.suppress(OSError):
                    self._keys_cm.__exit__(None, None, None)
            if engine is not None:
                try:
                    engine.close()
                except Exception:  # noqa: BLE001
                    code = 1
            with contextlib.suppress(RuntimeError):     # the server's loop is already gone
                self._loop.call_soon_threadsafe(self._on_exit, code)


INTERRUPTED = "The pipeline has been stopped."


class TerminalExecHost(ChannelHost):
    """Host of an exec run on a terminal: output as :class:`ChannelHost`, and questions asked at the
    client's terminal through a prompt of its own (line editing; no echo for secrets)."""

    interactive = True

    def __init__(self, out: ChannelStream, err: ChannelStream, keys: Any, term_type: str, chan: Any) -> None:
        from prompt_toolkit.output.vt100 import Vt100_Output
        super().__init__(out, err, width=lambda: terminal_width(chan))
        self._chan = chan
        self._keys = keys
        # No cursor-position requests: a client that never answers them would stall every question.
        self.prompt_output = Vt100_Output(out, self._size, term=term_type, enable_cpr=False)  # type: ignore[arg-type]
        self._questions: Any = None
        self.asking = False     # a question reads the keys now: Ctrl-C is its key, not a stop

    def _size(self) -> Any:
        from prompt_toolkit.data_structures import Size
        try:
            width, height = self._chan.get_terminal_size()[:2]
        except Exception:  # noqa: BLE001
            width, height = 0, 0
        return Size(rows=height or 24, columns=width or 80)

    def read_line(self, prompt: str, secret: bool = False) -> str | None:
        """Ask one question; ``None`` when the client's input has ended. Ctrl-C stops the command."""
        from prompt_toolkit import PromptSession
        if self._questions is None:
            self._questions = PromptSession(input=self._keys, output=self.prompt_output)
        self.asking = True
        try:
            return self._questions.prompt(prompt, is_password=secret)
        except EOFError:
            return None
        finally:
            self.asking = False
