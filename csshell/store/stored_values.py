"""The kind of value each stored field holds, checked where it is read and, for the whole file, by Test-CsStore.

A hand-edited or damaged store can be valid JSON with one value of the wrong kind
(``"LastPinChangeTime": "garbage"``, ``"min_password_length": "abc"``). Reading such a value raises
:class:`DamagedValue`: a StoreCorrupt error naming the field, the value and the remedy, instead of a
Python error, and only where that value is needed. :func:`damaged_values` lists every such value of
a loaded store, so Test-CsStore reports the store as damaged and Restore-CsStore may put back its
backup. Loading does not check every field: at 100,000 users that would tax every start-up.
"""
from __future__ import annotations

import datetime as _dt
import json
from typing import Any, Callable, Iterator

from csshell.store import schema
from csshell.store.errors import StoreError

class DamagedValue(StoreError):
    """A stored field whose value is not of its kind (the file was edited or damaged)."""

    def __init__(self, field: str, value: Any, expected: str, owner: str | None = None,
                 path: str | None = None) -> None:
        self.field, self.value, self.expected, self.owner = field, value, expected, owner
        whose = f"the {owner}'s " if owner else ""
        store = f"'{path}'" if path else "<store>"
        super().__init__(f"The store{' file ' + store if path else ''} is damaged: {whose}"
                         f"{describe(field, value, expected)}. Test-CsStore -Path {store} lists every damaged value; "
                         f"correct them in the file, or put back its last good copy with Restore-CsStore -Path {store}.",
                         "StoreCorrupt", path, "InvalidData")

    def of(self, owner: str, path: str | None = None) -> DamagedValue:
        """The same damage, naming whose value it is (``user sip:kenmyer@...``) and the store file."""
        return DamagedValue(self.field, self.value, self.expected, owner, path)


def describe(field: str, value: Any, expected: str) -> str:
    return f"{field} holds {json.dumps(value, ensure_ascii=False, default=str)[:80]}, which is not {expected}"


def stored_time(field: str, value: Any) -> _dt.datetime | None:
    """A stored ISO 8601 time (``None`` when empty); :class:`DamagedValue` when it is not one."""
    if value is None or value == "":
        return None
    try:
        return _dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise DamagedValue(field, value, "a date and time") from None


def stored_count(field: str, value: Any) -> int:
    """A stored whole number (``0`` when empty); :class:`DamagedValue` for text, a fraction or a bool."""
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int):
        raise DamagedValue(field, value, "a whole number")
    return value


# --- the whole file (Test-CsStore) ----------------------------------------------------------------

def _is_time(value: Any) -> bool:
    try:
        stored_time("", value)
        return True
    except DamagedValue:
        return False


def _kind(check: Callable[[Any], bool], expected: str) -> tuple[Callable[[Any], bool], str]:
    return (lambda v: v is None or check(v)), expected


_TEXT = _kind(lambda v: isinstance(v, str), "text")
_FLAG = _kind(lambda v: isinstance(v, bool), "true or false")
_COUNT = _kind(lambda v: isinstance(v, int) and not isinstance(v, bool), "a whole number")
_TIME = _kind(_is_time, "a date and time")
_SET_COUNT = (lambda v: isinstance(v, int) and not isinstance(v, bool)), "a whole number"
_SET_FLAG = (lambda v: isinstance(v, bool)), "true or false"

# table -> field -> (is the value of its kind?, what it must be); fields not named here are not checked
FIELD_KINDS: dict[str, dict[str, tuple[Callable[[Any], bool], str]]] = {
    schema.USERS: {
        **{name: _TEXT for name in ("DisplayName", "FirstName", "LastName", "SamAccountName", "Domain",
                                    "UserPrincipalName", "SipAddress", "DistinguishedName", "LineURI", "Title",
                                    "Department", "City", "RegistrarPool", "Site", "PinPolicy", "PinHash")},
        **{name: _FLAG for name in ("EnterpriseVoiceEnabled", "IsPinSet", "IsLockedOut", "PinLockedBySystem")},
        **{name: _COUNT for name in ("PinLocalFailures", "PinGlobalFailures", "PinLength")},
        **{name: _TIME for name in ("LastPinChangeTime", "PinExpirationTime", "PinWindowStart", "PinTempLockUntil")},
    },
    schema.PIN_POLICIES: {
        "identity": _TEXT, "description": _TEXT, "allow_common_patterns": _SET_FLAG,
        "maximum_logon_attempts": _COUNT,          # None: computed from the PIN length
        **{name: _SET_COUNT for name in ("min_password_length", "pin_history_count", "pin_lifetime")},
    },
    schema.AUDIT: {"time": _TIME, **{name: _TEXT for name in ("actor", "origin", "action", "target")}},
}


def damaged_values(data: dict[str, Any]) -> Iterator[str]:
    """``<table> document <id>: <field> holds <value>, which is not <kind>`` for each damaged value."""
    for table, kinds in FIELD_KINDS.items():
        for doc_id, doc in (data.get(table) or {}).items():
            if not isinstance(doc, dict):
                yield f"{table} document {doc_id} is not an object"
                continue
            for field, (fits, expected) in kinds.items():
                if not fits(doc.get(field)):
                    yield f"{table} document {doc_id}: {describe(field, doc.get(field), expected)}"
