"""The store file's layout and version.

The file is TinyDB's JSON layout: ``{table: {doc_id: document}}``. Tables:

- ``_meta``        one document: ``{"schema": <int>, "app": "csshell", "created": <iso>}``
- ``users``        one document per directory user (see ``records.py``)
- ``pin_policies`` PIN policies by Identity (``Global``, ``site:X``, ``tag:X``)
- ``audit``        one document per change (time, actor, origin, action, target); never a PIN
- ``admin_accounts`` RBAC roles and remote credentials of directory users (accounts.py); never a password

A file written by a newer csshell (higher ``schema``) is refused rather than half-understood.

Versions: 1 = the base file alone; 2 = the base plus its journal (``<store>.journal``, journal.py).
A version-1 csshell must refuse a version-2 store: it would ignore the journal's changes and write a
base that the journal no longer matches. csshell reads version 1 and writes version 2 from the first
compaction on (the first change to a version-1 store compacts).
"""
from __future__ import annotations

from typing import Any

from csshell.store import clock
from csshell.store.errors import StoreError

SCHEMA_VERSION = 2
APP = "csshell"

META = "_meta"
USERS = "users"
PIN_POLICIES = "pin_policies"
AUDIT = "audit"
ADMIN_ACCOUNTS = "admin_accounts"     # optional (older files lack it): see accounts.py
TABLES = (META, USERS, PIN_POLICIES, AUDIT, ADMIN_ACCOUNTS)


def new_document(global_policy: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The content of a freshly created store: version, empty tables, the default global policy."""
    return {
        META: {"1": {"schema": SCHEMA_VERSION, "app": APP, "created": clock.now().isoformat()}},
        USERS: {},
        PIN_POLICIES: {"1": dict(global_policy)},
        AUDIT: {},
    }


def check(data: Any, path: str) -> None:
    """Refuse anything that is not a store this version understands; the message names the file."""
    if not isinstance(data, dict) or not isinstance(data.get(META), dict) or not data[META]:
        raise StoreError(f"The store file '{path}' is not a csshell store (no schema information). "
                         "It was left unchanged.", "StoreCorrupt", path, "InvalidData")
    meta = next(iter(data[META].values()))
    version = meta.get("schema") if isinstance(meta, dict) else None
    if not isinstance(version, int) or isinstance(version, bool):
        raise StoreError(f"The store file '{path}' has no valid schema version. It was left unchanged.",
                         "StoreCorrupt", path, "InvalidData")
    if version > SCHEMA_VERSION:
        raise StoreError(f"The store file '{path}' uses schema version {version}, but this csshell "
                         f"understands versions up to {SCHEMA_VERSION}. Upgrade csshell to use it.",
                         "StoreSchemaTooNew", path, "InvalidData")
    for table in TABLES:
        if not isinstance(data.setdefault(table, {}), dict):
            raise StoreError(f"The store file '{path}' is damaged: table '{table}' is not an object. "
                             "It was left unchanged.", "StoreCorrupt", path, "InvalidData")
