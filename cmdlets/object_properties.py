"""What the object-pipeline cmdlets share: reading properties the PowerShell way and ``-Property`` specs.

Select-, Sort-, Group-, Measure-Object, ForEach-Object's member form and Export-Csv all need the same
answers: which properties an object has (``Select-Object *``, the CSV header), how to read one that
may be a .NET-only member, how a name or wildcard selects properties, and how ``-Property`` items
(names, script blocks, ``@{Name=...; Expression=...}`` hashtables) become values. ``was_bound`` and
``record_for`` are the two cmdlet helpers every module in ``cmdlets/`` uses.
"""
from __future__ import annotations

import datetime as _dt
from typing import Any

from csshell.runtime import operators
from csshell.runtime.cmdlet import Cmdlet, CommandContext
from csshell.runtime.errors import ErrorRecord, PSError
from csshell.runtime.values import (PSHashtable, PSObject, ScriptBlock, enumerate_value, get_property,
                                    hashtable_property, to_bool, to_string)

PSCUSTOMOBJECT = "System.Management.Automation.PSCustomObject"
_WILDCARD_CHARS = set("*?[")
_DATETIME_PROPERTIES = ["DisplayHint", "DateTime", "Date", "Day", "DayOfWeek", "DayOfYear", "Hour", "Kind",
                        "Millisecond", "Minute", "Month", "Second", "Ticks", "TimeOfDay", "Year"]
_HASHTABLE_PROPERTIES = ["IsReadOnly", "IsFixedSize", "IsSynchronized", "Keys", "Values", "SyncRoot", "Count"]


# ---------------------------------------------------------------------------------------------
# Properties of any value
# ---------------------------------------------------------------------------------------------

def property_names(value: Any) -> list[str]:
    """The property names PowerShell would list for ``value`` (Select-Object *, Export-Csv header)."""
    if isinstance(value, PSObject):
        return value.names()
    if isinstance(value, PSHashtable):
        return list(_HASHTABLE_PROPERTIES)
    if isinstance(value, str):
        return ["Length"]
    if isinstance(value, _dt.datetime):
        return list(_DATETIME_PROPERTIES)
    return []


def read_property(value: Any, name: str) -> Any:
    """A property value, with the .NET-only members Export-Csv and Select-Object can reach.

    A hashtable's properties are its .NET ones (Count, Keys...), never its keys: Windows PowerShell
    5.1's Select-, Sort-, Group- and Measure-Object do not see keys (PowerShell 6 added that,
    PowerShell/PowerShell#6934); 5.1 scripts use calculated properties, which still work.
    """
    if isinstance(value, PSHashtable):
        return hashtable_property(value, name)[1]
    return get_property(value, name)


def has_property(value: Any, name: str) -> bool:
    """Whether ``name`` exists on ``value`` (a property holding $null still exists)."""
    if isinstance(value, PSObject):
        return value.has(name)
    if isinstance(value, PSHashtable):
        return hashtable_property(value, name)[0]
    low = name.lower()
    return any(n.lower() == low for n in property_names(value)) or get_property(value, name) is not None


def has_wildcard(text: str) -> bool:
    return any(ch in _WILDCARD_CHARS for ch in text)


def matching_names(value: Any, pattern: str) -> list[str]:
    """Property names of ``value`` selected by a name or wildcard pattern (case-insensitive)."""
    names = property_names(value)
    if has_wildcard(pattern):
        return [n for n in names if operators.wildcard_match(pattern, n)]
    for n in names:
        if n.lower() == pattern.lower():
            return [n]
    return []


def single_or_list(results: list[Any]) -> Any:
    """How a script block's output becomes one value: nothing → $null, one → it, more → array."""
    if not results:
        return None
    return results[0] if len(results) == 1 else list(results)


def was_bound(command: Cmdlet, name: str) -> bool:
    """Whether the binder bound ``name`` for this record (``$PSBoundParameters.ContainsKey``)."""
    low = name.lower()
    return any(str(k).lower() == low for k in command.bound)


def record_for(command: Cmdlet, message: str, error_id: str, category: str, target: Any = None,
               reason: str = "RuntimeException", target_type: str | None = None) -> ErrorRecord:
    """An ErrorRecord attributed to ``command`` (name prefix and FullyQualifiedErrorId class)."""
    return ErrorRecord(message=message, error_id=error_id, category=category, target=target,
                       target_type=target_type, reason=reason, command_name=command.name,
                       command_class=command.class_name)


# ---------------------------------------------------------------------------------------------
# Calculated properties: @{Name='X'; Expression={...}} and friends
# ---------------------------------------------------------------------------------------------

class PropertySpec:
    """One entry of ``-Property``: a name/wildcard, a script block, or a calculated-property hashtable."""

    def __init__(self, name: str, expression: Any, descending: bool | None = None,
                 calculated: bool = False) -> None:
        self.name = name
        self.expression = expression          # str (property name or wildcard) or ScriptBlock
        self.descending = descending          # Sort-Object's per-key Ascending/Descending
        # a script block or a hashtable: one property under ``name``, no wildcard expansion
        self.is_calculated = calculated or isinstance(expression, ScriptBlock)

    def value(self, ctx: CommandContext, obj: Any) -> Any:
        if isinstance(self.expression, ScriptBlock):
            return single_or_list(ctx.invoke_script_block(self.expression, dollar_under=obj))
        return read_property(obj, self.expression)


_NAME_KEYS = ("name", "label")
_EXPRESSION_KEY = "expression"


def _key_matches(key: str, full: str) -> bool:
    """Hashtable keys may be abbreviated to any prefix (``n``, ``e``, ``Desc``)."""
    return bool(key) and full.startswith(key.lower())


def parse_property_specs(command: Cmdlet, items: Any, allow_order: bool = False) -> list[PropertySpec]:
    """Turn ``-Property`` arguments into specs; a malformed hashtable is a terminating error."""
    specs: list[PropertySpec] = []
    for item in enumerate_value(items):
        if isinstance(item, ScriptBlock):
            specs.append(PropertySpec(item.text, item))
        elif isinstance(item, PSHashtable):
            specs.append(_spec_from_hashtable(command, item, allow_order))
        else:
            text = to_string(item)
            specs.append(PropertySpec(text, text))
    return specs


def _spec_from_hashtable(command: Cmdlet, table: PSHashtable, allow_order: bool) -> PropertySpec:
    name: str | None = None
    expression: Any = None
    descending: bool | None = None
    for key in table:
        low = str(key).lower()
        value = table[key]
        if any(_key_matches(low, k) for k in _NAME_KEYS):
            name = to_string(value)
        elif _key_matches(low, _EXPRESSION_KEY):
            expression = value if isinstance(value, ScriptBlock) else to_string(value)
        elif allow_order and _key_matches(low, "descending"):
            descending = to_bool(value)
        elif allow_order and _key_matches(low, "ascending"):
            descending = not to_bool(value)
        else:
            raise PSError(record_for(command, f"The {key} key is not valid.", "DictionaryKeyIllegal",
                                     "InvalidArgument", reason="NotSupportedException"))
    if expression is None:
        raise PSError(record_for(command, "Missing mandatory key: Expression.", "DictionaryKeyMandatoryEntry",
                                 "InvalidArgument", reason="NotSupportedException"))
    if name is None:
        name = expression.text if isinstance(expression, ScriptBlock) else expression
    return PropertySpec(name, expression, descending, calculated=True)
