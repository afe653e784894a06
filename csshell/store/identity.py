"""Resolving a UserIdParameter (reference sfb-cmdlets.md §2) through in-memory indexes.

Accepted forms, all case-insensitive: ``sip:user@domain``, the SIP address without ``sip:``, the
user principal name, ``domain\\logon``, the distinguished name and the display name. ``*`` is a
wildcard only on display names. Display names are not unique, so every key maps to a *list* of
users; the caller decides whether several matches are an error.

Every look-up is a dict access on a normalised key; only a wildcard walks the (distinct) display
names. SamAccountName alone is not an identity (not unique in a forest).
"""
from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterable

from csshell.store.records import UserRecord
from csshell.store.wildcard import has_wildcard, wildcard_regex

_DN_SPACES = re.compile(r"\s*([,=])\s*")
_RDN_SEPARATOR = re.compile(r"(?<!\\),")
_ATTRIBUTE_TYPE = re.compile(r"^\s*(?:[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)*)\s*$")


def normalize_dn(dn: str) -> str:
    """DNs compare case-insensitively and ignore spaces around ``,`` and ``=``."""
    return _DN_SPACES.sub(r"\1", dn.strip().lower())


def is_distinguished_name(text: str) -> bool:
    """Is ``text`` shaped like an LDAP DN (``type=value`` parts joined by unescaped commas)?

    Only the shape is checked (RFC 4514 attribute types, non-empty values), not whether the
    entry exists: an OU that exists nowhere is simply empty.
    """
    for rdn in _RDN_SEPARATOR.split(text.strip()):
        attribute, equals, value = rdn.partition("=")
        if not equals or not _ATTRIBUTE_TYPE.match(attribute) or not value.strip():
            return False
    return True


def identity_keys(user: UserRecord) -> set[str]:
    """Every exact key under which ``user`` can be named."""
    keys: set[str] = set()
    sip = (user.sip_address or "").strip().lower()
    if sip:
        keys.add(sip)
        keys.add(sip[4:] if sip.startswith("sip:") else sip)
    for value in (user.get("UserPrincipalName"), ):
        if value:
            keys.add(value.strip().lower())
    if user.get("SamAccountName") and user.get("Domain"):
        keys.add(user.logon.lower())
    if user.distinguished_name:
        keys.add(normalize_dn(user.distinguished_name))
    return keys


class IdentityIndex:
    """Maps identity keys and display names to document ids."""

    def __init__(self, users: Iterable[UserRecord]) -> None:
        self._by_key: dict[str, set[int]] = defaultdict(set)
        self._by_display: dict[str, list[int]] = defaultdict(list)
        for user in users:
            for key in identity_keys(user):
                self._by_key[key].add(user.doc_id)
            if user.display_name:
                self._by_display[user.display_name.lower()].append(user.doc_id)

    def lookup(self, identity: str) -> list[int]:
        """Document ids matching ``identity`` (sorted, unique); empty when none."""
        text = identity.strip()
        if has_wildcard(text):
            return self._wildcard(text)
        low = text.lower()
        found: set[int] = set(self._by_key.get(low, ()))
        if "=" in low:
            found.update(self._by_key.get(normalize_dn(low), ()))
        found.update(self._by_display.get(low, ()))
        return sorted(found)

    def _wildcard(self, pattern: str) -> list[int]:
        regex = wildcard_regex(pattern, star_only=True)
        found: list[int] = []
        for name, ids in self._by_display.items():
            if regex.fullmatch(name):
                found.extend(ids)
        return sorted(found)


class CompletionIndex:
    """Display names and SIP addresses in case-insensitive order, for prefix completion by bisection.

    Built once per store generation; a prefix look-up is O(log n + results), so completion stays
    instant with 100,000 users (no scan of the directory on each key press).
    """

    def __init__(self, users: Iterable[UserRecord]) -> None:
        names: dict[str, str] = {}
        for user in users:
            for value in (user.display_name, user.sip_address):
                if value:
                    names.setdefault(value.lower(), value)
        self._keys = sorted(names)
        self._values = [names[key] for key in self._keys]

    def complete(self, prefix: str, limit: int = 50) -> list[str]:
        """Up to ``limit`` names starting with ``prefix`` (case-insensitive), in that order."""
        low = prefix.lower()
        start = bisect.bisect_left(self._keys, low)
        found: list[str] = []
        for i in range(start, len(self._keys)):
            if len(found) >= limit or not self._keys[i].startswith(low):
                break
            found.append(self._values[i])
        return found
