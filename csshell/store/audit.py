"""The audit trail: one entry per change a cmdlet makes (who, when, what, from where) — never a PIN.

Entries live in the store's ``audit`` table as flat documents ``time, actor, origin, action,
target[, detail][, account]`` (``time`` is ISO text, naive local time, whole seconds from :mod:`clock`). The
*actor* is the account that made the change (the OS account at the console, the remote user of a
session); the *origin* says where it came from: ``console``, ``command``, ``script <path>`` or
``ssh <address>:<port>``. The *target* is a user's SIP address (``domain\\logon`` for a user
without one), a policy identity or an imported file.

Writers call :meth:`AuditTrail.record` inside a store change (``Directory._audit`` does); readers
ask :meth:`AuditTrail.entries` with filters. Filtering by user resolves the identity through the
directory (any identity form, ``*`` wildcards on display names) and also matches the target text
itself, so entries about users who have since left the directory stay findable by SIP address.
"""
from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from csshell.store import clock, schema
from csshell.store.wildcard import wildcard_regex

if TYPE_CHECKING:
    from csshell.store.records import UserRecord
    from csshell.store.store import Store

FIELDS = ("time", "actor", "origin", "action", "target", "detail")
Resolver = Callable[[str], Iterable["UserRecord"]]


@dataclass(frozen=True)
class AuditEntry:
    """One change. ``time`` is None only for a hand-damaged entry whose time cannot be read."""
    time: _dt.datetime | None
    actor: str
    origin: str
    action: str
    target: str
    detail: str | None = None
    account: str | None = None          # the user's domain\logon, stable when the SIP address changes

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> AuditEntry:
        return cls(_parse_time(doc.get("time")), _text(doc.get("actor")), _text(doc.get("origin")),
                   _text(doc.get("action")), _text(doc.get("target")), doc.get("detail") or None,
                   doc.get("account") or None)

    def to_document(self) -> dict[str, Any]:
        """The exported form: ISO time; ``detail`` only when there is one (``account`` is for filtering)."""
        doc: dict[str, Any] = {"time": self.time.isoformat() if self.time else None, "actor": self.actor,
                               "origin": self.origin, "action": self.action, "target": self.target}
        if self.detail:
            doc["detail"] = self.detail
        return doc


class AuditTrail:
    """Writes and reads the ``audit`` table of one store.

    ``resolve`` turns an identity into directory users (``Directory.resolve`` with disabled users
    included); without it, ``entries(user=...)`` matches the target text only.
    """

    def __init__(self, store: Store, resolve: Resolver | None = None) -> None:
        self._store = store
        self._resolve = resolve

    def record(self, action: str, target: str, actor: str, origin: str, detail: str | None = None,
               account: str | None = None) -> None:
        """Append one entry (the caller holds the store change, so it is written with the change).

        ``account`` is the changed user's ``domain\\logon``: ``entries(user=...)`` still finds the entry
        after the user's SIP address (the usual target) changed or went (Set-CsUser, Disable-CsUser).
        """
        doc = {"time": clock.now().isoformat(), "actor": actor, "origin": origin, "action": action,
               "target": target}        # AuditEntry.to_document's form, without the dataclass (10,000 per bulk unlock)
        if detail:
            doc["detail"] = detail
        if account:
            doc["account"] = account
        self._store.table(schema.AUDIT).insert(doc)

    def documents(self) -> list[dict[str, Any]]:
        """Every entry as stored, oldest first."""
        return [dict(doc) for doc in self._store.table(schema.AUDIT).all()]

    def entries(self, *, user: str | None = None, action: str | None = None, actor: str | None = None,
                origin: str | None = None, after: _dt.datetime | None = None,
                before: _dt.datetime | None = None, last: int | None = None) -> list[AuditEntry]:
        """Entries oldest first, narrowed by every filter given.

        ``action``, ``actor`` and ``origin`` are PowerShell wildcards (case-insensitive; an invalid
        pattern raises :class:`WildcardPatternException`). ``after``/``before`` are exclusive bounds,
        as Get-EventLog's. ``last`` keeps the newest ``last`` matches (still oldest first).
        """
        tests: list[Callable[[AuditEntry], bool]] = []
        if user is not None:
            tests.append(self._user_test(user))
        for name, pattern in (("action", action), ("actor", actor), ("origin", origin)):
            if pattern is not None:
                regex = wildcard_regex(pattern)
                tests.append(lambda e, name=name, regex=regex: bool(regex.match(getattr(e, name))))
        if after is not None:
            bound = _local_naive(after)
            tests.append(lambda e: e.time is not None and e.time > bound)
        if before is not None:
            limit = _local_naive(before)
            tests.append(lambda e: e.time is not None and e.time < limit)
        found = [e for e in map(AuditEntry.from_document, self.documents()) if all(t(e) for t in tests)]
        if last is not None:
            found = found[-last:] if last > 0 else []
        return found

    def _user_test(self, user: str) -> Callable[[AuditEntry], bool]:
        """Does an entry's target name ``user``? By any of the resolved users' names, or by the text."""
        names: set[str] = set()
        for record in self._resolve(user) if self._resolve else ():
            names.update(n.lower() for n in user_names(record) if n)
        patterns = [wildcard_regex(user, star_only=True)]
        if not user.lower().startswith("sip:"):
            patterns.append(wildcard_regex("sip:" + user, star_only=True))
        return lambda e: e.target.lower() in names or (e.account is not None and e.account.lower() in names) \
            or any(p.match(e.target) for p in patterns)


def user_names(record: UserRecord) -> tuple[str, ...]:
    """Every text an audit target may use for ``record`` (targets are the SIP address or domain\\logon)."""
    return (record.sip_address or "", record.logon, record.display_name, record.distinguished_name,
            record.get("UserPrincipalName") or "")


def _parse_time(value: Any) -> _dt.datetime | None:
    try:
        return _local_naive(_dt.datetime.fromisoformat(str(value))) if value else None
    except ValueError:
        return None


def _local_naive(moment: _dt.datetime) -> _dt.datetime:
    """Compare in naive local time, as the store writes; an aware value is converted first."""
    return moment.astimezone().replace(tzinfo=None) if moment.tzinfo is not None else moment


def _text(value: Any) -> str:
    return "" if value is None else str(value)
