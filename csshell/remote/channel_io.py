"""Text streams and hosts that write into an SSH channel from a session's worker thread.

asyncssh channels belong to the server's event loop; statements run in worker threads so one slow
statement never stalls the others. Every write therefore hops onto the loop with
``call_soon_threadsafe`` (which keeps the order of writes). A channel whose client has gone away
swallows writes: the statement still finishes and its store changes are still written.
"""
from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any

from csshell.runtime.host import Host

DEFAULT_WIDTH = 120


class ChannelStream:
    """A minimal text stream (``write``/``flush``/``isatty``) into a channel's stdout or stderr."""

    def __init__(self, loop: asyncio.AbstractEventLoop, chan: Any, *, stderr: bool = False,
                 terminal: bool = False) -> None:
        self._loop = loop
        self._chan = chan
        self._stderr = stderr
        self._terminal = terminal
        self.encoding = "utf-8"

    def write(self, text: str) -> int:
        if self._terminal:      # a pty has no output translation: the terminal needs CR LF
            text = text.replace("\r\n", "\n").replace("\n", "\r\n")
        try:
            self._loop.call_soon_threadsafe(self._send, text)
        except RuntimeError:    # the loop has closed: the server is gone, nobody can read this
            pass
        return len(text)

    def _send(self, text: str) -> None:
        # A client that went away raises here; the statement goes on regardless.
        with contextlib.suppress(Exception):
            if self._stderr:
                self._chan.write_stderr(text)
            else:
                self._chan.write(text)

    def flush(self) -> None:
        """Writes are queued in order on the loop; nothing to flush here."""

    def isatty(self) -> bool:
        return self._terminal

    def fileno(self) -> int:
        raise OSError("an SSH channel has no file descriptor")


class ChannelHost(Host):
    """Host of an exec channel: output on stdout, error records on stderr, nobody to ask questions."""

    interactive = False

    def __init__(self, out: ChannelStream, err: ChannelStream, width: Callable[[], int] | None = None) -> None:
        self.out = out
        self.err = err
        self.color = out.isatty()
        self._width = width

    @property  # type: ignore[override]
    def width(self) -> int:
        return (self._width() if self._width else 0) or DEFAULT_WIDTH

    def write(self, text: str) -> None:
        self.out.write(text)

    def write_error(self, text: str) -> None:
        if self.err.isatty():
            text = f"\x1b[91m{text}\x1b[0m"
        self.err.write(text)


def terminal_width(chan: Any) -> int:
    """The client terminal's width in columns (0 when the client has no terminal)."""
    try:
        return int(chan.get_terminal_size()[0])
    except Exception:  # noqa: BLE001
        return 0
