"""A TinyDB ``Storage`` kept in memory: a base file plus an append-only journal, both crash-safe.

TinyDB's stock ``JSONStorage`` rewrites the file in place on every change and re-parses it on every
read (see reference/ux-remote-store.md §3). Here the store is two files:

- the **base** ``store.json``: TinyDB's JSON layout, whose ``_meta`` document carries a random
  ``base_id`` token. It is only ever replaced whole (temporary file, fsync, ``os.replace``, fsync of
  the folder): a reader sees the old or the new one, never a half-written one.
- the **journal** ``store.json.journal`` (journal.py): one checksummed record per statement holding
  the documents that statement changed, appended and fsync'd. Its header names the base's token; a
  journal with another token is stale and ignored. A torn last record is never applied.

Costs: a statement that changes a few documents appends one record (one small fsync'd write),
whatever the store's size; TinyDB's operations change the in-memory data in place through
:class:`csshell.store.tables.JournalTable`, which reports the changed doc ids. When the journal
would outgrow ``max(COMPACT_MIN_BYTES, base size / COMPACT_RATIO)``, or a statement replaced a
whole table (an import), the statement's one write is a **compaction** instead: the base is
rewritten with a new token (the previous base kept as ``<store>.bak`` by recovery.py) and the
stale journal removed.

Readers: :meth:`sync` notices other processes' writes with two ``stat`` calls. A new base (other
inode, size or mtime) means a full :meth:`load`; a grown journal means reading and applying only
its new records (their doc ids go to :attr:`listener`, so indexes are updated, not rebuilt).

A store reached through a symbolic link is written where the link points (the link stays a link);
a replaced base keeps the old one's permission bits and, when allowed, its owner and group; the
journal is created with the base's. :func:`check_writable` refuses a read-only store (file, journal
or folder) before anything changes. Locking is not done here: :class:`csshell.store.store.Store`
holds the lock around every write and strict :meth:`sync`.
"""
from __future__ import annotations

import os
import re
import stat
import tempfile
import uuid
from collections.abc import Callable, Iterable
from itertools import repeat
from typing import Any

from tinydb.storages import Storage

from csshell.store import journal, schema
from csshell.store.errors import StoreError

Signature = tuple[int, int, int]
Document = dict[str, Any]
Listener = Callable[[str, str, "Document | None", "Document | None"], None]

COMPACT_MIN_BYTES = 1 << 20          # a journal may always grow to 1 MiB ...
COMPACT_RATIO = 4                    # ... or to 1/4 of the base, so a cold load parses at most 25% more
LOAD_ATTEMPTS = 5                    # a base replaced while we read it: read again
TOKEN_KEY = "base_id"                # in the _meta document: which journal belongs to this base


def file_signature(path: str) -> Signature | None:
    """What identifies one version of the file; ``None`` if it does not exist."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


class DurableStorage(Storage):
    """In-memory TinyDB storage over a base file and its journal; :meth:`flush` commits one statement."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._data: dict[str, dict[str, Document]] | None = None
        self.signature: Signature | None = None          # of the base file as loaded or written
        self.token: str | None = None                    # the base's base_id
        self._journal = journal.journal_path(os.path.realpath(path))
        self._journal_inode: int | None = None           # None: no journal of our base seen yet
        self._journal_end = 0                            # just after the last record applied
        self._journal_seen: tuple[int, ...] | None = None   # journal stat when last read (readers' shortcut)
        self._changed: dict[str, set[str]] = {}          # table -> doc ids changed since the last flush
        self._fields: dict[tuple[str, str], Iterable[str] | None] = {}   # (table, doc id) -> names set; None: whole
        self._journal_version = journal.VERSION          # of our journal: version 1 gets no patches
        self._rewrite = False                            # a whole table was replaced: compact
        self._max_ids: dict[str, int] = {}
        self.listener: Listener | None = None            # (table, doc id, old, new) for every change
        self.on_reset: Callable[[], None] | None = None  # a whole table was cleared

    # --- TinyDB's interface -------------------------------------------------------------
    def read(self) -> dict[str, dict[str, Document]] | None:
        return self._data

    def write(self, data: dict[str, dict[str, Document]]) -> None:
        """TinyDB's whole-database write (not used by JournalTable): the next flush compacts."""
        self._data = data
        self._rewrite = True
        self._max_ids.clear()

    def close(self) -> None:
        self._data = None

    # --- what JournalTable calls ----------------------------------------------------------
    def raw_table(self, name: str) -> dict[str, Document]:
        """The live ``{doc id: document}`` dict of one table (created if missing)."""
        assert self._data is not None, "the store is closed"
        return self._data.setdefault(name, {})

    def document_changed(self, table: str, key: str, old: Document | None, new: Document | None,
                         fields: Iterable[str] | None = None) -> None:
        """``fields``: the only fields the change set (so the journal may write a patch); None: any change."""
        self._changed.setdefault(table, set()).add(key)
        slot = (table, key)
        if fields is None or old is None or new is None:
            self._fields[slot] = None
        elif slot not in self._fields:
            self._fields[slot] = tuple(fields)   # the first change (the usual one): the names it set
        elif self._fields[slot] is not None:
            self._fields[slot] = {*self._fields[slot], *fields}     # another change to the same document
        self._note_id(table, key, new)
        if self.listener:
            self.listener(table, key, old, new)

    def table_cleared(self, table: str) -> None:
        self._rewrite = True
        self._max_ids.pop(table, None)
        if self.on_reset:
            self.on_reset()

    def next_id(self, table: str) -> int:
        """A doc id never used in ``table`` as far as this process has seen (others' records included)."""
        current = self._max_ids.get(table)
        if current is None:
            current = max(map(int, self.raw_table(table)), default=0)
        self._max_ids[table] = current + 1
        return current + 1

    def _note_id(self, table: str, key: str, new: Document | None) -> None:
        if new is not None and table in self._max_ids and int(key) > self._max_ids[table]:
            self._max_ids[table] = int(key)

    @property
    def dirty(self) -> bool:
        return self._rewrite or any(self._changed.values())

    # --- reading the disk ----------------------------------------------------------------
    def sync(self, strict: bool = False) -> bool:
        """Catch up with the disk; ``True`` when that took a full :meth:`load`.

        ``strict`` (a writer holding the lock) always looks at the journal's end; a reader skips
        reading when the journal's stat has not changed since it last read it (a torn tail that a
        crashed writer left is then not re-read at every access).
        """
        if self._data is None or self.signature is None or file_signature(self.path) != self.signature:
            self.load()
            return True
        if self.token is None:
            return False                 # a base without a token has no journal (the next write compacts)
        seen = _journal_stat(self._journal)
        if seen is None:
            if self._journal_inode is None:
                return False
            self.load()                  # our journal vanished: the disk is the truth
            return True
        if not strict and seen == self._journal_seen:
            return False
        if self._journal_inode is None:
            opened = journal.read(self._journal, None)
            if opened is None or opened.token != self.token:
                self._journal_seen = seen                     # stale: left by an interrupted compaction
                return False
            self._journal_inode, self._journal_version = opened.inode, opened.version
        elif seen[0] != self._journal_inode or seen[1] < self._journal_end:
            self.load()
            return True
        elif seen[1] == self._journal_end:
            self._journal_seen = seen
            return False
        else:
            opened = journal.read(self._journal, self._journal_end, self._journal_inode)
            if opened is None or opened.inode != self._journal_inode:
                self.load()
                return True
        self._apply(opened.tail.records, notify=True)
        self._journal_end = opened.tail.end
        self._journal_seen = seen
        return False

    def load(self) -> None:
        """Replace the in-memory copy by the base file plus its journal (refusing damaged files)."""
        for _ in range(LOAD_ATTEMPTS):
            before = file_signature(self.path)
            data = _parse(_read(self.path), self.path)
            _check(data, self.path)
            token = _token_of(data)
            self._journal = journal.journal_path(os.path.realpath(self.path))
            seen = _journal_stat(self._journal)
            opened = journal.read(self._journal, None) if token else None
            if file_signature(self.path) == before:
                break
        self._data = data
        self.token = token
        self.signature = before if before == file_signature(self.path) else None
        self._changed.clear()
        self._fields.clear()
        self._rewrite = False
        self._max_ids.clear()
        self._journal_inode, self._journal_end, self._journal_seen = None, 0, seen
        if opened is not None and opened.token == token:
            self._journal_inode, self._journal_end = opened.inode, opened.tail.end
            self._journal_version = opened.version
            self._apply(opened.tail.records, notify=False)

    def _apply(self, records: list[journal.Changes], notify: bool) -> None:
        assert self._data is not None
        for record in records:
            if not journal.well_formed(record):
                raise journal.corrupt(self._journal, self._journal_end, self.path)
            for table, docs in record.items():
                if table == journal.PATCHES:
                    self._apply_patches(docs, notify)
                    continue
                raw = self._data.setdefault(table, {})
                for key, new in docs.items():
                    old = raw.pop(key, None) if new is None else raw.get(key)
                    if new is not None:
                        raw[key] = new
                        self._note_id(table, key, new)
                    if notify and self.listener:
                        self.listener(table, key, old, new)

    def _apply_patches(self, tables: dict[str, dict[str, Any]], notify: bool) -> None:
        """Apply ``"$patch"`` entries: a new document object (copy on write), some fields set or removed."""
        assert self._data is not None
        for table, patches in tables.items():
            raw = self._data.setdefault(table, {})
            for key, patch in patches.items():
                old = raw.get(key)
                if old is None:          # a patch of a document that is not there: no writer makes that
                    raise journal.corrupt(self._journal, self._journal_end, self.path)
                new = old.copy()
                new.update(patch["set"])
                for name in patch.get("unset", ()):
                    new.pop(name, None)
                raw[key] = new
                if notify and self.listener:
                    self.listener(table, key, old, new)

    def invalidate(self) -> None:
        """Forget the in-memory copy's freshness (after a failed flush): reload on next use."""
        self._changed.clear()
        self._fields.clear()
        self._rewrite = False
        self.signature = None

    # --- writing -------------------------------------------------------------------------
    def flush(self) -> None:
        """Commit what changed since the last flush: one journal record, or one compaction."""
        if not self.dirty or self._data is None:
            return
        try:
            check_writable(self.path)
        except StoreError:
            self.invalidate()
            raise
        try:
            record = None if self._rewrite or self.token is None else self._record()
            if record is None or self._journal_end + len(record) > self._compact_limit():
                self._compact()
            else:
                self._append(record)
        except OSError as exc:
            self.invalidate()
            raise StoreError(f"The store file '{self.path}' could not be written: {exc.strerror or exc}. "
                             "The previous content was kept and nothing was changed. Free some disk space "
                             "(or fix the cause shown) and try again.", "StoreWriteFailed", self.path,
                             "WriteError") from None
        self._changed.clear()
        self._fields.clear()
        self._rewrite = False

    def _record(self) -> bytes:
        """The statement's journal record: each changed document whole, or as a patch of the fields that
        changed when that is much smaller (and the journal is of a version that has patches)."""
        assert self._data is not None
        patching = self._journal_inode is None or self._journal_version >= 2
        changes: dict[str, Any] = {}
        patches: dict[str, dict[str, Any]] = {}
        for table, keys in self._changed.items():
            stored = self._data.get(table, {})
            for key in sorted(keys, key=int):
                new = stored.get(key)
                names = self._fields.get((table, key)) if patching else None
                if names is None or new is None or 2 * len(names) > len(new):
                    changes.setdefault(table, {})[key] = new
                else:
                    patches.setdefault(table, {})[key] = {"set": {name: new[name] for name in names}}
        if patches:
            changes[journal.PATCHES] = patches
        return journal.encode(changes)

    def _compact_limit(self) -> int:
        return max(COMPACT_MIN_BYTES, (self.signature[1] if self.signature else 0) // COMPACT_RATIO)

    def _append(self, record: bytes) -> None:
        if self._journal_inode is None:
            first = journal.header(self.token or "") + record
            self._journal_version = journal.VERSION
            target = os.path.realpath(self.path)
            atomic_write(self._journal, first, mode_of=target)
            self._journal_inode = os.stat(self._journal).st_ino
            self._journal_end = len(first)
        else:
            self._journal_end = journal.append(self._journal, self._journal_inode, self._journal_end, record)
        self._journal_seen = _journal_stat(self._journal)

    def _compact(self) -> None:
        """Rewrite the base with a new token; the old journal becomes stale and is removed."""
        assert self._data is not None
        token = uuid.uuid4().hex
        meta = _meta_document(self._data)
        previous = meta.get(TOKEN_KEY), meta.get("schema")
        meta[TOKEN_KEY] = token
        meta["schema"] = schema.SCHEMA_VERSION       # a version-1 file is upgraded by its first compaction
        try:
            payload = journal.dumps(self._data)
            _keep_previous(self.path)
            atomic_write(self.path, payload)
        except BaseException:
            meta[TOKEN_KEY], meta["schema"] = previous
            raise
        self.token = token
        self.signature = file_signature(self.path)
        try:
            os.unlink(self._journal)
        except OSError:
            pass                         # stale either way: its token is not the base's
        self._journal_inode, self._journal_end, self._journal_seen = None, 0, None


def new_store_bytes(data: dict[str, Any]) -> bytes:
    """The content of a new store file: ``data`` with a fresh base token."""
    _meta_document(data)[TOKEN_KEY] = uuid.uuid4().hex
    return journal.dumps(data)


def load_state(path: str) -> dict[str, dict[str, Document]]:
    """The store's content as csshell sees it (base plus journal), read-only: for tools and tests."""
    storage = DurableStorage(os.path.abspath(path))
    storage.load()
    assert storage._data is not None
    return storage._data


def _meta_document(data: dict[str, Any]) -> Document:
    meta = data.setdefault(schema.META, {})
    if not meta:
        meta["1"] = {}
    return next(iter(meta.values()))


def _token_of(data: dict[str, Any]) -> str | None:
    token = next(iter(data[schema.META].values())).get(TOKEN_KEY)
    return token if isinstance(token, str) and token else None


def _journal_stat(path: str) -> tuple[int, ...] | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def _keep_previous(path: str) -> None:
    """The base about to be replaced becomes ``<store>.bak`` (recovery.py), when that module is there."""
    try:
        from csshell.store import recovery
    except ImportError:                  # pragma: no cover
        return
    keep = getattr(recovery, "keep_previous", None)
    if keep:
        keep(os.path.realpath(path))


def _read(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        raise StoreError(f"The store file '{path}' no longer exists.", "StoreMissing",
                         path, "ObjectNotFound") from None
    except IsADirectoryError:
        raise StoreError(f"The store path '{path}' is a folder, not a store file. Give the path of a file "
                         f"instead (for example: --store '{os.path.join(path, 'store.json')}').",
                         "StoreIsFolder", path, "InvalidArgument") from None
    except OSError as exc:
        target = os.path.realpath(path)
        owner = other_owner(target)
        advice = (f"It belongs to the user '{owner}' ({_mode_text(target)}): ask them or an administrator to let "
                  "you read it (for example: a shared group and chmod g+r)" if owner else
                  f"Check its permissions (ls -l '{target}'; for example: chmod u+r, or chown to the user "
                  "running csshell)")
        raise StoreError(f"The store file '{path}' cannot be read: {exc.strerror}. {advice} or use another store "
                         "with --store.", "StoreUnreadable", path, "ReadError") from None


def restore_remedy(path: str) -> str:
    """How to get back a damaged store (recovery.py), for the messages that refuse it."""
    return (f"Run Restore-CsStore -Path '{path}' to put back the last good copy (the damaged file is kept), "
            "or remove the file to start a new store.")


def _parse(raw: bytes, path: str) -> Any:
    if not raw or raw.isspace():
        raise StoreError(f"The store file '{path}' is empty or truncated. It was left unchanged. "
                         + restore_remedy(path), "StoreCorrupt", path, "InvalidData")
    try:
        return journal.loads(raw)
    except ValueError as exc:            # JSONDecodeError (json and orjson) and UnicodeDecodeError
        raise StoreError(f"The store file '{path}' is damaged or truncated ({exc}). It was left "
                         "unchanged. " + restore_remedy(path), "StoreCorrupt", path, "InvalidData") from None


def _check(data: Any, path: str) -> None:
    """schema.check, then the shape every table must have: ``{number: object}`` (C-level passes)."""
    try:
        schema.check(data, path)
    except StoreError as exc:
        if exc.error_id != "StoreCorrupt" or "Restore-CsStore" in exc.message:
            raise
        raise StoreError(f"{exc.message} {restore_remedy(path)}", exc.error_id, exc.path, exc.category) from None
    for name, table in data.items():
        if not isinstance(table, dict) or not all(map(str.isdigit, table)) or \
                not all(map(isinstance, table.values(), repeat(dict))):
            raise StoreError(f"The store file '{path}' is damaged: table '{name}' holds a document that is not an "
                             "object, or a document id that is not a number. It was left unchanged. "
                             + restore_remedy(path), "StoreCorrupt", path, "InvalidData")


def atomic_write(path: str, payload: bytes, mode_of: str | None = None) -> None:
    """Temp file beside the real file, fsync, rename over it, fsync the folder.

    ``path`` may be a symbolic link: the file it points at is replaced, so the link survives and
    the real file is updated. The old file's mode (and owner/group, when permitted), or those of
    ``mode_of`` (the journal takes the base's), is copied to the temporary file before the rename;
    a new file is created with mode 0600 (it holds PIN hashes).
    """
    target = os.path.realpath(path)
    folder = os.path.dirname(target)
    remove_stale_temporaries(target)
    fd, temp = tempfile.mkstemp(prefix="." + os.path.basename(target) + ".", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            _copy_ownership_and_mode(handle.fileno(), mode_of or target)
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


def remove_stale_temporaries(target: str) -> None:
    """Remove what a writer killed between ``mkstemp`` and ``os.replace`` left: ``.<name>.XXXXXXXX.tmp``.

    Called only by a writer holding the store's lock, so no other writer of ``target`` can be using
    one; a 100,000-user store's would be 66 MB each. Only ``mkstemp``'s exact shape for this very
    file name matches (another file's temporaries, even ``store.json.x``'s, never do).
    """
    folder, name = os.path.split(target)
    shape = re.compile(r"\." + re.escape(name) + r"\.[a-z0-9_]{8}\.tmp")
    try:
        leftovers = [entry for entry in os.listdir(folder or ".") if shape.fullmatch(entry)]
    except OSError:
        return
    for entry in leftovers:
        try:
            os.unlink(os.path.join(folder, entry))
        except OSError:
            pass                         # not ours to fight over: the write goes on


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
    """Refuse (``StoreReadOnly``) a store whose file, journal or folder is read-only, before any change.

    Read-only means the system denies us writing, or no one has a write bit (``chmod a-w``): an
    admin's explicit "do not change this", honoured even for root, who could otherwise replace it.
    The advice fits the cause: ``chmod u+w`` for our own file, the owner's name for another user's
    file (chmod cannot help someone who does not own it), and "a folder" for a folder.
    """
    target = os.path.realpath(path)
    folder = os.path.dirname(target)
    if os.path.isdir(target):
        raise StoreError(f"The store path '{path}' is a folder, not a store file, so nothing was changed. Give "
                         f"the path of a file instead (for example: --store '{os.path.join(path, 'store.json')}').",
                         "StoreIsFolder", path, "InvalidArgument")
    mode = _read_only_mode(target, os.W_OK)
    if mode is not None:
        raise StoreError(f"The store file '{path}' {_read_only_reason(target, mode)}, so nothing was changed. "
                         f"{_write_advice(target, 'it')} or use another store with --store.",
                         "StoreReadOnly", path, "PermissionDenied")
    journal_file = journal.journal_path(target)
    mode = _read_only_mode(journal_file, os.W_OK)
    if mode is not None:
        raise StoreError(f"The journal '{journal_file}' of the store file '{path}' "
                         f"{_read_only_reason(journal_file, mode)}, so nothing was changed. "
                         f"{_write_advice(journal_file, 'it')} or use another store with --store.",
                         "StoreReadOnly", path, "PermissionDenied")
    mode = _read_only_mode(folder, os.W_OK | os.X_OK)
    if mode is not None:
        raise StoreError(f"The folder '{folder}' of the store file '{path}' {_read_only_reason(folder, mode)}, so "
                         "the store cannot be replaced safely and nothing was changed. "
                         f"{_write_advice(folder, 'the folder')} or move the store to a writable folder and use "
                         "--store.", "StoreReadOnly", path, "PermissionDenied")


def other_owner(path: str) -> str | None:
    """The name of ``path``'s owner when that is another user (and we are not root), else ``None``.

    Then ``chmod`` is no advice: only the owner (or root) may change the mode.
    """
    geteuid = getattr(os, "geteuid", None)
    try:
        uid = os.stat(path).st_uid
    except OSError:
        return None
    if geteuid is None or geteuid() in (0, uid):
        return None
    try:
        import pwd
        return pwd.getpwuid(uid).pw_name
    except (ImportError, KeyError):
        return f"uid {uid}"


def _mode_text(path: str) -> str:
    try:
        return f"mode {stat.S_IMODE(os.stat(path).st_mode):o}"
    except OSError:
        return "mode unknown"


def _read_only_reason(path: str, mode: int) -> str:
    """``is read-only (mode 444)``, or ``belongs to another user ('alice', mode 644)``."""
    owner = other_owner(path) if mode & 0o222 else None
    return f"belongs to another user ('{owner}', mode {mode:o})" if owner else f"is read-only (mode {mode:o})"


def _write_advice(path: str, subject: str) -> str:
    """What the admin can do: ask the owner, or ``chmod u+w`` their own file or folder."""
    owner = other_owner(path)
    if owner:
        return (f"Ask {owner} or an administrator to let you write {subject} (for example: a shared group and "
                f"chmod g+w '{path}')")
    return f"Make {subject} writable (for example: chmod u+w '{path}')"


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
