"""Who may sign in, with what, and which roles they hold: what the server asks the store.

The server only needs three answers per account; :class:`AccountBook` names them, so the SSH layer
can be tested against any source. :class:`StoreAccounts` answers from the store's admin accounts
(password hashes, SSH public keys and role assignments that ``Set-CsAdminCredential`` and
``Grant-CsAdminRole`` keep). Checks run in worker threads while other sessions use the same store
file, so it keeps one private :class:`~csshell.store.Store` object and lets one thread use it at a time.
"""
from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any, Protocol

import asyncssh


class AccountBook(Protocol):
    """The server's questions about an account (names are case-insensitive).

    ``logon`` is the account's one canonical name (``domain\\logon``), whichever of its names the
    client signed in with: the audit trail and the history file use it.
    """

    def verify_password(self, account: str, password: str) -> bool: ...
    def authorized_keys(self, account: str) -> list[str]: ...
    def roles(self, account: str) -> list[str]: ...
    def logon(self, account: str) -> str: ...


class StoreAccounts:
    """:class:`AccountBook` over the store file at ``path``."""

    def __init__(self, path: str) -> None:
        self._path = path
        self._store: Any = None
        self._guard = threading.Lock()

    def _open(self) -> Any:
        if self._store is None:
            from csshell.store import open_store
            self._store = open_store(self._path)
        return self._store

    def verify_password(self, account: str, password: str) -> bool:
        with self._guard:
            return bool(self._open().directory.verify_admin_password(account, password))

    def authorized_keys(self, account: str) -> list[str]:
        with self._guard:
            return list(self._open().directory.admin_authorized_keys(account))

    def roles(self, account: str) -> list[str]:
        with self._guard:
            return list(self._open().directory.admin_roles(account))

    def logon(self, account: str) -> str:
        with self._guard:
            found = self._open().directory.admin_accounts.for_login(account)
            return found.logon if found is not None else account

    def close(self) -> None:
        with self._guard:
            if self._store is not None:
                self._store.close()
                self._store = None


def key_matches(offered: asyncssh.SSHKey, authorized: Iterable[str]) -> bool:
    """Whether the key a client offers is one of the account's OpenSSH ``authorized_keys`` lines."""
    wanted = offered.public_data
    for line in authorized:
        try:
            if asyncssh.import_public_key(line.strip()).public_data == wanted:
                return True
        except (asyncssh.KeyImportError, ValueError):
            continue        # a damaged stored key never matches and never stops the others
    return False
