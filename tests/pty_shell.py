"""``csshell --store STORE`` on a pseudo-terminal, for tests that need a real terminal (not collected as tests).

The test plays the terminal: it answers prompt_toolkit's cursor-position requests and reads what the
shell draws. ``read_until`` takes bytes (matched in the raw output) or text (matched with the escape
sequences removed, for prompts that colour or redraw their text).
"""
from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time
from pathlib import Path

CSSHELL = Path(sys.executable).with_name("csshell")
CURSOR_POSITION_REQUEST = b"\x1b[6n"
ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\r")


class PtyShell:
    """``csshell --store STORE`` on a pseudo-terminal ``columns`` wide and 30 rows high."""

    def __init__(self, store: Path, env: dict[str, str], columns: int = 100) -> None:
        self.buffer = b""
        self.mark = 0
        self.pid, self.fd = pty.fork()
        if self.pid == 0:                                   # the child: become csshell
            try:
                os.execve(str(CSSHELL), [str(CSSHELL), "--store", str(store)], env)
            finally:
                os._exit(127)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, columns, 0, 0))

    @property
    def text(self) -> str:
        """Everything shown so far, without escape sequences."""
        return ESCAPES.sub("", self.buffer.decode("utf-8", "replace"))

    def _seen(self, token: bytes | str) -> bool:
        since = self.buffer[self.mark:]
        if isinstance(token, bytes):
            return token in since
        return token in ESCAPES.sub("", since.decode("utf-8", "replace"))

    def read_until(self, token: bytes | str, timeout: float = 15.0) -> bool:
        """Read output until ``token`` appears after the last marked :meth:`type` (False at the deadline)."""
        deadline = time.monotonic() + timeout
        while not self._seen(token) and time.monotonic() < deadline:
            ready, _, _ = select.select([self.fd], [], [], 0.1)
            if not ready:
                continue
            try:
                chunk = os.read(self.fd, 4096)
            except OSError:                                 # the child closed the terminal
                break
            if not chunk:
                break
            self.buffer += chunk
            for _ in range(chunk.count(CURSOR_POSITION_REQUEST)):
                os.write(self.fd, b"\x1b[1;1R")             # what a terminal answers
        return self._seen(token)

    def type(self, keys: bytes | str, mark: bool = True) -> None:
        """Type ``keys``; :meth:`read_until` then looks at what comes after them (or, without ``mark``,
        after the keys typed before)."""
        if mark:
            self.mark = len(self.buffer)
        os.write(self.fd, keys.encode() if isinstance(keys, str) else keys)

    def exit_code(self, timeout: float = 15.0) -> int | None:
        """Wait for the child to end; ``None`` if it did not within ``timeout``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.read_until(b"\x00never", timeout=0.2)      # keep draining so the child never blocks
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid == self.pid:
                self.pid = 0
                return os.waitstatus_to_exitcode(status)
        return None

    def close(self) -> None:
        if self.pid:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.pid = 0
        os.close(self.fd)
