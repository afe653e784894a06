"""TinyDB tables whose changes cost O(changed documents) and are known by doc id.

TinyDB's stock ``Table._update_table`` copies the whole table into a new dict (int keys), runs the
change, copies it back (str keys) and hands the whole database to ``Storage.write``: O(table) per
insert or update, and the storage cannot tell what changed. :class:`JournalTable` runs the same
updater functions (TinyDB's own insert/update/remove code) on a :class:`TrackedTable`: a live
int-keyed view of the storage's str-keyed table that notes which documents the updater touched.
After the updater, the documents that really changed are reported to the storage, which journals
them at the end of the statement. A document the updater reads is replaced by a shallow copy
before it sees it (copy on write; documents are flat, see records.py): the updater's in-place
``doc.update(fields)`` changes the copy, the original object stays as it was for every snapshot that
shares it, and comparing the two tells whether anything changed. A document that was only read is
not journaled.

Document ids come from the storage (:meth:`DurableStorage.next_id`), not from a per-Table counter:
the storage also sees the ids other processes used (journal records it applied), so no id is handed
out twice (reference/ux-remote-store.md §3.4).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from typing import TYPE_CHECKING, Any

from tinydb import TinyDB
from tinydb.table import Table

if TYPE_CHECKING:
    from csshell.store.storage import DurableStorage

Document = dict[str, Any]


class TrackedTable(MutableMapping):
    """``{int doc id: document}`` over the storage's ``{str doc id: document}``, noting what changes."""

    def __init__(self, raw: dict[str, Document]) -> None:
        self._raw = raw
        self.before: dict[str, Document | None] = {}     # doc id -> content before the updater touched it
        self.cleared = False

    def _note(self, key: str) -> None:
        """Copy on write: the stored document object is never changed in place, so whoever holds it
        (a UserRecord snapshot, usercache.py) keeps its content; the updater changes a copy."""
        if key not in self.before:
            old = self._raw.get(key)
            self.before[key] = old
            if old is not None:
                self._raw[key] = dict(old)

    def __getitem__(self, doc_id: int) -> Document:
        key = str(doc_id)
        self._note(key)                  # first: the caller may change in place what we return
        return self._raw[key]

    def __setitem__(self, doc_id: int, doc: Document) -> None:
        key = str(doc_id)
        self._note(key)
        self._raw[key] = doc

    def __delitem__(self, doc_id: int) -> None:
        key = str(doc_id)
        self._note(key)
        del self._raw[key]

    def __contains__(self, doc_id: object) -> bool:
        return str(doc_id) in self._raw

    def __iter__(self) -> Iterator[int]:
        return (int(key) for key in list(self._raw))

    def __len__(self) -> int:
        return len(self._raw)

    def clear(self) -> None:
        self._raw.clear()
        self.before.clear()
        self.cleared = True

    def changes(self) -> list[tuple[str, Document | None, Document | None]]:
        """(doc id, old, new) for every touched document whose content changed."""
        found = []
        for key, old in self.before.items():
            new = self._raw.get(key)
            if new != old:
                found.append((key, old, new))
        return found


class JournalTable(Table):
    """A TinyDB ``Table`` that changes the storage's data in place and reports what changed."""

    _storage: DurableStorage

    def _update_table(self, updater: Callable[[dict[int, Mapping]], None]) -> None:
        tracked = TrackedTable(self._storage.raw_table(self.name))
        try:
            updater(tracked)             # type: ignore[arg-type]   (a MutableMapping, as TinyDB needs)
        finally:
            if tracked.cleared:
                self._storage.table_cleared(self.name)
            for key, old, new in tracked.changes():
                self._storage.document_changed(self.name, key, old, new)
            self.clear_cache()

    def _get_next_id(self) -> int:
        return self._storage.next_id(self.name)

    # TinyDB's insert and update, for their most common forms, without the updater round trip: a
    # bulk unlock makes 10,000 of each. Same results and errors; the other forms go to TinyDB.
    def insert(self, document: Mapping) -> int:
        if not isinstance(document, Mapping) or isinstance(document, self.document_class):
            return super().insert(document)
        doc_id = self._get_next_id()
        key = str(doc_id)
        raw = self._storage.raw_table(self.name)
        if key in raw:
            raise ValueError(f"Document with ID {key} already exists")
        raw[key] = new = dict(document)
        self._storage.document_changed(self.name, key, None, new)
        self.clear_cache()
        return doc_id

    def update(self, fields: Any, cond: Any = None, doc_ids: Iterable[int] | None = None) -> list[int]:
        if doc_ids is None or cond is not None or callable(fields):
            return super().update(fields, cond, doc_ids)
        raw = self._storage.raw_table(self.name)
        updated = list(doc_ids)
        try:
            for doc_id in updated:
                key = str(doc_id)
                old = raw[key]                   # a KeyError for a missing id, as TinyDB's table[doc_id]
                if any(name not in old or old[name] != value for name, value in fields.items()):
                    new = old.copy()             # copy on write (see TrackedTable); dict.copy is a memcpy
                    new.update(fields)
                    raw[key] = new
                    self._storage.document_changed(self.name, key, old, new, fields)
        finally:
            self.clear_cache()
        return updated


class JournalDB(TinyDB):
    """TinyDB whose tables are :class:`JournalTable`."""

    table_class = JournalTable
