"""PowerShell's intrinsic members: ``$x.PSObject`` and ``$x.pstypenames`` on every value.

Every object PowerShell hands a script is wrapped in a ``PSObject`` whose adapter adds two members no
type declares: ``PSObject`` (the wrapper itself: ``TypeNames``, ``Properties``, ``Members``, ``Methods``,
``BaseObject``, ``ImmediateBaseObject``) and ``pstypenames`` (the same list as ``PSObject.TypeNames``).
This module builds those views from csshell's Python values (see ``values.py`` for the mapping):

* type names run from the most specific to ``System.Object``: ``System.String, System.Object``,
  ``System.Int32, System.ValueType, System.Object``, ``System.Object[], System.Array, System.Object``;
  a property bag keeps its own names (``Deserialized.`` ones end in ``Deserialized.System.Object``);
* ``Properties`` lists a property bag's note properties (MemberType ``NoteProperty``) or the .NET
  properties csshell models for the value (MemberType ``Property``); each entry has Name, Value,
  MemberType, TypeNameOfValue, IsSettable, IsGettable and IsInstance, and setting the Value of a note
  property sets the object's property; ``.Properties['Name']`` finds one by name;
* ``$x.PSObject.Copy()`` is a shallow copy of a property bag.
"""
from __future__ import annotations

import datetime as _dt
from typing import Any

from csshell.runtime.values import (PSHashtable, PSObject, ScriptBlock, get_property, hashtable_property, to_string,
                                    type_name)

INTRINSIC_NAMES = frozenset({"psobject", "pstypenames"})
_OBJECT = "System.Object"
_VALUE_TYPE = "System.ValueType"
_DESERIALIZED = "Deserialized."
_PROPERTY_TYPE = "System.Management.Automation.PSProperty"
_NOTE_TYPE = "System.Management.Automation.PSNoteProperty"
_METHOD_TYPE = "System.Management.Automation.PSMethod"
_PROPERTY_FIELDS = ("Value", "MemberType", "IsSettable", "IsGettable", "TypeNameOfValue", "Name", "IsInstance")

# The .NET properties csshell models for plain values, in the order Get-Member / PSObject.Properties list them.
_DATETIME_PROPERTIES = ("Date", "Day", "DayOfWeek", "DayOfYear", "Hour", "Millisecond", "Minute", "Month",
                        "Second", "Ticks", "Year")
_TIMESPAN_PROPERTIES = ("Ticks", "Days", "Hours", "Milliseconds", "Minutes", "Seconds", "TotalDays",
                        "TotalHours", "TotalMilliseconds", "TotalMinutes", "TotalSeconds")
_HASHTABLE_PROPERTIES = ("IsReadOnly", "IsFixedSize", "IsSynchronized", "Keys", "Values", "SyncRoot", "Count")
_ARRAY_PROPERTIES = ("Length", "LongLength", "Rank", "SyncRoot", "IsReadOnly", "IsFixedSize", "IsSynchronized",
                     "Count")
_LIST_PROPERTIES = ("Capacity", "Count", "IsFixedSize", "IsReadOnly", "IsSynchronized", "SyncRoot")
_METHODS = ("Equals", "GetHashCode", "GetType", "ToString")      # when Get-Member knows none


def intrinsic_member(target: Any, name: str) -> Any:
    """The value of ``$target.PSObject`` / ``$target.pstypenames`` (``name`` is one of :data:`INTRINSIC_NAMES`)."""
    if name.lower() == "pstypenames":
        return type_names(target)
    return psobject_view(target)


def type_names(value: Any) -> list[str]:
    """PowerShell's ``PSTypeNames`` for a value, most specific first, ending in ``System.Object``."""
    if isinstance(value, PSObject):
        names = list(value.type_names) or ["System.Management.Automation.PSCustomObject"]
        root = _DESERIALIZED + _OBJECT if names[0].startswith(_DESERIALIZED) else _OBJECT
        if names[-1] != root:
            names.append(root)
        return names
    if isinstance(value, ScriptBlock) or isinstance(value, str) or isinstance(value, PSHashtable):
        return [type_name(value), _OBJECT]
    if isinstance(value, (bool, int, float, _dt.datetime, _dt.timedelta)):
        return [type_name(value), _VALUE_TYPE, _OBJECT]
    full = type_name(value)
    if full == "System.Guid":
        return [full, _VALUE_TYPE, _OBJECT]
    if isinstance(value, list) and full.endswith("[]"):
        return [full, "System.Array", _OBJECT]
    return [full, _OBJECT] if full != _OBJECT else [_OBJECT]


class MemberCollection(list):
    """``PSMemberInfoCollection``: enumerates its members and finds one by name (``.Properties['Name']``)."""

    def find(self, name: Any) -> Any:
        low = str(name).lower()
        return next((m for m in self if str(m.get("Name")).lower() == low), None)

    def ps_invoke(self, name: str, args: list) -> Any:
        if name.lower() == "match" and len(args) == 1:
            from csshell.store.wildcard import wildcard_regex
            pattern = wildcard_regex(str(args[0]))
            return [m for m in self if pattern.match(str(m.get("Name")))]
        return NotImplemented


class MemberInfo(PSObject):
    """One entry of ``.PSObject.Properties``; a note property's ``Value`` writes through to its object."""

    __slots__ = ("owner",)

    def set(self, name: str, value: Any) -> None:
        super().set(name, value)
        if name.lower() == "value" and self.owner is not None:
            self.owner.set(str(self.get("Name")), value)

    def get(self, name: str, default: Any = None) -> Any:
        if name.lower() == "value" and self.owner is not None:
            return self.owner.get(str(super().get("Name")), default)
        return super().get(name, default)


def _member_info(name: str, value: Any, member_type: str, owner: PSObject | None, settable: bool) -> MemberInfo:
    from cmdlets.members import short_type, value_text      # Get-Member's definitions (``int a=1``)
    kind = _NOTE_TYPE if member_type == "NoteProperty" else _PROPERTY_TYPE
    info = MemberInfo(list(zip(_PROPERTY_FIELDS, (value, member_type, settable, True,
                                                  "System.Object" if value is None else type_name(value),
                                                  name, True))),
                      [kind, "System.Management.Automation.PSPropertyInfo",
                       "System.Management.Automation.PSMemberInfo", _OBJECT],
                      tostring=(f"{short_type(value)} {name}={value_text(value)}" if member_type == "NoteProperty"
                                else f"{short_type(value)} {name} {{get;}}"))
    info.owner = owner
    return info


def properties(value: Any) -> MemberCollection:
    """``$value.PSObject.Properties``."""
    if isinstance(value, PSObject):
        return MemberCollection(_member_info(name, item, "NoteProperty", value, True) for name, item in value.items())
    if isinstance(value, str):
        names: tuple[str, ...] = ("Length",)
    elif isinstance(value, _dt.datetime):
        names = _DATETIME_PROPERTIES
    elif isinstance(value, _dt.timedelta):
        names = _TIMESPAN_PROPERTIES
    elif isinstance(value, PSHashtable):
        return MemberCollection(_member_info(n, hashtable_property(value, n)[1], "Property", None, False)
                                for n in _HASHTABLE_PROPERTIES)
    elif isinstance(value, list):
        if type_name(value).endswith("[]"):
            extra = {"longlength": len(value), "rank": 1, "syncroot": value, "isreadonly": False,
                     "isfixedsize": True, "issynchronized": False}
        else:
            extra = {"capacity": max(4, len(value)), "syncroot": value, "isreadonly": False,
                     "isfixedsize": False, "issynchronized": False}
        names = _ARRAY_PROPERTIES if type_name(value).endswith("[]") else _LIST_PROPERTIES
        return MemberCollection(
            _member_info(n, len(value) if n in ("Length", "Count") else extra[n.lower()], "Property", None, False)
            for n in names)
    else:
        names = ()          # numbers, Guids and other modelled values: no properties modelled
    found = MemberCollection()
    for n in names:
        found.append(_member_info(n, get_property(value, n), "Property", None, False))
    return found


def _methods(value: Any) -> MemberCollection:
    from cmdlets.members import members_of
    out = MemberCollection()
    seen: set[str] = set()
    names = [name for kind, name, _ in members_of(value) if kind == "Method"] or list(_METHODS)
    for name in names:
        if name.lower() in seen:
            continue
        seen.add(name.lower())
        out.append(PSObject([("Name", name), ("MemberType", "Method"), ("IsInstance", True)],
                            [_METHOD_TYPE, "System.Management.Automation.PSMethodInfo",
                             "System.Management.Automation.PSMemberInfo", _OBJECT], tostring=name))
    return out


class PSObjectView(PSObject):
    """What ``$x.PSObject`` returns: the wrapper's members, and ``Copy()``."""

    __slots__ = ("base",)

    def ps_invoke(self, name: str, args: list) -> Any:
        if name.lower() == "copy" and not args:
            return self.base.copy() if isinstance(self.base, PSObject) else self.base
        return NotImplemented


def psobject_view(value: Any) -> PSObjectView:
    """``$value.PSObject``."""
    props = properties(value)
    methods = _methods(value)
    view = PSObjectView([("Members", MemberCollection([*props, *methods])), ("Properties", props),
                         ("Methods", methods), ("ImmediateBaseObject", value), ("BaseObject", value),
                         ("TypeNames", type_names(value))],
                        ["System.Management.Automation.PSObject", _OBJECT], tostring=to_string(value))
    view.base = value
    return view
