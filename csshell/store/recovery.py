"""Recovery: put back the last good state of a damaged store, keeping the damaged files.

A store is a base file (``store.json``) plus its journal (``store.json.journal``, see storage.py and
journal.py). Either can be damaged by things csshell cannot prevent: a disk that lies about fsync,
a tool writing into the file in place, a bad copy from another machine, bit rot. csshell refuses a
damaged store and never writes over it (``StoreCorrupt``, ``StoreSchemaTooNew``). This module gives
the admin the way back:

- :func:`keep_previous` is called by the storage just before a compaction replaces the base: the
  base being replaced becomes ``<store>.bak`` and its journal ``<store>.bak.journal`` (hard links:
  no copy). Together they are the exact state before that compaction. They are other inodes than
  the new base, so damage done in place to the store never reaches them.
- :func:`backup` writes a consistent snapshot (base and journal merged) wherever the admin wants:
  ``Backup-CsStore``, for scheduled copies.
- :func:`health` reads the store and its backup as csshell would, changing nothing.
- :func:`restore` (``Restore-CsStore``), under the store's lock, keeps every damaged file as
  ``<file>.damaged-<time>`` and then either cuts a journal damaged in the middle back to its last
  good record (the base is fine: only the records from the damage on are lost), or puts the backup
  (base and journal) in place of a damaged base.

docs/recovery.md is the admin's guide, with what each path can lose.
"""
from __future__ import annotations

import datetime as _dt
import os
import shutil
import stat
import tempfile
from dataclasses import dataclass, replace
from typing import Any

import filelock

from csshell.store import journal, schema
from csshell.store.errors import StoreError
from csshell.store.stored_values import damaged_values

BACKUP_SUFFIX = ".bak"
DAMAGED_SUFFIX = ".damaged-"
DEFAULT_LOCK_TIMEOUT = 10.0
RESTORABLE = ("StoreCorrupt", "StoreMissing")     # what "damaged" means: other refusals need -Force


@dataclass(frozen=True)
class FileHealth:
    """A store (base plus journal) read as csshell reads it: usable (``problem`` None), or why not."""
    path: str
    exists: bool
    problem: StoreError | None
    modified: _dt.datetime | None
    users: int | None
    audit_entries: int | None

    @property
    def good(self) -> bool:
        return self.exists and self.problem is None


@dataclass(frozen=True)
class Restored:
    """What :func:`restore` did: ``action`` is ``"journal cut"`` or ``"backup restored"``."""
    path: str
    action: str
    source: str | None
    damaged_copies: tuple[str, ...]
    users: int
    audit_entries: int
    detail: str
    replaced_users: int | None = None     # the users of the store it replaced (None: it could not be read)


def real_path(path: str) -> str:
    """The file a store path names (a symbolic link is followed, as the storage does)."""
    return os.path.realpath(os.path.abspath(path))


def backup_path(path: str) -> str:
    """Where the state before the last compaction lives: ``<real store file>.bak`` (+ ``.journal``)."""
    return real_path(path) + BACKUP_SUFFIX


def lock_path(path: str) -> str:
    """The store's lock file, the same one every csshell process takes (``<real store file>.lock``)."""
    return real_path(path) + ".lock"


def store_files(path: str) -> tuple[tuple[str, str], ...]:
    """(real path, what it is) of every file the store at ``path`` owns: base, journal, backup pair, lock."""
    target = real_path(path)
    backup = target + BACKUP_SUFFIX
    return ((target, "the store file"), (journal.journal_path(target), "the store's journal"),
            (backup, "the store's backup"), (journal.journal_path(backup), "the journal of the store's backup"),
            (lock_path(path), "the store's lock file"))


def store_file_role(path: str, candidate: str) -> str | None:
    """What ``candidate`` is to the store at ``path`` (``"the store's journal"`` ...), or None when it is
    none of its files. Real paths are compared (symbolic links followed), and an existing file is also
    matched by its inode, so a hard link to a store file under another name counts too."""
    real = real_path(candidate)
    owned = store_files(path)
    for name, role in owned:
        if real == name:
            return role
    try:
        seen = os.stat(real)
    except OSError:
        return None
    for name, role in owned:
        try:
            if os.path.samestat(seen, os.stat(name)):
                return role
        except OSError:
            continue
    return None


# --- keeping the previous version --------------------------------------------------------------------

def keep_previous(target: str) -> None:
    """Before a compaction replaces the base ``target``: keep it and its journal as the backup pair.

    Old backups are removed and the current files hard-linked in their place: no copy, and no
    temporary name that a kill could leave behind (a kill in between leaves no backup for a moment,
    while the store itself is intact). On a file system without hard links, or on any other failure,
    nothing is kept and the write goes on: the backup is a convenience, never a reason to refuse a
    change. The caller's fsync of the folder after its rename makes these links durable too.
    """
    backup = target + BACKUP_SUFFIX
    for old in (journal.journal_path(backup), backup):
        try:
            os.unlink(old)
        except FileNotFoundError:
            pass
        except OSError:
            return
    for source, link in ((journal.journal_path(target), journal.journal_path(backup)), (target, backup)):
        try:
            os.link(source, link)
        except OSError:                  # no such file (no journal yet, first write), or no hard links here
            pass


# --- checking --------------------------------------------------------------------------------------------

def load(path: str) -> dict[str, Any]:
    """A store's content (base plus journal) as csshell sees it; :class:`StoreError` naming the bad file."""
    from csshell.store.storage import load_state  # storage imports this module lazily too
    return load_state(path)


def file_health(path: str) -> FileHealth:
    """Check one store (its base and journal), changing nothing."""
    try:
        modified = _dt.datetime.fromtimestamp(os.stat(path).st_mtime)
    except OSError:
        return FileHealth(path, False, None, None, None, None)
    try:
        data = load(path)
    except StoreError as exc:
        return FileHealth(path, True, exc, modified, None, None)
    return FileHealth(path, True, _damaged(path, data), modified, len(data.get(schema.USERS, {})),
                      len(data.get(schema.AUDIT, {})))


def _damaged(path: str, data: dict[str, Any]) -> StoreError | None:
    """StoreCorrupt naming the first values of the wrong kind (an edited file loads, then fails where read)."""
    found = list(damaged_values(data))
    if not found:
        return None
    more = f" (and {len(found) - 3} more)" if len(found) > 3 else ""
    remedy = ("Correct the values in the file before restoring from it." if path.endswith(BACKUP_SUFFIX) else
              f"Correct the values in the file, or put back its last good copy with Restore-CsStore -Path '{path}'.")
    return StoreError(f"The store file '{path}' is damaged: {'; '.join(found[:3])}{more}. {remedy}",
                      "StoreCorrupt", path, "InvalidData")


def health(path: str) -> tuple[FileHealth, FileHealth]:
    """(the store, its backup) as they are now."""
    return file_health(real_path(path)), file_health(backup_path(path))


# --- backing up ------------------------------------------------------------------------------------------

def backup(path: str, destination: str, lock_timeout: float = DEFAULT_LOCK_TIMEOUT) -> FileHealth:
    """Write the store's current state (base and journal merged) to ``destination`` as one store file.

    Taken under the lock, so it is one consistent state. The copy gets a fresh base token, so no
    journal ever applies to it by mistake; :func:`restore` with ``source=destination`` puts it back.
    """
    from csshell.store.storage import new_store_bytes
    target = os.path.abspath(destination)
    role = store_file_role(path, target)
    if role is not None:
        raise StoreError(f"Cannot back up the store '{path}' onto itself or its own files ('{target}' is {role}). "
                         "Choose another file.", "StoreBackupTarget", path, "InvalidArgument")
    with _locked(path, lock_timeout, "Nothing was backed up"):
        data = load(real_path(path))
    _write_atomically(target, new_store_bytes(data), _mode_of(real_path(path)) or 0o600)
    return file_health(target)


# --- restoring -------------------------------------------------------------------------------------------

def restore(path: str, source: str | None = None, force: bool = False,
            lock_timeout: float = DEFAULT_LOCK_TIMEOUT) -> Restored:
    """Bring a damaged store back to its last good state; :class:`StoreError` (nothing changed) if it cannot.

    A journal damaged in the middle is cut back to its last good record. A damaged (or missing) base
    is replaced by ``source`` (default: ``<store>.bak``) and that source's journal, if it has one.
    A store that is not damaged is left alone unless ``force`` (then the backup is put back).
    """
    target = real_path(path)
    with _locked(path, lock_timeout, "Nothing was restored"):
        health = file_health(target) if os.path.exists(target) else None
        problem = health.problem if health is not None else _missing(path)
        if problem is None or problem.error_id not in RESTORABLE:
            if not force:
                why = f" ({problem.message})" if problem else ""
                raise StoreError(f"The store '{path}' is not damaged{why}, so nothing was restored. Add -Force to "
                                 "put its backup in place anyway.", "StoreNotDamaged", path, "InvalidOperation")
        if problem is not None and problem.error_id in RESTORABLE and source is None \
                and problem.path == journal.journal_path(target):
            done = _cut_journal(path, target)
        else:
            done = _restore_backup(path, target, os.path.abspath(source) if source else backup_path(path))
        return replace(done, replaced_users=health.users if health is not None else None)


def _missing(path: str) -> StoreError:
    return StoreError(f"The store file '{path}' does not exist.", "StoreMissing", path, "ObjectNotFound")


def _restore_backup(path: str, target: str, source: str) -> Restored:
    data = _checked_source(source, path)
    source_journal, target_journal = journal.journal_path(real_path(source)), journal.journal_path(target)
    kept = tuple(_keep_damaged(f) for f in (target, target_journal) if os.path.exists(f))
    # The journal first: until the base is replaced, a journal with the source's token is stale and
    # ignored, so a crash in between leaves a store that is refused as before, never a mix.
    if os.path.exists(source_journal):
        _write_atomically(target_journal, _read_bytes(source_journal), _mode_of(source_journal) or 0o600)
    else:
        _unlink_quietly(target_journal)
    _write_atomically(target, _read_bytes(source), _mode_of(target) or _mode_of(source) or 0o600)
    return Restored(path, "backup restored", source, kept, len(data.get(schema.USERS, {})),
                    len(data.get(schema.AUDIT, {})), f"The store is the state saved in '{source}'.")


def _cut_journal(path: str, target: str) -> Restored:
    """Keep the journal's good records up to the first damaged one; the rest is kept only in the copy."""
    journal_file = journal.journal_path(target)
    raw = _read_bytes(journal_file)
    good, records = _good_prefix(raw, journal_file)
    kept = (_keep_damaged(journal_file),)
    if good:
        _write_atomically(journal_file, raw[:good], _mode_of(journal_file) or 0o600)
    else:
        _unlink_quietly(journal_file)
    data = load(target)
    return Restored(path, "journal cut", None, kept, len(data.get(schema.USERS, {})), len(data.get(schema.AUDIT, {})),
                    f"The journal keeps its first {records} change records; the {len(raw) - good} bytes from the "
                    f"damage on are only in '{kept[0]}'.")


def _good_prefix(raw: bytes, journal_file: str) -> tuple[int, int]:
    """(bytes, change records) of the journal's good lines before the first bad one (the header counts)."""
    end = records = 0
    for number, line in enumerate(raw.splitlines(keepends=True)):
        tail = journal.parse(line, 0, journal_file)            # one line: never "good lines after"
        if tail.torn or not tail.records:
            break
        if journal.header_token(tail.records[0]) is None if number == 0 else not journal.well_formed(tail.records[0]):
            break
        end += len(line)
        records += number > 0
    return end, records


def _checked_source(source: str, path: str) -> dict[str, Any]:
    if not os.path.exists(source):
        raise StoreError(f"There is no backup of the store '{path}' to restore ('{source}' does not exist). "
                         "Restore a copy of your own with -BackupPath, or remove the damaged file to start a "
                         "new store.", "StoreNoBackup", path, "ObjectNotFound")
    try:
        return load(source)
    except StoreError as exc:
        raise StoreError(f"The backup '{source}' cannot be restored: {exc.message} Nothing was changed.",
                         "StoreBackupUnusable", path, "InvalidData") from None


# --- files -----------------------------------------------------------------------------------------------

class _locked:
    """The store's lock, or a "busy" StoreError saying what was not done."""

    def __init__(self, path: str, timeout: float, not_done: str) -> None:
        self._path, self._not_done = path, not_done
        self._lock = filelock.FileLock(lock_path(path), timeout=timeout)

    def __enter__(self) -> None:
        from csshell.store.store import held_by_this_thread      # store.py imports this module: import late
        if held_by_this_thread(lock_path(self._path)):
            raise StoreError(f"The store '{self._path}' is being changed by the statement this command runs in "
                             f"(this csshell holds its lock). {self._not_done}; run the command as a statement "
                             "of its own.", "StoreBusy", self._path, "ResourceBusy")
        try:
            self._lock.acquire()
        except filelock.Timeout:
            raise StoreError(f"The store '{self._path}' is busy: another csshell process holds its lock "
                             f"('{lock_path(self._path)}'). {self._not_done}; try again when it has finished.",
                             "StoreBusy", self._path, "ResourceBusy") from None

    def __exit__(self, *exc: object) -> None:
        self._lock.release()


def _keep_damaged(target: str) -> str:
    """Keep a file's bytes under a new name (a hard link, else a copy); never overwrite an earlier one."""
    base = target + DAMAGED_SUFFIX + _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    for number in range(1000):
        keep = base if number == 0 else f"{base}-{number}"
        if os.path.lexists(keep):
            continue
        try:
            os.link(target, keep)
        except FileExistsError:
            continue
        except OSError:
            shutil.copy2(target, keep)
        return keep
    raise StoreError(f"Cannot find a free name to keep the damaged file '{target}'. Nothing was changed.",
                     "StoreRestoreFailed", target, "WriteError")


def _read_bytes(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def _write_atomically(target: str, payload: bytes, mode: int) -> None:
    """Temporary file beside ``target``, fsync, rename over it, fsync the folder."""
    folder = os.path.dirname(target)
    try:
        fd, temporary = tempfile.mkstemp(prefix="." + os.path.basename(target) + ".", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise _write_failed(target, exc) from None
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(payload)
            out.flush()
            os.fchmod(out.fileno(), mode)
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except OSError as exc:
        _unlink_quietly(temporary)
        raise _write_failed(target, exc) from None
    if os.name == "posix":
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _write_failed(target: str, exc: OSError) -> StoreError:
    return StoreError(f"The file '{target}' could not be written: {exc.strerror or exc}. The files already in "
                      "place were left as they were; fix the cause and try again.", "StoreRestoreFailed",
                      target, "WriteError")


def _mode_of(path: str) -> int | None:
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return None


def _unlink_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
