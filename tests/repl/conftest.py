"""Shared helpers for the REPL tests: a fake engine and a driver that types into a real prompt."""
from __future__ import annotations

import io
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from prompt_toolkit.input import PipeInput, create_pipe_input
from prompt_toolkit.output import DummyOutput
from repl_fakes import FakeEngine

from csshell.repl.host import ReplHost


@dataclass
class Typist:
    """Sends key chunks one by one with pauses: prompt_toolkit handles Tab asynchronously."""

    pipe: PipeInput
    pause: float = 0.08
    _thread: threading.Thread | None = field(default=None)

    def type(self, *chunks: str | Callable[[], bool]) -> None:
        """Send each text chunk; a callable chunk is a condition to wait for (up to 10 s) first.

        Waiting matters for keys such as Up that must reach the *next* prompt: sent while the
        previous line is still being accepted, they become prompt_toolkit type-ahead, which is
        processed before that prompt has loaded its history.
        """
        def send() -> None:
            for chunk in chunks:
                if callable(chunk):
                    deadline = time.monotonic() + 10
                    while not chunk() and time.monotonic() < deadline:
                        time.sleep(0.01)
                    continue
                time.sleep(self.pause)
                self.pipe.send_text(chunk)
        self._thread = threading.Thread(target=send, daemon=True)
        self._thread.start()

    def wait(self) -> None:
        if self._thread is not None:
            self._thread.join(timeout=10)


@dataclass
class Session:
    typist: Typist
    host: ReplHost
    out: io.StringIO
    err: io.StringIO
    engines: list[FakeEngine]
    pipe: PipeInput

    def factory(self) -> Callable[[ReplHost], FakeEngine]:
        def make(host: ReplHost) -> FakeEngine:
            engine = FakeEngine(host)
            self.engines.append(engine)
            return engine
        return make

    @property
    def engine(self) -> FakeEngine:
        return self.engines[0]


@pytest.fixture
def session() -> Iterator[Session]:
    with create_pipe_input() as pipe:
        out, err = io.StringIO(), io.StringIO()
        host = ReplHost(out=out, err=err, prompt_input=pipe, prompt_output=DummyOutput())
        yield Session(Typist(pipe), host, out, err, [], pipe)
