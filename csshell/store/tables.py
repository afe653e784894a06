"""TinyDB tables whose changes cost O(changed documents) and are known by doc id.

TinyDB's stock ``Table._update_table`` copies the whole table into a new dict (int keys), runs the
change, copies it back (str keys) and hands the whole database to ``Storage.write``: O(table) per
insert or update, and the storage cannot tell what changed. :class:`JournalTable` runs the same
updater functions (TinyDB's own insert/update/remove code) on a :class:`TrackedTable`: a live
int-keyed view of the storage's str-keyed table that notes which documents the updater touched.
After the updater, the documents that really changed are reported to the storage, which journals
them at the end of the statement. Documents read for matching are snapshotted (a shallow copy:
documents are flat, see records.py) so an in-place ``doc.update(fields)`` is seen; a document that
was only read is not journaled.

Document ids come from the storage (:meth:`DurableStorage.next_id`), not from a per-Table counter:
the storage also sees the ids other processes used (journal records it applied), so no id is handed
out twice (reference/ux-remote-store.md §3.4).
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, MutableMapping
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
        if key not in self.before:
            old = self._raw.get(key)
            self.before[key] = None if old is None else dict(old)

    def __getitem__(self, doc_id: int) -> Document:
        key = str(doc_id)
        doc = self._raw[key]
        self._note(key)                  # the caller may change it in place
        return doc

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


class JournalDB(TinyDB):
    """TinyDB whose tables are :class:`JournalTable`."""

    table_class = JournalTable
