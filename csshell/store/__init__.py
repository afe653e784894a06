"""The store layer: the directory, PIN state and PIN policies in one durable TinyDB file.

Public entry points: :func:`open_store`, :class:`Store` (``statement()``, ``directory``,
``close()``) and :class:`StoreError`. See docs/store.md.
"""
from csshell.store.errors import StoreError
from csshell.store.store import Store, open_store

__all__ = ["open_store", "Store", "StoreError"]
