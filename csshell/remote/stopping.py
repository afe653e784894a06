"""Stopping the statement a remote session's worker thread runs: what Ctrl-C does at the console.

At the console, SIGINT raises KeyboardInterrupt in the thread that runs the statement. A remote
session's statement runs in a worker thread, which no signal reaches, so the server raises the same
KeyboardInterrupt there (``PyThreadState_SetAsyncExc``) when the client presses Ctrl-C, or when it goes
away (a closed channel, a lost connection: the console's SIGHUP). Python delivers it at the thread's
next step, so a statement stops wherever it is (Start-Sleep waits in short slices for that reason).

Two moments must never receive it:

* taking or giving back the store's lock (fair_lock.py): the lock could stay taken with nobody knowing;
  the stop is then tried again shortly;
* the moments just around a statement's start and end: :class:`StatementStopper` only raises while
  :meth:`~StatementStopper.statement` is running, and delivers a stop raised at the very end still
  inside it, so it can never land in the session's own code after the statement.
"""
from __future__ import annotations

import asyncio
import ctypes
import threading
from collections.abc import Callable
from typing import Any

from csshell.remote.fair_lock import taking_or_releasing

RETRY = 0.02        # seconds before trying again to stop a thread that is busy with the store lock


def _step() -> None:
    """A Python call: the interpreter delivers a pending KeyboardInterrupt on entering it."""


class StatementStopper:
    """Raises KeyboardInterrupt in the thread running a statement, on request from the event loop."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._guard = threading.Lock()
        self._thread: int | None = None
        self._ended = False          # the client has gone: no statement may start any more
        self.running = False

    def statement(self) -> _Running:
        """``with stopper.statement(): ...`` around one statement run in the worker thread; it raises
        KeyboardInterrupt at once, running nothing, after :meth:`stop_for_good`."""
        return _Running(self)

    def stop(self, wait_while: Callable[[], bool] | None = None) -> None:
        """Stop the running statement, if one runs; while ``wait_while()`` (or the store lock is being taken
        or given back) try again shortly, unless the statement ends meanwhile. Call on the event loop."""
        with self._guard:
            if not self.running or self._thread is None:
                return
            if taking_or_releasing(self._thread) or (wait_while is not None and wait_while()):
                self._retry(wait_while)
                return
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self._thread),
                                                       ctypes.py_object(KeyboardInterrupt))

    def stop_for_good(self, wait_while: Callable[[], bool] | None = None) -> None:
        """The client has gone: stop the running statement (as :meth:`stop`), and any statement about to
        start stops before its first step, so nothing runs after it."""
        with self._guard:
            self._ended = True
        self.stop(wait_while)

    def _retry(self, wait_while: Callable[[], bool] | None) -> None:
        try:
            self._loop.call_later(RETRY, self.stop, wait_while)
        except RuntimeError:       # the loop has closed: the server is gone
            pass

    def _begin(self) -> None:
        with self._guard:
            ended = self._ended
            if not ended:
                self._thread = threading.get_ident()
                self.running = True
        if ended:
            raise KeyboardInterrupt

    def _end(self) -> None:
        try:
            with self._guard:
                self.running = False
        finally:
            self.running = False    # however the block above was left, no later stop may be raised
        _step()              # a stop raised just before the flag fell is delivered here, inside the statement


class _Running:
    """The context manager of :meth:`StatementStopper.statement`."""

    def __init__(self, stopper: StatementStopper) -> None:
        self._stopper = stopper

    def __enter__(self) -> None:
        self._stopper._begin()

    def __exit__(self, *exc: Any) -> None:
        self._stopper._end()
