"""Admin accounts: which directory users hold which RBAC roles, and how they sign in remotely.

One document per account in the ``admin_accounts`` table, keyed by the user's distinguished name
(a user's SIP address may change or vanish with Disable-CsUser; roles, as AD group memberships in
the product, belong to the AD account, enabled for Skype for Business or not)::

    {"DistinguishedName", "SamAccountName", "Domain", "UserPrincipalName", "DisplayName",
     "Roles": [...], "PasswordHash", "PasswordLastSet", "SshPublicKeys": [OpenSSH lines]}

The name fields are a snapshot refreshed on every change, so an account whose user has left the
directory can still be listed (and revoked); such an account never signs in. The password is kept
only as a salted scrypt hash (credentials.py); nothing here ever returns or logs it. An account left
with no role, no password and no key is deleted. Every change is audited (action, target
``domain\\logon``, actor, origin; never a password).

The remote server signs users in by *login name*: the SamAccountName, the user principal name or
``domain\\logon`` (case-insensitive), through :meth:`AdminAccounts.for_login`, :func:`verify_password`
and :func:`authorized_keys`.
"""
from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tinydb import where

from csshell.store import clock, credentials, schema
from csshell.store.credentials import CredentialError, PublicKey
from csshell.store.identity import normalize_dn
from csshell.store.records import UserRecord
from csshell.store.roles import ROLE_NAMES, canonical_role

if TYPE_CHECKING:
    from csshell.store.store import Store


@dataclass(frozen=True)
class AdminAccount:
    """A read-only snapshot of one account (the hash is here for :func:`verify_password` only)."""
    distinguished_name: str
    sam_account_name: str
    domain: str
    user_principal_name: str
    display_name: str
    roles: tuple[str, ...]
    password_hash: str | None
    password_last_set: _dt.datetime | None
    ssh_public_keys: tuple[str, ...]

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> AdminAccount:
        last_set = doc.get("PasswordLastSet")
        return cls(str(doc.get("DistinguishedName") or ""), str(doc.get("SamAccountName") or ""),
                   str(doc.get("Domain") or ""), str(doc.get("UserPrincipalName") or ""),
                   str(doc.get("DisplayName") or ""), _ordered_roles(doc.get("Roles") or ()),
                   doc.get("PasswordHash") or None, _dt.datetime.fromisoformat(last_set) if last_set else None,
                   tuple(doc.get("SshPublicKeys") or ()))

    @property
    def logon(self) -> str:
        return f"{self.domain}\\{self.sam_account_name}"

    @property
    def has_password(self) -> bool:
        return bool(self.password_hash)

    def fingerprints(self) -> list[str]:
        """``SHA256:...`` of each key, as ``ssh-keygen -l`` prints them (a damaged line shows as such)."""
        shown = []
        for line in self.ssh_public_keys:
            try:
                shown.append(credentials.fingerprint(line))
            except CredentialError:
                shown.append("(invalid key)")
        return shown


@dataclass(frozen=True)
class CredentialChange:
    """What Set-CsAdminCredential asks for; applied in this order: clear, then set/add."""
    password: str | None = None
    keys: tuple[PublicKey, ...] = ()
    clear_password: bool = False
    clear_keys: bool = False

    def check(self) -> None:
        """Refuse an empty request, a password with -ClearPassword, or a weak password."""
        if self.password is not None and self.clear_password:
            raise CredentialError("The Password and ClearPassword parameters cannot be used together.",
                                  "ClearPassword", "CredentialConflict")
        if self.password is None and not (self.keys or self.clear_password or self.clear_keys):
            raise CredentialError("Nothing to change: give Password, SshPublicKey, SshPublicKeyFile, "
                                  "ClearPassword or ClearSshPublicKeys.", "Password", "NoCredentialChange")
        if self.password is not None:
            credentials.check_password(self.password)


class RoleNotAssigned(LookupError):
    """Revoke-CsAdminRole of a role the user does not hold."""

    def __init__(self, logon: str, role: str) -> None:
        super().__init__(f'The user "{logon}" does not hold the role {role}.')
        self.logon = logon
        self.role = role


class AdminAccounts:
    """The ``admin_accounts`` table of one store; the Directory resolves users and keeps the audit trail."""

    def __init__(self, store: Store) -> None:
        self._store = store

    # --- reading ---------------------------------------------------------------------------
    def all(self) -> list[AdminAccount]:
        """Every account, by logon name."""
        accounts = [AdminAccount.from_document(dict(d)) for d in self._store.table(schema.ADMIN_ACCOUNTS).all()]
        return sorted(accounts, key=lambda a: a.logon.lower())

    def for_user(self, user: UserRecord) -> AdminAccount | None:
        doc = self._document(user.distinguished_name)
        return AdminAccount.from_document(dict(doc)) if doc else None

    def users_with_sam(self, sam_account_name: str) -> list[UserRecord]:
        """Directory users (enabled or not) whose SamAccountName is ``sam_account_name``."""
        wanted = sam_account_name.strip().lower()
        return [u for u in self._store.directory.users(enabled_only=False)
                if str(u.get("SamAccountName") or "").lower() == wanted]

    def for_login(self, login: str) -> AdminAccount | None:
        """The account of the one directory user whose SamAccountName, UPN or domain\\logon is ``login``."""
        wanted = login.strip().lower()
        if not wanted:
            return None
        users = [u for u in self._store.directory.users(enabled_only=False)
                 if wanted in (str(u.get("SamAccountName") or "").lower(),
                               str(u.get("UserPrincipalName") or "").lower(), u.logon.lower())]
        return self.for_user(users[0]) if len(users) == 1 else None

    # --- changes -----------------------------------------------------------------------------
    def grant(self, user: UserRecord, role: str, actor: str = "local", origin: str = "console") -> bool:
        """Give ``user`` the role; False (and nothing written) when they already hold it."""
        identity = canonical_role(role)
        with self._store.change():
            doc = self._document(user.distinguished_name) or {}
            roles = list(doc.get("Roles") or [])
            if identity in roles:
                return False
            self._save(user, doc, Roles=list(_ordered_roles(roles + [identity])))
            self._store.directory.record_change("Grant-CsAdminRole", user.logon, actor, origin, f"Role={identity}")
        return True

    def revoke(self, user: UserRecord, role: str, actor: str = "local", origin: str = "console") -> None:
        """Take the role away; :class:`RoleNotAssigned` when ``user`` does not hold it."""
        identity = canonical_role(role)
        with self._store.change():
            doc = self._document(user.distinguished_name) or {}
            roles = list(doc.get("Roles") or [])
            if identity not in roles:
                raise RoleNotAssigned(user.logon, identity)
            self._save(user, doc, Roles=[r for r in roles if r != identity])
            self._store.directory.record_change("Revoke-CsAdminRole", user.logon, actor, origin, f"Role={identity}")

    def set_credentials(self, user: UserRecord, change: CredentialChange, actor: str = "local",
                        origin: str = "console") -> AdminAccount | None:
        """Apply ``change`` (checked first); the audit detail names what changed, never the password."""
        change.check()
        with self._store.change():
            doc = self._document(user.distinguished_name) or {}
            keys = [] if change.clear_keys else list(doc.get("SshPublicKeys") or [])
            fields: dict[str, Any] = {}
            notes = []
            if change.clear_password:
                fields.update(PasswordHash=None, PasswordLastSet=None)
                notes.append("password cleared")
            if change.clear_keys:
                notes.append("SSH keys cleared")
            if change.password is not None:
                fields.update(PasswordHash=credentials.hash_password(change.password),
                              PasswordLastSet=clock.now().isoformat())
                notes.append("password set")
            known = {_blob_of(line) for line in keys}
            for key in change.keys:
                if key.blob not in known:
                    keys.append(key.line)
                    known.add(key.blob)
                    notes.append(f"SSH key added {key.fingerprint}")
            fields["SshPublicKeys"] = keys
            self._save(user, doc, **fields)
            self._store.directory.record_change("Set-CsAdminCredential", user.logon, actor, origin, "; ".join(notes))
        return self.for_user(user)

    # --- storage -----------------------------------------------------------------------------
    def _document(self, distinguished_name: str) -> dict[str, Any] | None:
        wanted = normalize_dn(distinguished_name)
        table = self._store.table(schema.ADMIN_ACCOUNTS)
        found = table.search(where("DistinguishedName").test(lambda dn: normalize_dn(str(dn or "")) == wanted))
        return dict(found[0]) if found else None

    def _save(self, user: UserRecord, doc: dict[str, Any], **fields: Any) -> None:
        """Write ``doc`` with ``fields`` and a fresh name snapshot; delete an account left with nothing."""
        table = self._store.table(schema.ADMIN_ACCOUNTS)
        wanted = normalize_dn(user.distinguished_name)
        table.remove(where("DistinguishedName").test(lambda dn: normalize_dn(str(dn or "")) == wanted))
        new = dict(doc, **fields, DistinguishedName=user.distinguished_name,
                   SamAccountName=user.get("SamAccountName"), Domain=user.get("Domain"),
                   UserPrincipalName=user.get("UserPrincipalName"), DisplayName=user.display_name)
        if new.get("Roles") or new.get("PasswordHash") or new.get("SshPublicKeys"):
            table.insert(new)


def verify_password(account: AdminAccount | None, password: str) -> bool:
    """Does ``password`` match the account's stored hash? False without an account or a password."""
    return account is not None and credentials.password_matches(password, account.password_hash)


def authorized_keys(account: AdminAccount | None) -> list[str]:
    """The account's public keys as OpenSSH ``authorized_keys`` lines (empty without an account)."""
    return list(account.ssh_public_keys) if account is not None else []


def _ordered_roles(roles: Iterable[str]) -> tuple[str, ...]:
    """Known roles in the standard order, each once (unknown names in a hand-edited file are dropped)."""
    held = {str(r).lower() for r in roles}
    return tuple(name for name in ROLE_NAMES if name.lower() in held)


def _blob_of(line: str) -> bytes | None:
    try:
        return credentials.parse_public_key(line).blob
    except CredentialError:
        return None
