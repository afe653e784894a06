"""The Directory service: what the user and PIN cmdlets call.

It owns the in-memory indexes (rebuilt only when the store reloads), resolves identities, runs
queries and makes the PIN changes. Every change goes through ``store.change()`` (lock held, data
fresh from disk) and leaves an audit entry (time, actor, origin, action, target) — never a PIN.
"""
from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tinydb import where

from csshell.store import clock, pins, schema
from csshell.store.errors import (
    AmbiguousIdentity,
    DirectoryImportError,
    IdentityNotFound,
    InvalidOrganizationalUnit,
    PinLocked,
    RowProblem,
)
from csshell.store.filters import compile_filter
from csshell.store.identity import CompletionIndex, IdentityIndex, is_distinguished_name, normalize_dn
from csshell.store.importer import UserSeed, read_directory_file
from csshell.store.ldap import compile_ldap_filter
from csshell.store.policy import (
    GLOBAL,
    PinPolicy,
    PolicyExists,
    PolicyNotFound,
    new_policy_identity,
    normalize_identity,
    validate_policy,
)
from csshell.store.records import AD_USER_PROPERTIES, CS_USER_DISPLAY, CS_USER_EXTRAS, UserRecord
from csshell.store.wildcard import has_wildcard

if TYPE_CHECKING:
    from csshell.store.store import Store

FILTER_PROPERTIES = CS_USER_DISPLAY + CS_USER_EXTRAS
AD_FILTER_PROPERTIES = AD_USER_PROPERTIES


@dataclass(frozen=True)
class PinInfo:
    """What Get-CsClientPinInfo shows (PinInfoDetails)."""
    identity: str
    is_pin_set: bool
    is_locked_out: bool
    last_pin_change_time: _dt.datetime | None
    pin_expiration_time: _dt.datetime | None


@dataclass(frozen=True)
class ImportSummary:
    path: str
    users: int
    enabled: int
    pins: int


class Directory:
    """Users, identities, PIN state and PIN policies of one store."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._generation = -1
        self._index = IdentityIndex(())
        self._records: dict[int, UserRecord] = {}
        self._completion: CompletionIndex | None = None      # built on first use per generation

    # --- snapshot and indexes ------------------------------------------------------------
    def _fresh(self) -> None:
        users = self._store.table(schema.USERS)       # reloads first if the file changed
        if self._generation != self._store.generation:
            self._records = {doc.doc_id: UserRecord(doc.doc_id, dict(doc)) for doc in users.all()}
            self._index = IdentityIndex(self._records.values())
            self._completion = None
            self._generation = self._store.generation

    def _put(self, doc_id: int) -> UserRecord:
        """Refresh one cached record after a change (identity keys do not change here)."""
        doc = self._store.table(schema.USERS).get(doc_id=doc_id)
        record = UserRecord(doc_id, dict(doc))
        self._records[doc_id] = record
        return record

    # --- identities ----------------------------------------------------------------------
    def resolve(self, identity: Any, enabled_only: bool = True) -> list[UserRecord]:
        """Users matching an identity string, or an object with SipAddress/Identity (piped user)."""
        self._fresh()
        text = identity_text(identity)
        users = [self._records[i] for i in self._index.lookup(text)] if text else []
        return [u for u in users if u.enabled or not enabled_only]

    def resolve_one(self, identity: Any, enabled_only: bool = True) -> UserRecord:
        """Exactly one user; :class:`IdentityNotFound` or :class:`AmbiguousIdentity` otherwise."""
        users = self.resolve(identity, enabled_only)
        if not users:
            raise IdentityNotFound(identity_text(identity))
        if len(users) > 1:
            raise AmbiguousIdentity(identity_text(identity), [u.sip_address or u.logon for u in users])
        return users[0]

    def resolve_targets(self, identity: Any, enabled_only: bool = True) -> list[UserRecord]:
        """What a PIN cmdlet acts on: every match of a wildcard, else exactly one user."""
        text = identity_text(identity)
        if isinstance(identity, str) and has_wildcard(text):
            users = self.resolve(text, enabled_only)
            if not users:
                raise IdentityNotFound(text)
            return users
        return [self.resolve_one(identity, enabled_only)]

    def complete(self, prefix: str, limit: int = 50) -> list[str]:
        """Tab completion of identities: enabled users' display names and ``sip:`` addresses.

        Case-insensitive prefix match through a sorted index (bisection, no scan of the users);
        the index is built on the first completion after each (re)load.
        """
        self._fresh()
        if self._completion is None:
            self._completion = CompletionIndex(u for u in self._records.values() if u.enabled)
        return self._completion.complete(prefix, limit)

    def users(self, enabled_only: bool = True) -> list[UserRecord]:
        """All users in directory order."""
        self._fresh()
        return [u for u in self._records.values() if u.enabled or not enabled_only]

    def query(self, *, identity: str | None = None, opath: str | None = None,
              ldap: str | None = None, ou: str | None = None, enabled_only: bool = True,
              ad_view: bool = False,
              resolve_variable: Callable[[str], Any] | None = None) -> list[UserRecord]:
        """Get-CsUser's selection: identity (wildcards allowed), OU subtree, -Filter, -LdapFilter.

        Raises :class:`IdentityNotFound` for a non-wildcard identity with no match,
        :class:`FilterError` for a bad filter and :class:`InvalidOrganizationalUnit` for an ``ou``
        that is not a distinguished name (all before anything is returned).
        """
        if ou is not None and not is_distinguished_name(ou):
            raise InvalidOrganizationalUnit(ou)
        view = UserRecord.ad_user_properties if ad_view else UserRecord.cs_user_properties
        names = AD_FILTER_PROPERTIES if ad_view else FILTER_PROPERTIES
        opath_match = compile_filter(opath, names, resolve_variable) if opath else None
        ldap_match = compile_ldap_filter(ldap) if ldap else None
        if identity is not None:
            users = self.resolve(identity, enabled_only)
            if not users and not has_wildcard(identity):
                raise IdentityNotFound(identity)
        else:
            users = self.users(enabled_only)
        if ou:
            suffix = "," + normalize_dn(ou)
            users = [u for u in users if normalize_dn(u.distinguished_name).endswith(suffix)]
        if opath_match:
            users = [u for u in users
                     if opath_match({k.lower(): v for k, v in view(u)})]
        if ldap_match:
            users = [u for u in users if ldap_match(u.doc)]
        return users

    # --- PIN state -----------------------------------------------------------------------
    def pin_info(self, user: UserRecord) -> PinInfo:
        return PinInfo(user.sip_address or "", user.is_pin_set, user.is_locked_out,
                       user.last_pin_change, user.pin_expiration)

    def lock_pin(self, user: UserRecord, actor: str = "local", origin: str = "console") -> UserRecord:
        return self._change(user, {"IsLockedOut": True}, "Lock-CsClientPin", actor, origin)

    def unlock_pin(self, user: UserRecord, actor: str = "local", origin: str = "console") -> UserRecord:
        return self._change(user, {"IsLockedOut": False}, "Unlock-CsClientPin", actor, origin)

    def set_pin(self, user: UserRecord, pin: str, actor: str = "local",
                origin: str = "console") -> UserRecord:
        """Check ``pin`` against the user's effective policy, then store only its hash.

        Raises :class:`PinPolicyViolation` (nothing changed) or :class:`PinLocked`.
        """
        with self._store.change():
            current = self._current(user)
            pins.check_pin(pin, self.effective_pin_policy(current), current.get("LineURI"))
            return self._store_pin(current, pin, "Set-CsClientPin", actor, origin)

    def generate_pin(self, user: UserRecord, actor: str = "local", origin: str = "console") -> str:
        """Set a fresh policy-valid PIN and return it (the only time it is ever visible)."""
        with self._store.change():
            current = self._current(user)
            pin = pins.generate_pin(self.effective_pin_policy(current), current.get("LineURI"))
            self._store_pin(current, pin, "Set-CsClientPin (generated)", actor, origin)
        return pin

    def verify_pin(self, user: UserRecord, pin: str) -> bool:
        """Does ``pin`` match the stored hash (for the dial-in logon simulation)?"""
        return pins.verify_pin(pin, user.get("PinHash"))

    def _store_pin(self, user: UserRecord, pin: str, action: str, actor: str, origin: str) -> UserRecord:
        with self._store.change():
            current = self._current(user)
            if current.is_locked_out:
                raise PinLocked(current.sip_address or current.logon)
            now = clock.now()
            lifetime = self.effective_pin_policy(current).pin_lifetime
            expires = (now + _dt.timedelta(days=lifetime)).isoformat() if lifetime else None
            fields = {"PinHash": pins.hash_pin(pin), "IsPinSet": True,
                      "LastPinChangeTime": now.isoformat(), "PinExpirationTime": expires}
            return self._change(current, fields, action, actor, origin)

    def _current(self, user: UserRecord) -> UserRecord:
        """The user as stored now (after a reload the document id may differ)."""
        self._fresh()
        current = self._index.lookup(user.sip_address or user.distinguished_name)
        matches = [self._records[i] for i in current]
        if len(matches) != 1:
            raise IdentityNotFound(user.sip_address or user.distinguished_name)
        return matches[0]

    def _change(self, user: UserRecord, fields: dict[str, Any], action: str, actor: str,
                origin: str) -> UserRecord:
        with self._store.change():
            target = self._current(user)
            self._store.table(schema.USERS).update(fields, doc_ids=[target.doc_id])
            self._audit(action, target.sip_address or target.logon, actor, origin)
            return self._put(target.doc_id)

    def _audit(self, action: str, target: str, actor: str, origin: str, detail: str | None = None) -> None:
        entry = {"time": clock.now().isoformat(), "actor": actor, "origin": origin,
                 "action": action, "target": target}
        if detail:
            entry["detail"] = detail
        self._store.table(schema.AUDIT).insert(entry)

    def audit_entries(self) -> list[dict[str, Any]]:
        return [dict(doc) for doc in self._store.table(schema.AUDIT).all()]

    # --- PIN policies --------------------------------------------------------------------
    def pin_policies(self) -> list[PinPolicy]:
        """All policies, global first (Get-CsPinPolicy without -Identity)."""
        policies = [PinPolicy.from_document(d) for d in self._store.table(schema.PIN_POLICIES).all()]
        if not any(p.identity == GLOBAL for p in policies):
            policies.append(PinPolicy())
        return sorted(policies, key=lambda p: (p.scope != "global", p.scope != "site", p.identity.lower()))

    def pin_policy(self, identity: str) -> PinPolicy | None:
        wanted = normalize_identity(identity).lower()
        return next((p for p in self.pin_policies() if p.identity.lower() == wanted), None)

    def global_pin_policy(self) -> PinPolicy:
        return self.pin_policy(GLOBAL) or PinPolicy()

    def effective_pin_policy(self, user: UserRecord) -> PinPolicy:
        """Per-user (tag:) policy if assigned and present, else the site's, else global."""
        for identity in (f"tag:{user.get('PinPolicy')}" if user.get("PinPolicy") else None,
                         f"site:{user.get('Site')}" if user.get("Site") else None):
            policy = self.pin_policy(identity) if identity else None
            if policy:
                return policy
        return self.global_pin_policy()

    def save_pin_policy(self, policy: PinPolicy, actor: str = "local", origin: str = "console",
                        action: str = "Set-CsPinPolicy") -> PinPolicy:
        """Validate, then create or replace ``policy`` (Set-CsPinPolicy -Instance commits this way)."""
        validate_policy(policy)
        with self._store.change():
            table = self._store.table(schema.PIN_POLICIES)
            table.remove(where("identity").test(lambda i: str(i).lower() == policy.identity.lower()))
            table.insert(policy.to_document())
            self._audit(action, policy.identity, actor, origin)
        return policy

    def create_pin_policy(self, identity: str, values: dict[str, Any], actor: str = "local",
                          origin: str = "console") -> PinPolicy:
        """New-CsPinPolicy: a site or per-user policy; defaults for what ``values`` leaves out."""
        policy = PinPolicy(identity=new_policy_identity(identity)).changed(**values)
        validate_policy(policy)
        with self._store.change():
            existing = self.pin_policy(policy.identity)
            if existing is not None:
                raise PolicyExists(f'Cannot create "PinPolicy" "{existing.identity}" because it already exists.')
            return self.save_pin_policy(policy, actor, origin, "New-CsPinPolicy")

    def update_pin_policy(self, identity: str, values: dict[str, Any], actor: str = "local",
                          origin: str = "console") -> PinPolicy:
        """Set-CsPinPolicy -Identity: change some properties of an existing policy."""
        with self._store.change():
            current = self.pin_policy(identity)
            if current is None:
                raise PolicyNotFound(f'Cannot get "PinPolicy" "{normalize_identity(identity)}" because it '
                                     "does not exist.")
            return self.save_pin_policy(current.changed(**values), actor, origin)

    def remove_pin_policy(self, identity: str, actor: str = "local", origin: str = "console") -> None:
        """Remove-CsPinPolicy: delete a site/per-user policy; the global one is reset to defaults.

        Users assigned a removed per-user policy keep the name (Get-CsUser still shows it) and fall
        back to their site's or the global policy, as effective_pin_policy skips missing policies.
        """
        with self._store.change():
            current = self.pin_policy(identity)
            if current is None:
                raise PolicyNotFound(f'Cannot remove "PinPolicy" "{normalize_identity(identity)}" because it '
                                     "does not exist.")
            table = self._store.table(schema.PIN_POLICIES)
            table.remove(where("identity").test(lambda i: str(i).lower() == current.identity.lower()))
            if current.identity == GLOBAL:
                table.insert(PinPolicy().to_document())
            self._audit("Remove-CsPinPolicy", current.identity, actor, origin)

    def grant_pin_policy(self, user: UserRecord, policy_name: str | None, actor: str = "local",
                         origin: str = "console") -> UserRecord:
        """Grant-CsPinPolicy: assign the per-user policy ``policy_name`` (None unassigns)."""
        with self._store.change():
            stored = None
            if policy_name is not None:
                policy = self.pin_policy(f"tag:{policy_name.removeprefix('tag:')}")
                if policy is None or policy.scope != "tag":
                    raise PolicyNotFound(f'Cannot grant PinPolicy "{policy_name}": there is no per-user PIN '
                                         f'policy "tag:{policy_name.removeprefix("tag:")}".', "PolicyName")
                stored = policy.name
            return self._change(user, {"PinPolicy": stored}, "Grant-CsPinPolicy", actor, origin)

    # --- import --------------------------------------------------------------------------
    def import_file(self, path: str, actor: str = "local", origin: str = "console") -> ImportSummary:
        """Validate the whole file, then replace the directory's users with it."""
        return self.import_users(read_directory_file(path), path, actor, origin)

    def import_users(self, seeds: list[UserSeed], source: str, actor: str = "local",
                     origin: str = "console") -> ImportSummary:
        """Replace all users by ``seeds`` (PIN policies and the audit trail are kept).

        An empty ``seeds`` is refused (:class:`DirectoryImportError`): a header-only file would
        otherwise wipe the whole directory without a word.
        """
        if not seeds:
            raise DirectoryImportError([RowProblem(source, None, "the file holds no users, so the "
                                                   "directory was left as it was.")])
        hashes = _hash_all(seed.pin for seed in seeds)
        docs = [dict(seed.doc, PinHash=h) for seed, h in zip(seeds, hashes)]
        with self._store.change():
            users = self._store.table(schema.USERS)
            users.truncate()
            users.insert_multiple(docs)
            self._audit("Import-CsDirectory", source, actor, origin, f"{len(docs)} users")
            self._store.invalidate_caches()      # identity keys changed: rebuild the indexes
        return ImportSummary(source, len(docs), sum(1 for d in docs if d["SipAddress"]),
                             sum(1 for h in hashes if h))


def identity_text(identity: Any) -> str:
    """The identity as text: a string as given; a piped user object by its SIP address or Identity."""
    if identity is None:
        return ""
    if isinstance(identity, str):
        return identity
    getter = getattr(identity, "get", None)
    if callable(getter):
        for name in ("SipAddress", "Identity"):
            value = getter(name)
            if value:
                return str(value)
    return str(identity)


def _hash_all(plain: Iterable[str | None]) -> list[str | None]:
    """Hash seed PINs in parallel (scrypt releases the GIL); None stays None."""
    items = list(plain)
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(lambda pin: pins.hash_pin(pin) if pin else None, items))
