"""The *exec* channel (``ssh host 'Unlock-CsClientPin ...'``) and a shell channel without a terminal
(``ssh host < script.ps1``): run text once, as ``csshell -Command`` does.

Output goes to the channel's stdout, error records to its stderr, and the exit status follows pwsh's
``-Command`` rule: 0 when the last statement succeeded, else 1, or N after ``exit N``. Text sent on
stdin is collected up to the end of input (or a size limit) and then run as one script; nothing
runs if the client disconnects before sending it all. The command ``-`` also reads stdin, as
``csshell -Command -`` does.
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
from csshell.remote.store_pool import StorePool
from csshell.runtime.errors import ErrorRecord, render_error


class ExecRun:
    """One run of text for one account, in its own worker thread."""

    def __init__(self, loop: asyncio.AbstractEventLoop, chan: Any, config: ServerConfig, who: Identity,
                 terminal: bool, on_exit: Callable[[int], None], stores: StorePool | None = None) -> None:
        self._loop = loop
        self._stores = stores
        self._chan = chan
        self._config = config
        self._who = who
        self._terminal = terminal
        self._on_exit = on_exit
        self._chunks: list[str] = []
        self._size = 0
        self._thread: threading.Thread | None = None
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
        """Run ``text`` (the exec command), or what stdin delivered when ``text`` is None."""
        if text is None:
            text = "".join(self._chunks)
        self._thread = threading.Thread(target=self._run, args=(text,), daemon=True,
                                        name=f"csshell-exec-{self._who.account}")
        self._thread.start()

    def join(self, timeout: float | None) -> bool:
        if self._thread is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()

    # --- the worker thread --------------------------------------------------------------------
    def _run(self, text: str) -> None:
        out = ChannelStream(self._loop, self._chan, terminal=self._terminal)
        err = ChannelStream(self._loop, self._chan, stderr=True, terminal=self._terminal)
        host = ChannelHost(out, err, width=lambda: terminal_width(self._chan))
        code = 1
        engine = None
        try:
            engine = build_engine(host, self._config, self._who, self._stores)
            ok = engine.run_command_text(text)
            code = engine.exit_code if engine.exit_code is not None else (0 if ok else 1)
        except BaseException as exc:  # noqa: BLE001 — never a traceback to the client, never a dead server
            record = ErrorRecord(str(exc) or type(exc).__name__, type(exc).__name__, reason=type(exc).__name__)
            host.write_error(render_error(record) + "\n")
        finally:
            if engine is not None:
                try:
                    engine.close()
                except Exception:  # noqa: BLE001
                    code = 1
            with contextlib.suppress(RuntimeError):     # the server's loop is already gone
                self._loop.call_soon_threadsafe(self._on_exit, code)
