"""The Store: one store file, its lock, and the statement protocol the engine uses.

Protocol (the engine wraps every top-level statement)::

    store = open_store(path)
    with store.statement():          # nested calls are no-ops
        store.directory.lock_pin(user, actor, origin)
    # the changes reach the disk here, once, under the file lock

Why this shape: a script that unlocks 500 users in one pipeline should write the file once, not 500
times, and a crash between statements must lose nothing that was reported done.

Locking: the first change inside a statement takes the cross-process ``filelock`` on the sibling
``<store>.lock`` file, catches up with the disk (other processes' journal records, or a new base
file) and only then applies the change to the fresh data. The lock is released after the write at
the end of the statement. Reads never lock: they catch up when the base or the journal changed (two
``stat`` calls), and inside a statement at most once (a pipeline over 100,000 users does not stat the
files 100,000 times; its changes still take the lock and see the latest data). A lock that cannot be
taken within ``lock_timeout`` seconds gives a "store is busy" :class:`StoreError`, never a hang. A
read-only store file, journal or folder is refused (``StoreReadOnly``) before the lock is taken or
anything changes.

Caches: :attr:`generation` changes when the data was reloaded whole (caches rebuild); :meth:`watch`
reports single documents changed here or by another process (caches update in place).

Symbolic links: ``path`` may be a link; writes go to the file it points at, and the lock sits beside
that real file, so two links to one store share one lock. Messages name the path the admin gave.

A Store object is used by one thread at a time (the server gives each session its own Store; the
file lock serialises them, also across processes).
"""
from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from typing import Any

import filelock
from tinydb.table import Table

from csshell.store import schema
from csshell.store.errors import StoreError
from csshell.store.policy import PinPolicy
from csshell.store.storage import DurableStorage, atomic_write, check_writable, new_store_bytes, other_owner
from csshell.store.tables import JournalDB

Watcher = Callable[[str, "dict[str, Any] | None", "dict[str, Any] | None"], None]

DEFAULT_LOCK_TIMEOUT = 10.0
_ALREADY_CHANGING = nullcontext()
_HELD = threading.local()                # .paths: lock files this thread's statements hold


def _held_paths() -> set[str]:
    if not hasattr(_HELD, "paths"):
        _HELD.paths = set()
    return _HELD.paths


def held_by_this_thread(lock_file: str) -> bool:
    """Whether a statement running in this thread holds ``lock_file``: waiting for it here would never end
    (Restore-CsStore inside a pipeline that is changing the store)."""
    return lock_file in _held_paths()


class Store:
    """An open store file: TinyDB over :class:`DurableStorage`, plus the statement protocol."""

    def __init__(self, path: str, lock_timeout: float = DEFAULT_LOCK_TIMEOUT) -> None:
        from csshell.store.directory import Directory   # directory needs Store; avoid a cycle

        self.path = os.path.abspath(path)
        self.lock_path = os.path.realpath(self.path) + ".lock"
        self.lock_timeout = lock_timeout
        self._lock = filelock.FileLock(self.lock_path, timeout=lock_timeout)
        self._storage = DurableStorage(self.path)
        self._storage.listener = self._dispatch
        self._storage.on_reset = self.invalidate_caches
        self._watchers: dict[str, list[Watcher]] = {}
        self._depth = 0
        self._synced_in_statement = False
        self._holding_lock = False
        self._closed = False
        self.generation = 0          # bumped on every whole (re)load; caches compare it
        self._ensure_exists()
        self._reload()
        self.directory = Directory(self)

    # --- statement protocol ---------------------------------------------------------------
    @contextmanager
    def statement(self) -> Iterator[None]:
        """Group the changes of one statement into one locked write; nested use is a no-op."""
        self._check_open()
        if self._depth:
            yield
            return
        self._depth = 1
        self._synced_in_statement = False
        try:
            yield
        finally:
            self._depth = 0
            self._synced_in_statement = False
            self._finish_statement()

    def change(self) -> Any:
        """Wrap one mutation: holds the lock on fresh data; outside a statement, commits at once.

        Inside a statement that already holds the lock (the 2nd to 10,000th change of a bulk
        pipeline) there is nothing to do: a no-op context instead of two nested generators.
        """
        if self._depth and self._holding_lock and not self._closed:
            return _ALREADY_CHANGING
        return self._change()

    @contextmanager
    def _change(self) -> Iterator[None]:
        with self.statement():
            self._acquire_for_change()
            yield

    def _finish_statement(self) -> None:
        try:
            self._storage.flush()
        finally:
            self._release()

    def _acquire_for_change(self) -> None:
        if self._holding_lock:
            return
        check_writable(self.path)
        self._take_lock()
        self._sync(strict=True)

    def _take_lock(self) -> None:
        try:
            self._lock.acquire(timeout=self.lock_timeout)
        except filelock.Timeout:
            raise StoreError(
                f"The store '{self.path}' is busy: another csshell process has held its lock "
                f"('{self.lock_path}') for more than {self.lock_timeout:g} seconds. Nothing was "
                "changed; try again.", "StoreBusy", self.path, "ResourceBusy") from None
        except OSError as exc:
            raise StoreError(f"The store lock '{self.lock_path}' cannot be created: {exc.strerror}. "
                             f"{lock_advice(self.lock_path)}; nothing was changed.",
                             "StoreLockFailed", self.path, "PermissionDenied") from None
        self._holding_lock = True
        _held_paths().add(self.lock_path)

    def _release(self) -> None:
        if self._holding_lock:
            self._holding_lock = False
            _held_paths().discard(self.lock_path)
            self._lock.release()

    # --- reading --------------------------------------------------------------------------
    def table(self, name: str) -> Table:
        """A TinyDB table, fresh from disk if another process wrote since we last looked."""
        self.refresh()
        return self._db.table(name, cache_size=0)

    def raw_table(self, name: str) -> dict[str, dict[str, Any]]:
        """The live ``{doc id text: document}`` dict of a table, fresh: for indexes, never to change."""
        self.refresh()
        return self._storage.raw_table(name)

    @property
    def settled(self) -> bool:
        """Whether :meth:`refresh` would read nothing now (this statement already caught up, or holds the lock)."""
        return not self._closed and (self._holding_lock or self._synced_in_statement or self._storage.dirty)

    def refresh(self) -> None:
        """Catch up with other processes' writes (not while we hold the lock: then we are the writer)."""
        self._check_open()
        if self.settled:
            return
        self._sync(strict=False)
        self._synced_in_statement = self._depth > 0

    def _sync(self, strict: bool) -> None:
        if self._storage.sync(strict):
            self._loaded()

    def _reload(self) -> None:
        self._storage.load()
        self._loaded()

    def _loaded(self) -> None:
        # Ids come from the storage, which sees other processes' inserts (reference/ux-remote-store.md
        # §3.4); a new TinyDB also drops every other Table cache.
        self._db = JournalDB(storage=lambda: self._storage)
        self.generation += 1

    def watch(self, table: str, watcher: Watcher) -> None:
        """Call ``watcher(doc id text, old, new)`` for every document of ``table`` changed in memory
        without a whole reload: by this process, or read from another process's journal records."""
        self._watchers.setdefault(table, []).append(watcher)

    def _dispatch(self, table: str, key: str, old: dict[str, Any] | None, new: dict[str, Any] | None) -> None:
        for watcher in self._watchers.get(table, ()):
            watcher(key, old, new)

    def invalidate_caches(self) -> None:
        """Tell caches built on this store (the Directory's indexes) to rebuild."""
        self.generation += 1

    # --- lifecycle ------------------------------------------------------------------------
    def _ensure_exists(self) -> None:
        """Create an empty valid store (and its folder) if the file is missing."""
        if os.path.exists(self.path):
            return
        try:
            os.makedirs(os.path.dirname(os.path.realpath(self.path)), exist_ok=True)
        except OSError as exc:
            raise StoreError(f"The folder for the store '{self.path}' cannot be created: {exc.strerror}.",
                             "StoreCreateFailed", self.path, "WriteError") from None
        self._take_lock()
        try:
            if not os.path.exists(self.path):
                data = schema.new_document(PinPolicy().to_document())
                atomic_write(self.path, new_store_bytes(data))
        except OSError as exc:
            raise StoreError(f"The store '{self.path}' cannot be created: {exc.strerror}.",
                             "StoreCreateFailed", self.path, "WriteError") from None
        finally:
            self._release()

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError(f"The store '{self.path}' is closed.", "StoreClosed", self.path,
                             "InvalidOperation")

    def close(self) -> None:
        """Write nothing more; release the lock if a statement was cut short."""
        self._release()
        self._storage.close()
        self._closed = True

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def lock_advice(lock_path: str) -> str:
    """What to do about a lock file we may not create: ask its (or its folder's) owner, or chmod our own."""
    owner = other_owner(lock_path) if os.path.exists(lock_path) else other_owner(os.path.dirname(lock_path))
    if owner:
        return (f"It (or its folder) belongs to the user '{owner}': ask them or an administrator to let you "
                "write it (for example: a shared group and chmod g+w), or use another store with --store")
    return (f"Check the permissions of the lock file and its folder (ls -l '{lock_path}'; for example: "
            "chmod u+w, or chown to the user running csshell)")


def open_store(path: str, lock_timeout: float = DEFAULT_LOCK_TIMEOUT) -> Store:
    """Open (or create) the store file at ``path``. Raises :class:`StoreError` when unusable."""
    return Store(path, lock_timeout=lock_timeout)
