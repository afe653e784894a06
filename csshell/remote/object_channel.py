"""The ``csshell-objects`` SSH subsystem: one persistent remote session that speaks JSON lines (wire.py).

csshell's own client (New-PSSession, Invoke-Command, Enter-PSSession: csshell/remote/client.py) opens
this subsystem instead of a shell or exec channel. One channel is one PSSession: one confined engine,
whose variables and functions live as long as the channel, running requests one at a time in a worker
thread. Plain ``ssh`` clients never see it; their shell and exec channels are unchanged.

Requests (client to server), one JSON object per line::

    {"op": "invoke", "id": 1, "script": "...", "args": [...], "mode": "objects" | "text",
     "width": 120, "interactive": true}
    {"op": "answer", "id": 1, "text": "..." | null}     the answer to a question ("read") of the server
    {"op": "stop", "id": 1}                              Ctrl-C: stop that request if it still runs

The end of input ends the session after the running request. A client that goes away (the channel
closes, the connection drops) stops the running request as ``stop`` does, and nothing queued runs.
Replies, after one ``hello``::

    {"t": "hello", "version": 1, "computer": "sfb01", "prompt": "PS /srv/csshell_files> "}
    {"t": "output", "id": 1, "value": ...}               objects mode: an output object (wire.encode_value)
    {"t": "error", "id": 1, "value": ...}                objects mode: an error record (wire.encode_error)
    {"t": "text", "id": 1, "stream": "out" | "err", "text": "..."}   formatted output, warnings, verbose
    {"t": "host", "id": 1, "text": "...", "fg": null, "bg": null, "nl": true}       Write-Host
    {"t": "read", "id": 1, "prompt": "...", "secret": false}         a question for the client's host
    {"t": "done", "id": 1, "success": true, "exit": null, "stopped": false, "prompt": "PS ...> "}

*objects* mode (Invoke-Command) sends output objects and error records as data, for the client to
format; *text* mode (Enter-PSSession) formats here at the client's width, as an interactive remote
session does, and shows error records without their position.
"""
from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
from collections.abc import Callable
from typing import Any

from csshell.remote.config import ServerConfig
from csshell.remote.session_engine import Identity, RemoteEngine, build_engine
from csshell.remote.stopping import StatementStopper
from csshell.remote.store_pool import StorePool
from csshell.remote.wire import (
    PROTOCOL_VERSION,
    SUBSYSTEM,
    WireError,
    decode_message,
    decode_value,
    encode_error,
    encode_message,
    encode_value,
)
from csshell.runtime.errors import ErrorRecord, render_error
from csshell.runtime.host import Host

__all__ = ["SUBSYSTEM", "ObjectEngine", "ObjectRun", "WireHost"]

ARGS_VARIABLE = "__csshell_icm_args"
ANSWER_POLL = 0.1             # seconds: how often a worker waiting for an answer looks up (a stop can come)


class ObjectEngine(RemoteEngine):
    """A remote engine whose shown errors go to :attr:`on_error` rather than to its host as text."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.on_error: Callable[[ErrorRecord], None] | None = None
        # The interpreter shows an error in two places: ``report`` (statement-terminating errors) and the
        # bottom of its error routes (non-terminating ones; ``2>$null`` and friends still come first).
        self.interp.report = self._report            # type: ignore[method-assign]

    def run_for_client(self, text: str, output: Callable[[Any], None] | None) -> bool:
        """Run ``text`` with every shown error handed to :attr:`on_error`."""
        routes, self.interp.error_routes = self.interp.error_routes, [self._show]
        try:
            return self.run_command_text(text, output)
        finally:
            self.interp.error_routes = routes

    def plain_prompt(self) -> str:
        """The prompt without the computer name: the client puts its own ``[name]: `` in front."""
        return f"PS {self.session.cwd}> "

    def _report(self, record: ErrorRecord) -> None:
        interp = self.interp
        interp.error_count += 1
        self.session.last_success = False
        self.session.record_error(record)
        self._show(record)

    def _show(self, record: ErrorRecord) -> None:
        if self.on_error is not None:
            self.on_error(record)
        else:
            self.host.write_error(render_error(record) + "\n")


class WireHost(Host):
    """The session's host: what it writes goes to the client as messages, its questions are asked there."""

    color = False

    def __init__(self, send: Callable[[dict[str, Any]], None], answers: queue.Queue[Any]) -> None:
        self._send = send
        self._answers = answers
        self.request_id: Any = None
        self.interactive = False
        self._width = 120

    def begin(self, request: dict[str, Any]) -> None:
        """A new request: its id tags what is sent; the client says how wide it is and whether it can answer."""
        self.request_id = request.get("id")
        self.interactive = bool(request.get("interactive"))
        width = request.get("width")
        self._width = width if isinstance(width, int) and 20 <= width <= 1000 else 120

    @property  # type: ignore[override]
    def width(self) -> int:
        return self._width

    def write(self, text: str) -> None:
        if text:
            self._send({"t": "text", "id": self.request_id, "stream": "out", "text": text})

    def write_error(self, text: str) -> None:
        if text:
            self._send({"t": "text", "id": self.request_id, "stream": "err", "text": text})

    def write_host(self, text: str, foreground: str | None = None, background: str | None = None,
                   newline: bool = True) -> None:
        self._send({"t": "host", "id": self.request_id, "text": text, "fg": foreground, "bg": background,
                    "nl": newline})

    def read_line(self, prompt: str, secret: bool = False) -> str | None:
        """Ask the client's host; ``None`` when it cannot answer (non-interactive) or the session ends."""
        if not self.interactive:
            return None
        with contextlib.suppress(queue.Empty):
            while True:                 # drop an answer left over from an earlier, stopped question
                self._answers.get_nowait()
        self._send({"t": "read", "id": self.request_id, "prompt": prompt, "secret": bool(secret)})
        while True:
            try:
                answer = self._answers.get(timeout=ANSWER_POLL)
            except queue.Empty:
                continue
            return answer if isinstance(answer, str) or answer is None else None


class ObjectRun:
    """One ``csshell-objects`` channel: requests parsed on the event loop, run in one worker thread."""

    def __init__(self, loop: asyncio.AbstractEventLoop, chan: Any, config: ServerConfig, who: Identity,
                 on_exit: Callable[[int], None], stores: StorePool | None = None) -> None:
        self._loop = loop
        self._chan = chan
        self._config = config
        self._who = who
        self._on_exit = on_exit
        self._stores = stores
        self._requests: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._answers: queue.Queue[Any] = queue.Queue()
        self._buffer = ""
        self._ended = False
        self._broken = False                  # the client broke the protocol: the session ends with status 1
        self._thread = threading.Thread(target=self._run, daemon=True, name=f"csshell-objects-{who.account}")
        self._stopper = StatementStopper(loop)
        self._running_id: Any = None          # the request now running (a late stop must not hit the next one)

    @property
    def statement_running(self) -> bool:
        return self._stopper.running

    def start(self) -> None:
        self._thread.start()

    def join(self, timeout: float | None) -> bool:
        self._thread.join(timeout)
        return not self._thread.is_alive()

    # --- the event loop side ----------------------------------------------------------------
    def feed(self, data: str) -> None:
        """Bytes from the client: complete lines are requests; an endless line ends the session."""
        if self._ended:
            return
        self._buffer += data
        while "\n" in self._buffer and not self._ended:
            line, _, self._buffer = self._buffer.partition("\n")
            if line.strip():
                self._dispatch(line)
        if self._ended:                       # refused: nothing after the bad line is read
            self._buffer = ""
            return
        if len(self._buffer) > self._config.limits.max_script_bytes:
            self._buffer = ""
            self._refuse("A request larger than the server's limit was sent; the session ends.")

    def end_input(self) -> None:
        """The client closed its side, went away, or the server is stopping: end after the running request."""
        if not self._ended:
            self._ended = True
            self._requests.put(None)
            self._answers.put(None)       # a question being asked gets no answer

    def abandon(self) -> None:
        """The client went away (channel closed, connection lost): stop the running request as ``stop``
        does; the requests it had queued never run."""
        self._drop_queued()
        self._ended = True
        self._requests.put(None)      # the end, again: the client's end of input may have been dropped above
        self._answers.put(None)
        self._stopper.stop_for_good()

    def _drop_queued(self) -> None:
        with contextlib.suppress(queue.Empty):
            while True:
                self._requests.get_nowait()

    def _dispatch(self, line: str) -> None:
        try:
            message = decode_message(line)
        except WireError as exc:
            self._refuse(f"The request could not be read ({exc}); the session ends.")
            return
        op = message.get("op")
        if op == "invoke":
            self._requests.put(message)
        elif op == "answer":
            self._answers.put(message.get("text"))
        elif op == "stop":
            if message.get("id") == self._running_id:
                self._stopper.stop()
        else:
            self._refuse(f"Unknown request {op!r}; the session ends.")

    def _refuse(self, why: str) -> None:
        """A request that breaks the protocol: say why, read nothing more, end the session with status 1 (after
        a request already running, as when the client goes away), without running what was queued."""
        with contextlib.suppress(Exception):
            self._chan.write_stderr(why + "\n")
        self._broken = True
        self._drop_queued()
        self.end_input()

    # --- the worker thread ------------------------------------------------------------------
    def _send(self, message: dict[str, Any]) -> None:
        line = encode_message(message)
        with contextlib.suppress(RuntimeError):         # the server's loop is gone: nobody can read it
            self._loop.call_soon_threadsafe(self._write, line)

    def _write(self, line: str) -> None:
        with contextlib.suppress(Exception):            # the client went away; the statement goes on
            self._chan.write(line)

    def _run(self) -> None:
        code = 0
        engine: ObjectEngine | None = None
        try:
            host = WireHost(self._send, self._answers)
            engine = build_engine(host, self._config, self._who, self._stores, engine_class=ObjectEngine)
            assert isinstance(engine, ObjectEngine)
            self._send({"t": "hello", "version": PROTOCOL_VERSION, "computer": self._config.hostname,
                        "prompt": engine.plain_prompt()})
            while True:
                try:
                    request = self._requests.get()
                    if request is None:
                        break
                    self._serve(engine, host, request)
                except KeyboardInterrupt:      # a stop that landed just after its statement ended: ignored
                    continue
        except BaseException:  # noqa: BLE001 — whatever ends this session must not end the server
            code = 1
        finally:
            if self._broken:
                code = 1
            if engine is not None:
                with contextlib.suppress(Exception):
                    engine.close()
            with contextlib.suppress(RuntimeError):
                self._loop.call_soon_threadsafe(self._on_exit, code)

    def _serve(self, engine: ObjectEngine, host: WireHost, request: dict[str, Any]) -> None:
        """Run one request and answer ``done``; a Ctrl-C from the client stops it, not the session."""
        host.begin(request)
        request_id = request.get("id")
        objects = request.get("mode") == "objects"
        engine.on_error = self._error_sender(request_id) if objects else self._error_text(host)
        output = self._output_sender(request_id) if objects else None
        ok, stopped = False, False
        try:
            text = self._script_of(engine, request)
            self._running_id = request_id
            try:
                with self._stopper.statement():
                    ok = engine.run_for_client(text, output)
            finally:
                self._running_id = None
        except KeyboardInterrupt:
            stopped = True
        except WireError as exc:
            host.write_error(f"The arguments could not be read: {exc}\n")
        exit_code, engine.exit_code = engine.exit_code, None
        self._send({"t": "done", "id": request_id, "success": bool(ok) and not stopped, "exit": exit_code,
                    "stopped": stopped, "prompt": engine.plain_prompt()})

    @staticmethod
    def _script_of(engine: ObjectEngine, request: dict[str, Any]) -> str:
        """The text to run: the script block's text, or, with arguments, ``& {text} @args`` so that its
        ``param()`` block and ``$args`` receive them, as Invoke-Command -ArgumentList does."""
        text = str(request.get("script") or "")
        raw = request.get("args")
        if not raw:
            return text
        args = decode_value(raw if isinstance(raw, list) else [raw])
        engine.session.global_scope.assign(ARGS_VARIABLE, args)
        return "& {" + text + "\n} @" + ARGS_VARIABLE

    def _output_sender(self, request_id: Any) -> Callable[[Any], None]:
        def send(value: Any) -> None:
            self._send({"t": "output", "id": request_id, "value": encode_value(value)})
        return send

    def _error_sender(self, request_id: Any) -> Callable[[ErrorRecord], None]:
        def send(record: ErrorRecord) -> None:
            self._send({"t": "error", "id": request_id, "value": encode_error(record)})
        return send

    @staticmethod
    def _error_text(host: WireHost) -> Callable[[ErrorRecord], None]:
        def show(record: ErrorRecord) -> None:
            host.write_error(render_error(record, show_position=False) + "\n")
        return show
