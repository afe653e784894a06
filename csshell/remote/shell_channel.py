"""The *shell* channel with a terminal: the full interactive prompt, for one signed-in account.

It reuses the local REPL (csshell/repl) as prompt_toolkit.contrib.ssh reuses an application: keys
the client types go into a pipe input, and a ``Vt100_Output`` renders into the channel. Unlike
contrib.ssh, the REPL runs in its own worker thread, because statements are synchronous and must
not stall the server's event loop; prompt_toolkit runs happily in a non-main thread with its own
event loop. The session gets the account's own history file, colour, completion and ``>>``
continuation; Ctrl-X Ctrl-E (open ``$EDITOR``) is switched off, as it would start a program.

Ctrl-C while a statement runs stops it (a KeyboardInterrupt raised in the worker thread, as the
console's SIGINT does locally: stopping.py); at a prompt it goes to prompt_toolkit like any key. A client
that goes away mid-statement (its channel closes, its connection drops) stops the statement the same
way, as SIGHUP ends a console's; lines it had typed ahead never run.
"""
from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from collections.abc import Callable
from typing import Any

from prompt_toolkit.application.current import AppSession, create_app_session
from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import PipeInput, create_pipe_input
from prompt_toolkit.output.vt100 import Vt100_Output

from csshell.remote.channel_io import ChannelStream, terminal_width
from csshell.remote.config import ServerConfig
from csshell.remote.session_engine import Identity, build_engine
from csshell.remote.stopping import StatementStopper
from csshell.remote.store_pool import StorePool
from csshell.repl.app import run_repl
from csshell.repl.host import ReplHost

CTRL_C = "\x03"


class ChannelReplHost(ReplHost):
    """The REPL's host, sized by the client's terminal instead of the server's."""

    def __init__(self, stream: ChannelStream, size: Callable[[], Size], pipe: PipeInput, output: Vt100_Output) -> None:
        super().__init__(out=stream, err=stream, prompt_input=pipe, prompt_output=output)   # type: ignore[arg-type]
        self._size = size

    @property  # type: ignore[override]
    def width(self) -> int:
        return self._size().columns


class ShellRun:
    """One interactive session: the REPL thread and what the channel feeds it."""

    def __init__(self, loop: asyncio.AbstractEventLoop, chan: Any, config: ServerConfig, who: Identity,
                 term_type: str, on_exit: Callable[[int], None], stores: StorePool | None = None) -> None:
        self._loop = loop
        self._stores = stores
        self._chan = chan
        self._config = config
        self._who = who
        self._term_type = term_type or "xterm"
        self._on_exit = on_exit
        self._pipe_cm = create_pipe_input()
        self._pipe: PipeInput = self._pipe_cm.__enter__()
        # The loop thread writes keys and may close the pipe's write end while the REPL thread closes
        # the whole pipe on its way out: one lock, so no file descriptor is ever closed or written twice.
        self._pipe_guard = threading.Lock()
        self._keys_open = True
        self._app_session: AppSession | None = None
        self._thread = threading.Thread(target=self._run, name=f"csshell-shell-{who.account}", daemon=True)
        self._stopper = StatementStopper(loop)

    def start(self) -> None:
        self._thread.start()

    @property
    def statement_running(self) -> bool:
        return self._stopper.running

    # --- the worker thread ------------------------------------------------------------------
    def _run(self) -> None:
        code = 1
        try:
            stream = ChannelStream(self._loop, self._chan, terminal=True)
            # No cursor-position requests: a client without a terminal emulator never answers them, and
            # prompt_toolkit would then warn at every prompt.
            output = Vt100_Output(stream, self._size, term=self._term_type, enable_cpr=False)  # type: ignore[arg-type]
            with create_app_session(input=self._pipe, output=output) as app_session:
                self._app_session = app_session
                host = ChannelReplHost(stream, self._size, self._pipe, output)
                code = run_repl(self._engine_factory, history_path=self._config.history_path(self._who.account),
                                input=self._pipe, output=output, host=host, open_in_editor=False)
        except BaseException:  # noqa: BLE001 — whatever ends the REPL ends this session, not the server
            code = 1
        finally:
            with self._pipe_guard:
                self._keys_open = False
                with contextlib.suppress(OSError):
                    self._pipe_cm.__exit__(None, None, None)
            with contextlib.suppress(RuntimeError):     # the server's loop is already gone
                self._loop.call_soon_threadsafe(self._on_exit, code)

    def _engine_factory(self, host: ReplHost) -> Any:
        engine = build_engine(host, self._config, self._who, self._stores)
        run = engine.run_command_text

        def run_command_text(text: str) -> bool:
            with self._stopper.statement():     # after the client has gone, lines it typed ahead never run
                return run(text)
        engine.run_command_text = run_command_text   # type: ignore[method-assign]
        return engine

    def _size(self) -> Size:
        try:
            width, height = self._chan.get_terminal_size()[:2]
        except Exception:  # noqa: BLE001
            width, height = 0, 0
        return Size(rows=height or 24, columns=width or terminal_width(self._chan) or 80)

    # --- called on the event loop -----------------------------------------------------------
    def feed(self, data: str) -> None:
        """Keys from the client; Ctrl-C during a statement (and no question asked) stops the statement."""
        if CTRL_C in data and self.statement_running and not self._asking():
            self._stopper.stop()
            data = data.replace(CTRL_C, "")
        if data:
            with self._pipe_guard, contextlib.suppress(OSError):
                if self._keys_open:       # after the REPL has ended, late keys go nowhere
                    self._pipe.send_text(data)

    def resize(self) -> None:
        app = self._app_session.app if self._app_session else None
        loop = getattr(app, "loop", None)
        if app is not None and loop is not None:
            loop.call_soon_threadsafe(app._on_resize)

    def end_input(self) -> None:
        """The client closed its side or the server is stopping: the REPL ends at its next prompt."""
        with self._pipe_guard, contextlib.suppress(OSError):
            if self._keys_open:
                self._keys_open = False
                self._pipe.close()        # closes the write end: the prompt reads end-of-input

    def abandon(self) -> None:
        """The client went away (channel closed, connection lost): the running statement stops as Ctrl-C
        stops it, nothing typed ahead runs, and the REPL ends. A question being asked first reads
        end-of-input; the stop follows once it has returned."""
        self.end_input()
        self._stopper.stop_for_good(wait_while=self._asking)

    def join(self, timeout: float | None) -> bool:
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _asking(self) -> bool:
        """Whether a prompt (a question inside the statement) is reading the keys now."""
        return self._app_session is not None and self._app_session.app is not None


def make_history_folder(path: str) -> None:
    """Histories hold what admins typed (never PINs): readable by the server's account only."""
    os.makedirs(path, mode=0o700, exist_ok=True)
