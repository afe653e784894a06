"""First come, first served for the store's file lock among the server's own sessions.

``filelock`` waits by polling (try, sleep 50 ms, try again). With twenty sessions of one server
wanting the lock at once, whoever happens to try just after a release wins, and an unlucky session
can lose for seconds, long enough to hit the store's "busy" timeout although the store is only
moderately loaded. So the server queues its sessions in arrival order in front of the file lock:
only the head of the queue polls the file lock, which then is contended only with other processes.

:func:`queue_in_front` wraps the lock object of one session's Store; all Stores of a server on the
same lock file share one :class:`ArrivalQueue`.
"""
from __future__ import annotations

import threading
import time
from collections import deque
from typing import Any

import filelock

_queues: dict[str, ArrivalQueue] = {}
_queues_guard = threading.Lock()
_lock_depth: dict[int, int] = {}        # thread ident -> nesting of acquire/release calls it is inside


def taking_or_releasing(thread_ident: int | None) -> bool:
    """Whether that thread is inside a store lock's acquire or release: not the moment to interrupt it
    (a KeyboardInterrupt there could leave the lock taken with nobody knowing). While the lock is merely
    held, an interrupt is safe: the store's statement ends, writes and releases on the way out."""
    return bool(thread_ident is not None and _lock_depth.get(thread_ident))


def _enter() -> None:
    ident = threading.get_ident()
    with _queues_guard:
        _lock_depth[ident] = _lock_depth.get(ident, 0) + 1


def _leave() -> None:
    ident = threading.get_ident()
    with _queues_guard:
        depth = _lock_depth.get(ident, 0) - 1
        if depth > 0:
            _lock_depth[ident] = depth
        else:
            _lock_depth.pop(ident, None)


class ArrivalQueue:
    """A lock granted in arrival order; a waiter that times out leaves the queue."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._waiting: deque[object] = deque()
        self._held = False

    def acquire(self, timeout: float) -> bool:
        me = object()
        deadline = time.monotonic() + timeout
        with self._cond:
            self._waiting.append(me)
            try:
                while self._held or self._waiting[0] is not me:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        return False
                    self._cond.wait(remaining)
                self._held = True
                return True
            finally:
                self._waiting.remove(me)
                self._cond.notify_all()

    def release(self) -> None:
        with self._cond:
            self._held = False
            self._cond.notify_all()


class QueuedFileLock:
    """The interface Store uses of a ``filelock.FileLock`` (acquire with timeout, release), queued first."""

    def __init__(self, inner: Any, queue: ArrivalQueue, lock_file: str) -> None:
        self._inner = inner
        self._queue = queue
        self.lock_file = lock_file

    def acquire(self, timeout: float = -1, **kwargs: Any) -> Any:
        _enter()
        try:
            started = time.monotonic()
            limit = timeout if timeout is not None and timeout >= 0 else float("inf")
            if not self._queue.acquire(limit):
                raise filelock.Timeout(self.lock_file)
            try:
                remaining = max(limit - (time.monotonic() - started), 0.0) if limit != float("inf") else -1
                return self._inner.acquire(timeout=remaining, **kwargs)
            except BaseException:
                self._queue.release()
                raise
        finally:
            _leave()

    def release(self, **kwargs: Any) -> None:
        _enter()
        try:
            self._inner.release(**kwargs)
        finally:
            try:
                self._queue.release()
            finally:
                _leave()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def queue_in_front(store: Any) -> Any:
    """Make ``store`` (a csshell Store) queue for its file lock behind the server's other sessions."""
    lock = getattr(store, "_lock", None)
    lock_path = getattr(store, "lock_path", None)
    if lock is None or lock_path is None or isinstance(lock, QueuedFileLock):
        return store              # a store without that shape simply keeps its own locking
    with _queues_guard:
        queue = _queues.setdefault(lock_path, ArrivalQueue())
    store._lock = QueuedFileLock(lock, queue, lock_path)
    return store
