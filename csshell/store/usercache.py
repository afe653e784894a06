"""The Directory's view of the ``users`` table: records, identity index and completion, all lazy.

Why lazy: a one-liner such as ``Lock-CsClientPin -Identity "Ken Myer"`` on a 100,000-user store
needs one look-up and one record, not 100,000 :class:`UserRecord` objects and every index. So:

- :class:`UserRecords` is a ``{doc id: UserRecord}`` mapping over the store's live documents that
  makes a record the first time it is asked for, and keeps it. The record shares the stored document
  object, which is never changed in place (a change replaces it: tables.py copies on write), so the
  record is a snapshot without a copy;
- the identity index is built on the first look-up, the completion index on the first Tab;
- :meth:`UserCache.changed` is the store's watcher: a document changed here or by another process
  drops that one record and moves that one user's index keys. Only a whole reload (the store's
  ``generation`` changes) makes a new cache.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from csshell.store.identity import CompletionIndex, IdentityIndex
from csshell.store.records import UserRecord, document_enabled

Document = dict[str, Any]


class UserRecords(Mapping[int, UserRecord]):
    """Doc id -> :class:`UserRecord`, made on first access from the live documents, in table order."""

    def __init__(self, documents: dict[str, Document]) -> None:
        self._documents = documents
        self._made: dict[int, UserRecord] = {}

    def __getitem__(self, doc_id: int) -> UserRecord:
        record = self._made.get(doc_id)
        if record is None:
            record = self._made[doc_id] = UserRecord(doc_id, self._documents[str(doc_id)])
        return record

    def __iter__(self) -> Iterator[int]:
        return iter(list(map(int, self._documents)))

    def __len__(self) -> int:
        return len(self._documents)

    def values(self, enabled_only: bool = False) -> list[UserRecord]:   # type: ignore[override]   (a list)
        """Every record in table order; ``enabled_only``: only users with a SIP address (tested on the
        document, before any record is made: a listing of 100,000 users makes no record twice)."""
        made, found = self._made, []
        append = found.append
        for key, doc in self._documents.items():
            if enabled_only and not document_enabled(doc):
                continue
            doc_id = int(key)
            record = made.get(doc_id)
            if record is None:
                record = made[doc_id] = UserRecord(doc_id, doc)
            append(record)
        return found

    def cached(self, doc_id: int) -> UserRecord | None:
        """The record made for ``doc_id`` and not forgotten since, if any (never makes one)."""
        return self._made.get(doc_id)

    def forget(self, doc_id: int) -> None:
        """Drop the cached record of one changed user (made again, fresh, when next asked for)."""
        self._made.pop(doc_id, None)


class LazyCompletion:
    """A :class:`CompletionIndex` built on the first completion, dropped when a listed name changes."""

    def __init__(self, documents: dict[str, Document]) -> None:
        self._documents = documents
        self._index: CompletionIndex | None = None

    def complete(self, prefix: str, limit: int = 50) -> list[str]:
        if self._index is None:
            self._index = CompletionIndex.of_documents(self._documents)
        return self._index.complete(prefix, limit)

    def reset(self) -> None:
        self._index = None


class UserCache:
    """Records, identity index and completion of one loaded ``users`` table (one store generation)."""

    def __init__(self, documents: dict[str, Document]) -> None:
        self.records = UserRecords(documents)
        self.index = IdentityIndex.of_documents(documents)
        self.completion = LazyCompletion(documents)

    def changed(self, key: str, old: Document | None, new: Document | None) -> None:
        """The store's watcher for the ``users`` table: O(1) per changed document."""
        doc_id = int(key)
        self.records.forget(doc_id)
        self.index.update(doc_id, old, new)
        if old is None or new is None or old.get("DisplayName") != new.get("DisplayName") \
                or old.get("SipAddress") != new.get("SipAddress"):
            self.completion.reset()       # a listed name may have changed (the completion fields)
