"""What ``csshell serve`` is told: address, port, store, key and folder paths, limits.

Everything has a default derived from the store path, so ``csshell serve --store S`` is enough:
the host key, the per-account histories and the served folder (the only place a remote user's
file cmdlets may read or write) all sit beside the store file, where the admin who runs the
server already decided data lives.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

DEFAULT_ADDRESS = "127.0.0.1"
DEFAULT_PORT = 2222
HOST_KEY_NAME = "csshell_host_key"
HISTORY_FOLDER = "csshell_history"
FILES_FOLDER = "csshell_files"


@dataclass
class Limits:
    """Numbers that bound what clients can cost the server."""
    max_sessions: int = 64                # concurrent channels; more are refused with a message
    max_auth_failures: int = 5            # failed sign-ins per account (and per address) within the window
    failure_window: float = 300.0         # seconds over which failures are counted
    lockout: float = 300.0                # seconds an account or address stays refused after too many
    failure_delay: float = 1.0            # seconds every wrong password costs the client
    login_timeout: float = 60.0           # seconds a client has to authenticate
    shutdown_grace: float = 60.0          # seconds SIGTERM waits for running statements
    max_script_bytes: int = 4 * 1024 * 1024   # a script sent on stdin to an exec channel


@dataclass
class ServerConfig:
    """A server's settings; :func:`from_store` fills the paths nobody gave."""
    store_path: str
    address: str = DEFAULT_ADDRESS
    port: int = DEFAULT_PORT
    host_key_path: str = ""
    history_folder: str = ""
    files_folder: str = ""
    hostname: str = ""
    limits: Limits = field(default_factory=Limits)

    def __post_init__(self) -> None:
        self.store_path = os.path.abspath(self.store_path)
        beside = os.path.dirname(self.store_path)
        self.host_key_path = os.path.abspath(self.host_key_path or os.path.join(beside, HOST_KEY_NAME))
        self.history_folder = os.path.abspath(self.history_folder or os.path.join(beside, HISTORY_FOLDER))
        self.files_folder = os.path.realpath(self.files_folder or os.path.join(beside, FILES_FOLDER))
        if not self.hostname:
            import socket
            self.hostname = socket.gethostname().split(".")[0]

    def history_path(self, account: str) -> str:
        """One history file per account; the name keeps only characters safe in a file name."""
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in account.lower()).lstrip(".") or "_"
        return os.path.join(self.history_folder, safe + ".txt")


def parse_listen(text: str) -> tuple[str, int]:
    """``127.0.0.1:2222``, ``[::1]:2222``, ``:2222`` (all addresses) or ``2222`` (loopback).

    An address without a port (``127.0.0.1``, ``[::1]``, ``::1``) is refused rather than given the default
    port: the admin said where but not on which port, and a server quietly on 2222 is not what was asked."""
    text = text.strip()
    if text.isdigit():
        return DEFAULT_ADDRESS, _port(text)
    host, colon, port = text.rpartition(":")
    bare_ipv6 = colon and not text.startswith("[") and ":" in host
    if not colon or bare_ipv6 or (text.startswith("[") and not host.endswith("]")):
        raise ValueError(f"--listen: '{text}' has no port (expected ADDR:PORT, for example 127.0.0.1:2222, "
                         "[::1]:2222 or :2222).")
    host = host.strip("[]")
    return host or "", _port(port)


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a port number.") from None
    if not 0 <= port <= 65535:
        raise ValueError(f"The port {port} is outside the range 0-65535.")
    return port
