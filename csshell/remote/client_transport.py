"""The client's SSH transport: one ``csshell-objects`` channel per remote session, driven from a shell thread.

asyncssh is asynchronous; a shell runs statements synchronously. So every connection of the process
lives on one event loop in a background thread (:func:`event_loop`), and the shell's thread talks to
it through queues: messages read from the channel arrive in :attr:`ObjectChannel.messages`, and
questions the SSH layer needs answered while connecting (a password, a key's passphrase) arrive in a
:class:`Questions` queue that the shell's thread answers with its host (``Host.read_line``).

Only this module and the server import asyncssh; it is imported when a session is first opened.
"""
from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any, TypeVar

import asyncssh

from csshell.remote.wire import PROTOCOL_VERSION, SUBSYSTEM, WireError, decode_message, encode_message

CONNECT_TIMEOUT = 15.0      # seconds to reach the server and sign in (a password prompt waits for the user)
HELLO_TIMEOUT = 30.0        # seconds for the server to start the session
CLOSE_TIMEOUT = 5.0
POLL = 0.05                 # seconds: how often a waiting shell thread looks up (Ctrl-C, questions)
MAX_PASSWORD_TRIES = 3      # as OpenSSH's NumberOfPasswordPrompts

T = TypeVar("T")
_loop: asyncio.AbstractEventLoop | None = None
_loop_guard = threading.Lock()


def event_loop() -> asyncio.AbstractEventLoop:
    """The process's remoting event loop, started on first use in a daemon thread."""
    global _loop
    with _loop_guard:
        if _loop is None or _loop.is_closed():
            loop = asyncio.new_event_loop()
            threading.Thread(target=loop.run_forever, daemon=True, name="csshell-remoting").start()
            _loop = loop
        return _loop


@dataclass(frozen=True)
class Target:
    """Where to connect and as whom; ``computer`` is the name as the admin wrote it (PSComputerName)."""
    computer: str
    port: int
    user: str


class Questions:
    """Questions asked on the event loop, answered on the shell's thread (which owns the terminal)."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._pending: queue.Queue[tuple[str, bool, asyncio.Future[str | None]]] = queue.Queue()

    async def ask(self, prompt: str, secret: bool) -> str | None:
        future: asyncio.Future[str | None] = self._loop.create_future()
        self._pending.put((prompt, secret, future))
        return await future

    def wait(self, work: Awaitable[T], host: Any) -> T:
        """Run ``work`` on the loop; meanwhile answer its questions with ``host``. Ctrl-C cancels it."""
        done = asyncio.run_coroutine_threadsafe(work, self._loop)   # type: ignore[arg-type]
        try:
            while True:
                try:
                    prompt, secret, future = self._pending.get(timeout=POLL)
                except queue.Empty:
                    if done.done():
                        return done.result()
                    continue
                answer: str | None = None
                try:
                    answer = ask(host, prompt, secret)
                finally:
                    self._loop.call_soon_threadsafe(_settle, future, answer)
        except KeyboardInterrupt:
            done.cancel()
            raise


def ask(host: Any, prompt: str, secret: bool) -> str | None:
    """Ask through the shell's host. A secret (a password, a key's passphrase) is read with no echo at all,
    as OpenSSH reads it, where the host can (the interactive prompt's ``read_hidden``); else as the host
    reads any secret."""
    hidden = getattr(host, "read_hidden", None) if secret else None
    return hidden(prompt) if hidden is not None else host.read_line(prompt, secret)


def _settle(future: asyncio.Future[Any], value: Any) -> None:
    if not future.done():
        future.set_result(value)


class SshClient(asyncssh.SSHClient):
    """Signs in as the admin would with ``ssh``: keys first, then the password, asked at most three times.

    A host key not (yet) in known_hosts is *not* accepted here (this runs on the loop and cannot ask):
    it is kept in :attr:`offered_key` and the connection fails, so the caller can ask and try again.
    """

    def __init__(self, target: Target, questions: Questions, can_ask: bool = True) -> None:
        self._target = target
        self._questions = questions
        self._can_ask = can_ask             # False: nobody can answer (a script, -NonInteractive)
        self.offered_key: tuple[str, asyncssh.SSHKey] | None = None
        self.password_tries = 0
        self.password_unavailable = False

    def validate_host_public_key(self, host: str, addr: str, port: int, key: asyncssh.SSHKey) -> bool:
        self.offered_key = (addr, key)
        return False

    async def password_auth_requested(self) -> str | None:   # type: ignore[override]
        if self.password_tries >= MAX_PASSWORD_TRIES or self.password_unavailable:
            return None
        self.password_tries += 1
        if not self._can_ask:
            self.password_unavailable = True
            return None
        answer = await self._questions.ask(f"{self._target.user}@{self._target.computer}'s password: ", True)
        if answer is None:
            self.password_unavailable = True       # nobody can answer (non-interactive, or Ctrl-D)
        return answer


class ObjectChannel:
    """One open ``csshell-objects`` channel: send requests, read replies from :attr:`messages`."""

    def __init__(self, loop: asyncio.AbstractEventLoop, conn: asyncssh.SSHClientConnection,
                 process: asyncssh.SSHClientProcess[str], hello: dict[str, Any]) -> None:
        self._loop = loop
        self._conn = conn
        self._process = process
        self.hello = hello
        self.messages: queue.Queue[dict[str, Any] | None] = queue.Queue()   # None: the channel closed
        self.closed = False
        self.stderr = ""

    @classmethod
    async def open(cls, target: Target, client: SshClient, options: dict[str, Any]) -> ObjectChannel:
        """Connect, sign in, start the subsystem and read its hello (on the event loop)."""
        conn = await asyncio.wait_for(asyncssh.connect(
            target.computer, target.port, username=target.user, client_factory=lambda: client,
            password_auth=True, kbdint_auth=False, preferred_auth=("publickey", "password"), **options),
            CONNECT_TIMEOUT + MAX_PASSWORD_TRIES * 60)
        try:
            process = await conn.create_process(subsystem=SUBSYSTEM, encoding="utf-8", errors="replace")
            line = await asyncio.wait_for(process.stdout.readline(), HELLO_TIMEOUT)
            if not line:
                reason = (await asyncio.wait_for(process.stderr.read(), CLOSE_TIMEOUT)).strip()
                raise SessionRefused(reason or "The server ended the session before it started.")
            hello = decode_message(line)
            if hello.get("t") != "hello" or hello.get("version") != PROTOCOL_VERSION:
                raise SessionRefused("The server speaks another version of the csshell remoting protocol.")
        except BaseException:
            conn.close()
            raise
        channel = cls(asyncio.get_running_loop(), conn, process, hello)
        asyncio.get_running_loop().create_task(channel._pump())
        return channel

    async def _pump(self) -> None:
        try:
            while True:
                line = await self._process.stdout.readline()
                if not line:
                    break
                self.messages.put(decode_message(line))
        except WireError as exc:      # a broken or hostile server: stop reading it, and say why
            self.stderr = f"The server sent a reply that is not of the csshell remoting protocol ({exc})."
            self._conn.close()
        except (asyncssh.Error, OSError):
            pass
        finally:
            with contextlib.suppress(Exception):
                said = (await asyncio.wait_for(self._process.stderr.read(), CLOSE_TIMEOUT)).strip()
                self.stderr = " ".join(part for part in (self.stderr, said) if part)
            self.closed = True
            self.messages.put(None)

    def send(self, message: dict[str, Any]) -> None:
        """Queue one request (from any thread); a closed channel drops it (the reader reports the close)."""
        line = encode_message(message)
        with contextlib.suppress(RuntimeError):
            self._loop.call_soon_threadsafe(self._write, line)

    def _write(self, line: str) -> None:
        with contextlib.suppress(Exception):
            self._process.stdin.write(line)

    def next_message(self) -> dict[str, Any] | None:
        """The next reply (blocking, but Ctrl-C can interrupt the wait); None once the channel closed."""
        while True:
            try:
                return self.messages.get(timeout=POLL)
            except queue.Empty:
                continue

    def close(self) -> None:
        """End the session: end of input tells the server; then the connection closes."""
        future = asyncio.run_coroutine_threadsafe(self._close(), self._loop)
        with contextlib.suppress(Exception):
            future.result(CLOSE_TIMEOUT)

    async def _close(self) -> None:
        with contextlib.suppress(Exception):
            self._process.stdin.write_eof()
        self._conn.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._conn.wait_closed(), CLOSE_TIMEOUT)


class SessionRefused(Exception):
    """The server accepted the connection but would not start a session (its limit, shutting down...)."""
