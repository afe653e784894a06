"""What an import does to a directory that already has users: match, merge, count.

Import-CsDirectory replaces the directory's users by the file's (the file is the directory, as an
AD export would be), but a user who stays keeps what a file cannot carry:

- Each row is matched to a stored user by ``domain\\logon``, then (for rows still unmatched, among
  users still unclaimed) by UserPrincipalName, SIP address and distinguished name, so a renamed
  logon or a moved OU is still the same user. Stored users no row claims are *removed*.
- A column the file lacks keeps the stored value (a file without ``PinPolicy`` or ``Site`` does not
  revoke grants); a column it has is authoritative, an empty cell included.
- PINs are never in an exported file, only their state. For a matched user:
  a ``Pin`` that the stored hash already verifies keeps that hash; another ``Pin`` replaces it;
  no ``Pin`` with ``IsPinSet`` True keeps the stored hash (the PIN is "set" even when no hash is
  known, e.g. an export loaded into a fresh store: dial-in logons then fail until a PIN is set);
  ``IsPinSet`` False (or an empty ``IsPinSet`` cell and no ``Pin``) clears it; a file without an
  ``IsPinSet`` column keeps the stored PIN state of a row without ``Pin``.
- Fields outside the file's columns (PIN hash and history, PIN length, logon-failure counters)
  stay with the user; a PIN the import changes forgets the old PIN's length.

A user is *unchanged* when the merged document equals the stored one (an absent field and ``None``
count as equal), *updated* otherwise; a row that matches nobody is *added*.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from csshell.store import pins
from csshell.store.errors import DirectoryImportError, RowProblem
from csshell.store.identity import normalize_dn
from csshell.store.importer import UserSeed
from csshell.store.lockout import PIN_LENGTH

HASH_WORKERS = 4


@dataclass(frozen=True)
class ImportPlan:
    """The new users table (file order) and what it does to the stored one."""
    docs: list[dict[str, Any]]
    added: int
    updated: int
    unchanged: int
    removed: int


def _logon(doc: dict[str, Any]) -> str:
    return f"{doc.get('Domain') or ''}\\{doc.get('SamAccountName') or ''}".lower()


def _lower(name: str) -> Callable[[dict[str, Any]], str]:
    return lambda doc: str(doc.get(name) or "").lower()


MATCH_KEYS: tuple[Callable[[dict[str, Any]], str], ...] = (
    _logon, _lower("UserPrincipalName"), _lower("SipAddress"),
    lambda doc: normalize_dn(str(doc.get("DistinguishedName") or "")))


HashCache = dict[tuple[int, str, str | None], str]


def plan_import(seeds: list[UserSeed], stored: list[dict[str, Any]], cache: HashCache | None = None) -> ImportPlan:
    """Merge ``seeds`` over the ``stored`` user documents (hashing the PINs that need it).

    Hashing is slow on purpose, so the caller plans once on a snapshot *outside* the store lock,
    then again on fresh data under the lock with the same ``cache``: only rows whose stored hash
    changed in between are hashed while the lock is held.
    """
    matches = match_rows([s.doc for s in seeds], stored)
    previous = [stored[matches[i]] if i in matches else None for i in range(len(seeds))]
    hashes = _pin_hashes(seeds, previous, {} if cache is None else cache)
    docs, added, updated, unchanged = [], 0, 0, 0
    for seed, old, pin_hash in zip(seeds, previous, hashes):
        doc = merged(seed, old, pin_hash)
        docs.append(doc)
        if old is None:
            added += 1
        elif _same(doc, old):
            unchanged += 1
        else:
            updated += 1
    return ImportPlan(docs, added, updated, unchanged, len(stored) - len(matches))


def require_users(seeds: list[UserSeed], source: str) -> None:
    """Refuse a file without users, as the import itself does (directory.py's ``import_users``)."""
    if not seeds:
        raise DirectoryImportError([RowProblem(source, None, "the file holds no users, so the "
                                               "directory was left as it was.")])


def preview_import(seeds: list[UserSeed], stored: list[dict[str, Any]], source: str) -> ImportPlan:
    """What importing ``seeds`` over ``stored`` would do (Import-CsDirectory -WhatIf)."""
    require_users(seeds, source)
    return plan_import(seeds, stored)


def match_rows(rows: list[dict[str, Any]], stored: list[dict[str, Any]]) -> dict[int, int]:
    """Row index -> stored index, key by key (strongest first), each stored user claimed once."""
    matches: dict[int, int] = {}
    free = set(range(len(stored)))
    for key in MATCH_KEYS:
        index: dict[str, int] = {}
        for i in sorted(free):
            value = key(stored[i])
            if value and value != "\\":
                index.setdefault(value, i)
        for r, row in enumerate(rows):
            found = index.get(key(row)) if r not in matches else None
            if found is not None and found in free:
                matches[r] = found
                free.discard(found)
    return matches


def merged(seed: UserSeed, old: dict[str, Any] | None, pin_hash: str | None) -> dict[str, Any]:
    """The document to store for one row (``pin_hash``: the hash for ``seed.pin``, if it has one)."""
    doc = dict(old or {})
    for column, value in seed.doc.items():
        if old is None or column in seed.given:
            doc[column] = value
    if seed.pin is not None:
        doc.update({"PinHash": pin_hash, "IsPinSet": True})
        if old is not None and pin_hash != old.get("PinHash"):
            doc[PIN_LENGTH] = None      # a new PIN: its length is learnt at its first dial-in logon (lockout.py)
    elif old is None:
        doc["PinHash"] = None
    elif not doc.get("IsPinSet"):
        doc.update({"PinHash": None, PIN_LENGTH: None})
    # else IsPinSet is True (from the row, or kept: the file has no IsPinSet column): the stored hash stays
    return doc


def _pin_hashes(seeds: list[UserSeed], previous: list[dict[str, Any] | None], cache: HashCache) -> list[str | None]:
    """A hash per row with a Pin: the stored one when it verifies, else a new one with its own salt
    (in threads: scrypt releases the GIL). Results are kept in ``cache`` by (row, PIN, stored hash)."""
    def one(row: int) -> str | None:
        seed, old = seeds[row], previous[row]
        if seed.pin is None:
            return None
        stored_hash = (old or {}).get("PinHash")
        key = (row, seed.pin, stored_hash)
        if key not in cache:
            verified = bool(stored_hash) and pins.verify_pin(seed.pin, stored_hash)
            cache[key] = stored_hash if verified else pins.hash_pin(seed.pin)
        return cache[key]

    with ThreadPoolExecutor(max_workers=HASH_WORKERS) as pool:
        return list(pool.map(one, range(len(seeds))))


def _same(new: dict[str, Any], old: dict[str, Any]) -> bool:
    def present(doc: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in doc.items() if v is not None}
    return present(new) == present(old)


def missing_pin_policies(assigned: Iterable[str | None], existing: Iterable[str]) -> dict[str, int]:
    """Per-user policy names users are assigned that no ``tag:`` policy has, with how many users name each.

    ``assigned``: each user's PinPolicy (bare name or None); ``existing``: the policy identities in the store.
    Names compare case-insensitively, as policy look-ups do; each is reported as first spelled, in user order.
    """
    known = {identity.lower().removeprefix("tag:") for identity in existing if identity.lower().startswith("tag:")}
    missing: dict[str, int] = {}
    spelled: dict[str, str] = {}
    for name in assigned:
        if not name or name.lower() in known:
            continue
        shown = spelled.setdefault(name.lower(), name)
        missing[shown] = missing.get(shown, 0) + 1
    return missing

