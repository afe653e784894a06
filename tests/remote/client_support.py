"""Helpers for the client-side remoting tests: a private HOME that trusts the test server, a client shell.

The client reads ``~/.ssh/known_hosts`` and (without ``-KeyFilePath``) the user's default keys and SSH
agent, as ``ssh`` does; every test points HOME at its own folder and drops SSH_AUTH_SOCK, so nothing
of the machine's real user is read or written.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import asyncssh
import pytest
from remote_support import Account, ServerProcess

from csshell.engine import Engine
from csshell.remote import known_hosts
from csshell.runtime.host import BufferHost


class InteractiveBuffer(BufferHost):
    """A buffer host standing in for the interactive prompt (it may enter sessions and answer questions)."""

    supports_interactive_session = True


class ClientShell:
    """A local csshell engine (no store needed) with a buffer host; ``run`` returns (stdout, stderr)."""

    def __init__(self, interactive: bool = False, answers: list[str] | None = None) -> None:
        host_class = InteractiveBuffer if interactive else BufferHost
        self.host = host_class(interactive=interactive, answers=answers, width=120)
        self.engine = Engine(self.host)

    def run(self, text: str) -> tuple[str, str]:
        self.host.out.clear()
        self.host.err.clear()
        self.engine.run_command_text(text)
        return self.host.stdout, self.host.stderr

    def answer(self, *answers: str) -> None:
        self.host.answers.extend(answers)

    def close(self) -> None:
        self.engine.close()


class Typist:
    """Types key chunks into a prompt_toolkit pipe from a thread; a callable chunk is a condition to wait
    for first (up to 30 s: the remote session answers over SSH), so keys reach the right prompt."""

    def __init__(self, pipe: Any, pause: float = 0.05) -> None:
        self._pipe = pipe
        self._pause = pause
        self._thread: threading.Thread | None = None

    def type(self, *chunks: str | Callable[[], bool]) -> None:
        def send() -> None:
            for chunk in chunks:
                if callable(chunk):
                    deadline = time.monotonic() + 30
                    while not chunk() and time.monotonic() < deadline:
                        time.sleep(0.02)
                    continue
                time.sleep(self._pause)
                self._pipe.send_text(chunk)
        self._thread = threading.Thread(target=send, daemon=True)
        self._thread.start()

    def wait(self) -> None:
        if self._thread is not None:
            self._thread.join(timeout=60)


def trust(server: ServerProcess, store: Path) -> None:
    """Record the server's host key in this HOME's known_hosts, as a first ``yes`` would."""
    key = asyncssh.read_private_key(str(store.parent / "csshell_host_key"))
    known_hosts.remember("127.0.0.1", server.port, key.convert_to_public())


def connect_args(server: ServerProcess, account: Account, *, key: bool = True) -> str:
    """``-HostName 127.0.0.1 -Port N -UserName u [-KeyFilePath k]`` for one of the test accounts."""
    text = f"-HostName 127.0.0.1 -Port {server.port} -UserName {account.login}"
    return text + (f" -KeyFilePath '{account.key_file}'" if key else "")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A HOME of the test's own: its known_hosts, no default keys, no SSH agent."""
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("HOME", str(folder))
    monkeypatch.delenv("SSH_AUTH_SOCK", raising=False)
    return folder


@pytest.fixture
def shell(home: Path) -> Iterator[ClientShell]:
    client = ClientShell()
    yield client
    client.close()


@pytest.fixture
def interactive_shell(home: Path) -> Iterator[ClientShell]:
    client = ClientShell(interactive=True)
    yield client
    client.close()
