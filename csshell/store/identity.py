"""Resolving a UserIdParameter (reference sfb-cmdlets.md §2) through in-memory indexes.

Accepted forms, all case-insensitive: ``sip:user@domain``, the SIP address without ``sip:``, the
user principal name, ``domain\\logon``, the distinguished name and the display name. ``*`` is a
wildcard only on display names. Display names are not unique, so every key maps to a *list* of
users; the caller decides whether several matches are an error.

Every look-up is a dict access on a normalised key; only a wildcard walks the (distinct) display
names. SamAccountName alone is not an identity (not unique in a forest).

Cost at 100,000 users: the index is built on the first look-up, from the store's documents, column
by column (one C-level lower-casing of all values of a field joined together, ``dict(zip(...))``),
not user by user; after that, a change to one user updates only that user's keys
(:meth:`IdentityIndex.update`). The completion index is built the same way on the first Tab.
"""
from __future__ import annotations

import bisect
import operator
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from itertools import compress, repeat
from typing import Any

from csshell.store.records import UserRecord
from csshell.store.wildcard import has_wildcard, wildcard_regex

_DN_SPACES = re.compile(r"\s+(?=[,=])|(?<=[,=])\s+")
_RDN_SEPARATOR = re.compile(r"(?<!\\),")
_ATTRIBUTE_TYPE = re.compile(r"^\s*(?:[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)*)\s*$")


def normalize_dn(dn: str) -> str:
    """DNs compare case-insensitively and ignore spaces around ``,`` and ``=``."""
    return _DN_SPACES.sub("", dn.strip().lower())


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


KINDS = ("sip", "upn", "logon", "dn", "display")
IDENTITY_FIELDS = ("SipAddress", "UserPrincipalName", "SamAccountName", "Domain", "DistinguishedName",
                   "DisplayName")
_SEPARATOR = "\x00"


def _same_identity(old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    """Whether no identity field differs (a plain loop: asked for every change of a bulk unlock)."""
    for field in IDENTITY_FIELDS:
        if old.get(field) != new.get(field):
            return False
    return True
SCANS_BEFORE_BUILDING = 2            # a one-liner's look-up scans; the 3rd look-up builds the index
Ids = int | list[int]                    # one doc id, or several (a shared display name)


def document_keys(doc: Mapping[str, Any]) -> dict[str, str]:
    """The exact key of each kind under which the stored user ``doc`` can be named ("" for none).

    ``sip`` is the SIP address as stored (lower case); the form without ``sip:`` is found by looking
    up ``"sip:" + text``. ``display`` is matched as typed (no trimming), the others trimmed.
    """
    domain, sam = doc.get("Domain"), doc.get("SamAccountName")
    return {"sip": _text(doc.get("SipAddress")).strip().lower(),
            "upn": _text(doc.get("UserPrincipalName")).strip().lower(),
            "logon": f"{domain}\\{sam}".lower() if domain and sam else "",
            "dn": normalize_dn(_text(doc.get("DistinguishedName"))) if doc.get("DistinguishedName") else "",
            "display": _text(doc.get("DisplayName")).lower()}


def identity_keys(user: UserRecord) -> set[str]:
    """Every exact key (not the display name) under which ``user`` can be named."""
    keys = document_keys(user.doc)
    found = {keys[kind] for kind in ("sip", "upn", "logon", "dn") if keys[kind]}
    if keys["sip"].startswith("sip:"):
        found.add(keys["sip"][4:])
    return found


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ("" if value is None else str(value))


class IdentityIndex:
    """Maps identity keys and display names to document ids.

    Built lazily from the store's ``{doc id text: document}`` (:meth:`of_documents`) or at once from
    records; one dict per kind of key, each key mapping to one id or, when shared, a list of ids.
    """

    def __init__(self, users: Iterable[UserRecord] = ()) -> None:
        self._source: Mapping[str, Mapping[str, Any]] | None = None
        self._scans_left = 0
        self._maps: dict[str, dict[str, Ids]] = {kind: {} for kind in KINDS}
        for user in users:
            self._add(user.doc_id, document_keys(user.doc))

    @classmethod
    def of_documents(cls, documents: Mapping[str, Mapping[str, Any]]) -> IdentityIndex:
        """An index over the live ``documents`` dict: the first look-ups scan it, later ones build it."""
        index = cls()
        index._source = documents
        index._scans_left = SCANS_BEFORE_BUILDING
        return index

    # --- building -----------------------------------------------------------------------
    def _built(self) -> dict[str, dict[str, Ids]]:
        if self._source is not None:
            source, self._source = self._source, None
            self._maps = _build_maps(source)
        return self._maps

    def _add(self, doc_id: int, keys: dict[str, str]) -> None:
        for kind, key in keys.items():
            if key:
                _add_id(self._maps[kind], key, doc_id)

    def update(self, doc_id: int, old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> None:
        """One stored user changed from ``old`` to ``new`` (``None``: absent): move its keys."""
        if self._source is not None:
            return                       # not built yet: it will read the documents as they are then
        if old is not None and new is not None and _same_identity(old, new):
            return                       # a PIN change: no key moves
        before = document_keys(old) if old is not None else {}
        after = document_keys(new) if new is not None else {}
        if before == after:
            return
        for kind, key in before.items():
            if key:
                _remove_id(self._maps[kind], key, doc_id)
        self._add(doc_id, after)

    # --- looking up ---------------------------------------------------------------------
    def lookup(self, identity: str) -> list[int]:
        """Document ids matching ``identity`` (sorted, unique); empty when none."""
        text = identity.strip()
        if has_wildcard(text):
            return self._wildcard(text)
        low = text.lower()
        if self._source is not None and self._scans_left > 0:
            found = _scan(self._source, low)
            if found is not None:
                self._scans_left -= 1
                return found
        maps = self._built()
        found_ids: set[int] = set()
        for kind, key in _candidate_keys(low):
            _collect(found_ids, maps[kind].get(key))
        return sorted(found_ids)

    def _wildcard(self, pattern: str) -> list[int]:
        regex = wildcard_regex(pattern, star_only=True)
        found: set[int] = set()
        for name, ids in self._built()["display"].items():
            if regex.fullmatch(name):
                _collect(found, ids)
        return sorted(found)


def _collect(found: set[int], ids: Ids | None) -> None:
    if ids is None:
        return
    if isinstance(ids, int):
        found.add(ids)
    else:
        found.update(ids)


def _candidate_keys(low: str) -> list[tuple[str, str]]:
    """The (kind, key) pairs a lower-cased identity text can match.

    SIP addresses and UPNs contain "@", ``domain\\logon`` names a backslash and DNs "=" (the importer
    and the user cmdlets enforce it), so a text without the character is not looked up as that kind.
    """
    keys = [("display", low)]
    if "@" in low:
        keys += [("sip", low), ("sip", "sip:" + low), ("upn", low)]
    if "\\" in low:
        keys.append(("logon", low))
    if "=" in low:
        keys.append(("dn", normalize_dn(low)))
    return keys


def _scan(documents: Mapping[str, Mapping[str, Any]], low: str) -> list[int] | None:
    """The ids :meth:`IdentityIndex.lookup` would return, by one C-level pass per field that can match
    (no index built: a one-liner needs one look-up). ``None`` when the documents are not all of the
    plain shape this needs (every identity field present as text): then the index is built."""
    by_kind: dict[str, set[str]] = {}
    for kind, key in _candidate_keys(low):
        by_kind.setdefault(kind, set()).add(key)
    found: set[str] = set()
    try:
        for kind, keys in by_kind.items():
            if kind == "logon":
                found.update(_scan_logon(documents, low))
            elif kind == "dn" and not _plain_dns(documents):
                return None
            else:
                found.update(_matching(documents, _SCANNED_FIELD[kind], keys, strip=kind != "display"))
    except (KeyError, TypeError, AttributeError):
        return None
    return sorted(map(int, found))


_SCANNED_FIELD = {"display": "DisplayName", "sip": "SipAddress", "upn": "UserPrincipalName",
                  "dn": "DistinguishedName"}


def _matching(documents: Mapping[str, Mapping[str, Any]], field: str, keys: set[str], strip: bool) -> list[str]:
    """Doc ids whose ``field``, lower-cased (and trimmed), is one of ``keys``: C-level iteration only."""
    values = map(str.lower, map(operator.itemgetter(field), documents.values()))
    if strip:
        values = map(str.strip, values)
    return list(compress(documents.keys(), map(operator.contains, repeat(keys), values)))


def _scan_logon(documents: Mapping[str, Mapping[str, Any]], low: str) -> set[str]:
    found: set[str] = set()
    for at in [i for i, char in enumerate(low) if char == "\\"]:
        domain, sam = low[:at], low[at + 1:]
        if domain and sam:
            found.update(set(_matching(documents, "Domain", {domain}, strip=False))
                         & set(_matching(documents, "SamAccountName", {sam}, strip=False)))
    return found


def _plain_dns(documents: Mapping[str, Mapping[str, Any]]) -> bool:
    """Are all DNs stored already normalised but for case (no spaces around "," and "=")?"""
    joined = _SEPARATOR.join(map(operator.itemgetter("DistinguishedName"), documents.values())).lower()
    return not _needs_strip(joined) and not any(space in joined for space in (", ", " ,", "= ", " ="))


def _add_id(keys: dict[str, Ids], key: str, doc_id: int) -> None:
    present = keys.get(key)
    if present is None:
        keys[key] = doc_id
    elif isinstance(present, int):
        if present != doc_id:
            keys[key] = [present, doc_id]
    elif doc_id not in present:
        present.append(doc_id)


def _remove_id(keys: dict[str, Ids], key: str, doc_id: int) -> None:
    present = keys.get(key)
    if present == doc_id:
        del keys[key]
    elif isinstance(present, list) and doc_id in present:
        present.remove(doc_id)
        if len(present) == 1:
            keys[key] = present[0]


def _build_maps(documents: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Ids]]:
    """All kinds of keys of all documents, column by column (see the module's docstring)."""
    ids = list(map(int, documents))
    sip, upn, sam, domain, dn, display = _columns(list(documents.values()))
    if "" in domain or "" in sam:
        logon = [f"{d}\\{s}" if d and s else "" for d, s in zip(domain, sam)]
    else:                                # the usual case: every user has both; no Python-level loop
        logon = list(map(operator.add, map(operator.add, domain, repeat("\\")), sam))
    keys = {"sip": _lower_all(sip, strip=True),
            "upn": _lower_all(upn, strip=True),
            "logon": _lower_all(logon),
            "dn": _normalized_dns(dn),
            "display": _lower_all(display)}
    return {kind: _key_map(values, ids) for kind, values in keys.items()}


def _columns(docs: list[Mapping[str, Any]]) -> list[list[str]]:
    """The IDENTITY_FIELDS of every document as text columns ("" for none), in one C-level pass when
    every document has every field as text (the importer writes them all)."""
    try:
        rows = list(map(operator.itemgetter(*IDENTITY_FIELDS), docs))
    except (KeyError, TypeError):
        rows = None
    if rows is None:
        return [_column(docs, field) for field in IDENTITY_FIELDS]
    columns = [list(column) for column in zip(*rows)] or [[] for _ in IDENTITY_FIELDS]
    return [column if _all_text(column) else list(map(_text, column)) for column in columns]


def _all_text(values: list[Any]) -> bool:
    try:
        "".join(values)
    except TypeError:
        return False
    return True


def _column(docs: list[Mapping[str, Any]], field: str) -> list[str]:
    return [_text(doc.get(field)) if isinstance(doc, Mapping) else "" for doc in docs]


def _lower_all(values: list[str], strip: bool = False) -> list[str]:
    """``[v.lower()]`` (and trimmed) for many values, in one pass of C code over their join."""
    joined = _SEPARATOR.join(values)
    lowered: list[str] = []
    if values and joined.count(_SEPARATOR) == len(values) - 1:
        lowered = joined.lower().split(_SEPARATOR)
    if len(lowered) != len(values):      # a value holding the separator, or none at all
        lowered = [v.lower() for v in values]
    if strip and _needs_strip(joined):
        return [v.strip() for v in lowered]
    return lowered


def _needs_strip(joined: str) -> bool:
    """Could some value joined in ``joined`` start or end with white space?"""
    return (joined[:1].isspace() or joined[-1:].isspace() or " " + _SEPARATOR in joined
            or _SEPARATOR + " " in joined or not joined.replace(_SEPARATOR, "").isprintable())


def _normalized_dns(values: list[str]) -> list[str]:
    lowered = _lower_all(values, strip=True)
    joined = "".join(lowered)
    if not any(space in joined for space in (", ", " ,", "= ", " =")) and joined.isprintable():
        return lowered                   # the usual case: nothing around "," and "=" to remove
    return [_DN_SPACES.sub("", v) for v in lowered]


def _key_map(keys: list[str], ids: list[int]) -> dict[str, Ids]:
    """``{key: id}``, or ``{key: [ids]}`` for a key several documents share; "" is no key."""
    found: dict[str, Ids] = dict(zip(keys, ids))
    found.pop("", None)
    if len(found) < len(keys) - keys.count(""):
        shared = {key for key, count in Counter(keys).items() if count > 1 and key}
        for key in shared:
            found[key] = []
        for key, doc_id in zip(keys, ids):
            if key in shared:
                found[key].append(doc_id)      # type: ignore[union-attr]
    return found


class CompletionIndex:
    """Display names and SIP addresses in case-insensitive order, for prefix completion by bisection.

    Built once per store generation (from records, or from a :class:`Names` list), a prefix look-up
    is O(log n + results), so completion stays instant with 100,000 users (no scan of the directory
    on each key press).
    """

    def __init__(self, users: Iterable[UserRecord]) -> None:
        if isinstance(users, Names):
            values: list[str] = users
        else:
            values = [v for user in users for v in (user.display_name, user.sip_address) if v]
        lowered = _lower_all(values)
        self._names = dict(zip(reversed(lowered), reversed(values)))      # the first spelling of a name wins
        self._keys = sorted(self._names)

    @classmethod
    def of_documents(cls, documents: Mapping[str, Mapping[str, Any]]) -> CompletionIndex:
        """Enabled users' display names and SIP addresses, straight from the stored documents."""
        try:                             # C-level passes over the documents (see _columns)
            sips = list(map(operator.itemgetter("SipAddress"), documents.values()))
            shown = list(compress(map(operator.itemgetter("DisplayName"), documents.values()), sips))
            names = Names(compress(shown, shown))
            names.extend(compress(sips, sips))
            if not _all_text(names):
                raise TypeError
        except (KeyError, TypeError):
            docs = [doc for doc in documents.values() if isinstance(doc, Mapping) and doc.get("SipAddress")]
            names = Names(v for pair in zip(_column(docs, "DisplayName"), _column(docs, "SipAddress"))
                          for v in pair if v)
        return cls(names)

    def complete(self, prefix: str, limit: int = 50) -> list[str]:
        """Up to ``limit`` names starting with ``prefix`` (case-insensitive), in that order."""
        low = prefix.lower()
        start = bisect.bisect_left(self._keys, low)
        found: list[str] = []
        for i in range(start, len(self._keys)):
            if len(found) >= limit or not self._keys[i].startswith(low):
                break
            found.append(self._names[self._keys[i]])
        return found


class Names(list):
    """Names for :class:`CompletionIndex`, already gathered (its constructor also takes records)."""
