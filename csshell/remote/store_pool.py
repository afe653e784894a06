"""Warm Store objects for the server's sessions, lent one session at a time.

Opening a store reads and indexes the whole file (milliseconds for the example directory, seconds
for 100,000 users), and every ``ssh host 'Unlock-CsClientPin ...'`` is a new session. So a session
borrows an open Store and gives it back when it ends; the next session finds it warm, and the Store
catches up with other writers' changes on its own, as it does between statements. A Store is still
used by one thread at a time (the pool never lends one twice), and each session's statements keep
their own store statement and file lock.

At most ``keep`` idle Stores are kept (each holds the directory in memory); a Store that comes back
in an unusual state (a statement still open, the lock still held) is closed instead of kept.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from csshell.remote.fair_lock import queue_in_front

DEFAULT_KEEP = 4


class LentStore:
    """A borrowed Store: everything is the Store's, except that ``close`` gives it back."""

    def __init__(self, store: Any, pool: StorePool) -> None:
        self._store = store
        self._pool: StorePool | None = pool

    def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.give_back(self._store)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


class StorePool:
    """Idle open Stores on one store file."""

    def __init__(self, opener: Callable[[], Any], keep: int = DEFAULT_KEEP) -> None:
        self._opener = opener
        self._keep = keep
        self._idle: list[Any] = []
        self._guard = threading.Lock()
        self._closed = False

    def borrow(self) -> LentStore:
        with self._guard:
            store = self._idle.pop() if self._idle else None
        if store is None:
            store = queue_in_front(self._opener())
        return LentStore(store, self)

    def give_back(self, store: Any) -> None:
        with self._guard:
            if not self._closed and len(self._idle) < self._keep and _at_rest(store):
                self._idle.append(store)
                return
        store.close()

    def close(self) -> None:
        """Server shutdown: close every idle Store (lent ones close when their sessions end)."""
        with self._guard:
            self._closed = True
            idle, self._idle = self._idle, []
        for store in idle:
            store.close()


def _at_rest(store: Any) -> bool:
    """No statement open and no lock held: safe to lend again."""
    return not getattr(store, "_depth", 0) and not getattr(store, "_holding_lock", False) \
        and not getattr(store, "_closed", False)
