"""The Directory service: what the user and PIN cmdlets call.

It owns the in-memory indexes (rebuilt only when the store reloads), resolves identities, runs
queries and makes the PIN changes. Every change goes through ``store.change()`` (lock held, data
fresh from disk) and leaves an audit entry (time, actor, origin, action, target) — never a PIN.
"""
from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tinydb import where

from csshell.store import clock, lockout, pins, schema
from csshell.store.audit import AuditTrail
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
from csshell.store.usercache import LazyCompletion, UserCache
from csshell.store.import_plan import plan_import
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
from csshell.store.records import (AD_USER_PROPERTIES, CS_USER_DISPLAY, CS_USER_EXTRAS, UserRecord, document_enabled,
                                   document_locked_out, document_pin_changed, document_pin_expires, document_pin_set)
from csshell.store.wildcard import has_wildcard
from csshell.store.exporter import directory_text
from csshell.store.stored_values import DamagedValue
from csshell.store import accounts, user_admin

if TYPE_CHECKING:
    from csshell.store.store import Store

FILTER_PROPERTIES = CS_USER_DISPLAY + CS_USER_EXTRAS
_IDENTITY_FIELDS = {"SipAddress", "UserPrincipalName", "SamAccountName", "Domain", "DistinguishedName",
                    "DisplayName"}      # the fields identity.py indexes (update_user rebuilds after changing one)
AD_FILTER_PROPERTIES = AD_USER_PROPERTIES


@dataclass(frozen=True)
class PinInfo:
    """What Get-CsClientPinInfo shows (PinInfoDetails)."""
    identity: str
    is_pin_set: bool
    is_locked_out: bool
    last_pin_change_time: _dt.datetime | None
    pin_expiration_time: _dt.datetime | None


# Each PinInfo field (PinInfoDetails property) as read from a stored user document: one definition for
# the object and for filters that read a property without making the object (cmdlets/clientpin.py,
# runtime/fusion.py); the readers are UserRecord's own (records.py).
PIN_INFO_FIELDS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "Identity": lambda doc: doc.get("SipAddress") or "",
    "IsPinSet": document_pin_set,
    "IsLockedOut": document_locked_out,
    "LastPinChangeTime": document_pin_changed,
    "PinExpirationTime": document_pin_expires,
}
Listed = tuple[str, dict[str, Any]]      # (doc id text, stored document): a user as a pipeline listed it


@dataclass(frozen=True)
class ImportSummary:
    """What an import did: the directory's size afterwards and how it differs from before."""
    path: str
    users: int
    enabled: int
    pins: int                   # users whose IsPinSet is True
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0

    def detail(self) -> str:
        """The audit entry's detail."""
        return (f"{self.users} users: {self.added} added, {self.updated} updated, {self.unchanged} unchanged, "
                f"{self.removed} removed")


class Directory:
    """Users, identities, PIN state and PIN policies of one store."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._generation = -1
        self._audit_trail: AuditTrail | None = None
        self._cache = UserCache({})        # records and indexes of one store generation, all lazy
        self._index: IdentityIndex = self._cache.index
        self._records: Mapping[int, UserRecord] = self._cache.records
        self._completion: CompletionIndex | LazyCompletion | None = self._cache.completion
        store.watch(schema.USERS, lambda key, old, new: self._cache.changed(key, old, new))

    # --- snapshot and indexes ------------------------------------------------------------
    def _fresh(self) -> None:
        """Catch up with the store; a whole reload gives a new (lazy) cache, single changes reach the
        current one through the store's watcher (usercache.py)."""
        users = self._store.raw_table(schema.USERS)      # catches up with other processes first
        if self._generation != self._store.generation:
            self._cache = UserCache(users)
            self._records, self._index, self._completion = (self._cache.records, self._cache.index,
                                                            self._cache.completion)
            self._generation = self._store.generation

    def _put(self, doc_id: int) -> UserRecord:
        """The user's record after a change, made afresh from the stored document."""
        self._cache.records.forget(doc_id)
        return self._records[doc_id]

    # --- identities ----------------------------------------------------------------------
    def resolve(self, identity: Any, enabled_only: bool = True) -> list[UserRecord]:
        """Users matching an identity string, or an object with SipAddress/Identity (piped user)."""
        self._fresh()
        text = identity_text(identity)
        users = [self._records[i] for i in self._index.lookup(text)] if text else []
        return [u for u in users if u.enabled or not enabled_only]

    def current_user(self, user: UserRecord) -> UserRecord | None:
        """``user`` as stored now, if its document still holds that user (same SIP address and DN); else ``None``.

        What a piped user object resolves to without an identity look-up (cmdlets/clientpin.py).
        """
        self._fresh()
        stored = self._records.get(user.doc_id)
        if stored is user:
            return stored                # not changed since: the very same snapshot
        if stored is None or stored.sip_address != user.sip_address \
                or stored.distinguished_name != user.distinguished_name:
            return None
        return stored

    # --- listings for fused pipelines (runtime/fusion.py): (doc id text, stored document) pairs --------
    # A stored document is never changed in place (tables.py copies on write), so a pair is a snapshot,
    # and "is it still the stored document?" is one identity test. Records are made only for the pairs a
    # pipeline keeps: filtering 100,000 users makes 10,000 records, not 100,000.

    def enabled_documents(self, users: Iterable[UserRecord] | None = None) -> list[Listed]:
        """The enabled users (or ``users``) as listed pairs, in directory order, as stored now."""
        if users is not None:
            return [(str(user.doc_id), user.doc) for user in users]
        self._fresh()
        return [(key, doc) for key, doc in self._store.raw_table(schema.USERS).items() if document_enabled(doc)]

    def record_of(self, listed: Listed) -> UserRecord:
        """The :class:`UserRecord` of a listed pair (the cached one when it is of that very document)."""
        key, doc = listed
        record = self._cache.records.cached(int(key))
        return record if record is not None and record.doc is doc else UserRecord(int(key), doc)

    def current_documents(self, listed: Iterable[Listed]) -> Iterator[tuple[Listed, Listed | None]]:
        """(pair, the pair as stored now or None): :meth:`current_user` of each, lazily, one at a time.

        The answers are the same; while the store is settled for this statement (nothing on disk to
        catch up with) a pair whose document is still the stored one is answered without a look-up.
        """
        self._fresh()
        store = self._store
        generation, raw, settled = store.generation, store.raw_table(schema.USERS), False
        for pair in listed:
            settled = settled or store.settled       # once caught up, a statement stays so
            if raw.get(pair[0]) is pair[1] and settled and store.generation == generation:
                yield pair, pair
                continue
            current = self.current_user(self.record_of(pair))
            yield pair, (None if current is None else (str(current.doc_id), current.doc))
            generation, raw = store.generation, store.raw_table(schema.USERS)

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
        return self._cache.records.values(enabled_only)

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
    def export_text(self, fmt: str) -> str:
        """Every user (enabled or not) as Export-CsDirectory writes them, in ``fmt`` (``Csv``/``Json``)."""
        try:
            return directory_text(self.users(enabled_only=False), fmt)
        except DamagedValue as damage:
            raise damage.of(damage.owner or "user", self._store.path) from None

    def pin_info(self, user: UserRecord) -> PinInfo:
        try:
            return PinInfo(*(read(user.doc) for read in PIN_INFO_FIELDS.values()))
        except DamagedValue as damage:
            raise damage.of(f"user {user.sip_address or user.logon}", self._store.path) from None

    def lock_pin(self, user: UserRecord, actor: str = "local", origin: str = "console") -> UserRecord:
        return self._change(user, {"IsLockedOut": True}, "Lock-CsClientPin", actor, origin)

    def unlock_pin(self, user: UserRecord, actor: str = "local", origin: str = "console") -> UserRecord:
        """Lift any lock (administrator, system, temporary) and reset both failure counters."""
        return self._change(user, lockout.unlock_fields(), "Unlock-CsClientPin", actor, origin)

    def set_pin(self, user: UserRecord, pin: str, actor: str = "local", origin: str = "console",
                self_service: bool = False) -> UserRecord:
        """Check ``pin`` against the user's effective policy, then store only its hash.

        An administrator's Set-CsClientPin does not enforce PINHistoryCount (reference
        sfb-cmdlets.md §1.2: only the Dial-in Conferencing Settings page does); ``self_service``
        is that page (Set-CsDialInPin), which refuses a PIN from the user's history.
        Raises :class:`PinPolicyViolation` (nothing changed) or :class:`PinLocked`.
        """
        with self._store.change():
            current = self._current(user)
            pins.check_pin(pin, self.effective_pin_policy(current), current.get("LineURI"))
            action = "Set-CsDialInPin" if self_service else "Set-CsClientPin"
            return self._store_pin(current, pin, action, actor, origin, enforce_history=self_service)

    def generate_pin(self, user: UserRecord, actor: str = "local", origin: str = "console") -> str:
        """Set a fresh policy-valid PIN and return it (the only time it is ever visible)."""
        with self._store.change():
            current = self._current(user)
            policy = self.effective_pin_policy(current)
            previous = pins.previous_hashes(current.get("PinHistory"), current.get("PinHash"))
            pin = pins.generate_pin(policy, current.get("LineURI"),
                                    lambda p: pins.repeats_history(p, previous, policy.pin_history_count))
            self._store_pin(current, pin, "Set-CsClientPin (generated)", actor, origin)
        return pin

    def verify_pin(self, user: UserRecord, pin: str) -> bool:
        """Does ``pin`` match the stored hash? A bare check: :meth:`dial_in_logon` counts attempts."""
        return pins.verify_pin(pin, user.get("PinHash"))

    def dial_in_logon(self, user: UserRecord, pin: str, actor: str = "local",
                      origin: str = "console") -> lockout.LogonResult:
        """One simulated dial-in PIN logon (Test-CsDialInPin), under the lockout rules of lockout.py.

        Every attempt, refused or not, is stored and audited (counts, never the PIN). A successful
        logon records the PIN's length when it was unknown (a store older than PinLength).
        """
        with self._store.change():
            current = self._current(user)
            limits = lockout.limits_for(current.get(lockout.PIN_LENGTH), self.effective_pin_policy(current))
            result = lockout.attempt(self._logon_state(current), limits,
                                     lambda: pins.verify_pin(pin, current.get("PinHash")), clock.now())
            fields = result.state.fields()
            if result.succeeded and not current.get(lockout.PIN_LENGTH):
                fields[lockout.PIN_LENGTH] = len(pin)
            self._store.table(schema.USERS).update(fields, doc_ids=[current.doc_id])
            self._audit("Test-CsDialInPin", current.sip_address or current.logon, actor, origin, result.detail(),
                        current.logon)
            self._put(current.doc_id)
            return result

    def _store_pin(self, user: UserRecord, pin: str, action: str, actor: str, origin: str,
                   enforce_history: bool = False) -> UserRecord:
        """Store ``pin``'s hash, its length and the PIN history; end a temporary lockout.

        Raises :class:`PinLocked`, or (``enforce_history``) :class:`PinPolicyViolation` when the
        policy's PINHistoryCount forbids reusing ``pin``.
        """
        with self._store.change():
            current = self._current(user)
            if current.is_locked_out:
                raise PinLocked(current.sip_address or current.logon)
            policy = self.effective_pin_policy(current)
            previous = pins.previous_hashes(current.get("PinHistory"), current.get("PinHash"))
            if enforce_history:
                pins.check_history(pin, previous, policy.pin_history_count)
            now = clock.now()
            lifetime = policy.pin_lifetime
            expires = (now + _dt.timedelta(days=lifetime)).isoformat() if lifetime else None
            new_hash = pins.hash_pin(pin)
            fields = {"PinHash": new_hash, "IsPinSet": True, "LastPinChangeTime": now.isoformat(),
                      "PinExpirationTime": expires, lockout.PIN_LENGTH: len(pin),
                      "PinHistory": pins.remember(previous, new_hash), **lockout.new_pin_fields()}
            return self._change(current, fields, action, actor, origin)

    def _current(self, user: UserRecord) -> UserRecord:
        """The user as stored now (after a reload the document id may differ)."""
        self._fresh()
        stored = self._records.get(user.doc_id)
        if stored is not None and (stored.sip_address, stored.distinguished_name) == \
                (user.sip_address, user.distinguished_name) and (user.sip_address or user.distinguished_name):
            return stored                # the same user at the same id: no index look-up needed
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
            self._audit(action, target.sip_address or target.logon, actor, origin, account=target.logon)
            return self._put(target.doc_id)

    @property
    def audit_trail(self) -> AuditTrail:
        """The store's audit trail; ``entries(user=...)`` resolves identities through this directory."""
        if self._audit_trail is None:
            self._audit_trail = AuditTrail(self._store,
                                           resolve=lambda identity: self.resolve(identity, enabled_only=False))
        return self._audit_trail

    def _audit(self, action: str, target: str, actor: str, origin: str, detail: str | None = None,
               account: str | None = None) -> None:
        """Record one change (call it inside the change's ``store.change()``); never pass a PIN.
        ``account``: the changed user's ``domain\\logon`` (audit.py)."""
        self.audit_trail.record(action, target, actor, origin, detail, account)

    def audit_entries(self) -> list[dict[str, Any]]:
        """Every audit entry as stored (``audit_trail.entries(...)`` filters)."""
        return self.audit_trail.documents()

    # --- PIN policies --------------------------------------------------------------------
    def pin_policies(self) -> list[PinPolicy]:
        """All policies, global first (Get-CsPinPolicy without -Identity)."""
        try:
            policies = [PinPolicy.from_document(d) for d in self._store.table(schema.PIN_POLICIES).all()]
        except DamagedValue as damage:
            raise damage.of(damage.owner or "PIN policy", self._store.path) from None
        if not any(p.identity == GLOBAL for p in policies):
            policies.append(PinPolicy())
        return sorted(policies, key=lambda p: (p.scope != "global", p.scope != "site", p.identity.lower()))

    def pin_policy(self, identity: str) -> PinPolicy | None:
        wanted = normalize_identity(identity).lower()
        return next((p for p in self.pin_policies() if p.identity.lower() == wanted), None)

    def global_pin_policy(self) -> PinPolicy:
        return self.pin_policy(GLOBAL) or PinPolicy()

    def _logon_state(self, user: UserRecord) -> lockout.LogonState:
        try:
            return lockout.LogonState.from_document(user.doc)
        except DamagedValue as damage:
            raise damage.of(f"user {user.sip_address or user.logon}", self._store.path) from None

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

    # --- user administration and admin accounts (rules in user_admin.py and accounts.py) -------
    def update_user(self, user: UserRecord, fields: dict[str, Any], action: str, actor: str = "local",
                    origin: str = "console", detail: str | None = None) -> UserRecord:
        """Change attributes of one user, enabled or not, with one audit entry; changing an identity field
        (SIP address, names) rebuilds the indexes.

        The audit target is the SIP address after the change, else the one before, else domain\\logon.
        """
        with self._store.change():
            target = self._current(user)
            self._store.table(schema.USERS).update(fields, doc_ids=[target.doc_id])
            changed = self._put(target.doc_id)
            self._audit(action, changed.sip_address or target.sip_address or target.logon, actor, origin, detail,
                        target.logon)
            if set(fields) & _IDENTITY_FIELDS:
                self._store.invalidate_caches()      # identity keys changed: rebuild the indexes
            return changed

    def enable_user(self, user: UserRecord, sip_address: str | None = None, registrar_pool: str | None = None,
                    address_type: str | None = None, sip_domain: str | None = None, actor: str = "local",
                    origin: str = "console") -> UserRecord:
        """Enable-CsUser: raises :class:`user_admin.UserAdminError` (nothing changed) when refused."""
        with self._store.change():
            return user_admin.enable(self, self._current(user), sip_address, registrar_pool, address_type,
                                     sip_domain, actor, origin)

    def disable_user(self, user: UserRecord, actor: str = "local", origin: str = "console") -> UserRecord:
        """Disable-CsUser: every Skype for Business attribute goes; the directory attributes stay."""
        with self._store.change():
            return user_admin.disable(self, self._current(user), actor, origin)

    def set_user(self, user: UserRecord, changes: dict[str, Any], actor: str = "local",
                 origin: str = "console") -> UserRecord:
        """Set-CsUser with checked values; raises :class:`user_admin.UserAdminError` on a clash."""
        with self._store.change():
            return user_admin.update(self, self._current(user), changes, actor, origin)

    def record_change(self, action: str, target: str, actor: str = "local", origin: str = "console",
                      detail: str | None = None) -> None:
        """Audit a change made by another store service (call it inside that change's ``store.change()``)."""
        self._audit(action, target, actor, origin, detail)

    @property
    def admin_accounts(self) -> accounts.AdminAccounts:
        """Role assignments and remote credentials (the ``admin_accounts`` table)."""
        return accounts.AdminAccounts(self._store)

    def admin_roles(self, login: str) -> list[str]:
        """The roles of the account signing in as ``login`` (SamAccountName, UPN or domain\\logon)."""
        account = self.admin_accounts.for_login(login)
        return list(account.roles) if account else []

    def verify_admin_password(self, login: str, password: str) -> bool:
        return accounts.verify_password(self.admin_accounts.for_login(login), password)

    def admin_authorized_keys(self, login: str) -> list[str]:
        return accounts.authorized_keys(self.admin_accounts.for_login(login))

    # --- import --------------------------------------------------------------------------
    def import_file(self, path: str, actor: str = "local", origin: str = "console") -> ImportSummary:
        """Validate the whole file, then replace the directory's users with it."""
        return self.import_users(read_directory_file(path), path, actor, origin)

    def import_users(self, seeds: list[UserSeed], source: str, actor: str = "local",
                     origin: str = "console") -> ImportSummary:
        """Replace all users by ``seeds``, keeping what the file cannot carry for users who stay
        (PIN hashes and the rest: see import_plan.py); PIN policies and the audit trail are kept.

        An empty ``seeds`` is refused (:class:`DirectoryImportError`): a header-only file would
        otherwise wipe the whole directory without a word.
        """
        if not seeds:
            raise DirectoryImportError([RowProblem(source, None, "the file holds no users, so the "
                                                   "directory was left as it was.")])
        cache: dict = {}
        plan_import(seeds, [dict(doc) for doc in self._store.table(schema.USERS).all()], cache)  # hash unlocked
        with self._store.change():
            users = self._store.table(schema.USERS)
            plan = plan_import(seeds, [dict(doc) for doc in users.all()], cache)    # fresh data, hashes reused
            users.truncate()
            users.insert_multiple(plan.docs)
            summary = ImportSummary(source, len(plan.docs), sum(1 for d in plan.docs if d.get("SipAddress")),
                                    sum(1 for d in plan.docs if d.get("IsPinSet")), plan.added, plan.updated,
                                    plan.unchanged, plan.removed)
            self._audit("Import-CsDirectory", source, actor, origin, summary.detail())
            self._store.invalidate_caches()      # identity keys changed: rebuild the indexes
        return summary


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

