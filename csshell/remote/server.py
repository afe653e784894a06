"""``csshell serve``: one process, many admins over SSH, one shared store.

The server listens with asyncssh, host key beside the store (generated on first start). Each
channel runs in its own worker thread with its own engine and Store object; the store's file lock
serialises their writes, and those of local csshell processes.

SIGTERM (or SIGINT) stops it cleanly: no new connections; idle prompts end at once; running
statements finish and are written (up to ``shutdown_grace`` seconds); then the connections close.
"""
from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
import time
from typing import Any

import asyncssh

from csshell.remote import hostkey
from csshell.remote.accounts import AccountBook, StoreAccounts
from csshell.remote.auth import CsshellServer
from csshell.remote.config import ServerConfig
from csshell.remote.shell_channel import make_history_folder
from csshell.remote.store_pool import StorePool
from csshell.remote.throttle import SignInThrottle
from csshell.store import open_store

log = logging.getLogger("csshell.remote")


class ServerState:
    """What every connection shares: settings, accounts, throttles and the open session channels."""

    def __init__(self, config: ServerConfig, accounts: AccountBook) -> None:
        self.config = config
        self.accounts = accounts
        limits = config.limits
        self.throttle = SignInThrottle(limits.max_auth_failures, limits.failure_window, limits.lockout)
        self.sessions: set[Any] = set()
        self.connections: set[Any] = set()     # every client connection, signed in or not
        self.stores = StorePool(lambda: open_store(config.store_path))
        self.stopping = False

    def admit(self, session: Any) -> bool:
        """Register a new channel unless the server is stopping or full."""
        if self.stopping or len(self.sessions) >= self.config.limits.max_sessions:
            return False
        self.sessions.add(session)
        return True

    def release(self, session: Any) -> None:
        self.sessions.discard(session)


class Server:
    """A running server: :meth:`start`, then :meth:`wait_stopped` after :meth:`stop` (or a signal)."""

    def __init__(self, config: ServerConfig, accounts: AccountBook | None = None) -> None:
        self.config = config
        self.state = ServerState(config, accounts or StoreAccounts(config.store_path))
        self._acceptor: asyncssh.SSHAcceptor | None = None
        self._stopped = asyncio.Event()
        self._stopping: asyncio.Task[None] | None = None
        self.port = config.port

    async def start(self) -> None:
        """Prepare the folders and the host key, then listen; the actual port is in :attr:`port`."""
        open_store(self.config.store_path).close()       # a missing store is created; a bad one stops us here
        key = hostkey.load_or_create(self.config.host_key_path)
        make_history_folder(self.config.history_folder)
        os.makedirs(self.config.files_folder, exist_ok=True)
        limits = self.config.limits
        self._acceptor = await asyncssh.create_server(
            lambda: CsshellServer(self.state), self.config.address, self.config.port,
            server_host_keys=[key], line_editor=False, encoding="utf-8", errors="replace",
            login_timeout=limits.login_timeout, allow_scp=False, agent_forwarding=False,
            x11_forwarding=False, process_factory=None)
        self.port = self._acceptor.get_port() or self.port
        log.info("listening on %s:%d (host key %s, %s); store %s; files folder %s", self.config.address or "*",
                 self.port, self.config.host_key_path, hostkey.fingerprint(key), self.config.store_path,
                 self.config.files_folder)

    def stop(self) -> None:
        """Begin a clean shutdown (idempotent; safe from a signal handler)."""
        if self._stopping is None:
            self._stopping = asyncio.get_running_loop().create_task(self._shutdown())

    async def wait_stopped(self) -> None:
        await self._stopped.wait()

    async def _shutdown(self) -> None:
        log.info("shutting down: %d open session(s); running statements finish first", len(self.state.sessions))
        self.state.stopping = True
        if self._acceptor is not None:
            self._acceptor.close()
        sessions = list(self.state.sessions)
        for session in sessions:
            session.begin_shutdown()
        grace = self.config.limits.shutdown_grace
        running = await asyncio.get_running_loop().run_in_executor(None, join_all, sessions, grace)
        if running:
            log.warning("%d session(s) still running after %g s; closing them", running, grace)
        await asyncio.sleep(0.1)          # let the last exit statuses reach their clients
        for conn in list(self.state.connections):
            conn.close()
        if self._acceptor is not None:
            await self._acceptor.wait_closed()
        self.state.stores.close()
        close = getattr(self.state.accounts, "close", None)
        if close is not None:
            close()
        log.info("stopped")
        self._stopped.set()


def join_all(sessions: list[Any], grace: float) -> int:
    """Wait for every session's worker, all within one ``grace`` period; returns how many still run."""
    deadline = time.monotonic() + grace
    return sum(not session.join(max(deadline - time.monotonic(), 0.0)) for session in sessions)


async def serve(config: ServerConfig, ready: Any = None) -> int:
    """Run until SIGTERM/SIGINT; ``ready(server)`` is called once listening (tests, the CLI banner)."""
    server = Server(config)
    await server.start()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, server.stop)
    if ready is not None:
        ready(server)
    await server.wait_stopped()
    return 0


def configure_logging(stream: Any = None) -> None:
    """Sign-ins, failures and lifecycle events on stderr, one line each, with a timestamp."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s csshell-serve %(levelname)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
