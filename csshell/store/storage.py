"""A TinyDB ``Storage`` that lives in memory and reaches disk only by atomic replacement.

TinyDB's stock ``JSONStorage`` rewrites the file in place on every change and re-parses it on every
read (see reference/ux-remote-store.md §3). Here:

- :meth:`read` / :meth:`write` only touch the in-memory copy, so TinyDB's per-operation
  read-modify-write costs no I/O; ``write`` marks the copy dirty.
- :meth:`flush` writes the whole copy once: a temporary file in the same folder, flush + fsync,
  ``os.replace`` over the store, then fsync of the folder. A reader sees the old or the new file,
  never a half-written one; a crash leaves one of them.
- :meth:`load` parses the file and checks its schema; a file that does not parse raises
  :class:`StoreError` and is never written over (``flush`` is only reachable after a good load).
- :meth:`changed_on_disk` compares (st_mtime_ns, st_size, st_ino) with what was last loaded or
  written, so other processes' writes are noticed without re-reading the file each time.
- A store reached through a symbolic link is written where the link points (the link stays a
  link), and the new file keeps the old one's permission bits and, when allowed, its owner and
  group: an admin's ``chmod 664`` or ``chown`` survives every write.
- :func:`check_writable` refuses a read-only store (file or folder) before anything changes.

Locking is not done here: :class:`csshell.store.store.Store` decides when to hold the lock.
"""
from __future__ import annotations

import json
import os
import stat
import tempfile
from typing import Any

from tinydb.storages import Storage

from csshell.store import schema
from csshell.store.errors import StoreError

Signature = tuple[int, int, int]


def file_signature(path: str) -> Signature | None:
    """What identifies one version of the file; ``None`` if it does not exist."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


class DurableStorage(Storage):
    """In-memory TinyDB storage with explicit, atomic, durable flushes to one JSON file."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._data: dict[str, dict[str, Any]] | None = None
        self.dirty = False
        self.signature: Signature | None = None

    # --- TinyDB's interface -------------------------------------------------------------
    def read(self) -> dict[str, dict[str, Any]] | None:
        return self._data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        self._data = data
        self.dirty = True

    def close(self) -> None:
        self._data = None

    # --- disk ---------------------------------------------------------------------------
    def changed_on_disk(self) -> bool:
        return self._data is None or file_signature(self.path) != self.signature

    def load(self) -> None:
        """Replace the in-memory copy by the file's content (refusing a damaged file)."""
        before = file_signature(self.path)
        try:
            with open(self.path, "rb") as handle:
                raw = handle.read()
        except FileNotFoundError:
            raise StoreError(f"The store file '{self.path}' no longer exists.", "StoreMissing",
                             self.path, "ObjectNotFound") from None
        except OSError as exc:
            raise StoreError(f"The store file '{self.path}' cannot be read: {exc.strerror}.",
                             "StoreUnreadable", self.path, "ReadError") from None
        data = _parse(raw, self.path)
        schema.check(data, self.path)
        self._data = data
        self.dirty = False
        self.signature = before if before == file_signature(self.path) else None

    def invalidate(self) -> None:
        """Forget the in-memory copy's freshness (after a failed flush): reload on next use."""
        self.dirty = False
        self.signature = None

    def flush(self) -> None:
        """Write the in-memory copy if it changed; one atomic replacement of the file."""
        if not self.dirty or self._data is None:
            return
        payload = json.dumps(self._data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        try:
            check_writable(self.path)
        except StoreError:
            self.invalidate()
            raise
        try:
            atomic_write(self.path, payload)
        except OSError as exc:
            self.invalidate()
            raise StoreError(f"The store file '{self.path}' could not be written: {exc.strerror or exc}. "
                             "The previous content was kept.", "StoreWriteFailed", self.path,
                             "WriteError") from None
        self.dirty = False
        self.signature = file_signature(self.path)


def _parse(raw: bytes, path: str) -> Any:
    if not raw.strip():
        raise StoreError(f"The store file '{path}' is empty or truncated. It was left unchanged; "
                         "restore it from a backup or remove it to start a new store.",
                         "StoreCorrupt", path, "InvalidData")
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StoreError(f"The store file '{path}' is damaged or truncated ({exc}). It was left "
                         "unchanged; restore it from a backup or remove it to start a new store.",
                         "StoreCorrupt", path, "InvalidData") from None


def atomic_write(path: str, payload: bytes) -> None:
    """Temp file beside the real file, fsync, rename over it, fsync the folder.

    ``path`` may be a symbolic link: the file it points at is replaced, so the link survives and
    the real file is updated. The old file's mode (and owner/group, when permitted) is copied to
    the temporary file before the rename; a new file is created with mode 0600 (it holds PIN
    hashes).
    """
    target = os.path.realpath(path)
    folder = os.path.dirname(target)
    fd, temp = tempfile.mkstemp(prefix="." + os.path.basename(target) + ".", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            _copy_ownership_and_mode(handle.fileno(), target)
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise
    _fsync_folder(folder)


def _copy_ownership_and_mode(fd: int, target: str) -> None:
    """Give the temporary file the old file's owner, group and mode (owner first: chown clears setuid)."""
    try:
        old = os.stat(target)
    except FileNotFoundError:
        return
    if hasattr(os, "fchown"):
        for uid, gid in ((old.st_uid, old.st_gid), (-1, old.st_gid)):
            try:
                os.fchown(fd, uid, gid)
                break
            except PermissionError:      # only root may give a file away; a member may keep the group
                continue
    if os.chmod in os.supports_fd:
        os.chmod(fd, stat.S_IMODE(old.st_mode))


def check_writable(path: str) -> None:
    """Refuse (``StoreReadOnly``) a store whose file or folder is read-only, before any change.

    Read-only means the system denies us writing, or no one has a write bit (``chmod a-w``): an
    admin's explicit "do not change this", honoured even for root, who could otherwise replace it.
    """
    target = os.path.realpath(path)
    folder = os.path.dirname(target)
    mode = _read_only_mode(target, os.W_OK)
    if mode is not None:
        raise StoreError(
            f"The store file '{path}' is read-only (mode {mode:o}), so nothing was changed. Make it "
            f"writable (for example: chmod u+w '{target}') or use another store with --store.",
            "StoreReadOnly", path, "PermissionDenied")
    if _read_only_mode(folder, os.W_OK | os.X_OK) is not None:
        raise StoreError(
            f"The folder '{folder}' of the store file '{path}' is read-only, so the store cannot be "
            "replaced safely and nothing was changed. Make the folder writable (for example: "
            f"chmod u+w '{folder}') or move the store to a writable folder and use --store.",
            "StoreReadOnly", path, "PermissionDenied")


def _read_only_mode(path: str, access: int) -> int | None:
    """The permission bits of ``path`` if it exists and is read-only for us, else ``None``."""
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return None                      # missing or unreadable: load() or the write reports it
    return mode if not os.access(path, access) or not mode & 0o222 else None


def _fsync_folder(folder: str) -> None:
    """Make the rename itself durable (POSIX); folders cannot be opened on Windows."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
